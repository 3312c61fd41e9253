"""Tests of the bag-of-embeddings heads (heads/_bag.py) and EmbeddingBagModule."""

import io
import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.class_weight import compute_class_weight

from sklearn_embed import SequenceIndexer, persistence
from sklearn_embed.heads import (
    BagOfEmbeddingsClassifier,
    BagOfEmbeddingsRegressor,
    EmbeddingBagModule,
)
from sklearn_embed.heads.modules import hash_bigrams
from tests.conftest import CORPUS, LABELS
from tests.heads._marker_data import DIM, VOCAB, make_data, repad

torch.set_num_threads(1)


X, Y = make_data()


def quick(cls=BagOfEmbeddingsClassifier, **params):
    defaults = {"max_epochs": 1, "train_split": None, "random_state": 0, "bigram_buckets": 64}
    return cls(**{**defaults, **params})


# -- the module -----------------------------------------------------------------


def test_mean_pooling_averages_the_word_and_bigram_vectors():
    module = EmbeddingBagModule(num_embeddings=10, embedding_dim=3, bigram_buckets=7)
    ids = torch.tensor([[4, 2, 9, 0, 0]])
    pairs = hash_bigrams(torch.tensor([4, 2]), torch.tensor([2, 9]), 7)
    vectors = torch.cat([module.embedding(torch.tensor([4, 2, 9])), module.bigrams(pairs)])
    expected = module.head(vectors.mean(dim=0, keepdim=True))
    torch.testing.assert_close(module(ids), expected)


@pytest.mark.parametrize("buckets", [200_000, 1_000_000, 2**20, 7919])
def test_bigram_hash_spreads_the_pairs_of_frequent_words(buckets):
    # Frequent words have small ids.  The old hash, (first * 1_000_003 + second)
    # % buckets, is 3 * first + second for 200,000 and 1,000,000 buckets: the
    # 40,000 pairs of the 200 commonest words fell into 797 rows.
    ids = torch.arange(1, 201)
    rows = hash_bigrams(ids[:, None], ids[None, :], buckets)
    assert rows.min() >= 0 and rows.max() < buckets
    expected = buckets * (1 - (1 - 1 / buckets) ** rows.numel())  # a random function's
    assert len(torch.unique(rows)) > 0.97 * expected


def test_bigram_hash_tells_the_order_of_the_pair():
    ids = torch.arange(1, 201)
    rows = hash_bigrams(ids[:, None], ids[None, :], 200_000)
    off_diagonal = ~torch.eye(200, dtype=torch.bool)
    assert (rows != rows.T)[off_diagonal].float().mean() > 0.99


def test_bigram_hash_takes_the_largest_ids_without_overflow():
    big = torch.tensor([2**32 - 2, 2**32 - 1, 5])
    rows = hash_bigrams(big, big.flip(0), 1_000_000)
    assert ((rows >= 0) & (rows < 1_000_000)).all()


def test_word_order_matters_only_through_the_bigrams():
    ids = torch.tensor([[4, 2, 9, 7, 0]])
    shuffled = torch.tensor([[9, 4, 7, 2, 0]])
    words_only = EmbeddingBagModule(num_embeddings=10, embedding_dim=3, pooling="mean_max")
    torch.testing.assert_close(words_only(ids), words_only(shuffled))
    with_bigrams = EmbeddingBagModule(num_embeddings=10, embedding_dim=3, bigram_buckets=50)
    assert not torch.allclose(with_bigrams(ids), with_bigrams(shuffled))


@pytest.mark.parametrize("pooling", ["mean", "max", "mean_max"])
@pytest.mark.parametrize("bigram_buckets", [0, 16])
def test_padding_length_and_side_do_not_change_outputs(pooling, bigram_buckets):
    ids = np.asarray(X)[:64]
    head = quick(pretrained=False, pooling=pooling, bigram_buckets=bigram_buckets,
                 hidden_size=4).fit(repad(ids, 50, "post"), Y[:64])
    reference = head.predict_proba(repad(ids, 50, "post"))
    for maxlen, side in [(400, "post"), (50, "pre"), (400, "pre")]:
        proba = head.predict_proba(repad(ids, maxlen, side))
        np.testing.assert_allclose(proba, reference, atol=1e-5, err_msg=f"{maxlen} {side}")
    for i in range(8):
        alone = head.predict_proba(ids[i:i + 1, ids[i] != 0])
        np.testing.assert_allclose(alone[0], reference[i], atol=1e-5, err_msg=f"row {i}")


