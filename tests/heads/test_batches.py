"""Training batches of similar lengths, cut to their longest sequence (heads/_dataset.py)."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from torch.utils.data import BatchSampler

from sklearn_embed.heads import BagOfEmbeddingsClassifier, CNNClassifier, LSTMClassifier
from sklearn_embed.heads._dataset import LengthBucketSampler, SequenceDataset

torch.set_num_threads(1)

MAXLEN = 60


def _ids(n=300, seed=0, side="post"):
    rng = np.random.RandomState(seed)
    lengths = rng.randint(1, MAXLEN + 1, n)
    ids = np.zeros((n, MAXLEN), dtype=np.int64)
    for i, length in enumerate(lengths):
        tokens = rng.randint(2, 30, length)
        if side == "post":
            ids[i, :length] = tokens
        else:
            ids[i, MAXLEN - length:] = tokens
    return ids, lengths


def _epoch(sampler, seed):
    torch.manual_seed(seed)
    return [list(batch) for batch in sampler]


# -- the sampler -------------------------------------------------------------


def test_every_sample_once_per_epoch_in_full_batches():
    _, lengths = _ids(n=301)
    sampler = LengthBucketSampler(lengths, batch_size=16, bucket_batches=4)
    batches = _epoch(sampler, 0)
    assert len(batches) == len(sampler) == 19
    assert sorted(i for batch in batches for i in batch) == list(range(301))
    # Only the last chunk can end in a short batch.
    assert sorted(len(batch) for batch in batches)[1:] == [16] * 18


def test_batches_hold_similar_lengths():
    _, lengths = _ids(n=320)
    # One chunk: the batches cut the sorted lengths into disjoint ranges.
    batches = _epoch(LengthBucketSampler(lengths, 32, bucket_batches=10), 0)
    ranges = sorted((lengths[b].min(), lengths[b].max()) for b in batches)
    assert all(high <= next_low for (_, high), (next_low, _) in zip(ranges, ranges[1:]))
    spread = np.mean([lengths[b].max() - lengths[b].min() for b in batches])
    shuffled = np.mean([np.ptp(lengths[b]) for b in np.array_split(
        np.random.RandomState(0).permutation(320), 10)])
    assert spread < shuffled / 4


def test_batch_order_and_membership_are_shuffled_between_epochs():
    _, lengths = _ids(n=320)
    sampler = LengthBucketSampler(lengths, 16, bucket_batches=5)
    first, second = _epoch(sampler, 0), _epoch(sampler, 1)
    # Batch order is not the order of lengths ...
    means = [lengths[b].mean() for b in first]
    assert means != sorted(means) and means != sorted(means, reverse=True)
    # ... and the chunks, hence the batches themselves, change from epoch to epoch.
    assert {tuple(sorted(b)) for b in first} != {tuple(sorted(b)) for b in second}


def test_the_global_torch_seed_makes_the_batches_reproducible():
    _, lengths = _ids()
    sampler = LengthBucketSampler(lengths, 16)
    assert _epoch(sampler, 3) == _epoch(sampler, 3)
    assert _epoch(sampler, 3) != _epoch(sampler, 4)


# -- the dataset -------------------------------------------------------------


@pytest.mark.parametrize("side", ["post", "pre"])
def test_a_batch_is_cut_after_its_last_real_token(side):
    ids, lengths = _ids(side=side)
    dataset = SequenceDataset(ids, np.zeros(len(ids)))
    batch = [int(np.argmin(lengths)), int(np.argsort(lengths)[1])]
    X, _ = dataset.__getitems__(batch)
    expected = lengths[batch].max() if side == "post" else MAXLEN
    assert X.shape == (2, expected)
    np.testing.assert_array_equal(X.numpy(), ids[batch, :expected])


def test_a_batch_of_empty_rows_keeps_one_column():
    dataset = SequenceDataset(np.zeros((3, 8), dtype=np.int64))
    X, _ = dataset.__getitems__([0, 2])
    assert X.shape == (2, 1)


# -- in the heads --------------------------------------------------------------


class _Batches(Callback):
    """Record the id batches the net trains on."""

    def initialize(self):
        self.seen_ = []
        return self

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            self.seen_.append(batch[0].clone())


def _fit(cls=CNNClassifier, seed=0, **params):
    ids, lengths = _ids()
    y = (lengths > MAXLEN // 2).astype(int)
    recorder = _Batches()
    defaults = {"pretrained": False, "max_epochs": 2, "batch_size": 16, "train_split": None,
                "random_state": seed, "callbacks": [("batches", recorder)]}
    if cls is CNNClassifier:
        defaults["num_filters"] = 4
    head = cls(**{**defaults, **params}).fit(ids, y)
    return head, recorder.seen_, ids


def _width(batch):
    real = (batch != 0).numpy()
    return max(int(np.flatnonzero(real.any(axis=0)).max()) + 1, 1)


@pytest.mark.parametrize("cls", [CNNClassifier, LSTMClassifier, BagOfEmbeddingsClassifier])
def test_heads_train_on_bucketed_batches_cut_to_their_longest(cls):
    head, batches, ids = _fit(cls)
    assert len(batches) == 2 * 19
    assert all(batch.shape[1] == _width(batch) for batch in batches)
    spreads = [np.ptp((batch != 0).sum(dim=1).numpy()) for batch in batches]
    assert np.mean(spreads) < 10  # lengths 1-60 at random give a spread near 55
    iterator = head.get_iterator(head.get_dataset(ids, np.zeros(len(ids))), training=True)
    assert isinstance(iterator.batch_sampler, LengthBucketSampler)


def test_random_state_makes_the_batches_reproducible():
    _, first, _ = _fit(seed=1)
    _, again, _ = _fit(seed=1)
    _, other, _ = _fit(seed=2)
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    assert not all(a.shape == b.shape and torch.equal(a, b) for a, b in zip(first, other))


@pytest.mark.parametrize("params", [{"iterator_train__bucket_batches": None},
                                    {"iterator_train__drop_last": True}])
def test_bucketing_can_be_turned_off(params):
    head, batches, ids = _fit(**params)
    iterator = head.get_iterator(head.get_dataset(ids, np.zeros(len(ids))), training=True)
    assert type(iterator.batch_sampler) is BatchSampler
    # Still cut to the batch's longest sequence, which for random lengths is nearly maxlen.
    assert all(batch.shape[1] == _width(batch) for batch in batches)
    assert np.mean([batch.shape[1] for batch in batches]) > MAXLEN - 10


def test_prediction_keeps_the_order_of_X():
    head, _, ids = _fit()
    proba = head.predict_proba(ids)
    order = np.random.RandomState(0).permutation(len(ids))
    np.testing.assert_allclose(head.predict_proba(ids[order]), proba[order], atol=1e-6)
    alone = np.vstack([head.predict_proba(ids[i:i + 1]) for i in range(0, len(ids), 37)])
    np.testing.assert_allclose(alone, proba[::37], atol=1e-5)


def test_the_validation_split_is_sorted_by_length_and_scored_whole():
    head = CNNClassifier(pretrained=False, num_filters=4, max_epochs=1, train_split=0.2,
                         random_state=0)
    ids, lengths = _ids()
    y = (lengths > MAXLEN // 2).astype(int)
    train, valid = head.fit(ids, y).get_split_datasets(ids, y)
    assert len(train) + len(valid) == len(ids)
    assert np.all(np.diff(valid.lengths.numpy()) >= 0)
    # valid_acc is scored over the sorted split with its own targets.
    accuracy = np.mean(head.predict(valid.X.numpy()) == valid.y.numpy())
    assert head.history_[-1, "valid_acc"] == pytest.approx(accuracy)
