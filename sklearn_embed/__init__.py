"""sklearn_embed: transfer learning with word embeddings as scikit-learn estimators.

Every public name is importable from here.  The layout follows the data line:
:mod:`~sklearn_embed.text` (cleaning, tokens, ids, pooled vectors),
:mod:`~sklearn_embed.sources` (embedding sources),
:mod:`~sklearn_embed.heads` (neural heads), :mod:`~sklearn_embed.datasets`,
:mod:`~sklearn_embed.cli` and :mod:`~sklearn_embed.utils`.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

from . import persistence, sources, utils
from .exceptions import (
    NoKnownTokenWarning,
    SourceMismatchError,
    UntrustedTypeError,
    VectorFileError,
)
from .text import (
    EmbeddingVectorizer,
    IndexedSequences,
    LexiconSentiment,
    NBFeatureWeighter,
    SequenceIndexer,
    TextCleaner,
)

try:
    # The one version source is pyproject.toml, read back from the installed metadata.
    __version__ = version("sklearn_embed")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "CNNClassifier",
    "CNNModule",
    "CNNRegressor",
    "EmbeddingFreezer",
    "EmbeddingVectorizer",
    "IndexedSequences",
    "LSTMClassifier",
    "LSTMRegressor",
    "LexiconSentiment",
    "NBFeatureWeighter",
    "NoKnownTokenWarning",
    "RNNModule",
    "ReportingEarlyStopping",
    "SentenceEncoder",
    "SequenceIndexer",
    "SourceMismatchError",
    "TextCleaner",
    "UntrustedTypeError",
    "VectorFileError",
    "datasets",
    "persistence",
    "sources",
    "utils",
]

# Imported on first use: torch alone takes longer to import than the rest of the
# package, and pooling vectors with LogisticRegression never needs it.
_LAZY = {
    "CNNClassifier": ".heads",
    "CNNModule": ".heads",
    "CNNRegressor": ".heads",
    "EmbeddingFreezer": ".heads",
    "RNNModule": ".heads",
    "ReportingEarlyStopping": ".heads",
    "LSTMClassifier": ".heads",
    "LSTMRegressor": ".heads",
    "SentenceEncoder": ".text",
}

_LAZY_MODULES = ("cli", "datasets", "heads")


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    if name in _LAZY_MODULES:
        # Subpackages that import pandas or torch load on first access, so that
        # ``sklearn_embed.datasets`` works without its own import statement.
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
