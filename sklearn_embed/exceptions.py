"""The exceptions that sklearn_embed raises, in one place.

Each subclasses the built-in or scikit-learn exception a user would already
catch (``ValueError``), so ``except ValueError`` keeps working; the warnings
subclass ``UserWarning``, so they can be filtered by their own class.  One
exception is deliberate: :class:`SourceMissingOnWorkerError` is a
``BaseException``, so that a grid search cannot record it as a ``NaN`` score.

Examples
--------
>>> from sklearn_embed import SourceMismatchError, VectorFileError
>>> issubclass(SourceMismatchError, ValueError), issubclass(VectorFileError, ValueError)
(True, True)
"""

__all__ = [
    "NoKnownTokenWarning", "SourceMismatchError", "SourceMissingOnWorkerError",
    "TruncationWarning", "UntrustedTypeError", "VectorFileError",
]


class SourceMismatchError(ValueError):
    """A fitted estimator's embedding source (or lexicon, or model) is missing
    or differs from the one it was fitted on.

    Raised on first use after unpickling, when the resource found under the
    saved name cannot be loaded or its checksum differs from the one recorded
    at ``fit``.  The message names the resource and the fix.
    """


class SourceMissingOnWorkerError(BaseException):
    """A dask worker cannot load the embedding source a fit on it needs.

    Raised by ``fit`` on a ``distributed`` worker, in place of the error the
    source gave there (kept as ``__cause__``); the message names the worker,
    the source and the fix.  It derives from ``BaseException``, not
    ``Exception`` (as ``KeyboardInterrupt`` and pytest's test outcomes do), on
    purpose: scikit-learn's searches and ``cross_validate`` catch every
    ``Exception`` a fit raises and, under their default ``error_score=np.nan``,
    record it as a ``NaN`` score with a warning, then pick the best candidate
    among the others.  A worker that lacks a vector file is a broken cluster,
    not a bad candidate: the search stops, and dask hands this error to the
    client.  Catch it by name (or ``BaseException``); ``except Exception``
    does not.  :func:`sklearn_embed.utils.check_sources_on_workers` finds
    such workers before a search starts.

    Examples
    --------
    >>> from sklearn_embed import SourceMissingOnWorkerError
    >>> issubclass(SourceMissingOnWorkerError, Exception)
    False
    """


class VectorFileError(ValueError):
    """A vector file could not be read; the message names the file and the line."""


class UntrustedTypeError(ValueError):
    """A model holds, or a file names, a type outside
    :data:`sklearn_embed.persistence.TRUSTED_TYPES`.

    Raised by :func:`sklearn_embed.persistence.dump` and ``load``; the message
    names the types and the fix.
    """


class NoKnownTokenWarning(UserWarning):
    """Documents reach the model without any token it has a vector or an id for.

    Warned once per ``transform`` of :class:`~sklearn_embed.EmbeddingVectorizer`
    (rows pooled to zeros: no token known to the source) and of
    :class:`~sklearn_embed.SequenceIndexer` (sequences of padding and
    ``<oov>`` only).  A classifier still predicts a class for those documents,
    with a confidence that reflects nothing in their text; the message gives
    their count, their first positions and what to check.  Silence it with
    ``warnings.filterwarnings("ignore", category=NoKnownTokenWarning)``.
    """


class TruncationWarning(UserWarning):
    """``SequenceIndexer.fit`` saw more than half of its documents cut by ``maxlen``.

    The message gives the share and suggests the 95th percentile of the
    document lengths as ``maxlen``; the figures are in ``length_stats_``.  A
    grid search warns once per fold: silence it with
    ``warnings.filterwarnings("ignore", category=TruncationWarning)`` once the
    cut is intended.
    """
