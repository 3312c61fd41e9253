import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sklearn_embed import NBFeatureWeighter
from sklearn_embed._compat import InvalidParameterError


def test_sklearn_conventions():
    # sklearn's parametrize_with_checks feeds 3-class targets and negative data to
    # transformers, which a two-class NB weighting refuses by design; the
    # conventions that apply are checked here.
    X, y = np.abs(np.random.default_rng(0).standard_normal((20, 4))), [0, 1] * 10
    weighter = NBFeatureWeighter(alpha=0.5)
    assert clone(weighter).get_params() == {"alpha": 0.5, "binarize": True}
    with pytest.raises(NotFittedError):
        weighter.transform(X)
    assert weighter.fit(X, y) is weighter and weighter.n_features_in_ == 4
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(weighter)).transform(X),
                                  weighter.transform(X))
    assert list(weighter.get_feature_names_out()) == ["x0", "x1", "x2", "x3"]
    with pytest.raises(ValueError, match="X has 3 features, but NBFeatureWeighter is expecting 4"):
        weighter.transform(X[:, :3])
    with pytest.raises(InvalidParameterError, match="alpha"):
        NBFeatureWeighter(alpha=0).fit(X, y)


def test_log_count_ratio_by_hand():
    X = np.array([[1, 0, 2], [1, 0, 0], [0, 3, 1], [0, 1, 0]])
    y = ["pos", "pos", "neg", "neg"]
    weighter = NBFeatureWeighter(alpha=1.0).fit(X, y)
    # documents containing each feature, +1: pos [3, 1, 2], neg [1, 3, 2]
    p, q = np.array([3, 1, 2]) / 6, np.array([1, 3, 2]) / 6
    np.testing.assert_allclose(weighter.log_count_ratio_, np.log(p / q))
    np.testing.assert_allclose(weighter.transform(X), X * np.log(p / q))
    assert list(weighter.classes_) == ["neg", "pos"]


def test_sparse_in_sparse_out():
    X = sp.csr_matrix(np.array([[1.0, 0], [0, 2.0]]))
    out = NBFeatureWeighter().fit(X, [0, 1]).transform(X)
    assert sp.issparse(out) and out.shape == (2, 2)


def test_unbinarized_counts_sum_values():
    X = np.array([[3.0, 0], [0, 1.0]])
    weighter = NBFeatureWeighter(binarize=False).fit(X, [1, 0])
    np.testing.assert_allclose(weighter.log_count_ratio_,
                               np.log(np.array([4, 1]) / 5) - np.log(np.array([1, 2]) / 3))


def test_more_than_two_classes_is_refused():
    with pytest.raises(ValueError, match="needs exactly 2 classes in y, got 3"):
        NBFeatureWeighter().fit(np.eye(3), [0, 1, 2])


def test_negative_features_are_refused():
    with pytest.raises(ValueError, match="Negative values in data .* needs non-negative X"):
        NBFeatureWeighter().fit(np.array([[-1.0], [1.0]]), [0, 1])


@pytest.mark.parametrize("alpha", [1e308, 5e-324, 1e-300])
def test_extreme_alpha_gives_finite_weights(alpha):
    X = np.array([[1, 0, 2], [1, 0, 0], [0, 3, 1], [0, 1, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or divide-by-zero on the way
        weighter = NBFeatureWeighter(alpha=alpha).fit(X, [1, 1, 0, 0])
    assert np.isfinite(weighter.log_count_ratio_).all()
    assert np.isfinite(weighter.transform(X)).all()
    if alpha > 1:  # the smoothing swamps the counts: no feature leans either way
        np.testing.assert_allclose(weighter.log_count_ratio_, 0, atol=1e-12)


def test_infinite_alpha_is_refused():
    with pytest.raises(InvalidParameterError, match=r"'alpha' parameter .* range \(0.0, inf\)"):
        NBFeatureWeighter(alpha=float("inf")).fit(np.eye(2), [0, 1])
