"""The one place where a head reads its input: the ``IndexedSequences`` contract.

``SequenceIndexer.transform`` returns an :class:`~sklearn_embed.IndexedSequences`:
padded int64 ids (0 = padding) that carry the indexer's ``embedding_matrix``
and ``vocab_size``.  A head fitted with ``pretrained=True`` (the default)
starts its embedding from that matrix; when the matrix is missing it stops
with an error that says what most likely dropped it, instead of silently
learning from random vectors.  ``pretrained=False`` is the explicit choice to
learn the embedding from scratch.
"""

import numpy as np

__all__ = ["SequenceInput", "check_predict_ids", "check_sample_weight", "read_sequences"]


class SequenceInput:
    """What a head learns from its ``X``: the ids and, at fit, the vocabulary."""

    __slots__ = ("ids", "matrix", "vocab_size")

    def __init__(self, ids, matrix, vocab_size):
        self.ids = ids
        self.matrix = matrix
        self.vocab_size = vocab_size


def _what_dropped_it(X):
    """A sentence naming what most likely turned the indexer's output into ``X``."""
    module = type(X).__module__.split(".")[0]
    if module == "pandas":
        return ("pandas output (set_config(transform_output='pandas') or set_output) made "
                "a DataFrame of the ids and dropped it.")
    if module == "polars":
        return ("polars output (set_config(transform_output='polars') or set_output) made "
                "a DataFrame of the ids and dropped it.")
    if isinstance(X, np.ndarray):
        return ("Something between the indexer and the head made a new array: a "
                "ColumnTransformer or FeatureUnion (they stack their outputs), or ids built "
                "by hand.")
    return f"A {type(X).__name__} of ids carries no embedding matrix."


def _ids_of(X):
    if type(X).__module__.split(".")[0] == "torch":
        X = X.detach().cpu().numpy()
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            "Sparse input is not supported: X must be a dense 2-d array of integer ids "
            "(padded sequences), e.g. from SequenceIndexer."
        )
    try:
        ids = np.asarray(X)
    except ValueError:
        raise ValueError(
            "X must be a 2-d array of integer ids (padded sequences), got a ragged "
            f"{type(X).__name__}; pad it, e.g. with SequenceIndexer."
        ) from None
    if ids.ndim != 2:
        raise ValueError(
            f"X must be a 2-d array of integer ids (n_samples, maxlen), got an array "
            f"of shape {ids.shape}; raw text goes through SequenceIndexer first. Reshape "
            "your data: one row of ids per sequence."
        )
    if ids.shape[0] == 0 or ids.shape[1] == 0:
        raise ValueError(
            f"X is empty (shape {ids.shape}); at least one id is required: found "
            f"{ids.shape[1]} feature(s) (shape={ids.shape}) while a minimum of 1 is "
            "required."
        )
    if ids.dtype.kind not in "iu":
        ids = _integral(ids)
    if int(ids.min()) < 0:
        raise ValueError(
            f"X contains the negative id {int(ids.min())}; ids start at 0 (padding). "
            "Negative values in data are not ids."
        )
    return ids


def _integral(ids):
    """Float or object arrays whose values are whole numbers, as int64 ids.

    A pandas integer column with a gap comes back as floats; anything else
    (fractions, NaN, inf, text, complex numbers) is not a sequence of ids.
    """
    if ids.dtype.kind == "c":
        raise ValueError("Complex data not supported: X must hold integer ids.")
    if ids.dtype.kind in "fO":
        try:
            values = ids.astype(np.float64)
        except (TypeError, ValueError):
            values = None
        if values is not None:
            if not np.isfinite(values).all():
                raise ValueError(
                    "X contains NaN or inf, which are not ids; X must hold integer ids "
                    "(0 = padding)."
                )
            if np.array_equal(values, np.round(values)):
                return values.astype(np.int64)
    raise ValueError(
        f"X must hold integer ids, got dtype {ids.dtype}; raw text goes through "
        "SequenceIndexer first."
    )


def read_sequences(X, *, head, pretrained):
    """Read a head's training input.

    Parameters
    ----------
    X : IndexedSequences or array-like of int of shape (n_samples, maxlen)
        Padded ids.
    head : str
        The head's class name, for messages.
    pretrained : bool
        The head's ``pretrained`` parameter: whether ``X`` must bring an
        embedding matrix.

    Returns
    -------
    SequenceInput
        ``matrix`` is None when ``pretrained=False``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_embed import IndexedSequences
    >>> X = IndexedSequences([[2, 3, 0]], embedding_matrix=np.zeros((4, 2)))
    >>> read_sequences(X, head="CNNClassifier", pretrained=True).vocab_size
    4
    >>> read_sequences(np.asarray(X), head="CNNClassifier", pretrained=True)
    Traceback (most recent call last):
    ...
    ValueError: CNNClassifier(pretrained=True) starts its embedding from the matrix that \
SequenceIndexer attaches to its output (an IndexedSequences), but X is a plain ndarray: \
Something between the indexer and the head made a new array: a ColumnTransformer or \
FeatureUnion (they stack their outputs), or ids built by hand. Put the head right after \
the SequenceIndexer in the Pipeline, or pass pretrained=False to learn the embedding from \
scratch.
    """
    matrix = getattr(X, "embedding_matrix", None)
    vocab_size = getattr(X, "vocab_size", None)
    carries = hasattr(X, "embedding_matrix")
    ids = _ids_of(X)
    if pretrained and matrix is None:
        if carries:
            cause = ("The SequenceIndexer that made it has no source (source=None), so there "
                     "are no pretrained vectors.")
            fix = "give the SequenceIndexer a source"
        else:
            cause = _what_dropped_it(X)
            fix = "put the head right after the SequenceIndexer in the Pipeline"
        raise ValueError(
            f"{head}(pretrained=True) starts its embedding from the matrix that "
            "SequenceIndexer attaches to its output (an IndexedSequences), but X is a plain "
            f"{type(X).__name__}: {cause} {fix[0].upper()}{fix[1:]}, or pass "
            "pretrained=False to learn the embedding from scratch."
        )
    if not pretrained:
        matrix = None
    elif matrix is not None:
        matrix = np.asarray(matrix)
        if vocab_size is not None and vocab_size != matrix.shape[0]:
            raise ValueError(
                f"X.vocab_size={vocab_size} does not match the {matrix.shape[0]} "
                "rows of X.embedding_matrix."
            )
        vocab_size = matrix.shape[0]
    high = int(ids.max())
    if vocab_size is None:
        vocab_size = high + 1
    if high >= vocab_size:
        raise ValueError(f"X contains id {high} but its vocabulary has only {vocab_size} ids.")
    return SequenceInput(ids, matrix, int(vocab_size))


def check_predict_ids(X, num_embeddings, fix):
    """Ids to predict on: the same checks, and no id beyond the fitted vocabulary."""
    ids = _ids_of(X)
    high = int(ids.max())
    if high >= num_embeddings:
        raise ValueError(
            f"X contains id {high} but the head was fitted with a vocabulary of "
            f"{num_embeddings} ids; {fix}."
        )
    return ids


def check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a float32 array of ``n_samples`` finite, non-negative
    weights with a positive sum, or None."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},), one weight per sequence, got "
            f"shape {weights.shape}."
        )
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        raise ValueError(
            f"sample_weight must be finite and non-negative; position {bad[0]} is "
            f"{float(weights[bad[0]])!r}."
        )
    if weights.sum() <= 0:
        raise ValueError(
            "sample_weight is zero for every sample (it sums to 0); at least one sample "
            "must weigh more than zero."
        )
    return weights.astype(np.float32)
