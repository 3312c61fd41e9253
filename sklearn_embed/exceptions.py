"""The exceptions that sklearn_embed raises, in one place.

Each subclasses the built-in or scikit-learn exception a user would already
catch (``ValueError``), so ``except ValueError`` keeps working.

Examples
--------
>>> from sklearn_embed import SourceMismatchError, VectorFileError
>>> issubclass(SourceMismatchError, ValueError), issubclass(VectorFileError, ValueError)
(True, True)
"""

__all__ = ["SourceMismatchError", "UntrustedTypeError", "VectorFileError"]


class SourceMismatchError(ValueError):
    """A fitted estimator's embedding source (or lexicon, or model) is missing
    or differs from the one it was fitted on.

    Raised on first use after unpickling, when the resource found under the
    saved name cannot be loaded or its checksum differs from the one recorded
    at ``fit``.  The message names the resource and the fix.
    """


class VectorFileError(ValueError):
    """A vector file could not be read; the message names the file and the line."""


class UntrustedTypeError(ValueError):
    """A model holds, or a file names, a type outside
    :data:`sklearn_embed.persistence.TRUSTED_TYPES`.

    Raised by :func:`sklearn_embed.persistence.dump` and ``load``; the message
    names the types and the fix.
    """
