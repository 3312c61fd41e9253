"""The issue's grid, as users write it: embedding source × freezing × head in one search."""

import os
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from sklearn_embed import EmbeddingVectorizer, SequenceIndexer, TextCleaner
from sklearn_embed.heads import CNNClassifier, LSTMClassifier

from ..conftest import pang_lee


def make_search(n_jobs):
    pipe = Pipeline([("clean", TextCleaner()),
                     ("features", SequenceIndexer(source="glove-6b-50d", maxlen=40)),
                     ("head", LSTMClassifier(max_epochs=2, random_state=0))])
    grid = [
        {"features": [EmbeddingVectorizer()], "features__source": ["glove-6b-50d", "random"],
         "head": [LogisticRegression(max_iter=1000)]},
        {"features__source": ["glove-6b-50d", "random"],
         "head": [LSTMClassifier(max_epochs=2, random_state=0),
                  CNNClassifier(max_epochs=2, random_state=0)],
         "head__freeze": [True, False]},
    ]
    return GridSearchCV(pipe, grid, cv=3, n_jobs=n_jobs)


def test_pang_lee_corpus_is_balanced():
    texts, labels = pang_lee()
    assert len(texts) == 200 and sorted(set(labels)) == ["neg", "pos"]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_over_source_freezing_and_head(n_jobs, tmp_path):
    texts, labels = pang_lee()
    search = make_search(n_jobs).fit(texts, labels)
    assert len(search.cv_results_["params"]) == 2 + 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_
    expected = best.predict_proba(texts)
    assert set(best.predict(texts)) <= {"neg", "pos"}

    path = tmp_path / "best.joblib"
    joblib.dump(best, path)
    np.save(tmp_path / "expected.npy", expected)
    code = textwrap.dedent(f"""
        import sys, joblib, numpy as np
        sys.path.insert(0, {os.getcwd()!r})
        from tests.heads.test_grid_search import pang_lee
        texts, _ = pang_lee()
        got = joblib.load({str(path)!r}).predict_proba(texts)
        np.testing.assert_array_equal(got, np.load({str(tmp_path / 'expected.npy')!r}))
        print("same")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "same" in result.stdout


def test_head_reads_the_indexers_matrix_in_a_pipeline():
    texts, labels = pang_lee()
    pipe = Pipeline([("features", SequenceIndexer(maxlen=30)),
                     ("head", CNNClassifier(max_epochs=1, random_state=0))]).fit(texts, labels)
    weights = pipe["head"].module_.embedding.weight.detach().cpu().numpy()
    np.testing.assert_array_equal(weights, pipe["features"].embedding_matrix_)
