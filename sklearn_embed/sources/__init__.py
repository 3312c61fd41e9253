"""Embedding sources, named by plain values.

A source is given to an estimator as a plain value, so that ``clone``,
``GridSearchCV`` and ``joblib`` never copy a matrix:

- a registered name: ``"glove-6b-50d"`` (the default; see :func:`available_sources`);
- a trained name: ``"random"`` / ``"random-300"`` (seeded random vectors) or
  ``"word2vec"`` / ``"word2vec-100"`` (trained during ``fit`` on the fitted texts);
- an :class:`AdaptedSource`: pretrained vectors (GloVe by default) trained
  further during ``fit`` on the fitted texts and an unlabelled corpus of yours;
- a path to a vector file, its format detected from its first bytes or given
  as a prefix: ``"glove:vectors.txt"``, ``"word2vec:vectors.txt"``,
  ``"word2vec-binary:vectors.bin"``, ``"fasttext:cc.en.300.bin"``,
  ``"gensim:vectors.kv"`` (gensim files are memory-mapped);
- a name given to in-memory vectors with :func:`register_source`, which also
  saves them in the per-user cache folder (``$SKLEARN_EMBED_CACHE``, else
  ``~/.cache/sklearn_embed``) so that parallel workers and later processes
  memory-map them by name (:func:`unregister_source` removes them);
- a gensim ``KeyedVectors`` object (copied by ``clone``; prefer a registered
  name or a path for large ones).

gensim's own files (``KeyedVectors.save``) are pickles, and loading a pickle
runs the code it contains: **load only gensim files you trust**.  They are read
only when named as such, by the ``gensim:`` prefix or a name ending in ``.kv``
or ``.model``; the first bytes never choose that format, and a pickle under any
other name is refused with a :class:`VectorFileError`.  Values that are not
finite numbers (NaN, infinities) are refused in every format.

Loaded sources live in a process-wide cache, so naming a source again is free.
The named and trained sources are listed in one table, ``_registry.SOURCES``.
"""

from ..exceptions import VectorFileError
from ._adapted import AdaptedSource
from ._loading import (
    DEFAULT_SOURCE,
    available_sources,
    clear_cache,
    is_trained_source,
    load_source,
    register_source,
    resolve_source,
    unregister_source,
)
from ._readers import FORMATS, detect_format, read_vectors
from ._vectors import Vectors

__all__ = [
    "AdaptedSource",
    "DEFAULT_SOURCE",
    "FORMATS",
    "VectorFileError",
    "Vectors",
    "available_sources",
    "clear_cache",
    "detect_format",
    "is_trained_source",
    "load_source",
    "read_vectors",
    "register_source",
    "resolve_source",
    "unregister_source",
]
