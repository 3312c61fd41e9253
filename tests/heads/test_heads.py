"""Tests of the neural heads (sklearn_embed.heads) on tiny synthetic data, CPU only."""

import io
import pickle
import warnings

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

from sklearn_embed.heads import (
    CNNClassifier,
    CNNModule,
    CNNRegressor,
    EmbeddingFreezer,
    LSTMClassifier,
    LSTMRegressor,
    RNNModule,
)
from tests.heads._marker_data import DIM, VOCAB, make_data, repad

torch.set_num_threads(1)

HEADS = [LSTMClassifier, LSTMRegressor, CNNClassifier, CNNRegressor]
SMALL = {
    LSTMClassifier: {"hidden_size": 8},
    LSTMRegressor: {"hidden_size": 8},
    CNNClassifier: {"num_filters": 4},
    CNNRegressor: {"num_filters": 4},
}


X, Y = make_data()
LABELS = np.array(["neg", "pos"])[Y]


def quick(cls, **params):
    """A small head that trains for one epoch on everything, no early stopping."""
    defaults = {"max_epochs": 1, "train_split": None, "random_state": 0, **SMALL[cls]}
    return cls(**{**defaults, **params})


def embedding_weight(head):
    return head.module_.embedding.weight.detach().numpy()


# -- embedding pick-up and freezing ---------------------------------------


def test_embedding_matrix_from_indexed_sequences_is_used():
    head = quick(LSTMClassifier, max_epochs=0).fit(X, Y)
    np.testing.assert_array_equal(embedding_weight(head), X.embedding_matrix)
    assert head.num_embeddings_ == VOCAB and head.pretrained_embedding_
    assert "_embedding_weights_" not in vars(head)  # not pickled twice


def test_fine_tuning_does_not_write_into_the_source_matrix():
    source = X.embedding_matrix.copy()
    quick(CNNClassifier, freeze=False, lr=0.1).fit(X, Y)
    np.testing.assert_array_equal(X.embedding_matrix, source)


@pytest.mark.parametrize("cls", [LSTMClassifier, CNNClassifier])
def test_freeze_true_keeps_weights_and_counts_no_embedding_params(cls):
    head = quick(cls, freeze=True, max_epochs=2, lr=0.1).fit(X, Y)
    np.testing.assert_array_equal(embedding_weight(head), X.embedding_matrix)
    assert not head.module_.embedding.weight.requires_grad
    trainable = sum(p.numel() for p in head.module_.parameters() if p.requires_grad)
    total = sum(p.numel() for p in head.module_.parameters())
    assert trainable == total - VOCAB * DIM


def test_freeze_false_fine_tunes_but_keeps_padding_row():
    head = quick(LSTMClassifier, freeze=False, lr=0.1).fit(X, Y)
    weights = embedding_weight(head)
    assert not np.allclose(weights, X.embedding_matrix)
    np.testing.assert_array_equal(weights[0], 0.0)
    trainable = sum(p.numel() for p in head.module_.parameters() if p.requires_grad)
    assert trainable == sum(p.numel() for p in head.module_.parameters())


@pytest.mark.parametrize("epochs, changed", [(2, False), (3, True)])
def test_freeze_n_unfreezes_after_n_epochs(epochs, changed):
    head = quick(CNNClassifier, freeze=2, max_epochs=epochs, lr=0.1).fit(X, Y)
    assert np.allclose(embedding_weight(head), X.embedding_matrix) != changed
    assert head.module_.embedding.weight.requires_grad == changed


def test_embedding_learned_from_scratch_from_plain_ints():
    ids = np.asarray(X)
    head = quick(LSTMClassifier, embedding_dim=6, pretrained=False).fit(ids, Y)
    assert head.num_embeddings_ == ids.max() + 1 and not head.pretrained_embedding_
    assert head.module_.embedding.weight.shape == (ids.max() + 1, 6)
    assert head.module_.embedding.weight.requires_grad  # nothing pretrained to keep


def test_embedding_freezer_callback_on_its_own():
    module = RNNModule(num_embeddings=VOCAB)

    class Net:
        module_ = module
        history = [{}] * 3  # epoch 3 starting

    EmbeddingFreezer(epochs=3).on_epoch_begin(Net)
    assert not module.embedding.weight.requires_grad
    Net.history = [{}] * 4
    EmbeddingFreezer(epochs=3).on_epoch_begin(Net)
    assert module.embedding.weight.requires_grad


# -- padding is masked --------------------------------------------------------


