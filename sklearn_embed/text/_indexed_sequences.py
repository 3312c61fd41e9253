"""The array type that carries an embedding matrix from SequenceIndexer to a head.

``SequenceIndexer.transform`` returns an :class:`IndexedSequences`: a plain
``int64`` array of padded ids (0 = padding, 1 = out-of-vocabulary, words from
2) that also holds a reference to the indexer's fitted ``embedding_matrix``.
A neural head placed after the indexer in a ``Pipeline`` reads the matrix and
the vocabulary size from its input, so the embedding source is named once, in
the features step, and nothing has to be kept in sync by hand.  Any array
operation that makes a new array (slicing included) keeps the reference.

This type is the contract between the indexer and the heads: a head fitted
with ``pretrained=True`` (the default) refuses an ``X`` that lost its matrix
(pandas output, a ``ColumnTransformer``...) instead of silently learning
from random vectors.  A pickled ``IndexedSequences`` keeps its matrix, so a
``Pipeline(memory=...)`` cache hands the head the same input on a cache hit.
"""

import numpy as np

PAD_ID = 0
OOV_ID = 1
FIRST_WORD_ID = 2


class IndexedSequences(np.ndarray):
    """Padded id sequences that remember their embedding matrix.

    Parameters
    ----------
    ids : array-like of shape (n_samples, maxlen)
        The padded ids.
    embedding_matrix : ndarray of shape (vocab_size, dim) or None
        Row ``i`` is the vector of id ``i``; ``None`` when the indexer has no
        source (the head then learns its embedding from scratch).
    vocab_size : int
        Number of ids, padding and out-of-vocabulary included.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_embed import IndexedSequences
    >>> X = IndexedSequences([[2, 3, 0]], embedding_matrix=np.zeros((4, 2)), vocab_size=4)
    >>> X.vocab_size, X.embedding_matrix.shape, X[:1].vocab_size
    (4, (4, 2), 4)
    """

    def __new__(cls, ids, embedding_matrix=None, vocab_size=None):
        obj = np.asarray(ids, dtype=np.int64).view(cls)
        obj.embedding_matrix = embedding_matrix
        if vocab_size is None and embedding_matrix is not None:
            vocab_size = embedding_matrix.shape[0]
        obj.vocab_size = vocab_size
        return obj

    def __array_finalize__(self, obj):
        self.embedding_matrix = getattr(obj, "embedding_matrix", None)
        self.vocab_size = getattr(obj, "vocab_size", None)

    def __reduce__(self):
        # The matrix travels with the ids: a Pipeline(memory=...) cache pickles
        # the indexer's output, and a cache hit that came back as a plain array
        # would leave the head without its pretrained vectors.
        return (_rebuild, (np.asarray(self), self.embedding_matrix, self.vocab_size))


def without_words(ids):
    """Mask of the sequences that hold no word id (only padding and out-of-vocabulary).

    Examples
    --------
    >>> without_words(np.array([[2, 0], [1, 0], [0, 0]])).tolist()
    [False, True, True]
    """
    return ~(np.asarray(ids) >= FIRST_WORD_ID).any(axis=1)


def _rebuild(ids, embedding_matrix, vocab_size):
    return IndexedSequences(ids, embedding_matrix=embedding_matrix, vocab_size=vocab_size)
