"""The dataset the heads train on: id sequences held as tensors, served a batch at a time."""

import numpy as np
import torch
from torch.utils.data import Dataset, Subset


class SequenceDataset(Dataset):
    """Id sequences and targets held as tensors and served a batch at a time.

    ``__getitems__`` lets the ``DataLoader`` fetch a whole batch with one
    tensor index instead of one Python call per sample; the heads pair it with
    a pass-through ``collate_fn``.
    """

    def __init__(self, X, y=None):
        self.X = torch.as_tensor(X, dtype=torch.int64)
        self.y = None if y is None else torch.as_tensor(y)

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.__getitems__([i])

    def __getitems__(self, indices):
        index = torch.as_tensor(indices, dtype=torch.int64)
        y = torch.zeros(len(index)) if self.y is None else self.y[index]
        return self.X[index], y

    def subset(self, indices):
        index = torch.as_tensor(np.asarray(indices), dtype=torch.int64)
        return SequenceDataset(self.X[index], None if self.y is None else self.y[index])


def _whole_batch(batch):
    return batch


def _materialize(dataset):
    if isinstance(dataset, Subset) and isinstance(dataset.dataset, SequenceDataset):
        return dataset.dataset.subset(dataset.indices)
    return dataset