PADDING_CASES = [
    (LSTMClassifier, {"pooling": pooling, "bidirectional": bidirectional})
    for pooling in ("last", "max", "mean")
    for bidirectional in (False, True)
] + [
    (LSTMClassifier, {"cell": "gru", "num_layers": 2}),
    (CNNClassifier, {"architecture": "kim"}),
    (CNNClassifier, {"architecture": "deep", "num_filters": 4}),
]


@pytest.mark.parametrize("cls, params", PADDING_CASES)
def test_padding_length_and_side_do_not_change_outputs(cls, params):
    ids = np.asarray(X)[:64]
    head = quick(cls, freeze=False, pretrained=False, **params).fit(
        repad(ids, 50, "post"), Y[:64])
    reference = head.predict_proba(repad(ids, 50, "post"))
    for maxlen, side in [(400, "post"), (50, "pre"), (400, "pre")]:
        proba = head.predict_proba(repad(ids, maxlen, side))
        np.testing.assert_allclose(proba, reference, atol=1e-5, err_msg=f"{maxlen} {side}")
    # Alone in its batch a row has no padding at all: masking, not batch
    # composition, is what makes the outputs agree.
    for i in range(8):
        alone = head.predict_proba(ids[i:i + 1, ids[i] != 0])
        np.testing.assert_allclose(alone[0], reference[i], atol=1e-5, err_msg=f"row {i}")


@pytest.mark.parametrize("module", [
    RNNModule(num_embeddings=VOCAB, pooling="last", bidirectional=True),
    RNNModule(num_embeddings=VOCAB, pooling="max"),
    RNNModule(num_embeddings=VOCAB, pooling="mean"),
    CNNModule(num_embeddings=VOCAB),
    CNNModule(num_embeddings=VOCAB, architecture="deep"),
])
def test_all_padding_rows_and_short_inputs_give_finite_outputs(module):
    out = module(torch.tensor([[0, 0, 0], [0, 7, 0], [2, 3, 4]]))
    assert out.shape == (3, 2) and torch.isfinite(out).all()


def test_kim_cnn_convolves_wide_as_kim():
    # Kim pads (widest kernel - 1) zero vectors on each side and keeps every
    # window that holds a real token: computed here by hand for one sentence.
    module = CNNModule(num_embeddings=VOCAB, embedding_dim=3, num_filters=2,
                       kernel_sizes=(2, 4), dropout=0.0).eval()
    tokens = torch.tensor([7, 9, 11])
    vectors = module.embedding(tokens)
    side = 3
    padded = torch.cat([torch.zeros(side, 3), vectors, torch.zeros(side, 3)])
    features = []
    for conv, size in zip(module.convs, (2, 4)):
        windows = [padded[j:j + size] for j in range(len(padded) - size + 1)
                   if j + size - 1 >= side and j < side + len(tokens)]
        outputs = torch.stack([conv(window.T[None])[0, :, 0] for window in windows])
        features.append(torch.relu(outputs.amax(dim=0)))
    expected = module.head(torch.cat(features)[None])
    for ids in ([[7, 9, 11]], [[7, 9, 11, 0, 0, 0]], [[0, 0, 7, 9, 11]]):
        torch.testing.assert_close(module(torch.tensor(ids)), expected)
    # 3 tokens, kernel 4: 6 windows hold a real token, where starting only on one gives 3.
    assert len(windows) == 6


# -- training behaviour -----------------------------------------------------


@pytest.mark.parametrize("cls", [LSTMClassifier, CNNClassifier])
def test_random_state_makes_fits_identical(cls):
    fits = [quick(cls, max_epochs=2, train_split=0.2, random_state=seed).fit(X, Y)
            for seed in (1, 1, 2)]
    probas = [fit.predict_proba(X) for fit in fits]
    np.testing.assert_array_equal(probas[0], probas[1])
    assert fits[0].history_[:, "valid_loss"] == fits[1].history_[:, "valid_loss"]
    assert not np.array_equal(probas[0], probas[2])


@pytest.mark.parametrize("cls, params", [
    (LSTMClassifier, {"pooling": "max", "hidden_size": 16}),
    (CNNClassifier, {"num_filters": 16}),
])
def test_heads_learn_the_marker_task(cls, params):
    head = cls(random_state=0, max_epochs=15, lr=0.01, train_split=None, **params)
    assert head.fit(X, LABELS).score(X, LABELS) > 0.9


def test_string_labels_round_trip():
    head = quick(LSTMClassifier, max_epochs=3, lr=0.02).fit(X, LABELS)
    assert head.classes_.tolist() == ["neg", "pos"]
    predicted = head.predict(X)
    assert set(predicted) <= {"neg", "pos"}
    proba = head.predict_proba(X)
    np.testing.assert_array_equal(predicted, head.classes_[proba.argmax(axis=1)])
    assert head.score(X, LABELS) == np.mean(predicted == LABELS)


