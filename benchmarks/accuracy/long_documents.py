"""SentenceEncoder on IMDB, long reviews truncated or chunked: same subset, same classifier.

all-MiniLM-L6-v2 reads 256 word pieces (254 without ``[CLS]`` and ``[SEP]``); 44 % of IMDB
reviews are longer.  This script encodes one random subset of the train and test splits
with ``SentenceEncoder`` (chunking on, once per ``--overlap``, by default 0), fits
``LogisticRegression`` on the train rows and prints test accuracy (all reviews, and the
long ones alone) for truncation and for each pooling of the windows; then it times
``transform`` with ``chunking=False`` and ``chunking=True`` on the first ``--timing-docs``
test reviews.

Usage::

    nice -n 5 python -m benchmarks.accuracy.long_documents      # 600 / 600 reviews, overlap 0
    nice -n 5 python -m benchmarks.accuracy.long_documents --overlap 0 --overlap 32
    python -m benchmarks.accuracy.long_documents --n-train 60 --n-test 60 --timing-docs 20

The model runs once per overlap, through the public ``transform`` (``chunk_pooling="mean"``);
the window embeddings it computes are recorded on their way through.  The other rows are
built from them without a second pass of the model, by facts that
``tests/text/test_sentence_encoder.py`` checks: a short review is encoded the same way by
every configuration, ``chunking=False`` gives a long review the embedding of its first
window, and the public poolings are ``pool_windows`` over the windows.  Encode times are
from a shared machine: read them as ratios, measured in the same run (best of
``--repeat``), with the load printed at the end; the word-piece ratio is exact.
"""

import argparse
import os
import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from sklearn_embed import SentenceEncoder
from sklearn_embed.datasets import load_imdb
from sklearn_embed.text import _sentence_encoder
from sklearn_embed.text._sentence_windows import encode_windows, pool_windows

POOLINGS = ("mean", "weighted_mean", "max")


def subset(X, y, n, rng):
    pick = rng.permutation(len(X))[:n]
    return [X[i] for i in pick], np.asarray(y)[pick]


def score(X, y_train, y_test, n_train, long_test):
    head = LogisticRegression(max_iter=2000).fit(X[:n_train], y_train)
    hit = head.predict(X[n_train:]) == y_test
    return 100 * hit.mean(), 100 * hit[long_test].mean()


def encode_recording_windows(encoder, documents):
    """``encoder.transform(documents)``, its time, and the window embeddings it computed."""
    recorded = []

    def recording(*args, **kwargs):
        recorded.append(encode_windows(*args, **kwargs))
        return recorded[-1]

    _sentence_encoder.encode_windows = recording
    try:
        start = time.perf_counter()
        X = encoder.transform(documents)
        seconds = time.perf_counter() - start
    finally:
        _sentence_encoder.encode_windows = encode_windows
    # verbose=0: transform encodes every document in one call, so one record.
    (windows,) = recorded
    return X, seconds, windows


def best_times(encoders, documents, repeat):
    """Best of ``repeat`` transform times of each encoder, taken in turns.

    Round-robin rather than one encoder after the other, so that a change of
    the machine's load during the run falls on every encoder alike.
    """
    times = [[] for _ in encoders]
    for _ in range(repeat):
        for encoder, taken in zip(encoders, times):
            start = time.perf_counter()
            encoder.transform(documents)
            taken.append(time.perf_counter() - start)
    return [min(taken) for taken in times]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=600)
    parser.add_argument("--n-test", type=int, default=600)
    parser.add_argument("--overlap", type=int, action="append",
                        help="chunk_overlap to run (repeatable; default: 0, the encoder's)")
    parser.add_argument("--timing-docs", type=int, default=100,
                        help="test reviews that the encode time is measured on")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs, best kept")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)

    data = load_imdb(args.data_home)
    rng = np.random.default_rng(args.seed)
    X_train, y_train = subset(data.X_train, data.y_train, args.n_train, rng)
    X_test, y_test = subset(data.X_test, data.y_test, args.n_test, rng)
    documents = X_train + X_test

    def encoder(**params):
        return SentenceEncoder(device=args.device, batch_size=args.batch_size,
                               **params).fit(X_train)

    truncating = encoder(chunking=False)
    size = truncating.window_size_
    n_pieces = np.array([len(ids) for ids in truncating._get_model().tokenizer(
        documents, add_special_tokens=False, verbose=False)["input_ids"]])
    is_long = n_pieces > size
    long_test = is_long[args.n_train:]
    print(f"IMDB: {args.n_train} train / {args.n_test} test reviews (seed {args.seed}); "
          f"{100 * is_long.mean():.1f} % longer than {size} word pieces; "
          f"word pieces per review: median {np.median(n_pieces):.0f}, "
          f"95th percentile {np.percentile(n_pieces, 95):.0f}; torch threads "
          f"{torch.get_num_threads()}", flush=True)
    truncated_pieces = np.minimum(n_pieces, size).sum()

    rows = []
    for overlap in args.overlap or [0]:
        chunking = encoder(chunk_overlap=overlap)
        X_mean, seconds, (embeddings, lengths, owner) = encode_recording_windows(
            chunking, documents)
        if not rows:
            X = X_mean.copy()
            # Windows come in document order, each document's first one first.
            X[is_long] = embeddings[np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])]
            rows.append(("truncate (chunking=False)", "-", is_long.sum(), 1.0,
                         *score(X, y_train, y_test, args.n_train, long_test)))
            print(rows[-1], flush=True)
        for pooling in POOLINGS:
            X = X_mean.copy()
            if pooling != "mean":
                X[is_long] = pool_windows(embeddings, lengths, owner, is_long.sum(), pooling)
            pieces = (~is_long * n_pieces).sum() + lengths.sum()
            rows.append((f"chunk, {pooling}", overlap, len(owner), pieces / truncated_pieces,
                         *score(X, y_train, y_test, args.n_train, long_test)))
            print(rows[-1], f"{seconds:.0f} s", flush=True)

    header = ("encoding", "chunk_overlap", "inputs of long reviews", "word pieces x truncate",
              "test acc %", f"test acc % on the {long_test.sum()} long test reviews")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, overlap, inputs, ratio, accuracy, long_accuracy in rows:
        print(f"| {name} | {overlap} | {inputs} | {ratio:.2f} | {accuracy:.1f} "
              f"| {long_accuracy:.1f} |")

    timed = X_test[: args.timing_docs]
    print(f"\nencode time of {len(timed)} test reviews, best of {args.repeat}:")
    print("| encoding | seconds | x truncate |\n|---|---|---|")
    overlaps = args.overlap or [0]
    base, *chunked = best_times(
        [truncating] + [encoder(chunk_overlap=overlap) for overlap in overlaps], timed, args.repeat)
    print(f"| truncate (chunking=False) | {base:.1f} | 1.00 |")
    for overlap, seconds in zip(overlaps, chunked):
        print(f"| chunk, overlap {overlap} | {seconds:.1f} | {seconds / base:.2f} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f} (1 min), "
          f"{os.getloadavg()[2]:.2f} (15 min); {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
