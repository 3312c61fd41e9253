"""The bag-of-embeddings head on IMDB against official fastText, in the same run.

Usage::

    python -m benchmarks.accuracy.imdb_fast_head                  # every row below
    python -m benchmarks.accuracy.imdb_fast_head --only bag-defaults
    python -m benchmarks.accuracy.imdb_fast_head --n-train 2000   # a quick smoke run

Full 25,000-review train split, scored on the 25,000 test reviews.  Rows:

- ``bag-defaults``: ``BagOfEmbeddingsClassifier()`` with its defaults (GloVe 50-d
  fine-tuned, words only, mean pooling, linear output, Adagrad at lr 0.05 with sparse
  gradients, 5 epochs, early stopping on a 10 % validation split);
- ``bag-bigrams``: the same with ``bigram_buckets=2_000_000`` (fastText's hashed bigrams
  and its bucket count) and ``lr=0.1``;
- ``fasttext-unigrams`` / ``fasttext-bigrams``: official fastText
  (``pip install fasttext-wheel``; rows skipped without it), ``dim=50``, 5 epochs,
  ``lr=0.5`` (its default 0.1 is far from converged after 5 epochs on 25,000
  reviews: 62 % on a 3,000-review sample, against 80 % at 0.5), one thread, on
  the same cleaned text, the training lines shuffled.

The indexer keeps every word of the training reviews (``--max-features``, default
None, as fastText does) and their first 1,000 tokens (``--maxlen``; the run prints the share
of longer reviews).

Targets (issue 10): the head fits in <= 60 s on a 2-core CPU with test accuracy
>= 90 % (Keras' fastText-bigram example: 90.19; fastText unigrams: 87.5).  The
machine is shared, so besides wall seconds the table shows the CPU seconds of the
fit and the load average when it ran.  The head's time excludes cleaning and
indexing (shown once, as "features"); fastText's includes its own tokenisation.
"""

import argparse
import os
import tempfile
import time

import numpy as np
import torch

from sklearn_embed import BagOfEmbeddingsClassifier, SequenceIndexer, TextCleaner
from sklearn_embed.datasets import load_imdb

MAXLEN = 1000

HEADS = {
    "bag-defaults": lambda seed: BagOfEmbeddingsClassifier(random_state=seed),
    "bag-bigrams": lambda seed: BagOfEmbeddingsClassifier(bigram_buckets=2_000_000, lr=0.1,
                                                          random_state=seed),
}
FASTTEXT = {"fasttext-unigrams": 1, "fasttext-bigrams": 2}


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start):
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def _fasttext_rows(names, train_docs, y_train, test_docs, y_test, seed):
    try:
        import fasttext
    except ImportError:
        print("fastText rows skipped: pip install fasttext-wheel", flush=True)
        return []
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.txt")
        # fastText reads the file in order and does not shuffle: the split is
        # sorted by label, so unshuffled it ends on 12,500 'pos' and predicts 'pos'.
        order = np.random.default_rng(seed).permutation(len(train_docs))
        with open(path, "w", encoding="utf-8") as file:
            for i in order:
                file.write(f"__label__{y_train[i]} {' '.join(train_docs[i].split())}\n")
        for name in names:
            start = _clock()
            # thread=1: the heads' default n_threads is 1 too, and the machine is shared.
            model = fasttext.train_supervised(path, dim=50, epoch=5, lr=0.5,
                                              wordNgrams=FASTTEXT[name], thread=1, seed=seed,
                                              verbose=0)
            wall, cpu = _since(start)
            predicted = [labels[0].removeprefix("__label__")
                         for labels in model.predict([" ".join(d.split()) for d in test_docs])[0]]
            accuracy = float(np.mean(np.asarray(predicted) == y_test))
            rows.append((name, accuracy, 5, wall, cpu, os.getloadavg()[0]))
            print(f"{name}: test accuracy {accuracy:.4f}, fit {wall:.1f} s", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted([*HEADS, *FASTTEXT]))
    parser.add_argument("--n-train", type=int, default=None)
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--maxlen", type=int, default=MAXLEN)
    parser.add_argument("--max-features", type=int, default=None)
    args = parser.parse_args(argv)

    data = load_imdb(args.data_home)
    X_train, y_train = data.X_train, data.y_train
    if args.n_train:
        pick = np.random.default_rng(args.seed).permutation(len(X_train))[: args.n_train]
        X_train, y_train = [X_train[i] for i in pick], y_train[pick]
    print(f"IMDB: {len(X_train)} train / {len(data.X_test)} test reviews, maxlen {args.maxlen}, "
          f"max_features {args.max_features}, torch {torch.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    names = args.only or [*HEADS, *FASTTEXT]
    start = _clock()
    cleaner = TextCleaner()
    train_docs = cleaner.fit_transform(X_train)
    test_docs = cleaner.transform(data.X_test)
    indexer = SequenceIndexer("glove-6b-50d", maxlen=args.maxlen,
                              max_features=args.max_features)
    ids_train = indexer.fit_transform(train_docs)
    ids_test = indexer.transform(test_docs)
    features = _since(start)
    print(f"{len(indexer.vocabulary_)} words; {indexer.length_stats_['truncated_share']:.1%} of "
          f"the training reviews are cut at maxlen {args.maxlen}", flush=True)
    rows = [("features (clean+index)", float("nan"), 0, *features, os.getloadavg()[0])]

    for name in (n for n in names if n in HEADS):
        head = HEADS[name](args.seed).set_params(device=args.device, verbose=1)
        print(f"\n== {name}", flush=True)
        start = _clock()
        head.fit(ids_train, y_train)
        wall, cpu = _since(start)
        accuracy = head.score(ids_test, data.y_test)
        rows.append((name, accuracy, len(head.history_), wall, cpu, os.getloadavg()[0]))
        print(f"{name}: test accuracy {accuracy:.4f}, {len(head.history_)} epochs, "
              f"fit {wall:.1f} s", flush=True)
    rows += _fasttext_rows([n for n in names if n in FASTTEXT], train_docs, y_train,
                           test_docs, data.y_test, args.seed)

    print(f"\n{'model':<24}{'test acc':>10}{'epochs':>8}{'fit s':>9}{'fit CPU s':>11}"
          f"{'load':>7}")
    for name, accuracy, epochs, wall, cpu, load in rows:
        print(f"{name:<24}{accuracy:>10.4f}{epochs:>8}{wall:>9.1f}{cpu:>11.1f}{load:>7.1f}")


if __name__ == "__main__":
    main()
