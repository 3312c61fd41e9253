"""Registered sources saved in the per-user cache folder, for other processes.

``register_source`` keeps its vectors in this process's memory; a parallel
worker (``GridSearchCV(n_jobs=2)``'s loky processes) or a later session does
not share that memory.  So the vectors are also written once, as files any
process of the same user can memory-map::

    $SKLEARN_EMBED_CACHE/registered/<name>/vectors.npy   float32 matrix
                                          /words.txt     UTF-8, one word per line
                                          /meta.json     description, shape, fingerprint

(``~/.cache/sklearn_embed`` when the variable is not set).  A folder appears
whole or not at all: it is written under a temporary name that starts with
``.`` (never a valid source name) and renamed into place.
"""

import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ._vectors import Vectors

CACHE_ENV = "SKLEARN_EMBED_CACHE"
DEFAULT_CACHE_HOME = "~/.cache/sklearn_embed"
# Bumped when the files change shape, so an old folder is refused, not misread.
_FORMAT = 1


def cache_home():
    """The cache folder: ``$SKLEARN_EMBED_CACHE`` when set and not empty, else
    ``~/.cache/sklearn_embed`` (read at each call, never created here)."""
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_HOME).expanduser().absolute()


def registered_root():
    return cache_home() / "registered"


def read_meta(name):
    """The ``meta.json`` of a saved name, or ``None`` when it is not saved."""
    path = registered_root() / name / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(_damaged(name, f"its meta.json cannot be read ({exc})")) from exc
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ValueError(_damaged(name, f"its meta.json is not format {_FORMAT}"))
    return meta


def saved_descriptions():
    """``{name: description}`` of every name saved in the cache folder."""
    root = registered_root()
    if not root.is_dir():
        return {}
    found = {}
    for folder in sorted(root.iterdir()):
        # Names never start with '.': those are folders being written or removed.
        if folder.name.startswith("."):
            continue
        try:
            meta = read_meta(folder.name)
        except ValueError:
            meta = {"description": "damaged: remove it with unregister_source"}
        if meta is not None:
            found[folder.name] = meta.get("description", "")
    return found


def check_savable(name, vectors):
    """Refuse vectors that the files cannot hold exactly, before anything is written."""
    if vectors.oov is not None:
        raise ValueError(
            f"register_source: the vectors of {name!r} build vectors for unknown words "
            "(fastText subwords), which the cache folder cannot save; save them with "
            f"kv.save('{name}.kv') and give that path as source=, or pass persist=False "
            "to use them in this process only."
        )
    words = vectors.index_to_key
    joined = "".join(words)
    if "\n" in joined or "\r" in joined:
        position, word = next((i, w) for i, w in enumerate(words) if "\n" in w or "\r" in w)
        raise ValueError(
            f"register_source: word {position} of {name!r} ({word!r}) contains a line "
            "break, which words.txt (one word per line) cannot hold; rename that word, "
            "or pass persist=False to use the vectors in this process only."
        )


def save(name, vectors, description, *, overwrite):
    """Write ``vectors`` under ``name`` unless the same vectors are there already.

    Raises ValueError when other vectors are saved under ``name`` and
    ``overwrite`` is false.
    """
    root = registered_root()
    folder = root / name
    meta = {"format": _FORMAT, "description": description,
            "shape": list(vectors.vectors.shape), "fingerprint": vectors.fingerprint}
    if not _needs_writing(name, meta, overwrite):
        return
    root.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{name}.writing-", dir=root))
    try:
        with open(temporary / "vectors.npy", "wb") as fh:
            np.save(fh, np.asarray(vectors.vectors, dtype=np.float32), allow_pickle=False)
            _flush(fh)
        with open(temporary / "words.txt", "w", encoding="utf-8", errors="surrogatepass",
                  newline="\n") as fh:
            fh.writelines(word + "\n" for word in vectors.index_to_key)
            _flush(fh)
        # meta.json last: a folder with it is complete.
        with open(temporary / "meta.json", "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False, indent=1)
            _flush(fh)
        if overwrite:
            _move_aside(folder)
        try:
            os.replace(temporary, folder)
        except OSError:
            # Another process saved the name between our check and now: fine
            # if it saved the same vectors, a conflict otherwise.
            if not folder.exists() or _needs_writing(name, meta, overwrite=False):
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def load(name, meta):
    """Memory-map the saved ``name`` and check it against its ``meta.json``."""
    folder = registered_root() / name
    try:
        matrix = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        with open(folder / "words.txt", encoding="utf-8", errors="surrogatepass",
                  newline="\n") as fh:
            words = fh.read().split("\n")[:-1]
    except (OSError, ValueError) as exc:
        raise ValueError(_damaged(name, f"its files cannot be read ({exc})")) from exc
    if list(matrix.shape) != meta["shape"] or len(words) != matrix.shape[0]:
        raise ValueError(_damaged(name, f"{len(words)} words and a {matrix.shape} matrix "
                                        f"instead of the shape {tuple(meta['shape'])}"))
    vectors = Vectors(matrix, words, name)
    if vectors.fingerprint != meta["fingerprint"]:
        raise ValueError(_damaged(name, f"its vectors have the checksum {vectors.fingerprint}, "
                                        f"not the {meta['fingerprint']} recorded at "
                                        "registration"))
    return vectors


def remove(name):
    """Delete the saved ``name``; whether there was one."""
    return _move_aside(registered_root() / name)


def _needs_writing(name, meta, overwrite):
    saved = read_meta(name)
    if saved is None or saved["fingerprint"] == meta["fingerprint"]:
        return saved is None
    if overwrite:
        return True
    raise ValueError(
        f"register_source: {name!r} is already registered with other vectors "
        f"({saved.get('description')}, saved in {registered_root() / name}); register "
        f"these under another name, pass overwrite=True to replace them, or call "
        f"unregister_source({name!r}) first."
    )


def _move_aside(folder):
    # Renamed before deletion so that no reader sees a half-deleted folder; a
    # process that has the old files memory-mapped keeps reading them.
    aside = folder.with_name(f".{folder.name}.removed-{secrets.token_hex(6)}")
    try:
        os.replace(folder, aside)
    except FileNotFoundError:
        return False
    shutil.rmtree(aside, ignore_errors=True)
    return True


def _flush(fh):
    # Written to disk before the rename, so a crash cannot leave a complete
    # name over incomplete files.
    fh.flush()
    os.fsync(fh.fileno())


def _damaged(name, problem):
    return (
        f"The registered source {name!r} in {registered_root() / name} is damaged: "
        f"{problem}. Remove it with unregister_source({name!r}) and register it again."
    )
