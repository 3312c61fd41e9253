"""Naming an in-memory KeyedVectors once, so estimators carry only the name."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_embed import EmbeddingVectorizer, SourceMismatchError
from sklearn_embed.sources import (
    Vectors,
    _registry,
    available_sources,
    clear_cache,
    load_source,
    register_source,
)
from tests.conftest import CORPUS, LABELS, TINY_WORDS


@pytest.fixture(autouse=True)
def _forget_registered_sources():
    # Registration lasts for the process; other tests (and the doctests that
    # list the sources) must not see the names registered here.
    before = dict(_registry.REGISTERED)
    yield
    _registry.REGISTERED.clear()
    _registry.REGISTERED.update(before)
    clear_cache()


def _tiny_kv(seed=0):
    kv = KeyedVectors(vector_size=8)
    rng = np.random.default_rng(seed)
    kv.add_vectors(TINY_WORDS, rng.standard_normal((len(TINY_WORDS), 8)).astype(np.float32))
    return kv


def test_a_registered_name_loads_the_vectors():
    kv = _tiny_kv()
    register_source("tiny-kv", kv, description="eight dimensions, the test corpus")
    vectors = load_source("tiny-kv")
    assert isinstance(vectors, Vectors) and vectors.index_to_key == TINY_WORDS
    assert vectors.vectors is kv.vectors  # no copy
    assert load_source("tiny-kv") is vectors
    assert available_sources()["tiny-kv"] == "eight dimensions, the test corpus"


def test_a_vectors_object_can_be_registered_with_a_default_description():
    vectors = Vectors(np.eye(2, dtype=np.float32), ["a", "b"], "two")
    register_source("two-words", vectors)
    assert load_source("two-words") is vectors
    assert "2 words" in available_sources()["two-words"]


def test_clone_copies_the_name_and_a_fitted_pipeline_pickles_small():
    register_source("tiny-kv", _tiny_kv())
    vectorizer = EmbeddingVectorizer(source="tiny-kv")
    assert clone(vectorizer).source == "tiny-kv"
    pipeline = make_pipeline(vectorizer, LogisticRegression()).fit(CORPUS, LABELS)
    saved = pickle.dumps(pipeline)
    assert len(saved) < 10_000
    np.testing.assert_array_equal(pickle.loads(saved).predict_proba(CORPUS),
                                  pipeline.predict_proba(CORPUS))


def test_registering_again_is_allowed_only_for_the_same_object():
    kv = _tiny_kv()
    register_source("tiny-kv", kv)
    register_source("tiny-kv", kv)
    with pytest.raises(ValueError, match="'tiny-kv' is already registered with other vectors"):
        register_source("tiny-kv", _tiny_kv(seed=1))


@pytest.mark.parametrize("name", ["glove-6b-50d", "random", "word2vec", "random-300",
                                  "word2vec-12"])
def test_built_in_names_cannot_be_registered(name):
    with pytest.raises(ValueError, match=f"'{name}' is a built-in source"):
        register_source(name, _tiny_kv())


@pytest.mark.parametrize("name", ["", "my/vectors", "glove:x", "x.kv", 42])
def test_a_registered_name_must_be_plain(name):
    with pytest.raises(ValueError, match=r"name must be a plain name \(letters, digits, '_' "
                                         r"and '-'\)"):
        register_source(name, _tiny_kv())


def test_only_vectors_can_be_registered():
    with pytest.raises(TypeError, match=r"vectors must be a gensim KeyedVectors or a "
                                        r"sklearn_embed Vectors; got ndarray"):
        register_source("matrix", np.eye(2))


def test_unknown_name_says_to_register_it():
    with pytest.raises(ValueError, match=r"Unknown embedding source 'not-registered'.*"
                                         r"register_source\('not-registered', \.\.\.\)"):
        load_source("not-registered")


_UNPICKLE_ELSEWHERE = """
import pickle, sys
from sklearn_embed import SourceMismatchError
pipeline = pickle.load(open(sys.argv[1], "rb"))
try:
    pipeline.predict(["a great movie"])
except SourceMismatchError as exc:
    print(exc)
"""


def test_a_name_unregistered_in_another_process_is_a_source_mismatch(tmp_path):
    register_source("tiny-kv", _tiny_kv())
    pipeline = make_pipeline(EmbeddingVectorizer(source="tiny-kv"), LogisticRegression())
    path = tmp_path / "pipeline.pkl"
    path.write_bytes(pickle.dumps(pipeline.fit(CORPUS, LABELS)))
    result = subprocess.run([sys.executable, "-c", _UNPICKLE_ELSEWHERE, str(path)],
                            capture_output=True, text=True, check=True)
    assert "needs the embedding source 'tiny-kv'" in result.stdout
    assert "call register_source('tiny-kv', ...)" in result.stdout
    # And the same error, checked in this process once the name is forgotten.
    _registry.REGISTERED.pop("tiny-kv")
    clear_cache()
    with pytest.raises(SourceMismatchError, match=r"register_source\('tiny-kv', \.\.\.\)"):
        pickle.loads(path.read_bytes()).predict(["a great movie"])
