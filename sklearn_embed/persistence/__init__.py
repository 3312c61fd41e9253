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

import json
import sys
import zipfile
from pathlib import Path

from ..exceptions import UntrustedTypeError
from ._format import (
    _FORMAT,
    _FORMAT_VERSION,
    _MANIFEST,
    _MODEL,
    SUFFIX,
    TRUSTED_HEADS,
    TRUSTED_TYPES,
    _skops,
    atomic_output,
    is_safe_file,
)

# _replace_step is imported by the tests from here.
from ._heads import (  # noqa: F401
    _find_heads,
    _head_record,
    _rebuild_head,
    _replace_step,
    _step_of,
    _stray_net,
)

__all__ = ["SUFFIX", "TRUSTED_HEADS", "TRUSTED_TYPES", "UntrustedTypeError", "atomic_output",
           "dump", "is_safe_file", "load"]

#: The file name extension of the safe format.


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
