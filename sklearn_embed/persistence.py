"""Saving fitted pipelines without pickle: the safe format (``.sklembed`` files).

``joblib.dump`` pickles, and loading a pickle runs whatever code the file
names, so a model file from elsewhere is as dangerous as a script.  A
``.sklembed`` file holds only data, and :func:`load` rebuilds from it nothing
but the types listed in :data:`TRUSTED_TYPES` (and the scikit-learn, NumPy and
SciPy types that skops trusts by default); a file that names any other type is
refused with an error naming it.  No step of loading unpickles.

A ``.sklembed`` file is a zip archive of:

- ``manifest.json``: the format, its version, and one entry per neural head;
- ``model.skops``: the model in the `skops <https://skops.readthedocs.io>`_
  format, each head replaced by a plain dict of its parameters, fitted
  attributes and history (a JSON string);
- ``heads/<n>.safetensors``: each head's ``module_.state_dict()``, in the
  `safetensors <https://huggingface.co/docs/safetensors>`_ format.

A head is rebuilt from its parameters, initialised with the sizes recorded at
fit and given its saved weights; its optimizer state is not saved (a loaded
head predicts exactly as before; ``fit`` starts over, and ``partial_fit``
continues with a fresh optimizer).  Heads are found in the steps of a
``Pipeline`` (nested ones included) or as the model itself.  Embedding sources
are saved by name, as with joblib, and reloaded on first use.

Needs the optional ``safe`` extra: ``pip install "sklearn_embed[safe]"``.
"""

import copy
import json
import os
import secrets
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ._device import forked_torch_rng
from ._optional import import_optional
from .exceptions import UntrustedTypeError

__all__ = ["SUFFIX", "TRUSTED_HEADS", "TRUSTED_TYPES", "UntrustedTypeError", "atomic_output",
           "dump", "is_safe_file", "load"]

#: The file name extension of the safe format.
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
    "sklearn_embed.heads.modules.RNNModule",
    "torch.nn.modules.loss.BCEWithLogitsLoss",
    "torch.nn.modules.loss.CrossEntropyLoss",
    "torch.nn.modules.loss.MSELoss",
    "torch.optim.adam.Adam",
    "torch.optim.adamw.AdamW",
    "torch.optim.sgd.SGD",
    "torch.utils.data.dataloader.DataLoader",
)

#: The neural heads that :func:`load` rebuilds from their parameters and weights.
#: They are not in :data:`TRUSTED_TYPES`: a skorch net restored as an object
#: would read its weights with ``torch.load``, which the file could set to unpickle.
TRUSTED_HEADS = ("CNNClassifier", "CNNRegressor", "LSTMClassifier", "LSTMRegressor")

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


# -- files ------------------------------------------------------------------

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


# -- heads ------------------------------------------------------------------

def _is_net(obj):
    # A model can only hold a skorch net once skorch was imported, so a model
    # without one is saved without importing torch.
    skorch = sys.modules.get("skorch")
    return skorch is not None and isinstance(obj, skorch.NeuralNet)


def _find_heads(model, step=()):
    """``(step, head)`` for the model itself or each head among its Pipeline steps."""
    from sklearn.pipeline import Pipeline

    if _is_net(model):
        yield step, model
    elif isinstance(model, Pipeline):
        for name, estimator in model.steps:
            yield from _find_heads(estimator, (*step, name))


def _stray_net(obj, seen):
    """A skorch net anywhere in ``obj`` (estimators, lists, tuples, dicts), or None."""
    from sklearn.base import BaseEstimator

    if id(obj) in seen:
        return None
    seen.add(id(obj))
    if _is_net(obj):
        return obj
    if isinstance(obj, dict):
        children = obj.values()
    elif isinstance(obj, (list, tuple)):
        children = obj
    elif isinstance(obj, BaseEstimator):
        children = vars(obj).values()
    else:
        return None
    return next((net for child in children
                 if (net := _stray_net(child, seen)) is not None), None)


def _replace_step(model, step, value):
    """``model`` with the estimator at ``step`` (a path of step names) replaced.

    The Pipelines on the way are shallow copies: the caller's model is not changed.
    """
    if not step:
        return value
    pipeline = copy.copy(model)
    names = [name for name, _ in pipeline.steps]
    index = names.index(step[0])
    pipeline.steps = list(pipeline.steps)
    pipeline.steps[index] = (step[0], _replace_step(pipeline.steps[index][1], step[1:], value))
    return pipeline


def _step_of(model, step):
    for name in step:
        model = dict(model.steps)[name]
    return model


