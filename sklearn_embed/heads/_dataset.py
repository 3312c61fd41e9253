"""The dataset the heads train on: id sequences held as tensors, served a batch at a
time and cut to the batch's longest sequence; and the sampler that groups sequences
of similar length into training batches."""

import math

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler, Subset

from ..text._indexed_sequences import PAD_ID

#: Key of the ids in a batch that also carries sample weights.
IDS = "ids"
SAMPLE_WEIGHT = "sample_weight"


def _extents(X):
    """Per row, the position after its last real token (0 for an all-padding row)."""
    if X.shape[1] == 0:
        return torch.zeros(len(X), dtype=torch.int64)
    real = (X != PAD_ID).to(torch.int8)
    last_from_end = torch.argmax(real.flip(1), dim=1)
    return torch.where(real.any(dim=1), X.shape[1] - last_from_end, 0)


class SequenceDataset(Dataset):
    """Id sequences, targets and optional sample weights, served a batch at a time.

    ``__getitems__`` lets the ``DataLoader`` fetch a whole batch with one
    tensor index instead of one Python call per sample; the heads pair it with
    a pass-through ``collate_fn``.  Each batch is cut after the last column
    that holds a real token in any of its rows: at ``maxlen=400`` most IMDB
    columns are padding, and the modules would compute over them only to mask
    them out.  With sample weights a batch's inputs are
    ``{"ids": ..., "sample_weight": ...}``, so each weight travels with its
    sample, into the validation split too; the head's ``infer`` hands only the
    ids to the module and its ``get_loss`` weights each sample's loss.
    """

    def __init__(self, X, y=None, sample_weight=None):
        self.X = torch.as_tensor(X, dtype=torch.int64)
        self.y = None if y is None else torch.as_tensor(y)
        self.sample_weight = (None if sample_weight is None
                              else torch.as_tensor(sample_weight, dtype=torch.float32))
        # Computed once: a batch is then cut with one max over its rows.
        self.extents = _extents(self.X)

    @property
    def lengths(self):
        """Per row, the width it needs (position after its last real token)."""
        return self.extents

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.__getitems__([i])

    def __getitems__(self, indices):
        index = torch.as_tensor(indices, dtype=torch.int64)
        # At least one column, so that a batch of empty rows still has a shape
        # the modules accept (they treat it as one padding token).
        width = max(int(self.extents[index].max()), 1) if len(index) else self.X.shape[1]
        X = self.X[index, :width]
        y = torch.zeros(len(index)) if self.y is None else self.y[index]
        if self.sample_weight is None:
            return X, y
        return {IDS: X, SAMPLE_WEIGHT: self.sample_weight[index]}, y

    def subset(self, indices):
        index = torch.as_tensor(np.asarray(indices), dtype=torch.int64)
        return SequenceDataset(
            self.X[index], None if self.y is None else self.y[index],
            None if self.sample_weight is None else self.sample_weight[index],
        )


class LengthBucketSampler(Sampler):
    """Shuffled training batches of sequences of similar length.

    Each epoch the indices are shuffled and cut into chunks of
    ``bucket_batches * batch_size``; within a chunk they are sorted by
    length and cut into batches; then the order of all batches is shuffled.
    A batch thus holds sequences of similar length (and is cut to its
    longest by :class:`SequenceDataset`) while its members, and the order
    in which batches come, still change from epoch to epoch.  Every index
    appears once per epoch.

    The shuffling draws one seed per epoch from torch's global generator,
    as the ``DataLoader``'s own shuffling does, so a head's ``random_state``
    (which seeds that generator for the fit) makes the batches reproducible.

    Parameters
    ----------
    lengths : sequence of int
        The length of each sample (a :class:`SequenceDataset`'s ``lengths``).
    batch_size : int
    bucket_batches : int, default=50
        Batches per sorted chunk; ``1`` sorts only within each batch (plain
        shuffled batches, each cut to its longest sequence).
    """

    def __init__(self, lengths, batch_size, bucket_batches=50):
        self.lengths = torch.as_tensor(lengths, dtype=torch.int64)
        self.batch_size = int(batch_size)
        self.bucket_batches = int(bucket_batches)

    def __len__(self):
        return math.ceil(len(self.lengths) / self.batch_size)

    def __iter__(self):
        seed = int(torch.empty((), dtype=torch.int64).random_().item())
        generator = torch.Generator().manual_seed(seed)
        order = torch.randperm(len(self.lengths), generator=generator)
        chunk_size = self.batch_size * self.bucket_batches
        batches = []
        for chunk in order.split(chunk_size):
            # stable: equal lengths keep their shuffled order
            by_length = chunk[torch.sort(self.lengths[chunk], stable=True).indices]
            batches += by_length.split(self.batch_size)
        for position in torch.randperm(len(batches), generator=generator).tolist():
            yield batches[position].tolist()


def _whole_batch(batch):
    return batch


def _materialize(dataset):
    if isinstance(dataset, Subset) and isinstance(dataset.dataset, SequenceDataset):
        return dataset.dataset.subset(dataset.indices)
    return dataset


def _by_length(dataset):
    """A materialized split with its rows sorted by length.

    Only for the validation split: its order means nothing (scores are
    computed over the whole split), and rows of similar length make batches
    that are cut short.
    """
    if isinstance(dataset, Subset) and isinstance(dataset.dataset, SequenceDataset):
        indices = torch.as_tensor(np.asarray(dataset.indices), dtype=torch.int64)
        lengths = dataset.dataset.lengths[indices]
        return dataset.dataset.subset(indices[torch.sort(lengths, stable=True).indices])
    return _materialize(dataset)
