"""Neural heads: skorch nets that train on padded id sequences from SequenceIndexer."""

from .callbacks import EmbeddingFreezer
from .cnn import CNNClassifier, CNNRegressor
from .lstm import LSTMClassifier, LSTMRegressor
from .modules import CNNModule, RNNModule

__all__ = [
    "CNNClassifier",
    "CNNModule",
    "CNNRegressor",
    "EmbeddingFreezer",
    "LSTMClassifier",
    "LSTMRegressor",
    "RNNModule",
]
