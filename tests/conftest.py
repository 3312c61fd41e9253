"""Shared fixtures: a tiny corpus, a tiny vector file, a fixed seed, the data folder."""

import os
from pathlib import Path

import numpy as np
import pytest

from sklearn_embed.utils import estimator_checks

# Eight short documents, two classes, every word of the vector file below: the
# corpus of the package's public check suite.
CORPUS = list(estimator_checks.CORPUS)
LABELS = ["pos"] * 4 + ["neg"] * 4

TINY_WORDS = ["a", "great", "movie", "with", "cast", "what", "wonderful", "and", "moving",
              "film", "loved", "this", "acting", "truly", "story", "dull", "boring", "hated",
              "terrible", "the", "worst"]


@pytest.fixture
def corpus():
    return list(CORPUS), list(LABELS)


@pytest.fixture
def seed():
    return 0


@pytest.fixture
def tiny_vectors_file(tmp_path):
    """A GloVe-format text file (no header) with 8-dimensional vectors."""
    rng = np.random.default_rng(0)
    path = tmp_path / "tiny_glove.txt"
    lines = [w + " " + " ".join(f"{x:.5f}" for x in rng.standard_normal(8)) for w in TINY_WORDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pang_lee():
    """gensim's 200 labelled movie-review sentences (`__label__pos text`, cp1252)."""
    from gensim.test.utils import datapath

    texts, labels = [], []
    with open(datapath("pang_lee_polarity.cor"), encoding="cp1252") as fh:
        for line in fh:
            label, _, text = line.strip().partition(" ")
            texts.append(text)
            labels.append(label.replace("__label__", ""))
    return texts, labels


# The real datasets of this project live beside the repository, in ../shared/data.
# The package does not know that (an installed copy must not know the layout of
# the machine it was developed on): the tests point SKLEARN_EMBED_DATA there
# unless the caller already set it, as CI does.
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if not os.environ.get("SKLEARN_EMBED_DATA") and _SHARED_DATA.is_dir():
    os.environ["SKLEARN_EMBED_DATA"] = str(_SHARED_DATA)


def data_dir():
    """The folder with the real datasets: $SKLEARN_EMBED_DATA (see above)."""
    from sklearn_embed.datasets import get_data_home

    return Path(get_data_home())


def require_data(name):
    path = data_dir() / name
    if not path.exists():
        pytest.skip(f"real dataset {name} not found in {path.parent} (set SKLEARN_EMBED_DATA)")
    return path


@pytest.fixture(autouse=True)
def _few_threads():
    # Two cores: one torch thread per test process avoids oversubscription, which
    # made small LSTM fits 3-5x slower when anything else ran beside them.
    try:
        import torch
    except ImportError:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(min(previous, int(os.environ.get("SKLEARN_EMBED_TEST_THREADS", 1))))
    yield
    torch.set_num_threads(previous)
