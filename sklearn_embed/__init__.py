"""sklearn_embed: transfer learning with word embeddings as scikit-learn estimators.

Every public name is importable from here.  The layout follows the data line:
:mod:`~sklearn_embed.text` (cleaning, tokens, ids, pooled vectors),
:mod:`~sklearn_embed.sources` (embedding sources),
:mod:`~sklearn_embed.heads` (neural heads), :mod:`~sklearn_embed.datasets`,
:mod:`~sklearn_embed.cli` and :mod:`~sklearn_embed.utils`.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version

from .exceptions import (
    NoKnownTokenWarning,
    SourceMismatchError,
    SourceMissingOnWorkerError,
    TruncationWarning,
    UntrustedTypeError,
    VectorFileError,
)

try:
    # The one version source is pyproject.toml, read back from the installed metadata.
    __version__ = version("sklearn_embed")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "AdaptedSource",
    "BagOfEmbeddingsClassifier",
    "BagOfEmbeddingsRegressor",
    "CNNClassifier",
    "CNNModule",
    "CNNRegressor",
    "EmbeddingBagModule",
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
    "SourceMissingOnWorkerError",
    "TextCleaner",
    "TruncationWarning",
    "UntrustedTypeError",
    "VectorFileError",
    "datasets",
    "persistence",
    "sources",
    "utils",
]

# Everything else is imported on first use: `import sklearn_embed` (and the
# command line's --help) stays fast, torch is imported only when a head is
# used, and the pooled-vector path never needs it.
_LAZY = {
    **{name: ".text" for name in ("EmbeddingVectorizer", "IndexedSequences", "LexiconSentiment",
                                  "NBFeatureWeighter", "SentenceEncoder", "SequenceIndexer",
                                  "TextCleaner")},
    **{name: ".heads" for name in ("BagOfEmbeddingsClassifier", "BagOfEmbeddingsRegressor",
                                   "EmbeddingBagModule",
                                   "CNNClassifier", "CNNModule", "CNNRegressor",
                                   "EmbeddingFreezer", "LSTMClassifier", "LSTMRegressor",
                                   "RNNModule", "ReportingEarlyStopping")},
    "AdaptedSource": ".sources",
}
_LAZY_MODULES = ("cli", "datasets", "heads", "persistence", "sources", "text", "utils")


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
