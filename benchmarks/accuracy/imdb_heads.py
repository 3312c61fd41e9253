"""Neural heads over GloVe on IMDB: full 25,000-review train split, scored on the test split.

Usage::

    python -m benchmarks.accuracy.imdb_heads                        # every configuration below
    python -m benchmarks.accuracy.imdb_heads --only cnn-fine-tuned  # one of them
    python -m benchmarks.accuracy.imdb_heads --n-train 2000         # a quick smoke run
    python -m benchmarks.accuracy.imdb_heads --only cnn-fine-tuned --no-bucketing
                                                     # batches of random lengths, as before 0.2

Prints one row per configuration: test accuracy, epochs run (early stopping on a 10 %
validation split), fit time on this machine. Target: >= 86.8 % for the best
frozen or fine-tuned head (the fine-tuned sentence-embedding module of the TF-Hub tutorial).
"""

import argparse
import time

import numpy as np
import torch
from sklearn.pipeline import Pipeline

from sklearn_embed import SequenceIndexer, TextCleaner
from sklearn_embed.datasets import load_imdb
from sklearn_embed.heads import CNNClassifier, LSTMClassifier

MAXLEN = 400

CONFIGS = {
    "cnn-frozen": lambda seed: CNNClassifier(freeze=True, max_epochs=10, random_state=seed),
    "cnn-fine-tuned": lambda seed: CNNClassifier(freeze=1, max_epochs=10, random_state=seed),
    "lstm-frozen": lambda seed: LSTMClassifier(freeze=True, hidden_size=64, bidirectional=True,
                                               pooling="max", max_epochs=8, random_state=seed),
    "lstm-fine-tuned": lambda seed: LSTMClassifier(freeze=1, hidden_size=64, bidirectional=True,
                                                   pooling="max", max_epochs=8,
                                                   random_state=seed),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(CONFIGS))
    parser.add_argument("--n-train", type=int, default=None)
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--maxlen", type=int, default=MAXLEN)
    parser.add_argument("--max-epochs", type=int, default=None,
                        help="override each configuration's max_epochs")
    parser.add_argument("--no-bucketing", action="store_true",
                        help="train on shuffled batches of any lengths "
                             "(iterator_train__bucket_batches=None) instead of length buckets")
    args = parser.parse_args(argv)

    data = load_imdb(args.data_home)
    X_train, y_train = data.X_train, data.y_train
    if args.n_train:
        pick = np.random.default_rng(args.seed).permutation(len(X_train))[: args.n_train]
        X_train, y_train = [X_train[i] for i in pick], y_train[pick]
    print(f"IMDB: {len(X_train)} train / {len(data.X_test)} test reviews, maxlen {args.maxlen}, "
          f"torch threads {torch.get_num_threads()}, "
          f"batches {'shuffled' if args.no_bucketing else 'length-bucketed'}", flush=True)

    rows = []
    for name in args.only or CONFIGS:
        head = CONFIGS[name](args.seed).set_params(device=args.device, verbose=1)
        if args.max_epochs:
            head.set_params(max_epochs=args.max_epochs)
        if args.no_bucketing:
            head.set_params(iterator_train__bucket_batches=None)
        pipe = Pipeline([("clean", TextCleaner()),
                         ("features", SequenceIndexer("glove-6b-50d", maxlen=args.maxlen,
                                                      max_features=50_000)),
                         ("head", head)])
        print(f"\n== {name}", flush=True)
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        fit_seconds = time.perf_counter() - start
        accuracy = pipe.score(data.X_test, data.y_test)
        epochs = len(pipe["head"].history_)
        rows.append((name, accuracy, epochs, fit_seconds))
        print(f"{name}: test accuracy {accuracy:.4f}, {epochs} epochs, fit {fit_seconds:.0f} s",
              flush=True)

    print(f"\n{'head':<18}{'test acc':>10}{'epochs':>8}{'fit s':>9}")
    for name, accuracy, epochs, seconds in rows:
        print(f"{name:<18}{accuracy:>10.4f}{epochs:>8}{seconds:>9.0f}")


if __name__ == "__main__":
    main()
