"""The short-sentence benchmarks of Kim (2014) on their fixed folds (slow: real data).

The full 10-fold figures come from ``benchmarks/accuracy/kim_short_sentences.py``; this
checks its n-gram row (word 1-3-grams + character 2-5-grams, naive Bayes weighting,
logistic regression: no sentence encoder, so it stays under a minute) on the first two
folds of CR, against a bound just below what the benchmark measured on the same folds.
"""

import time

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit
from sklearn.pipeline import FeatureUnion, make_pipeline

from sklearn_embed import NBFeatureWeighter
from sklearn_embed.datasets import load_short_sentences
from tests.conftest import require_data

pytestmark = pytest.mark.slow


def _ngrams_nb_lr():
    ngrams = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 3), token_pattern=r"\S+", sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                  sublinear_tf=True)),
    ])
    return make_pipeline(ngrams, NBFeatureWeighter(), LogisticRegression(C=4, solver="liblinear"))


def test_cr_word_and_char_ngrams_nb_logistic_regression_on_two_folds():
    require_data("cr.parquet")
    data = load_short_sentences("cr")
    X, y = np.asarray(data.X, dtype=object), np.asarray(data.y)
    scores = []
    start = time.perf_counter()
    for k, (train, test) in enumerate(PredefinedSplit(data.fold).split()):
        if k == 2:
            break
        pipe = _ngrams_nb_lr().fit(list(X[train]), y[train])
        scores.append(pipe.score(list(X[test]), y[test]))
    print(f"CR folds 0-1: {scores}, {time.perf_counter() - start:.1f} s")
    # Measured 82.3 and 81.2 % (mean 81.75); NBSVM's published 10-fold figure is 81.8.
    assert np.mean(scores) >= 0.81
    assert min(scores) >= 0.80
