"""Neural heads: skorch nets that train on padded id sequences from SequenceIndexer.

Needs the optional dependencies torch and skorch: ``pip install "sklearn_embed[nn]"``.
The modules (:mod:`sklearn_embed.heads.modules`) and callbacks
(:mod:`sklearn_embed.heads.callbacks`) are public, like skorch's, so that a
head can be given another module class or extra callbacks.
"""

from .._optional import import_optional

# Checked first so that a missing extra names its fix, not a line deep inside.
import_optional("torch", needed_by="The neural heads", extra="nn")
import_optional("skorch", needed_by="The neural heads", extra="nn")

from ._bag import BagOfEmbeddingsClassifier, BagOfEmbeddingsRegressor  # noqa: E402
from ._cnn import CNNClassifier, CNNRegressor  # noqa: E402
from ._lstm import LSTMClassifier, LSTMRegressor  # noqa: E402
from .callbacks import EmbeddingFreezer, ReportingEarlyStopping  # noqa: E402
from .modules import CNNModule, EmbeddingBagModule, RNNModule  # noqa: E402

__all__ = [
    "BagOfEmbeddingsClassifier",
    "BagOfEmbeddingsRegressor",
    "CNNClassifier",
    "CNNModule",
    "CNNRegressor",
    "EmbeddingBagModule",
    "EmbeddingFreezer",
    "LSTMClassifier",
    "LSTMRegressor",
    "RNNModule",
    "ReportingEarlyStopping",
]