@pytest.mark.parametrize("pooling", ["mean", "max", "mean_max"])
def test_all_padding_rows_and_single_tokens_give_finite_outputs(pooling):
    module = EmbeddingBagModule(num_embeddings=VOCAB, bigram_buckets=8, pooling=pooling)
    out = module(torch.tensor([[0, 0, 0], [0, 7, 0], [2, 3, 4]]))
    assert out.shape == (3, 2) and torch.isfinite(out).all()
    assert module(torch.zeros((2, 0), dtype=torch.int64)).shape == (2, 2)


@pytest.mark.parametrize("params, match", [
    ({"pooling": "sum"}, r"pooling must be one of \['max', 'mean', 'mean_max'\], got 'sum'"),
    ({"bigram_buckets": -1}, r"must be >= 0 \(0 turns them off\), got bigram_buckets=-1"),
    ({"hidden_size": -2}, r"hidden_size=-2"),
])
def test_bad_module_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        EmbeddingBagModule(num_embeddings=10, **params)


# -- the heads ------------------------------------------------------------------


def test_the_pretrained_matrix_is_picked_up_and_fine_tuned_by_default():
    head = quick(max_epochs=0).fit(X, Y)
    np.testing.assert_array_equal(head.module_.embedding.weight.detach().numpy(),
                                  X.embedding_matrix)
    assert head.pretrained_embedding_ and head.module_.bigrams.num_embeddings == 64
    trained = quick(lr=0.05).fit(X, Y)
    assert not np.allclose(trained.module_.embedding.weight.detach().numpy(),
                           X.embedding_matrix)
    np.testing.assert_array_equal(X.embedding_matrix[0], 0.0)  # the source is not written


def test_freeze_keeps_the_words_and_trains_the_bigrams():
    head = quick(freeze=True, lr=0.05)
    start = EmbeddingBagModule(embedding_weights=X.embedding_matrix, bigram_buckets=64)
    head.fit(X, Y)
    np.testing.assert_array_equal(head.module_.embedding.weight.detach().numpy(),
                                  X.embedding_matrix)
    assert head.module_.bigrams.weight.requires_grad
    assert head.module_.bigrams.weight.shape == start.bigrams.weight.shape
    trainable = sum(p.numel() for p in head.module_.parameters() if p.requires_grad)
    assert trainable == 64 * DIM + (DIM + 1) * 2


@pytest.mark.parametrize("params", [
    {"lr": 0.05},  # one marker among ~15 words: the mean dilutes it
    {"pooling": "mean_max", "hidden_size": 16, "lr": 0.02},
])
def test_the_head_learns_the_marker_task(params):
    head = BagOfEmbeddingsClassifier(random_state=0, max_epochs=30, train_split=None,
                                     bigram_buckets=64, optimizer=torch.optim.Adam, **params)
    assert head.fit(X, np.array(["neg", "pos"])[Y]).score(X, np.array(["neg", "pos"])[Y]) > 0.9


def test_default_training_setup_stops_early_on_a_validation_split():
    head = BagOfEmbeddingsClassifier(bigram_buckets=64, random_state=0).fit(X, Y)
    names = dict(head.callbacks_)
    assert {"early_stopping", "embedding_freezer", "valid_acc"} <= set(names)
    assert 1 <= len(head.history_) <= head.max_epochs == 5
    assert head.lr == 0.05 and head.freeze is False
    assert isinstance(head.optimizer_, torch.optim.Adagrad)


def test_sparse_gradients_only_for_optimizers_that_take_them():
    def bigram_grad(head):
        head.module_(torch.as_tensor(np.asarray(X)[:4])).sum().backward()
        return head.module_.bigrams.weight.grad

    head = quick().fit(X, Y)
    assert head.module_.embedding.sparse and bigram_grad(head).is_sparse
    dense = quick(optimizer=torch.optim.Adam, lr=0.01).fit(X, Y)  # Adam refuses sparse ones
    assert not dense.module_.embedding.sparse and not bigram_grad(dense).is_sparse
    assert not quick(module__sparse=False, max_epochs=0).fit(X, Y).module_.embedding.sparse


