"""Classifier and regressor behaviour of the heads: labels, class weights, targets."""

import numpy as np
import torch
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import check_array
from skorch.callbacks import EpochScoring
from skorch.utils import to_numpy

from .._compat import StrOptions
from ._base import HeadMixin


def _encoded_accuracy(net, X, y):
    # The scorer sees encoded targets, not the labels that predict returns.
    return float(np.mean(net.predict_proba(X).argmax(axis=1) == to_numpy(y)))


class ClassifierHeadMixin(HeadMixin):
    """Label encoding, class weights and accuracy for classifier heads."""

    _stratify = True
    _parameter_constraints = {
        **HeadMixin._parameter_constraints,
        "class_weight": [StrOptions({"balanced"}), dict, None],
    }

    @property
    def classes_(self):
        """The labels seen at fit, sorted; columns of ``predict_proba``."""
        return self.label_encoder_.classes_

    def _check_targets(self, y, *, reset, classes=None):
        y = column_or_1d(np.asarray(y), warn=True)
        if not reset:
            return self._encode_known(y, "y")
        if len(y) == 0:
            raise ValueError("y is empty; at least two samples of two classes are needed.")
        labels = classes if classes is not None else self.classes
        encoder = LabelEncoder().fit(y if labels is None else np.asarray(labels))
        if len(encoder.classes_) < 2:
            raise ValueError(
                f"y contains a single class ({encoder.classes_.tolist()[0]!r}); a classifier needs "
                "at least two classes."
            )
        self.label_encoder_ = encoder
        self.n_outputs_ = len(encoder.classes_)
        y_encoded = self._encode_known(y, "y")
        self.class_weight_ = (
            None if self.class_weight is None
            else compute_class_weight(self.class_weight, classes=encoder.classes_, y=y)
            .astype(np.float32)
        )
        return y_encoded

    def _encode_known(self, y, name):
        known = set(self.classes_.tolist())
        unseen = sorted({label for label in y.tolist() if label not in known}, key=str)
        if unseen:
            raise ValueError(
                f"{name} contains labels unseen at fit: {unseen[:10]}; the classifier was "
                f"fitted with classes {self.classes_.tolist()}."
            )
        return self.label_encoder_.transform(y).astype(np.int64)

    def _valid_scoring_callbacks(self):
        return [("valid_acc", EpochScoring(
            _encoded_accuracy, name="valid_acc", lower_is_better=False
        ))]

    def initialize_criterion(self):
        kwargs = self.get_params_for("criterion")
        weight = getattr(self, "class_weight_", None)
        if weight is not None and "weight" not in kwargs:
            kwargs["weight"] = torch.as_tensor(weight)
        self.criterion_ = self.initialized_instance(self.criterion, kwargs)
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        return super().predict_proba(X)

    def predict(self, X):
        """Predicted labels, of the same type as those given to ``fit``."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def score(self, X, y, sample_weight=None):
        """Accuracy; labels not seen at fit raise a ``ValueError``."""
        self.check_is_fitted()
        self._encode_known(column_or_1d(np.asarray(y)), "y")
        return super().score(X, y, sample_weight=sample_weight)


class RegressorHeadMixin(HeadMixin):
    """Float targets shaped (n, n_outputs) for regressor heads."""

    _stratify = False

    def _check_targets(self, y, *, reset, classes=None):
        y = check_array(y, ensure_2d=False, dtype=np.float32, input_name="y")
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2:
            raise ValueError(f"y must be 1-d or 2-d, got shape {y.shape}.")
        if reset:
            self.n_outputs_ = y.shape[1]
        elif y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} columns but the head was fitted with {self.n_outputs_}."
            )
        return y

    def predict(self, X):
        """Predicted values, 1-d when the head was fitted on a 1-d ``y``."""
        y = super().predict(X)
        return y.reshape(-1) if self.n_outputs_ == 1 else y
