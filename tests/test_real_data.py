"""Full runs on the real datasets in the data folder (slow; run in CI with the rest)."""

import time

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_embed import EmbeddingVectorizer, TextCleaner
from sklearn_embed.datasets import load_imdb

from .conftest import require_data

pytestmark = pytest.mark.slow


def test_imdb_glove_mean_logistic_regression_reaches_74_percent():
    require_data("imdb.parquet")
    data = load_imdb()
    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d"),
                         LogisticRegression(max_iter=1000))
    start = time.perf_counter()
    pipe.fit(data.X_train, data.y_train)
    accuracy = pipe.score(data.X_test, data.y_test)
    print(f"IMDB test accuracy {accuracy:.4f}, fit+score {time.perf_counter() - start:.1f} s")
    assert accuracy >= 0.74