def test_class_weight():
    y = np.where(np.arange(len(Y)) < 150, "a", "b")
    head = quick(class_weight="balanced").fit(X, y)
    expected = compute_class_weight("balanced", classes=np.array(["a", "b"]), y=y)
    np.testing.assert_allclose(head.criterion_.weight.numpy(), expected)
    # Weighting the rare class up moves predictions towards it.
    plain = quick(lr=0.05, max_epochs=3).fit(X, y)
    weighted = quick(lr=0.05, max_epochs=3, class_weight={"a": 1.0, "b": 20.0}).fit(X, y)
    assert np.mean(weighted.predict(X) == "b") > np.mean(plain.predict(X) == "b")


def test_sample_weight_zero_hides_mislabelled_samples():
    rng = np.random.RandomState(1)
    flipped = rng.rand(len(Y)) < 0.4
    noisy = np.where(flipped, 1 - Y, Y)
    params = {"lr": 0.05, "max_epochs": 30, "pooling": "max"}
    weighted = quick(**params).fit(X, noisy, sample_weight=(~flipped).astype(float))
    unweighted = quick(**params).fit(X, noisy)
    assert weighted.score(X, Y) > 0.85
    assert weighted.score(X, Y) > unweighted.score(X, Y)
    # A uniform weight is the same as none: the loss is a weighted mean.
    twice = quick(**params).fit(X, noisy, sample_weight=np.full(len(Y), 2.0))
    np.testing.assert_allclose(twice.predict_proba(X), unweighted.predict_proba(X), atol=1e-5)


def test_regressor():
    target = Y * 2.0 + 0.5
    head = quick(BagOfEmbeddingsRegressor, max_epochs=30, lr=0.05, pooling="max",
                 optimizer=torch.optim.Adam).fit(X, target)
    predicted = head.predict(X)
    assert predicted.shape == (len(Y),) and predicted.dtype == np.float64
    assert head.score(X, target) > 0.5
    two = quick(BagOfEmbeddingsRegressor).fit(X, np.c_[target, -target])
    assert two.predict(X).shape == (len(Y), 2) and two.n_outputs_ == 2
    assert not hasattr(head, "predict_proba")


@pytest.mark.parametrize("params, match", [
    ({"pooling": "sum"}, "The 'pooling' parameter of BagOfEmbeddingsClassifier must be"),
    ({"bigram_buckets": -5}, "The 'bigram_buckets' parameter of BagOfEmbeddingsClassifier"),
    ({"hidden_size": 1.5}, "The 'hidden_size' parameter"),
])
def test_bad_head_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        quick(**params).fit(X, Y)


def test_grid_search_in_a_pipeline():
    docs, labels = CORPUS * 4, LABELS * 4
    pipe = Pipeline([("index", SequenceIndexer(maxlen=12)),
                     ("head", quick(max_epochs=2))])
    grid = GridSearchCV(pipe, {"head__bigram_buckets": [0, 32],
                               "head__pooling": ["mean", "max"]}, cv=2).fit(docs, labels)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_.named_steps["head"]
    assert best.pretrained_embedding_
    assert best.module_.bigram_buckets == grid.best_params_["head__bigram_buckets"]


@pytest.mark.parametrize("cls", [BagOfEmbeddingsClassifier, BagOfEmbeddingsRegressor])
def test_pickle_joblib_and_safe_format_round_trips(cls, tmp_path):
    y = np.array(["neg", "pos"])[Y] if cls is BagOfEmbeddingsClassifier else Y.astype(float)
    head = quick(cls).fit(X, y)
    expected = head.predict(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(head)).predict(X), expected)
    buffer = io.BytesIO()
    joblib.dump(head, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).predict(X), expected)
    pytest.importorskip("skops")
    persistence.dump(head, tmp_path / "bag.sklembed")
    restored = persistence.load(tmp_path / "bag.sklembed")
    assert type(restored) is cls
    np.testing.assert_array_equal(restored.predict(X), expected)
