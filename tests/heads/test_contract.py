"""The indexer -> head hand-off, and the heads as full scikit-learn citizens."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn import config_context
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.fixes import parse_version
from skorch.callbacks import Callback, EpochScoring

from sklearn_embed import (
    BagOfEmbeddingsClassifier,
    BagOfEmbeddingsRegressor,
    CNNClassifier,
    CNNRegressor,
    IndexedSequences,
    LSTMClassifier,
    LSTMRegressor,
    NBFeatureWeighter,
    SequenceIndexer,
    TextCleaner,
)
from tests.conftest import CORPUS, LABELS

DOCS = CORPUS * 4
Y = LABELS * 4


def _head(**params):
    return CNNClassifier(**{"num_filters": 3, "max_epochs": 1, "train_split": None,
                            "random_state": 0, **params})


def _initial_embedding_is_the_indexers(pipe):
    head, indexer = pipe[-1], pipe.named_steps["index"]
    assert head.pretrained_embedding_
    np.testing.assert_array_equal(
        head.module_.embedding.weight.detach().numpy(), indexer.embedding_matrix_)


# -- 1. the hand-off is explicit and never lost silently ---------------------


def test_memory_cache_hit_still_hands_over_the_matrix(tmp_path):
    def pipe():
        return Pipeline([("clean", TextCleaner()), ("index", SequenceIndexer(maxlen=12)),
                         ("head", _head(max_epochs=0))], memory=str(tmp_path))
    pipe().fit(DOCS, Y)
    second = pipe().fit(DOCS, Y)  # the indexer's output comes from the cache
    _initial_embedding_is_the_indexers(second)


def test_column_transformer_stops_with_the_cause_and_the_fix():
    frame = pd.DataFrame({"text": DOCS})
    pipe = make_pipeline(ColumnTransformer([("ids", SequenceIndexer(maxlen=12), "text")]),
                         _head())
    with pytest.raises(ValueError, match=r"plain ndarray: .*ColumnTransformer.*"
                                         r"pretrained=False to learn the embedding"):
        pipe.fit(frame, Y)
    # Asking for an embedding learned from scratch is the explicit way through.
    pipe.set_params(cnnclassifier__pretrained=False).fit(frame, Y)
    assert not pipe[-1].pretrained_embedding_


@pytest.mark.parametrize("output", ["pandas", "polars"])
def test_global_dataframe_output_keeps_the_matrix(output):
    if output == "polars":
        pytest.importorskip("polars")
    pipe = Pipeline([("clean", TextCleaner()), ("index", SequenceIndexer(maxlen=12)),
                     ("head", _head(max_epochs=0))])
    with config_context(transform_output=output):
        pipe.fit(DOCS, Y)
    _initial_embedding_is_the_indexers(pipe)


def test_set_output_on_the_indexer_is_refused():
    with pytest.raises(ValueError, match=r"SequenceIndexer cannot give 'pandas' output.*"
                                         r"would drop it"):
        SequenceIndexer().set_output(transform="pandas")
    pipe = make_pipeline(SequenceIndexer(maxlen=12), _head())
    with pytest.raises(ValueError, match="cannot give 'polars' output"):
        pipe.set_output(transform="polars")
    assert SequenceIndexer().set_output(transform="default").get_params()["maxlen"] == 200


def test_a_dataframe_of_ids_names_pandas_output():
    ids = pd.DataFrame(SequenceIndexer(maxlen=12).fit_transform(DOCS))
    with pytest.raises(ValueError, match="plain DataFrame: pandas output"):
        _head().fit(ids, Y)


def test_an_indexer_without_source_needs_pretrained_false():
    X = SequenceIndexer(source=None, maxlen=12).fit_transform(DOCS)
    with pytest.raises(ValueError, match=r"source=None.*Give the SequenceIndexer a source"):
        _head().fit(X, Y)
    assert not _head(pretrained=False).fit(X, Y).pretrained_embedding_


def test_pretrained_false_learns_from_scratch_even_with_a_matrix():
    X = SequenceIndexer(maxlen=12).fit_transform(DOCS)
    head = _head(pretrained=False, embedding_dim=7).fit(X, Y)
    assert not head.pretrained_embedding_ and head.num_embeddings_ == X.vocab_size
    assert head.module_.embedding.weight.shape == (X.vocab_size, 7)


def test_pickled_indexed_sequences_keep_their_matrix():
    import pickle

    X = SequenceIndexer(maxlen=12).fit_transform(DOCS)
    restored = pickle.loads(pickle.dumps(X))
    assert isinstance(restored, IndexedSequences) and restored.vocab_size == X.vocab_size
    np.testing.assert_array_equal(restored.embedding_matrix, X.embedding_matrix)


# -- 2. sample_weight, labels, class_weight -----------------------------------


def _ids(n=60, seed=0):
    rng = np.random.RandomState(seed)
    matrix = rng.normal(size=(30, 8)).astype(np.float32)
    return IndexedSequences(rng.randint(2, 30, size=(n, 10)), matrix), np.arange(n) % 2


def test_sample_weight_scales_each_samples_loss():
    X, y = _ids()
    fits = [CNNClassifier(num_filters=3, max_epochs=2, random_state=0).fit(X, y, **kw)
            for kw in ({}, {"sample_weight": np.full(len(y), 3.0)},
                       {"sample_weight": np.linspace(0.1, 2, len(y))})]
    losses = [fit.history[:, "valid_loss"] for fit in fits]
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)  # a weighted mean
    assert not np.allclose(losses[0], losses[2])


class _Datasets(Callback):
    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        self.train, self.valid = dataset_train, dataset_valid


def test_sample_weight_follows_each_sample_into_the_validation_split():
    X, y = _ids()
    weights = np.arange(1, len(y) + 1, dtype=np.float64)  # weight i + 1 for sample i
    seen = _Datasets()
    CNNClassifier(num_filters=3, max_epochs=1, random_state=0,
                  callbacks=[("seen", seen)]).fit(X, y, sample_weight=weights)
    for part in (seen.train, seen.valid):
        rows = part.sample_weight.numpy().astype(int) - 1
        np.testing.assert_array_equal(part.X.numpy(), np.asarray(X)[rows])
        np.testing.assert_array_equal(part.y.numpy(), y[rows])
    assert len(seen.valid) == 6


def test_sample_weight_through_a_pipeline_and_metadata_routing():
    w = np.linspace(0.5, 1.5, len(Y))
    pipe = make_pipeline(SequenceIndexer(maxlen=12), _head())
    pipe.fit(DOCS, Y, cnnclassifier__sample_weight=w)
    with config_context(enable_metadata_routing=True):
        routed = make_pipeline(SequenceIndexer(maxlen=12),
                               _head().set_fit_request(sample_weight=True))
        routed.fit(DOCS, Y, sample_weight=w)
    np.testing.assert_allclose(routed.predict_proba(DOCS), pipe.predict_proba(DOCS))


@pytest.mark.parametrize("head", [LSTMRegressor(hidden_size=4), CNNRegressor(num_filters=3)])
def test_regressors_take_sample_weight(head):
    X, y = _ids()
    head.set_params(max_epochs=1, random_state=0)
    assert head.fit(X, y.astype(np.float32), sample_weight=np.ones(len(y))).predict(X).shape \
        == (len(y),)
    assert not hasattr(head, "predict_proba")


@pytest.mark.parametrize("weights, match", [
    (np.r_[-1.0, np.ones(59)], "finite and non-negative; position 0 is -1.0"),
    (np.r_[np.ones(59), np.nan], "position 59 is nan"),
    (np.zeros(60), "zero for every sample"),
    (np.ones(5), r"shape \(60,\)"),
    ((np.arange(60) % 2).astype(float), r"single class \(1\) with a positive weight"),
])
def test_bad_sample_weight(weights, match):
    X, y = _ids()
    with pytest.raises(ValueError, match=match):
        _head().fit(X, y, sample_weight=weights)


@pytest.mark.parametrize("labels, match", [
    ([None] + ["a", "b"] * 29 + ["a"], "missing label .* at position 0"),
    (["a", "b"] * 15 + [np.nan] + ["a"] * 29, "missing label .* at position 30"),
    (np.linspace(0, 1, 60), r"Unknown label type: 'continuous'.*use CNNRegressor"),
])
def test_bad_labels(labels, match):
    X, _ = _ids()
    with pytest.raises(ValueError, match=match):
        _head().fit(X, labels if isinstance(labels, np.ndarray) else np.array(labels, object))


@pytest.mark.parametrize("class_weight, match", [
    ({0: -1.0, 1: 1.0}, "finite, non-negative numbers; got 0: -1.0"),
    ({0: np.nan, 1: 1.0}, "got 0: nan"),
    ({0: np.inf, 1: 1.0}, "got 0: inf"),
    ({0: 0.0, 1: 0.0}, "weight of 0"),
])
def test_bad_class_weight(class_weight, match):
    X, y = _ids()
    with pytest.raises(ValueError, match=match):
        _head(class_weight=class_weight).fit(X, y)


@pytest.mark.parametrize("scoring", ["accuracy", "f1_macro"])
def test_string_labels_work_with_skorch_scoring(scoring):
    X, y = _ids()
    labels = np.array(["neg", "pos"])[y]
    head = CNNClassifier(num_filters=3, max_epochs=2, random_state=0,
                         callbacks=[("score", EpochScoring(scoring, name="score",
                                                           lower_is_better=False))])
    head.fit(X, labels)
    assert 0 <= head.history[-1, "score"] <= 1
    # the callback handed to the head is left as it was given
    assert head.callbacks[0][1].target_extractor.__name__ == "to_numpy"


def test_n_features_in_is_the_fitted_sequence_length():
    X, y = _ids()
    assert _head().fit(X, y).n_features_in_ == 10


def test_repr_and_params_hide_skorch_bookkeeping():
    params = _head().get_params()
    assert not [name for name in params if name.startswith("_")]


# -- scikit-learn's own common checks ------------------------------------------

_ANY_LENGTH = ("sequences of any length are accepted after fit (the heads are padding-"
               "invariant), so a different n_features is not an error")
_NOT_IDS = "the check feeds non-integer floats, which are not token ids"
_HEAD_XFAIL = {
    "check_no_attributes_set_in_init": "skorch's NeuralNet.__init__ sets history_, "
                                       "initialized_ and virtual_params_",
    "check_do_not_raise_errors_in_init_or_set_params": "skorch's set_params re-initialises "
                                                       "the callbacks it is given at once, "
                                                       "so callbacks=1 fails there",
    "check_n_features_in_after_fitting": _ANY_LENGTH,
    "check_estimators_partial_fit_n_features": _ANY_LENGTH,
    "check_classifiers_train": _ANY_LENGTH,
    "check_sample_weight_equivalence_on_dense_data": _NOT_IDS + "; and a net trained by "
                                                     "SGD is not exactly equivalent to "
                                                     "repeating samples",
    "check_dtype_object": _NOT_IDS,
    "check_classifiers_one_label_sample_weights": _NOT_IDS + " (test_bad_sample_weight "
                                                  "checks the message on ids)",
    "check_class_weight_classifiers": _NOT_IDS,
    "check_methods_subset_invariance": "float32 arithmetic: the outputs of a sample can "
                                       "differ by ~1e-7 with the batch it is computed in",
    "check_regressors_train": "two epochs of a small net on the check's random ids do "
                              "not reach the R² the check asks for",
}


def _expected_failures(estimator):
    if isinstance(estimator, NBFeatureWeighter):
        return {}
    failures = dict(_HEAD_XFAIL)
    if isinstance(estimator, (BagOfEmbeddingsClassifier, BagOfEmbeddingsRegressor)):
        # A batch is cut to its longest sequence, so reordering the samples changes
        # the width a mean is summed over, and float32 sums round differently.
        failures["check_methods_sample_order_invariance"] = (
            "float32 arithmetic: a mean summed over a batch's width can differ by ~1e-7 "
            "when the samples are reordered")
    if parse_version(sklearn.__version__) < parse_version("1.7"):
        failures["check_positive_only_tag_during_fit"] = (
            "scikit-learn 1.6's check subtracts a float mean in place from the integer ids "
            "that the categorical tag makes it build (a bug of the check)")
    return failures


_SMALL = {"max_epochs": 2, "random_state": 0, "train_split": None, "pretrained": False}


@parametrize_with_checks(
    [BagOfEmbeddingsClassifier(bigram_buckets=16, **_SMALL),
     BagOfEmbeddingsRegressor(bigram_buckets=16, **_SMALL),
     CNNClassifier(num_filters=4, **_SMALL), CNNRegressor(num_filters=4, **_SMALL),
     LSTMClassifier(hidden_size=4, **_SMALL), LSTMRegressor(hidden_size=4, **_SMALL),
     NBFeatureWeighter()],
    expected_failed_checks=_expected_failures,
)
def test_scikit_learn_common_checks(estimator, check):
    check(estimator)


# -- readable output, threads ---------------------------------------------------


def test_repr_shows_only_what_differs_from_the_defaults():
    assert repr(LSTMClassifier(max_epochs=5)) == "LSTMClassifier(max_epochs=5)"
    assert repr(CNNClassifier()) == "CNNClassifier()"
    shown = str(make_pipeline(SequenceIndexer(), CNNClassifier(freeze=False, lr=0.01)))
    head = shown[shown.index("CNNClassifier("):]
    assert head.startswith(("CNNClassifier(freeze=False, lr=0.01)",
                            "CNNClassifier(lr=0.01, freeze=False)"))
    assert "callbacks" not in shown and "classes" not in shown


class _Threads(Callback):
    def on_epoch_begin(self, net, **kwargs):
        import torch

        self.seen = torch.get_num_threads()


def test_n_threads_is_scoped_to_the_fit():
    import torch

    X, y = _ids()
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        seen = _Threads()
        _head(n_threads=1, callbacks=[("threads", seen)]).fit(X, y)
        assert seen.seen == 1 and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(previous)


def test_the_epoch_that_stops_training_is_printed(capsys):
    rng = np.random.RandomState(0)
    X = IndexedSequences(rng.randint(2, 30, size=(80, 10)),
                         rng.normal(size=(30, 8)).astype(np.float32))
    head = CNNClassifier(num_filters=3, max_epochs=30, random_state=0, verbose=1, lr=0.05)
    head.fit(X, rng.randint(0, 2, 80))
    stopped = len(head.history)
    assert stopped < 30
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert rows[-1] == str(stopped)
    assert out.index(f"\n{stopped:>7}") < out.index("Stopping since valid_acc")


def test_too_little_data_for_the_validation_split_names_train_split():
    X, y = _ids(n=8)
    with pytest.raises(ValueError, match=r"train_split=0.1 cannot hold out a validation set "
                                         r"from 8 sequences .*train_split=None"):
        CNNClassifier(num_filters=3, max_epochs=1).fit(X, y)
    assert CNNClassifier(num_filters=3, max_epochs=1, train_split=None).fit(X, y)