def _json_value(value):
    # History rows hold NumPy scalars (valid_loss is a np.float64).
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _head_record(head, where):
    """The head as plain data, and its weights as safetensors bytes (None when unfitted)."""
    from . import heads

    name = type(head).__name__
    if name not in TRUSTED_HEADS or type(head) is not getattr(heads, name):
        raise UntrustedTypeError(
            f"{where} is a {type(head).__module__}.{type(head).__qualname__}; the safe format "
            f"saves the neural heads {', '.join(TRUSTED_HEADS)} only. Save this model with "
            "joblib.dump instead (a pickle: load it only where you trust the file)."
        )
    record = {
        "params": head.get_params(deep=False),
        "fitted": {key: value for key, value in vars(head).items() if key in _HEAD_STATE},
        "history": None,
    }
    entry = {"class": name, "weights": None, "embedding_dim": None}
    module = getattr(head, "module_", None)
    if module is None:
        return entry, record, None
    from .heads.callbacks import find_embedding

    history = getattr(head, "history_", None)
    record["history"] = None if history is None else json.dumps(list(history),
                                                                default=_json_value)
    entry["embedding_dim"] = int(find_embedding(module).embedding_dim)
    state = {key: tensor.detach().cpu().contiguous()
             for key, tensor in module.state_dict().items()}
    return entry, record, _safetensors_torch().save(state)


def _rebuild_head(entry, record, weights, path):
    name = entry.get("class")
    if name not in TRUSTED_HEADS:
        raise UntrustedTypeError(
            f"{str(path)!r} names the head {name!r}, which is not one of the trusted heads "
            f"({', '.join(TRUSTED_HEADS)}); the file was not written by "
            "sklearn_embed.persistence.dump. Load only files you trust."
        )
    from . import heads

    if not (isinstance(record.get("params"), dict) and isinstance(record.get("fitted"), dict)):
        raise ValueError(f"{str(path)!r} is damaged: the {name} has no params or fitted state.")
    head = getattr(heads, name)(**record["params"])
    unknown = sorted(set(record["fitted"]) - set(_HEAD_STATE))
    if unknown:
        raise ValueError(
            f"{str(path)!r} sets unknown head attributes {unknown}; the file was not written "
            "by sklearn_embed.persistence.dump."
        )
    for key, value in record["fitted"].items():
        setattr(head, key, value)
    if weights is None:
        return head
    from skorch.history import History

    requested = head.embedding_dim
    # Built without the pretrained matrix (the saved weights replace it), the
    # embedding takes its size from embedding_dim: give it the fitted one.
    head.embedding_dim = entry["embedding_dim"]
    try:
        # The random initial weights are overwritten below; drawing them must
        # not move the caller's torch generator.
        with forked_torch_rng():
            head.initialize()
    finally:
        head.embedding_dim = requested
    try:
        head.module_.load_state_dict(_safetensors_torch().load(weights))
    except (RuntimeError, ValueError) as error:
        raise ValueError(
            f"the weights of the {entry['class']} in {str(path)!r} do not fit its module: "
            f"{error}"
        ) from None
    if record["history"] is not None:
        head.history_ = History(json.loads(record["history"]))
    return head


# -- dump and load ----------------------------------------------------------

def _check_trusted(untrusted, trusted, problem, fix):
    unknown = sorted(set(untrusted) - set(TRUSTED_TYPES) - set(trusted))
    if unknown:
        raise UntrustedTypeError(
            f"{problem} {', '.join(unknown)}, not in "
            f"sklearn_embed.persistence.TRUSTED_TYPES; {fix}"
        )


