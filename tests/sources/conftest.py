import numpy as np
import pytest
from gensim.models import KeyedVectors

from sklearn_embed.sources import _registry, clear_cache
from tests.conftest import TINY_WORDS


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    """Where register_source saves vectors: this test's own folder, never the real
    ~/.cache (subprocesses started with os.environ inherit it)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SKLEARN_EMBED_CACHE", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _forget_registered_sources():
    # Registration lasts for the process; other tests (and the doctests that
    # list the sources) must not see the names registered here.
    before = dict(_registry.REGISTERED)
    yield
    _registry.REGISTERED.clear()
    _registry.REGISTERED.update(before)
    clear_cache()


def tiny_kv(seed=0):
    """A KeyedVectors of 8 dimensions holding every word of the test corpus."""
    kv = KeyedVectors(vector_size=8)
    rng = np.random.default_rng(seed)
    kv.add_vectors(TINY_WORDS, rng.standard_normal((len(TINY_WORDS), 8)).astype(np.float32))
    return kv
