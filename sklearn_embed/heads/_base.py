"""What every neural head shares: input checks, embedding pick-up, freezing and
training defaults (labels and targets are in ``_targets.py``, the dataset in
``_dataset.py``, batches in ``_batches.py``, devices and threads in ``_devices.py``).

A head reads its vocabulary size and, when there is one, its pretrained
embedding matrix from the ``X`` it is fitted on (the ``IndexedSequences``
returned by ``SequenceIndexer.transform``), so the embedding source is named
once, in the features step of a ``Pipeline``.
"""

from collections.abc import Mapping
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch.callbacks import EpochTimer, PassthroughScoring, PrintLog
from skorch.exceptions import NotInitializedError
from skorch.utils import is_dataset, to_tensor

from .._compat import (
    Interval,
    SkorchInitHooks,
    skorch_partial_fit,
    validate_parameter_constraints,
)
from .._device import forked_torch_rng, resolve_device
from ._batches import BatchingMixin
from ._dataset import IDS, SAMPLE_WEIGHT
from ._devices import DeviceMixin
from ._input import check_predict_ids, check_sample_weight, read_sequences
from ._params import changed_params_repr, full_signature
from .callbacks import EmbeddingFreezer, ReportingEarlyStopping, find_embedding

_FIX = "transform with the same fitted SequenceIndexer"

# The skorch parameters that every head spells out in its signature (with its
# own defaults); they and ``**kwargs`` go to the skorch net.
_NET_PARAMS = (
    "criterion", "optimizer", "lr", "max_epochs", "batch_size", "train_split", "device",
    "verbose", "dataset", "iterator_train__shuffle",
)


def frozen_epochs(freeze):
    """``freeze`` as an ``EmbeddingFreezer`` epoch count: None (always), 0 (never) or n."""
    if isinstance(freeze, (bool, np.bool_)):
        return None if freeze else 0
    return int(freeze) if isinstance(freeze, Integral) else 0