def test_default_training_setup():
    head = LSTMClassifier(hidden_size=16, lr=0.02, max_epochs=4, random_state=0).fit(X, LABELS)
    names = [name for name, _ in head.callbacks_]
    assert {"early_stopping", "embedding_freezer", "valid_acc"} <= set(names)
    assert "lr_scheduler" not in names  # Adam without a plateau schedule, as measured
    stopping = dict(head.callbacks_)["early_stopping"]
    # Classifiers stop on validation accuracy (Kim's recipe), regressors on the loss.
    assert (stopping.monitor, stopping.lower_is_better, stopping.patience) == (
        "valid_acc", False, 5)
    assert stopping.load_best
    reg = LSTMRegressor(hidden_size=16, max_epochs=1, random_state=0).fit(X, Y.astype(float))
    assert dict(reg.callbacks_)["early_stopping"].monitor == "valid_loss"
    assert len(head.history_) <= 4 and 0 <= head.history_[-1, "valid_acc"] <= 1
    assert LSTMClassifier().max_epochs == CNNClassifier().max_epochs == 25
    assert isinstance(head.optimizer_, torch.optim.Adam) and head.batch_size == 64
    assert "early_stopping" not in dict(quick(LSTMClassifier).fit(X, Y).callbacks_)


def test_class_weight_balanced_and_dict():
    y = np.where(np.arange(len(Y)) < 150, "a", "b")
    head = quick(CNNClassifier, class_weight="balanced").fit(X, y)
    expected = compute_class_weight("balanced", classes=np.array(["a", "b"]), y=y)
    np.testing.assert_allclose(head.class_weight_, expected)
    np.testing.assert_allclose(head.criterion_.weight.numpy(), expected)
    head = quick(CNNClassifier, class_weight={"a": 1.0, "b": 5.0}).fit(X, y)
    np.testing.assert_allclose(head.criterion_.weight.numpy(), [1.0, 5.0])
    assert quick(CNNClassifier).fit(X, y).criterion_.weight is None


@pytest.mark.parametrize("cls", [LSTMRegressor, CNNRegressor])
def test_regressors(cls):
    target = Y * 2.0 + 0.5
    head = quick(cls, max_epochs=2).fit(X, target)
    predicted = head.predict(X)
    assert predicted.shape == (len(Y),) and predicted.dtype == np.float64
    assert np.isfinite(head.score(X, target))
    two = quick(cls).fit(X, np.c_[target, -target])
    assert two.predict(X).shape == (len(Y), 2) and two.n_outputs_ == 2


def test_user_callbacks_and_partial_fit():
    class CountEpochs(Callback):
        def initialize(self):
            self.epochs_ = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs_ += 1

    head = quick(LSTMClassifier, max_epochs=2, callbacks=[("count", CountEpochs())])
    head.fit(X, LABELS)
    assert dict(head.callbacks_)["count"].epochs_ == 2
    head.partial_fit(X, LABELS)
    assert len(head.history_) == 4 and head.classes_.tolist() == ["neg", "pos"]


# -- errors -------------------------------------------------------------------


def test_unknown_id_at_predict_names_the_fix():
    head = quick(CNNClassifier, pretrained=False).fit(
        np.array([[2, 4999, 0], [3, 2, 1]] * 4), [0, 1] * 4)
    with pytest.raises(ValueError, match=(
        "X contains id 5003 but the head was fitted with a vocabulary of 5000 ids; "
        "transform with the same fitted SequenceIndexer"
    )):
        head.predict(np.array([[5003, 2, 0]]))


@pytest.mark.parametrize("X_bad, y_bad, match", [
    (X, np.zeros(len(Y)), r"y contains a single class \(0.0\); a classifier needs at least two"),
    (np.zeros((0, 5), dtype=np.int64), [], "X is empty"),
    (np.asarray(X, dtype=float) + 0.5, Y, "X must hold integer ids, got dtype float64"),
    (np.asarray(X)[0], Y, "X must be a 2-d array of integer ids"),
    (-np.asarray(X), Y, "negative id"),
    (X, Y[:10], "X has 200 sequences but y has 10 targets"),
])
def test_bad_training_data(X_bad, y_bad, match):
    with pytest.raises(ValueError, match=match):
        quick(LSTMClassifier).fit(X_bad, y_bad)


