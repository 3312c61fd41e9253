"""sklearn_embed: transfer learning with word embeddings as scikit-learn estimators."""

from .cleaner import TextCleaner
from .heads import CNNClassifier, CNNRegressor, LSTMClassifier, LSTMRegressor
from .indexer import SequenceIndexer
from .sentence_encoder import SentenceEncoder
from .vectorizer import EmbeddingVectorizer

__version__ = "0.1.0"

__all__ = [
    "CNNClassifier",
    "CNNRegressor",
    "EmbeddingVectorizer",
    "LSTMClassifier",
    "LSTMRegressor",
    "SentenceEncoder",
    "SequenceIndexer",
    "TextCleaner",
]