def dump(model, path, *, trusted=()):
    """Save a fitted model (a Pipeline, heads included, or one estimator) without pickle.

    The file is written atomically (see :func:`atomic_output`).

    Parameters
    ----------
    model : estimator
        Usually a ``Pipeline`` of sklearn_embed and scikit-learn steps, whose
        last step may be a neural head.
    path : str or path-like
        Where to write; the conventional extension is :data:`SUFFIX`
        (``.sklembed``).
    trusted : sequence of str, default=()
        Further fully qualified type names that the model holds and that you
        trust (your own transformers); :func:`load` must be given them too.

    Raises
    ------
    UntrustedTypeError
        When the model holds a type outside :data:`TRUSTED_TYPES` and
        ``trusted``, or a neural net other than the :data:`TRUSTED_HEADS`.

    See Also
    --------
    load : read the file back.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_embed import EmbeddingVectorizer, TextCleaner
    >>> from sklearn_embed.persistence import dump, load
    >>> texts = ["a great film", "a wonderful story", "a dull film", "a boring story"]
    >>> pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d"),
    ...                      LogisticRegression()).fit(texts, [1, 1, 0, 0])
    >>> path = Path(tempfile.mkdtemp()) / "model.sklembed"
    >>> dump(pipe, path)
    >>> bool((load(path).predict_proba(texts) == pipe.predict_proba(texts)).all())
    True
    """
    sio = _skops()
    path = Path(path)
    entries, weights = [], []
    stripped = model
    for number, (step, head) in enumerate(_find_heads(model)):
        where = f"the step {'/'.join(step)!r}" if step else "the model"
        entry, record, blob = _head_record(head, where)
        if blob is not None:
            entry["weights"] = f"heads/{number}.safetensors"
            weights.append((entry["weights"], blob))
        entries.append({"step": list(step), **entry})
        stripped = _replace_step(stripped, step, record)
    stray = _stray_net(stripped, set()) if "skorch" in sys.modules else None
    if stray is not None:
        raise UntrustedTypeError(
            f"this {type(model).__name__} holds a {type(stray).__name__} elsewhere than as a "
            "Pipeline step; the safe format saves a neural head as the model itself or as a "
            "step of a Pipeline (save e.g. a search's best_estimator_), or save it with "
            "joblib.dump (a pickle: load it only where you trust the file)."
        )
    try:
        data = sio.dumps(stripped)
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise UntrustedTypeError(
            f"this {type(model).__name__} cannot be saved in the safe format ({error}); "
            "save it with joblib.dump instead (a pickle: load it only where you trust the file)."
        ) from None
    # Refuse now what load would refuse, rather than write a file nobody can read.
    _check_trusted(sio.get_untrusted_types(data=data), trusted, "the model holds",
                   "pass trusted=[...] to dump and load if you trust them, or save with "
                   "joblib.dump (a pickle: load it only where you trust the file).")
    manifest = {"format": _FORMAT, "format_version": _FORMAT_VERSION, "heads": entries}
    with atomic_output(path) as temporary:
        with zipfile.ZipFile(temporary, "w") as archive:
            archive.writestr(_MANIFEST, json.dumps(manifest, indent=1),
                             compress_type=zipfile.ZIP_DEFLATED)
            # skops files are zip archives already compressed inside.
            archive.writestr(_MODEL, data)
            for name, blob in weights:
                archive.writestr(name, blob, compress_type=zipfile.ZIP_DEFLATED)


def _read_manifest(archive, path):
    try:
        manifest = json.loads(archive.read(_MANIFEST))
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise ValueError(
            f"{str(path)!r} is not a model in sklearn_embed's safe format (no valid "
            f"{_MANIFEST}); write one with sklearn_embed.persistence.dump."
        )
    version = manifest.get("format_version")
    if version != _FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} is in version {version!r} of the safe format; this sklearn_embed "
            f"reads version {_FORMAT_VERSION}. Upgrade sklearn_embed, or save the model again."
        )
    return manifest


def load(path, *, trusted=()):
    """Load a model saved by :func:`dump`, rebuilding only trusted types; never unpickles.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`dump`.
    trusted : sequence of str, default=()
        Further fully qualified type names to accept, as given to :func:`dump`.

    Returns
    -------
    model : estimator
        The model as it was saved; embedding sources are reloaded by name on
        first use, as after ``joblib.load``.

    Raises
    ------
    UntrustedTypeError
        When the file names a type outside :data:`TRUSTED_TYPES` and
        ``trusted``, or a head outside :data:`TRUSTED_HEADS`; nothing of the
        file is built then.
    ValueError
        When the file is not in the safe format or is damaged.

    See Also
    --------
    dump : write such a file.

    Examples
    --------
    See :func:`dump`.
    """
    sio = _skops()
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ValueError(
            f"{str(path)!r} is not a model in sklearn_embed's safe format (not a zip "
            "archive); write one with sklearn_embed.persistence.dump."
        ) from None
    with archive:
        manifest = _read_manifest(archive, path)
        try:
            data = archive.read(_MODEL)
            weights = {entry["weights"]: archive.read(entry["weights"])
                       for entry in manifest["heads"] if entry.get("weights")}
        except (KeyError, TypeError) as error:
            raise ValueError(f"{str(path)!r} is damaged: {error}.") from None
    _check_trusted(sio.get_untrusted_types(data=data), trusted, f"{str(path)!r} holds",
                   "it was not written by this sklearn_embed, or was altered. Load only "
                   "files you trust; if you trust these types, pass trusted=[...].")
    model = sio.loads(data, trusted=[*TRUSTED_TYPES, *trusted])
    for entry in manifest["heads"]:
        step = tuple(entry["step"])
        try:
            record = _step_of(model, step)
        except (AttributeError, KeyError, TypeError):
            record = None
        if not isinstance(record, dict):
            raise ValueError(f"{str(path)!r} is damaged: no head at the step {step}.")
        head = _rebuild_head(entry, record, weights.get(entry["weights"]), path)
        model = _replace_step(model, step, head)
    return model
