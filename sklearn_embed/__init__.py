"""sklearn_embed: transfer learning with word embeddings as scikit-learn estimators."""

import importlib

from ._base import SourceMismatchError
from .cleaner import TextCleaner
from .indexer import SequenceIndexer
from .lexicon import LexiconSentiment
from .nb_weighting import NBFeatureWeighter
from .vectorizer import EmbeddingVectorizer

__version__ = "0.1.0"

__all__ = [
    "CNNClassifier",
    "CNNRegressor",
    "EmbeddingVectorizer",
    "LSTMClassifier",
    "LSTMRegressor",
    "LexiconSentiment",
    "NBFeatureWeighter",
    "SentenceEncoder",
    "SourceMismatchError",
    "SequenceIndexer",
    "TextCleaner",
]

# Imported on first use: torch alone takes longer to import than the rest of the
# package, and pooling vectors with LogisticRegression never needs it.
_LAZY = {
    "CNNClassifier": ".heads",
    "CNNRegressor": ".heads",
    "LSTMClassifier": ".heads",
    "LSTMRegressor": ".heads",
    "SentenceEncoder": ".sentence_encoder",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
