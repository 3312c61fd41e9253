"""The safe format's constants, optional imports and file handling."""

import json
import os
import secrets
import zipfile
from contextlib import contextmanager
from pathlib import Path

from .._optional import import_optional

SUFFIX = ".sklembed"

_FORMAT = "sklearn_embed-safe"
_FORMAT_VERSION = 1
_MANIFEST = "manifest.json"
_MODEL = "model.skops"

#: The types, besides those skops trusts by default (scikit-learn, NumPy, SciPy,
#: builtins), that :func:`load` rebuilds; any other type in a file is refused.
#: Names are fully qualified, as ``skops.io.get_untrusted_types`` reports them.
TRUSTED_TYPES = (
    "sklearn_embed.text._embedding_vectorizer.EmbeddingVectorizer",
    "sklearn_embed.text._lexicon_sentiment.LexiconSentiment",
    "sklearn_embed.text._nb_feature_weighter.NBFeatureWeighter",
    "sklearn_embed.text._sentence_encoder.SentenceEncoder",
    "sklearn_embed.text._sequence_indexer.SequenceIndexer",
    "sklearn_embed.text._text_cleaner.TextCleaner",
    # A trained source ("random", "word2vec") is fitted state, saved with its estimator.
    "sklearn_embed.sources._vectors.Vectors",
    # Classes that the heads' parameters name (module, dataset, criterion,
    # optimizer, iterator_train, iterator_valid): saved and loaded as classes,
    # never as instances.
    "sklearn_embed.heads._dataset.SequenceDataset",
    "sklearn_embed.heads.modules.CNNModule",
    "sklearn_embed.heads.modules.EmbeddingBagModule",
    "sklearn_embed.heads.modules.RNNModule",
    "torch.nn.modules.loss.BCEWithLogitsLoss",
    "torch.nn.modules.loss.CrossEntropyLoss",
    "torch.nn.modules.loss.MSELoss",
    "torch.optim.adagrad.Adagrad",
    "torch.optim.adam.Adam",
    "torch.optim.adamw.AdamW",
    "torch.optim.sgd.SGD",
    "torch.utils.data.dataloader.DataLoader",
)

#: The neural heads that :func:`load` rebuilds from their parameters and weights.
#: They are not in :data:`TRUSTED_TYPES`: a skorch net restored as an object
#: would read its weights with ``torch.load``, which the file could set to unpickle.
TRUSTED_HEADS = ("CNNClassifier", "CNNRegressor", "LSTMClassifier", "LSTMRegressor",
                 "BagOfEmbeddingsClassifier", "BagOfEmbeddingsRegressor")

# What a head learns besides its weights and history.  Everything else skorch
# keeps (module_, optimizer_, callbacks_...) is rebuilt by ``initialize()``.
_HEAD_STATE = ("label_encoder_", "class_weight_", "classes_inferred_", "n_features_in_",
               "n_outputs_", "num_embeddings_", "pretrained_embedding_", "_split_seed_")


def _skops():
    return import_optional("skops.io", needed_by="The safe model format", extra="safe")


def _safetensors_torch():
    import_optional("safetensors", needed_by="Saving a neural head safely", extra="safe")
    import safetensors.torch

    return safetensors.torch



@contextmanager
def atomic_output(path):
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds.

    The temporary file is in the same folder, so the final ``os.replace`` is
    atomic: readers see the old file or the new one, never half of one, and a
    failure leaves ``path`` as it was (the temporary file is removed).  The
    temporary name keeps the suffix of ``path``, since writers such as
    ``joblib.dump``, pandas and matplotlib choose the format from it.

    Parameters
    ----------
    path : str or path-like
        The file to write.

    Yields
    ------
    temporary : pathlib.Path
        Where to write the content.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "note.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['note.txt'])
    """
    path = Path(path)
    # Not tempfile.mkstemp: it creates the file with mode 0600, which os.replace
    # would keep; a file created by the writer gets the usual permissions.
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def is_safe_file(path):
    """Whether ``path`` is a file in the safe format (read from its content, not its name).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    bool

    Examples
    --------
    >>> is_safe_file(__file__)
    False
    """
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(_MANIFEST))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == _FORMAT
