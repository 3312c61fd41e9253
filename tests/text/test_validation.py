import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from sklearn_embed.text._validation import ReadOnceMixin, check_raw_documents


def test_a_generator_is_read_into_a_list():
    assert check_raw_documents(doc for doc in ["a", "b"]) == ["a", "b"]


def test_min_documents_names_the_estimator_and_the_parameter():
    with pytest.raises(ValueError, match=r"^This estimator needs at least 2 documents to fit, "
                                         r"but X has 1\. Check the input"):
        check_raw_documents(["a"], param_name="X", min_documents=2)
    assert check_raw_documents([], min_documents=0) == []


class _Counting(ReadOnceMixin, TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.n_fitted_ = len(check_raw_documents(X))
        return self

    def transform(self, X):
        return [len(doc) for doc in check_raw_documents(X)]


def test_fit_transform_reads_an_iterator_once():
    estimator = _Counting()
    assert estimator.fit_transform(doc for doc in ["a", "bb", "ccc"]) == [1, 2, 3]
    assert estimator.n_fitted_ == 3
    assert estimator.fit_transform(iter(["dddd"])) == [4]
