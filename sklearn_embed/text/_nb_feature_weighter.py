"""NBFeatureWeighter: naive Bayes log-count-ratio scaling of count features (NBSVM)."""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import ClassifierTags
from sklearn.utils.validation import check_is_fitted, validate_data

from .._compat import Interval, fit_context


class NBFeatureWeighter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each feature by its naive Bayes log-count ratio between two classes.

    The feature weighting of NBSVM (Wang & Manning, 2012): with ``p`` and ``q``
    the (smoothed) feature counts in the positive and the negative documents,
    ``r = log((p / |p|_1) / (q / |q|_1))`` and ``transform(X) = X * r``. Put it
    between a ``CountVectorizer``/``TfidfVectorizer`` and a linear model: a
    word that occurs only in positive reviews gets a large positive weight
    before the model sees it, which helps most with many rare n-grams.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive smoothing of the counts.
    binarize : bool, default=True
        Count documents containing a feature (as in NBSVM) rather than summing
        the feature's values.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; the second is the "positive" one.
    log_count_ratio_ : ndarray of shape (``n_features_in_``,)
        The weight of each feature.
    n_features_in_ : int

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : The features to weight.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_embed import NBFeatureWeighter
    >>> from sklearn.pipeline import make_pipeline
    >>> docs = ["great film", "great cast", "dull film", "dull plot"]
    >>> y = ["pos", "pos", "neg", "neg"]
    >>> pipe = make_pipeline(CountVectorizer(), NBFeatureWeighter(), LogisticRegression())
    >>> pipe.fit(docs, y).predict(["a great plot"]).tolist()
    ['pos']
    >>> weights = pipe[1].log_count_ratio_
    >>> bool(weights[pipe[0].vocabulary_["great"]] > 0 > weights[pipe[0].vocabulary_["dull"]])
    True
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="neither")],
        "binarize": ["boolean"],
    }

    def __init__(self, alpha=1.0, binarize=True):
        self.alpha = alpha
        self.binarize = binarize

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # made for CountVectorizer / TfidfVectorizer output
        tags.input_tags.positive_only = True  # counts or tf-idf
        tags.target_tags.required = True  # the ratios are between the classes of y
        # Binary by design (one log-count ratio per feature); scikit-learn's
        # common checks read this to give it two classes.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the log-count ratio of each feature.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative counts or weights.
        y : array-like of shape (n_samples,)
            Exactly two classes.

        Returns
        -------
        self : NBFeatureWeighter
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", reset=True)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError(
                f"NBFeatureWeighter needs exactly 2 classes in y, got {len(self.classes_)}: "
                f"{self.classes_.tolist()[:10]}. For more classes, weight one class against "
                "the rest inside a OneVsRestClassifier pipeline."
            )
        if (X.data if sp.issparse(X) else X).min(initial=0) < 0:
            raise ValueError(
                "Negative values in data passed to NBFeatureWeighter: it needs non-negative X "
                "(counts or tf-idf)."
            )
        counts = (X > 0).astype(np.float64) if self.binarize else X
        positive = np.asarray(counts[y_index == 1].sum(axis=0)).ravel() + self.alpha
        negative = np.asarray(counts[y_index == 0].sum(axis=0)).ravel() + self.alpha
        self.log_count_ratio_ = _log_share(positive) - _log_share(negative)
        return self

    def transform(self, X):
        """Multiply each feature by its log-count ratio.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, ``n_features_in_``)

        Returns
        -------
        X_weighted : sparse CSR matrix or ndarray, as X
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        if sp.issparse(X):
            return sp.csr_matrix(X.multiply(self.log_count_ratio_))
        return X * self.log_count_ratio_


def _log_share(counts):
    """``log(counts / counts.sum())`` without overflow or underflow.

    With ``alpha=1e308`` the sum overflows to inf; with ``alpha=5e-324`` a share
    underflows to 0.  Logs of the counts and of the sum scaled by the largest
    count stay finite for any ``alpha`` in (0, inf).
    """
    largest = counts.max()
    return np.log(counts) - (np.log(largest) + np.log((counts / largest).sum()))
