"""Finding a source's vectors: the process cache, paths and formats, trained names."""

import os
import re

from .._cache import ProcessCache
from ._readers import FORMATS, detect_format, read_vectors
from ._registry import PRETRAINED, SOURCES, TRAINED
from ._vectors import Vectors

DEFAULT_SOURCE = "glove-6b-50d"
_TRAINED_NAME = re.compile(rf"^({'|'.join(map(re.escape, TRAINED))})(?:-(\d+))?$")
_DEFAULT_TRAINED_DIM = 50

_cache = ProcessCache("embedding sources")


def available_sources():
    """Names accepted as ``source=``, with a one-line description each.

    Examples
    --------
    >>> from sklearn_embed.sources import available_sources
    >>> sorted(available_sources())
    ['glove-6b-50d', 'random', 'word2vec']
    """
    return {name: spec.description for name, spec in SOURCES.items()}


def clear_cache():
    """Forget every loaded source (the next use loads it again)."""
    _cache.clear()


def is_trained_source(source):
    """Whether ``source`` is learned during ``fit`` (``"random"``, ``"word2vec-100"``, ...).

    Examples
    --------
    >>> from sklearn_embed.sources import is_trained_source
    >>> is_trained_source("word2vec-100"), is_trained_source("glove-6b-50d")
    (True, False)
    """
    return isinstance(source, str) and _TRAINED_NAME.match(source) is not None


def _describe_choices():
    return (
        f"a registered name ({', '.join(repr(n) for n in PRETRAINED)}), "
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
    >>> from sklearn_embed.sources import load_source
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
    if source in PRETRAINED:
        return _cache.get((source,), SOURCES[source].load)
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
    return _cache.get(key, lambda: read_vectors(path, fmt, name=source))


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
        return SOURCES[kind].train(source, token_lists(), dim, random_state)
    return load_source(source)