class HeadMixin(BatchingMixin, DeviceMixin, SkorchInitHooks):
    """Behaviour shared by the heads; mixed in before a skorch net class.

    Subclasses list in ``_module_shortcuts`` the ``__init__`` parameters that
    are handed to the module; an explicit ``module__<name>`` wins over them.
    """

    _module_shortcuts = ()
    _parameter_constraints = {
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "freeze": ["boolean", Interval(Integral, 0, None, closed="left")],
        "pretrained": ["boolean"],
        "random_state": ["random_state"],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
        "device": [str, torch.device, None],
        "train_split": [Interval(Real, 0, 1, closed="neither"), callable, None],
    }

    # -- parameters and fitted state -------------------------------------

    def _init_head(self, arguments):
        """The whole body of a head's ``__init__``, given its ``locals()``.

        The skorch parameters and ``**kwargs`` go to the skorch net; every
        other argument (the module shortcuts, ``class_weight``,
        ``embedding_dim``...) is stored unchanged, in signature order, so that
        each head still lists all its parameters in its own signature.
        """
        arguments = dict(arguments)
        del arguments["self"]
        module = arguments.pop("module")
        kwargs = arguments.pop("kwargs")
        net_params = {name: arguments.pop(name) for name in _NET_PARAMS}
        super().__init__(module, **net_params, **kwargs)
        for name, value in arguments.items():
            setattr(self, name, value)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__.__signature__ = full_signature(cls)

    def __repr__(self):
        """The parameters that differ from their defaults, like scikit-learn's estimators.

        skorch's own repr shows the module instead, which hides the settings
        that tell grid-search candidates apart.
        """
        return changed_params_repr(self)

    def _get_param_names(self):
        # skorch lists every public-looking attribute; its own bookkeeping
        # (``_params_to_validate``) is no parameter: clone, repr and
        # set_params must not see it.
        return [name for name in super()._get_param_names() if not name.startswith("_")]

    def _check_head_params(self):
        params = {name: getattr(self, name) for name in self._parameter_constraints}
        validate_parameter_constraints(
            self._parameter_constraints, params, caller_name=type(self).__name__
        )
        resolve_device(self.device)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Integer ids: scikit-learn's common checks then feed rounded,
        # non-negative integers instead of floats.
        tags.input_tags.categorical = True
        tags.input_tags.positive_only = True
        tags.non_deterministic = self.random_state is None
        return tags

    def check_is_fitted(self, attributes=None, *args, **kwargs):
        """Raise ``NotInitializedError`` (a ``NotFittedError``) unless fitted."""
        attributes = attributes or ["module_", "num_embeddings_", "n_outputs_"]
        if not all(hasattr(self, name) for name in attributes):
            raise NotInitializedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' "
                "with appropriate arguments before using this estimator."
            )

    def _check_sequences(self, X, *, reset):
        """Return ``X`` as an int64 tensor; at fit, record the vocabulary and
        keep the embedding matrix for ``initialize_module``."""
        if not reset:
            ids = check_predict_ids(X, self.num_embeddings_, _FIX)
            return torch.as_tensor(np.ascontiguousarray(ids, dtype=np.int64))
        read = read_sequences(X, head=type(self).__name__, pretrained=self.pretrained)
        self.num_embeddings_ = read.vocab_size
        self.pretrained_embedding_ = read.matrix is not None
        self._embedding_weights_ = read.matrix
        # Sequences of any length are accepted later (the heads are padding-
        # invariant); this records the width seen at fit, as scikit-learn does.
        self.n_features_in_ = read.ids.shape[1]
        return torch.as_tensor(np.ascontiguousarray(read.ids, dtype=np.int64))

    def _check_predict_X(self, X):
        self.check_is_fitted()
        if is_dataset(X):
            return X
        return self._check_sequences(X, reset=False)

    def _check_fit_data(self, X, y, *, reset, classes=None):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X = self._check_sequences(X, reset=reset)
        y = self._check_targets(y, reset=reset, classes=classes)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} sequences but y has {len(y)} targets.")
        return X, y

    # -- training ---------------------------------------------------------

    def _seed(self):
        """Draw the fit's seed from ``random_state``; None when it is None."""
        if self.random_state is None:
            self._split_seed_ = None
            return None
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        self._split_seed_ = seed
        return seed

    @contextmanager
    def _scoped_torch_seed(self, seed):
        """Seed torch for this fit only: the caller's global generator state is
        saved and restored, so fitting a head does not reseed the user's program."""
        if seed is None:  # unseeded fits draw from (and advance) the global generator
            yield
            return
        with forked_torch_rng(seed):
            yield

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the head on padded id sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : IndexedSequences or int array of shape (n_samples, maxlen)
            Padded ids (0 = padding); an ``IndexedSequences`` also brings the
            embedding matrix and vocabulary size.
        y : array-like of shape (n_samples,)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Scales each sample's loss (training and validation loss alike: a
            weight follows its sample into the validation split).
        **fit_params : dict
            Passed on to the module's ``forward`` and to ``train_split``.

        Returns
        -------
        self
        """
        fresh = not (self.warm_start and self.initialized_)
        if fresh:
            self._check_head_params()
        X, y = self._check_fit_data(X, y, reset=fresh)
        weights = self._check_weights(sample_weight, y)
        return self._train(X, y, weights, fresh, "fit", fit_params)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **fit_params):
        """Train for ``max_epochs`` more epochs, initialising on the first call.

        ``classes`` (classifiers) lists every label the head will see;
        ``sample_weight`` is as in :meth:`fit`.
        """
        fresh = not self.initialized_
        if fresh:
            self._check_head_params()
        X, y = self._check_fit_data(X, y, reset=fresh, classes=classes)
        weights = self._check_weights(sample_weight, y)
        return self._train(X, y, weights, fresh, "partial_fit", fit_params)

    def _train(self, X, y, sample_weight, fresh, routing_method, fit_params):
        seed = self._seed() if fresh else None
        # Read by get_split_datasets, which skorch calls without it.
        self._fit_sample_weight = sample_weight
        try:
            with self._scoped_torch_seed(seed), self._torch_threads():
                if fresh:
                    self.initialize()
                with self._fitted_device():
                    skorch_partial_fit(super().partial_fit, X, y, routing_method, **fit_params)
        finally:
            # The matrix lives in the module now; do not pickle it twice.
            self.__dict__.pop("_embedding_weights_", None)
            self.__dict__.pop("_fit_sample_weight", None)
        return self

    def infer(self, x, **fit_params):
        """The module's output for a batch; sample weights stay out of ``forward``."""
        if isinstance(x, Mapping) and SAMPLE_WEIGHT in x:
            x = x[IDS]
        return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """The batch loss; with sample weights, the weighted mean of the samples' losses."""
        if not (isinstance(X, Mapping) and SAMPLE_WEIGHT in X):
            return super().get_loss(y_pred, y_true, X=X, training=training)
        criterion = self.criterion_
        if getattr(criterion, "reduction", None) != "mean":
            raise ValueError(
                f"sample_weight needs a criterion with reduction='mean' (it is computed per "
                f"sample, then weighted); {type(criterion).__name__} has "
                f"reduction={getattr(criterion, 'reduction', None)!r}."
            )
        y_pred, y_true = self._loss_inputs(y_pred, to_tensor(y_true, device=self.device))
        weight = X[SAMPLE_WEIGHT].to(y_pred.device)
        criterion.reduction = "none"
        try:
            losses = criterion(y_pred, y_true)
        finally:
            criterion.reduction = "mean"
        losses = losses.reshape(len(weight), -1).mean(dim=1)
        return (weight * losses).sum() / self._weight_normaliser(weight, y_true)

    def initialize(self):
        """Initialise callbacks, module, criterion and optimizer (called by ``fit``)."""
        self.device_ = resolve_device(self.device)
        return super().initialize()

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
            *self._valid_scoring_callbacks(),
            ("embedding_freezer", EmbeddingFreezer(epochs=frozen_epochs(self.freeze))),
        ]
        if self.train_split is not None:
            monitor, lower_is_better = self._stopping_score
            # Kim's (2014) recipe keeps the epoch with the best validation
            # *accuracy* and waits several epochs for it: validation loss turns
            # up while accuracy still climbs (the model grows confident on the
            # examples it gets right), so stopping on loss after 3 epochs, with
            # the learning rate cut by 5 after one bad epoch, ended training
            # 3-12 points short on short sentences.  Adam needs no schedule to
            # converge here; a user who wants one adds an ``LRScheduler``.
            callbacks.append(("early_stopping", ReportingEarlyStopping(
                monitor=monitor, lower_is_better=lower_is_better, patience=5,
                load_best=True,
            )))
        return callbacks + [("print_log", PrintLog())]

    #: The validation score early stopping follows, and whether lower is better.
    _stopping_score = ("valid_loss", True)

    def _valid_scoring_callbacks(self):
        return []

    def _check_weights(self, sample_weight, y):
        """``sample_weight`` checked against the encoded targets ``y``."""
        return check_sample_weight(sample_weight, len(y))

    def _loss_inputs(self, y_pred, y_true):
        """What the criterion is called with (classifiers adapt NLLLoss)."""
        return y_pred, y_true

    def _weight_normaliser(self, weight, y_true):
        """The denominator of the weighted mean loss."""
        return weight.sum()

    def _frozen_epochs(self):
        # An embedding learned from scratch has nothing to preserve: always train it.
        if not getattr(self, "pretrained_embedding_", True):
            return 0
        return frozen_epochs(self.freeze)

    def _module_kwargs(self):
        kwargs = {name: getattr(self, name) for name in self._module_shortcuts}
        weights = getattr(self, "_embedding_weights_", None)
        if hasattr(self, "num_embeddings_"):
            kwargs.update(
                num_embeddings=self.num_embeddings_,
                embedding_dim=self.embedding_dim if weights is None else weights.shape[1],
                embedding_weights=weights,
                output_size=self.n_outputs_,
            )
        kwargs.update(self.get_params_for("module"))
        if kwargs.get("num_embeddings") is None and kwargs.get("embedding_weights") is None:
            raise ValueError(
                f"{type(self).__name__} takes its vocabulary size and outputs from the "
                "data: call fit(X, y) rather than initialize(), or pass "
                "module__num_embeddings and module__output_size."
            )
        return kwargs

    def initialize_module(self):
        module = self.initialized_instance(self.module, self._module_kwargs())
        epochs = self._frozen_epochs()
        find_embedding(module).weight.requires_grad_(epochs == 0)
        self.module_ = module
        return self
