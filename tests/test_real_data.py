"""Full runs on the real datasets in the data folder (slow; run in CI with the rest)."""

import time

import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_embed import EmbeddingVectorizer, LexiconSentiment, TextCleaner
from sklearn_embed.datasets import load_corona_tweets, load_imdb
from tests.conftest import require_data

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


@pytest.mark.parametrize("n_classes, target", [(3, 0.90), (5, 0.70)])
def test_corona_tweets_vader_scores_and_boosting_reach_the_targets(n_classes, target):
    pytest.importorskip("vaderSentiment")
    require_data("corona_tweets.parquet")
    data = load_corona_tweets(n_classes=n_classes)
    cleaner = TextCleaner(fix_mojibake=False, hashtags="remove", abbreviations=False,
                          emojis="keep", lowercase=False, remove_symbols=False)
    pipe = make_pipeline(cleaner, LexiconSentiment(),
                         HistGradientBoostingClassifier(random_state=0))
    pipe.fit(data.X_train, data.y_train)
    accuracy = pipe.score(data.X_test, data.y_test)
    print(f"coronavirus tweets, {n_classes} classes: test accuracy {accuracy:.4f}")
    assert accuracy >= target
