"""Finding a source's vectors: the process cache, paths and formats, trained names."""

import os
import re

from .._cache import ProcessCache
from ._readers import FORMATS, detect_format, read_vectors
from ._registry import REGISTERED, SOURCES, TRAINED, SourceSpec, named_sources
from ._vectors import Vectors

DEFAULT_SOURCE = "glove-6b-50d"
_TRAINED_NAME = re.compile(rf"^({'|'.join(map(re.escape, TRAINED))})(?:-(\d+))?$")
_DEFAULT_TRAINED_DIM = 50
# Registered names never contain '/', ':' or '.', so none is taken for a path.
_PLAIN_NAME = re.compile(r"\w[\w-]*")

_cache = ProcessCache("embedding sources")


def available_sources():
    """Names accepted as ``source=``, with a one-line description each.

    Examples
    --------
    >>> from sklearn_embed.sources import available_sources
    >>> sorted(available_sources())
    ['glove-6b-50d', 'random', 'word2vec']
    """
    return {name: spec.description for name, spec in named_sources().items()}


def register_source(name, vectors, *, description=None):
    """Name in-memory vectors, so that estimators take them as ``source=name``.

    An estimator given a ``KeyedVectors`` object copies it at every ``clone``
    and pickles it with every saved pipeline; given a registered name, it
    carries only that string.  The name lasts for this process: a pipeline
    unpickled in another process (or fitted in a parallel worker such as
    ``GridSearchCV(n_jobs=2)``'s) finds it only if that process registers it
    too, and raises :class:`~sklearn_embed.SourceMismatchError` otherwise.
    To share vectors between processes, save them to a ``.kv`` file and give
    its path instead.

    Parameters
    ----------
    name : str
        A plain name (letters, digits, ``_`` and ``-``) that is not a built-in
        source.  Registering a name again is allowed only with the same object.
    vectors : gensim KeyedVectors or Vectors
        The vectors, used as they are (not copied).
    description : str, default=None
        Listed by :func:`available_sources`; by default, the vectors' shape.

    Raises
    ------
    ValueError
        When ``name`` is not plain, is a built-in source, or is already
        registered with other vectors.
    TypeError
        When ``vectors`` is neither a ``KeyedVectors`` nor a ``Vectors``.

    Examples
    --------
    >>> from gensim.models import KeyedVectors
    >>> from sklearn_embed import EmbeddingVectorizer
    >>> from sklearn_embed.sources import available_sources, register_source
    >>> kv = KeyedVectors(vector_size=2)
    >>> kv.add_vectors(["a", "b"], [[1, 0], [0, 1]])
    >>> register_source("doctest-two-words", kv)
    >>> available_sources()["doctest-two-words"]
    'registered in this process: 2 words × 2'
    >>> EmbeddingVectorizer(source="doctest-two-words", token_pattern=r"\\w+").fit_transform(
    ...     ["a b", "b b"])
    array([[0.5, 0.5],
           [0. , 1. ]], dtype=float32)
    """
    if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name):
        raise ValueError(
            "register_source: name must be a plain name (letters, digits, '_' and '-'), "
            f"so that it is never taken for a path; got {name!r}."
        )
    if name in SOURCES or is_trained_source(name):
        raise ValueError(
            f"register_source: {name!r} is a built-in source; register the vectors "
            "under another name."
        )
    if not (isinstance(vectors, Vectors)
            or (hasattr(vectors, "key_to_index") and hasattr(vectors, "vectors"))):
        raise TypeError(
            "register_source: vectors must be a gensim KeyedVectors or a sklearn_embed "
            f"Vectors; got {type(vectors).__name__}."
        )
    existing = REGISTERED.get(name)
    if existing is not None:
        if existing.registered is vectors:
            return
        raise ValueError(
            f"register_source: {name!r} is already registered with other vectors "
            f"({existing.description}); register these under another name."
        )
    wrapped = (vectors if isinstance(vectors, Vectors)
               else Vectors.from_keyed_vectors(vectors, name))
    if description is None:
        description = (f"registered in this process: {len(wrapped)} words × "
                       f"{wrapped.vector_size}")
    REGISTERED[name] = SourceSpec(description, load=lambda: wrapped, registered=vectors)


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
    pretrained = [name for name, spec in named_sources().items() if not spec.trained]
    return (
        f"a registered name ({', '.join(repr(n) for n in pretrained)}), "
        f"a trained name ({', '.join(repr(n) for n in TRAINED)}, optionally with a "
        "dimension such as 'random-300'), a path to a vector file (optionally prefixed "
        f"by its format: {', '.join(f + ':' for f in FORMATS)}), or a gensim KeyedVectors"
    )


def load_source(source):
    """Return the :class:`Vectors` of a registered name, a path or a KeyedVectors.

    Registered names and paths are cached for the life of the process: a
    second call returns the same object at no cost.  A path's cache entry is
    renewed when the file's size or modification time changes.

    A gensim file (``gensim:PATH``, or a name ending in ``.kv`` or ``.model``)
    is a pickle, and loading a pickle runs the code it contains: load only
    gensim files you trust.  A pickle under any other name is refused
    (:class:`~sklearn_embed.VectorFileError`), never unpickled.

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
    spec = named_sources().get(source)
    if spec is not None:
        return _cache.get((source,), spec.load)
    fmt, path = _split_format(source)
    if not os.path.exists(path):
        if os.sep in path or "." in os.path.basename(path) or fmt:
            raise FileNotFoundError(
                f"Embedding source {source!r}: no file at {os.path.abspath(path)!r}."
            )
        raise ValueError(
            f"Unknown embedding source {source!r}. Available names: "
            f"{', '.join(repr(n) for n in available_sources())}; or "
            f"{_describe_choices()}. If {source!r} names in-memory vectors registered "
            f"in another process, call register_source({source!r}, ...) in this one first."
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
