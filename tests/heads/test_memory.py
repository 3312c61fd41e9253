"""A fitted head is freed as soon as its last reference goes.

A head in a reference cycle waits for Python's cyclic garbage collector, which
counts Python objects, not bytes: a cross-validation of a bag head with
2,000,000 bigram buckets kept every fold's 1.2 GB of tensors and was killed at
23 GB.  The cycle was the scoring callbacks' target decoder, a bound method of
the net.
"""

import gc
import weakref

import pytest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_embed import SequenceIndexer
from sklearn_embed.heads import (
    BagOfEmbeddingsClassifier,
    BagOfEmbeddingsRegressor,
    CNNClassifier,
    CNNRegressor,
    LSTMClassifier,
    LSTMRegressor,
)
from tests.conftest import CORPUS, LABELS
from tests.heads._marker_data import make_data

HEADS = [BagOfEmbeddingsClassifier, BagOfEmbeddingsRegressor, CNNClassifier, CNNRegressor,
         LSTMClassifier, LSTMRegressor]
SMALL = {"max_epochs": 2, "random_state": 0}


@pytest.fixture(autouse=True)
def collector_off():
    # torch imports torch._dynamo on the first optimizer a process builds, and
    # one frame of that import sits in a cycle with its callers (torch.fx's
    # wrap keeps inspect.currentframe()): the first head fitted in a process
    # waits for the collector through no fault of its own.  Fit one first.
    X, y = make_data(n=40)
    CNNClassifier(max_epochs=1, train_split=None, random_state=0).fit(X, y)
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("head", HEADS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("freeze", [True, 1])
def test_a_fitted_head_is_freed_without_the_cyclic_collector(head, freeze):
    X, y = make_data()
    fitted = head(freeze=freeze, **SMALL).fit(X, y if "Classifier" in head.__name__ else y * 1.0)
    module = weakref.ref(fitted.module_)
    del fitted
    assert module() is None


def test_cross_validation_keeps_one_fold_of_tensors_at_a_time():
    folds, alive_before = [], []

    class Watch(BagOfEmbeddingsClassifier):
        def fit(self, X, y, **fit_params):
            super().fit(X, y, **fit_params)
            # The earlier folds were scored and dropped by cross_validate.
            alive_before.append(sum(module() is not None for module in folds))
            folds.append(weakref.ref(self.module_))
            return self

    pipe = make_pipeline(SequenceIndexer("glove-6b-50d", maxlen=8), Watch(**SMALL))
    # error_score="raise": a failing fit must fail the test, not score NaN.
    cross_val_score(pipe, CORPUS * 4, LABELS * 4, cv=4, error_score="raise")
    assert alive_before == [0, 0, 0, 0]
