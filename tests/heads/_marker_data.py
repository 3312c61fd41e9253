"""The synthetic task the head tests share: a marker id decides the class."""

import numpy as np

from sklearn_embed import IndexedSequences

VOCAB, DIM, MAXLEN, MARKER = 40, 8, 30, 5


def make_data(n=200, seed=0):
    """Post-padded sequences; class 1 iff the marker id 5 appears."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(3, MAXLEN, n)
    ids = np.zeros((n, MAXLEN), dtype=np.int64)
    for i, length in enumerate(lengths):
        ids[i, :length] = rng.randint(MARKER + 1, VOCAB, length)
    y = np.arange(n) % 2
    for i in np.flatnonzero(y):
        ids[i, rng.randint(lengths[i])] = MARKER
    matrix = rng.normal(size=(VOCAB, DIM)).astype(np.float32)
    matrix[0] = 0.0
    return IndexedSequences(ids, embedding_matrix=matrix), y


def repad(ids, maxlen, side):
    """The same sequences padded to ``maxlen`` on ``side``."""
    out = np.zeros((len(ids), maxlen), dtype=np.int64)
    for i, row in enumerate(ids):
        tokens = row[row != 0]
        if side == "post":
            out[i, :len(tokens)] = tokens
        else:
            out[i, maxlen - len(tokens):] = tokens
    return out