def test_unseen_labels_at_score():
    head = quick(LSTMClassifier).fit(X, LABELS)
    with pytest.raises(ValueError, match=r"labels unseen at fit: \['neutral'\]"):
        head.score(X[:3], ["neg", "neutral", "pos"])


@pytest.mark.parametrize("params, match", [
    ({"freeze": "yes"}, "The 'freeze' parameter of LSTMClassifier must be"),
    ({"class_weight": "auto"}, "The 'class_weight' parameter"),
    ({"pooling": "attention"}, "The 'pooling' parameter"),
    ({"device": "gpu"}, "device must be 'auto', None or a torch device"),
])
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        quick(LSTMClassifier, **params).fit(X, Y)


def test_initialize_without_data_explains():
    with pytest.raises(ValueError, match=r"call fit\(X, y\) rather than initialize\(\)"):
        LSTMClassifier().initialize()


# -- scikit-learn citizenship -----------------------------------------------


@pytest.mark.parametrize("cls", HEADS)
def test_check_is_fitted_clone_and_params(cls):
    head = quick(cls)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        check_is_fitted(head)
    with pytest.raises(NotFittedError):
        head.predict(X)
    head.fit(X, Y)
    check_is_fitted(head)
    params = head.get_params(deep=False)
    assert params["device"] == "auto" and head.device_ == "cpu"
    twin = clone(head)
    assert twin.get_params(deep=False).keys() == params.keys()
    assert not hasattr(twin, "module_")
    twin.set_params(freeze=False, module__embedding_dim=3, max_epochs=2)
    assert twin.get_params()["freeze"] is False and twin.module__embedding_dim == 3


def test_module_params_reach_the_module_and_beat_shortcuts():
    head = quick(LSTMClassifier, hidden_size=8, module__hidden_size=5).fit(X, Y)
    assert head.module_.rnn.hidden_size == 5
    head.set_params(module__hidden_size=7)  # skorch re-initialises the module
    assert head.module_.rnn.hidden_size == 7


def test_grid_search_over_freeze_and_module_params():
    pipe = Pipeline([("features", "passthrough"), ("head", quick(LSTMClassifier))])
    grid = GridSearchCV(
        pipe, {"head__freeze": [True, False], "head__module__hidden_size": [4, 6]}, cv=2
    ).fit(X, LABELS)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_.named_steps["head"]
    assert best.module_.rnn.hidden_size == grid.best_params_["head__module__hidden_size"]
    assert best.pretrained_embedding_  # the matrix survives sklearn's row slicing


@pytest.mark.parametrize("cls", [LSTMClassifier, CNNRegressor])
def test_pickle_and_joblib_round_trip(cls):
    head = quick(cls).fit(X, LABELS if cls is LSTMClassifier else Y.astype(float))
    expected = head.predict(X)
    restored = pickle.loads(pickle.dumps(head))
    np.testing.assert_array_equal(restored.predict(X), expected)
    buffer = io.BytesIO()
    joblib.dump(head, buffer)
    buffer.seek(0)
    restored = joblib.load(buffer)
    np.testing.assert_array_equal(restored.predict(X), expected)
    assert restored.get_params()["device"] == "auto" and restored.device_ == "cpu"


def test_cuda_trained_head_unpickles_on_cpu(monkeypatch):
    head = quick(CNNClassifier).fit(X, Y)
    expected = head.predict_proba(X)
    head.device_ = "cuda"  # as if fitted on a GPU machine with device="auto"
    state = pickle.dumps(head)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    restored = pickle.loads(state)
    assert restored.device == "auto" and restored.device_ == "cpu"
    np.testing.assert_allclose(restored.predict_proba(X), expected)
    head.device_, head.device = "cpu", "cuda"  # an explicit CUDA device
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        restored = pickle.loads(pickle.dumps(head))
    assert any("cuda" in str(w.message).lower() for w in caught)
    assert restored.device == "cuda" and restored.device_ == "cpu"
    np.testing.assert_allclose(restored.predict_proba(X), expected)


@pytest.mark.parametrize("head", [CNNClassifier, LSTMRegressor])
def test_cuda_without_a_gpu_is_refused_at_fit(head, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=r"device='cuda', but this torch .* sees no CUDA GPU "
                                         r".*Use device='auto' .* or device='cpu'"):
        quick(head, device="cuda").fit(X, Y if head is CNNClassifier else Y.astype(float))


def test_custom_train_split_callable_is_used():
    head = quick(LSTMClassifier, train_split=ValidSplit(4)).fit(X, Y)
    assert head.history_[-1, "valid_loss"] > 0
