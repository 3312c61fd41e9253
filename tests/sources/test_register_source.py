"""Naming an in-memory KeyedVectors once, so estimators carry only the name."""

import os
import pickle
import re
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_embed import EmbeddingVectorizer, SourceMismatchError
from sklearn_embed.sources import (
    Vectors,
    available_sources,
    load_source,
    register_source,
    unregister_source,
)
from tests.conftest import CORPUS, LABELS, TINY_WORDS
from tests.sources.conftest import tiny_kv


def test_a_registered_name_loads_the_vectors():
    kv = tiny_kv()
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
    register_source("tiny-kv", tiny_kv())
    vectorizer = EmbeddingVectorizer(source="tiny-kv")
    assert clone(vectorizer).source == "tiny-kv"
    pipeline = make_pipeline(vectorizer, LogisticRegression()).fit(CORPUS, LABELS)
    saved = pickle.dumps(pipeline)
    assert len(saved) < 10_000
    np.testing.assert_array_equal(pickle.loads(saved).predict_proba(CORPUS),
                                  pipeline.predict_proba(CORPUS))


def test_registering_again_is_allowed_only_for_the_same_object():
    kv = tiny_kv()
    register_source("tiny-kv", kv)
    register_source("tiny-kv", kv)
    with pytest.raises(ValueError, match=r"'tiny-kv' is already registered with other vectors "
                                         r"\(.*\); register these under another name, or "
                                         r"pass overwrite=True"):
        register_source("tiny-kv", tiny_kv(seed=1))


@pytest.mark.parametrize("persist", [True, False])
def test_overwrite_replaces_the_vectors(persist):
    register_source("tiny-kv", tiny_kv(), persist=persist)
    first = load_source("tiny-kv")
    other = tiny_kv(seed=1)
    register_source("tiny-kv", other, persist=persist, overwrite=True)
    assert load_source("tiny-kv").vectors is other.vectors
    assert load_source("tiny-kv").fingerprint != first.fingerprint


@pytest.mark.parametrize("name", ["glove-6b-50d", "random", "word2vec", "random-300",
                                  "word2vec-12"])
def test_built_in_names_cannot_be_registered_or_unregistered(name):
    with pytest.raises(ValueError, match=f"register_source: '{name}' is a built-in source; "
                                         "register the vectors under another name"):
        register_source(name, tiny_kv())
    with pytest.raises(ValueError, match=f"unregister_source: '{name}' is a built-in source; "
                                         "only names given to register_source"):
        unregister_source(name)


@pytest.mark.parametrize("name", ["", "my/vectors", "glove:x", ".hidden", "..", "a b",
                                  "caf\u00e9", "x" * 101, "a\\b", 42])
def test_a_registered_name_must_be_plain(name):
    message = (r"name must be a plain name \(ASCII letters, digits, '-', '_' and '\.', not "
               r"starting with '\.', at most 100 characters\), because it names a folder")
    with pytest.raises(ValueError, match="register_source: " + message):
        register_source(name, tiny_kv())
    with pytest.raises(ValueError, match="unregister_source: " + message):
        unregister_source(name)


@pytest.mark.parametrize("name", ["glove.840B.300d", "my_vectors-2", "-x", "x" * 100])
def test_dots_dashes_and_underscores_are_plain(name):
    register_source(name, tiny_kv())
    assert load_source(name).index_to_key == TINY_WORDS


def test_only_vectors_can_be_registered():
    with pytest.raises(TypeError, match=r"vectors must be a gensim KeyedVectors or a "
                                        r"sklearn_embed Vectors; got ndarray"):
        register_source("matrix", np.eye(2))


def test_unknown_name_says_to_register_it_and_where_it_looked(cache_folder):
    with pytest.raises(ValueError, match=r"Unknown embedding source 'not-registered': no source "
                                         r"is registered under that name in this process or in "
                                         rf"the cache folder {re.escape(str(cache_folder))}.*"
                                         r"register_source\('not-registered', \.\.\.\)"):
        load_source("not-registered")
    with pytest.raises(FileNotFoundError, match=r"no file at .*missing\.txt', and no source "
                                                r"is registered under that name"):
        load_source("missing.txt")


_UNPICKLE_ELSEWHERE = """
import pickle, sys
from sklearn_embed import SourceMismatchError
pipeline = pickle.load(open(sys.argv[1], "rb"))
try:
    pipeline.predict(["a great movie"])
except SourceMismatchError as exc:
    print(exc)
"""


def test_persist_false_keeps_the_name_in_this_process(tmp_path, cache_folder):
    register_source("tiny-kv", tiny_kv(), persist=False)
    assert not cache_folder.exists()
    pipeline = make_pipeline(EmbeddingVectorizer(source="tiny-kv"), LogisticRegression())
    path = tmp_path / "pipeline.pkl"
    path.write_bytes(pickle.dumps(pipeline.fit(CORPUS, LABELS)))
    result = subprocess.run([sys.executable, "-c", _UNPICKLE_ELSEWHERE, str(path)],
                            capture_output=True, text=True, check=True, env=dict(os.environ))
    assert "needs the embedding source 'tiny-kv'" in result.stdout
    assert "call register_source('tiny-kv', ...)" in result.stdout
    assert str(cache_folder) in result.stdout
    # And the same error, checked in this process once the name is forgotten.
    unregister_source("tiny-kv")
    with pytest.raises(SourceMismatchError, match=r"register_source\('tiny-kv', \.\.\.\)"):
        pickle.loads(path.read_bytes()).predict(["a great movie"])
