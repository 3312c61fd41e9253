"""The dataset the heads train on: id sequences held as tensors, served a batch at a time."""

import numpy as np
import torch
from torch.utils.data import Dataset, Subset

#: Key of the ids in a batch that also carries sample weights.
IDS = "ids"
SAMPLE_WEIGHT = "sample_weight"


class SequenceDataset(Dataset):
    """Id sequences, targets and optional sample weights, served a batch at a time.

    ``__getitems__`` lets the ``DataLoader`` fetch a whole batch with one
    tensor index instead of one Python call per sample; the heads pair it with
    a pass-through ``collate_fn``.  With sample weights a batch's inputs are
    ``{"ids": ..., "sample_weight": ...}``, so each weight travels with its
    sample, into the validation split too; the head's ``infer`` hands only the
    ids to the module and its ``get_loss`` weights each sample's loss.
    """

    def __init__(self, X, y=None, sample_weight=None):
        self.X = torch.as_tensor(X, dtype=torch.int64)
        self.y = None if y is None else torch.as_tensor(y)
        self.sample_weight = (None if sample_weight is None
                              else torch.as_tensor(sample_weight, dtype=torch.float32))

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.__getitems__([i])

    def __getitems__(self, indices):
        index = torch.as_tensor(indices, dtype=torch.int64)
        y = torch.zeros(len(index)) if self.y is None else self.y[index]
        if self.sample_weight is None:
            return self.X[index], y
        return {IDS: self.X[index], SAMPLE_WEIGHT: self.sample_weight[index]}, y

    def subset(self, indices):
        index = torch.as_tensor(np.asarray(indices), dtype=torch.int64)
        return SequenceDataset(
            self.X[index], None if self.y is None else self.y[index],
            None if self.sample_weight is None else self.sample_weight[index],
        )


def _whole_batch(batch):
    return batch


def _materialize(dataset):
    if isinstance(dataset, Subset) and isinstance(dataset.dataset, SequenceDataset):
        return dataset.dataset.subset(dataset.indices)
    return dataset
