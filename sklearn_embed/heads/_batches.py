"""How a head cuts its data into batches: the validation split, then batches of
similar length, each cut to its longest sequence."""

from numbers import Real

from skorch.dataset import ValidSplit
from skorch.utils import is_dataset

from ._dataset import (
    LengthBucketSampler,
    SequenceDataset,
    _by_length,
    _materialize,
    _whole_batch,
)


class BatchingMixin:
    """The datasets and ``DataLoader``s of a head; mixed in before a skorch net."""

    def get_split_datasets(self, X, y=None, **fit_params):
        weights = self.__dict__.get("_fit_sample_weight")
        if weights is not None and not is_dataset(X):
            dataset = SequenceDataset(X, y, sample_weight=weights)
        else:
            dataset = self.get_dataset(X, y)
        split = self.train_split
        if split is None:
            return dataset, None
        if isinstance(split, Real):
            split = ValidSplit(
                split, stratified=self._stratify,
                random_state=getattr(self, "_split_seed_", None),
            )
        try:
            train, valid = split(dataset, y, **fit_params)
        except ValueError as exc:
            if not isinstance(self.train_split, Real):
                raise
            raise ValueError(
                f"train_split={self.train_split} cannot hold out a validation set from "
                f"{len(dataset)} sequences ({exc}). With this little data pass "
                "train_split=None (train on everything for max_epochs, no early stopping), "
                "or a larger fraction."
            ) from exc
        # Copy the subsets once so that batches are plain tensor slices; the
        # validation rows, whose order nothing reads, sorted by length so
        # that its batches are cut short too.
        return _materialize(train), _by_length(valid)

    def get_iterator(self, dataset, training=False):
        """The ``DataLoader`` over ``dataset``.

        Training batches group sequences of similar length
        (:class:`~sklearn_embed.heads._dataset.LengthBucketSampler`, sorted
        within shuffled chunks of ``iterator_train__bucket_batches`` batches,
        default 50; ``None`` or ``0`` gives plain shuffled batches) and each
        batch is cut to its longest sequence, so an epoch spends little time
        on padding.  Prediction batches keep the order of ``X``.
        """
        prefix = "iterator_train" if training else "iterator_valid"
        kwargs = self.get_params_for(prefix)
        bucket_batches = kwargs.pop("bucket_batches", 50)
        kwargs.setdefault("batch_size", self.batch_size)
        if kwargs["batch_size"] == -1:
            kwargs["batch_size"] = len(dataset)
        if isinstance(dataset, SequenceDataset):
            kwargs.setdefault("collate_fn", _whole_batch)
            if training and bucket_batches and kwargs.get("shuffle") and not (
                    kwargs.get("drop_last") or {"sampler", "batch_sampler"} & set(kwargs)):
                # A batch sampler replaces batch_size, shuffle and drop_last.
                kwargs["batch_sampler"] = LengthBucketSampler(
                    dataset.lengths, kwargs.pop("batch_size"), bucket_batches)
                kwargs.pop("shuffle")
                kwargs.pop("drop_last", None)
        iterator = self.iterator_train if training else self.iterator_valid
        return iterator(dataset, **kwargs)
