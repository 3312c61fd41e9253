"""Embedding sources, named by plain values.

A source is given to an estimator as a plain value, so that ``clone``,
``GridSearchCV`` and ``joblib`` never copy a matrix:

- a registered name: ``"glove-6b-50d"`` (the default; see :func:`available_sources`);
- a trained name: ``"random"`` / ``"random-300"`` (seeded random vectors) or
  ``"word2vec"`` / ``"word2vec-100"`` (trained during ``fit`` on the fitted texts);
- a path to a vector file, its format detected from its first bytes or given
  as a prefix: ``"glove:vectors.txt"``, ``"word2vec:vectors.txt"``,
  ``"word2vec-binary:vectors.bin"``, ``"fasttext:cc.en.300.bin"``,
  ``"gensim:vectors.kv"`` (gensim files are memory-mapped);
- a gensim ``KeyedVectors`` object (copied by ``clone``; prefer a path for large ones).

Loaded sources live in a process-wide cache, so naming a source again is free.
"""

import os
import re
import threading

from ._readers import FORMATS, VectorFileError, detect_format, read_vectors
from ._registry import REGISTRY, TRAINED
from ._trained import TRAINERS
from ._vectors import Vectors

__all__ = [
    "Vectors", "VectorFileError", "available_sources", "load_source", "resolve_source",
    "is_trained_source", "clear_cache",
]

DEFAULT_SOURCE = "glove-6b-50d"
_TRAINED_NAME = re.compile(r"^(random|word2vec)(?:-(\d+))?$")
_DEFAULT_TRAINED_DIM = 50

_cache = {}
_cache_lock = threading.Lock()


def available_sources():
    """Names accepted as ``source=``, with a one-line description each.

    Examples
    --------
    >>> sorted(available_sources())
    ['glove-6b-50d', 'random', 'word2vec']
    """
    names = {name: description for name, (_, description) in REGISTRY.items()}
    names.update(TRAINED)
    return names


def clear_cache():
    """Forget every loaded source (the next use loads it again)."""
    with _cache_lock:
        _cache.clear()


def is_trained_source(source):
    """Whether ``source`` is learned during ``fit`` (``"random"``, ``"word2vec-100"``, ...)."""
    return isinstance(source, str) and _TRAINED_NAME.match(source) is not None


def _describe_choices():
    return (
        f"a registered name ({', '.join(repr(n) for n in REGISTRY)}), "
        f"a trained name ({', '.join(repr(n) for n in TRAINED)}, optionally with a "
        "dimension such as 'random-300'), a path to a vector file (optionally prefixed "
        f"by its format: {', '.join(f + ':' for f in FORMATS)}), or a gensim KeyedVectors"
    )


def load_source(source):
    """Return the :class:`Vectors` of a registered name, a path or a KeyedVectors.

    Registered names and paths are cached for the life of the process: a
    second call returns the same object at no cost.  A path's cache entry is
    renewed when the file's size or modification time changes.

    Examples
    --------
    >>> vectors = load_source("glove-6b-50d")
    >>> vectors.vector_size, len(vectors), vectors.index_to_key[0]
    (50, 400000, 'the')
    """
    if isinstance(source, Vectors):
        return source
    if hasattr(source, "key_to_index") and hasattr(source, "vectors"):
        return Vectors.from_keyed_vectors(source, name=f"<{type(source).__name__}>")
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if not isinstance(source, str):
        raise TypeError(
            f"source must be {_describe_choices()}; got {type(source).__name__} {source!r}."
        )
    if is_trained_source(source):
        raise ValueError(
            f"The source {source!r} is trained on the texts an estimator is fitted on; "
            "give it as an estimator's source= instead of loading it directly."
        )
    if source in REGISTRY:
        key = (source,)
        loader = REGISTRY[source][0]
    else:
        fmt, path = _split_format(source)
        if not os.path.exists(path):
            if os.sep in path or "." in os.path.basename(path) or fmt:
                raise FileNotFoundError(
                    f"Embedding source {source!r}: no file at {os.path.abspath(path)!r}."
                )
            raise ValueError(
                f"Unknown embedding source {source!r}. Available names: "
                f"{', '.join(repr(n) for n in available_sources())}; or "
                f"{_describe_choices()}."
            )
        stat = os.stat(path)
        fmt = fmt or detect_format(path)
        key = (fmt, os.path.realpath(path), stat.st_size, stat.st_mtime_ns)

        def loader(path=path, fmt=fmt):
            return read_vectors(path, fmt, name=source)

    with _cache_lock:
        if key in _cache:
            return _cache[key]
    vectors = loader()
    with _cache_lock:
        return _cache.setdefault(key, vectors)


def _split_format(source):
    prefix, sep, rest = source.partition(":")
    if sep and prefix in FORMATS:
        return prefix, rest
    return None, source


def resolve_source(source, token_lists=None, random_state=None):
    """Return the :class:`Vectors` for ``source``, training it if it is a trained name.

    Parameters
    ----------
    source : str, path, KeyedVectors or Vectors
    token_lists : callable returning list of list of str, default=None
        Called only for trained sources: the tokens of the fitted texts.
    random_state : int, RandomState instance or None
        Seed of trained sources.
    """
    if is_trained_source(source):
        kind, dim = _TRAINED_NAME.match(source).groups()
        dim = int(dim) if dim else _DEFAULT_TRAINED_DIM
        if dim < 1:
            raise ValueError(f"source={source!r}: the dimension must be at least 1.")
        if token_lists is None:
            raise ValueError(f"The source {source!r} needs the fitted texts to train on.")
        return TRAINERS[kind](source, token_lists(), dim, random_state)
    return load_source(source)
