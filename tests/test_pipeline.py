"""The estimators inside Pipeline, GridSearchCV and joblib, as users combine them."""

import os
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline

from sklearn_embed import EmbeddingVectorizer, SourceMismatchError, TextCleaner
from tests.conftest import CORPUS, LABELS

DOCS = CORPUS * 3
Y = LABELS * 3


def _pipeline(source="glove-6b-50d"):
    return make_pipeline(TextCleaner(), EmbeddingVectorizer(source),
                         LogisticRegression(max_iter=1000))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search_over_source_and_pooling(n_jobs):
    pipe = Pipeline([("clean", TextCleaner()), ("embeddingvectorizer", EmbeddingVectorizer()),
                     ("clf", LogisticRegression(max_iter=1000))])
    grid = {"embeddingvectorizer__source": ["glove-6b-50d", "random"],
            "embeddingvectorizer__pooling": ["mean", ("mean", "max")],
            "embeddingvectorizer__random_state": [0]}
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=n_jobs).fit(DOCS, Y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.score(DOCS, Y) >= 0.5


def _run_fresh(code):
    """Run ``code`` in a new interpreter, so nothing is cached from this process."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            capture_output=True, text=True, timeout=300)
    return result


def test_joblib_round_trip_in_a_fresh_process(tmp_path):
    pipe = _pipeline().fit(DOCS, Y)
    path = tmp_path / "model.joblib"
    joblib.dump(pipe, path)
    assert os.path.getsize(path) <= 5 * 1024 * 1024
    np.save(tmp_path / "expected.npy", pipe.predict_proba(DOCS))
    result = _run_fresh(f"""
        import joblib, numpy as np, sys
        sys.path.insert(0, {os.getcwd()!r})
        from tests.conftest import CORPUS
        pipe = joblib.load({str(path)!r})
        np.testing.assert_array_equal(pipe.predict_proba(CORPUS * 3),
                                      np.load({str(tmp_path / 'expected.npy')!r}))
        print("same")
    """)
    assert result.returncode == 0, result.stderr
    assert "same" in result.stdout


def test_pickle_does_not_hold_the_vectors():
    vec = EmbeddingVectorizer().fit(CORPUS)
    assert len(joblib.numpy_pickle.pickle.dumps(vec)) < 10_000


def test_missing_source_after_loading_is_named(tmp_path, tiny_vectors_file):
    pipe = _pipeline(str(tiny_vectors_file)).fit(DOCS, Y)
    path = tmp_path / "model.joblib"
    joblib.dump(pipe, path)
    os.remove(tiny_vectors_file)
    result = _run_fresh(f"""
        import joblib
        joblib.load({str(path)!r}).predict(["a great film"])
    """)
    assert result.returncode != 0
    assert "SourceMismatchError" in result.stderr
    assert "needs the embedding source" in result.stderr and "tiny_glove.txt" in result.stderr


def test_changed_source_after_loading_is_detected(tmp_path, tiny_vectors_file):
    pipe = _pipeline(str(tiny_vectors_file)).fit(DOCS, Y)
    blob = tmp_path / "model.joblib"
    joblib.dump(pipe, blob)
    text = tiny_vectors_file.read_text().replace("0.", "1.")
    tiny_vectors_file.write_text(text)
    restored = joblib.load(blob)
    with pytest.raises(SourceMismatchError, match="has changed since this EmbeddingVectorizer"):
        restored.predict(["a great film"])


def test_cloned_pipeline_does_not_copy_vectors():
    from sklearn.base import clone

    pipe = _pipeline().fit(DOCS, Y)
    assert "_vectors" not in vars(clone(pipe)[1])
