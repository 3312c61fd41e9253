"""Scaling out on dask: a grid search and a corpus transform on a two-process LocalCluster.

What is checked: the search on the cluster gives the cv_results_ of the local one;
what travels to a worker is the source's name (the pickle is small) and each worker
memory-maps the vectors itself; a worker that cannot find or verify a source is
named, with the source and the fix, before a search (check_sources_on_workers) or
by the search itself, which stops instead of scoring the worker's folds NaN.
"""

import os
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline

from sklearn_embed import (
    CNNClassifier,
    EmbeddingVectorizer,
    SequenceIndexer,
    SourceMismatchError,
    SourceMissingOnWorkerError,
    TextCleaner,
)
from sklearn_embed.sources import load_source, register_source, unregister_source
from sklearn_embed.utils import check_sources_on_workers, transform_partitions
from sklearn_embed.utils._distributed import named_sources
from tests.conftest import CORPUS, LABELS, TINY_WORDS

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

DOCS = CORPUS * 2
Y = LABELS * 2


def write_vectors(path, seed=0):
    rng = np.random.default_rng(seed)
    lines = [w + " " + " ".join(f"{x:.5f}" for x in rng.standard_normal(8)) for w in TINY_WORDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def worker_cache(tmp_path_factory):
    # The workers' own cache folder: a name registered on the client (in another
    # folder) is then missing on the workers, as on machines that share nothing.
    return tmp_path_factory.mktemp("worker_cache")


@pytest.fixture(scope="module")
def client(worker_cache):
    cluster = distributed.LocalCluster(
        processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None, env={"SKLEARN_EMBED_CACHE": str(worker_cache)},
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def search_space(vector_file):
    """A source × head grid: pooled vectors + logistic regression, sequences + CNN."""
    small = dict(max_epochs=1, train_split=None, random_state=0, num_filters=4, batch_size=8)
    pipe = Pipeline([("clean", TextCleaner()),
                     ("features", SequenceIndexer(str(vector_file), maxlen=8, random_state=0)),
                     ("head", CNNClassifier(**small))])
    grid = [
        {"features__source": [str(vector_file)], "head__freeze": [True, False]},
        {"features": [EmbeddingVectorizer(random_state=0)],
         "features__source": [str(vector_file), "random"],
         "head": [LogisticRegression()], "head__C": [0.1, 10.0]},
    ]
    return pipe, grid


def test_grid_search_on_the_cluster_equals_the_local_one(client, tmp_path):
    vector_file = write_vectors(tmp_path / "tiny.txt")
    pipe, grid = search_space(vector_file)
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    local = GridSearchCV(pipe, grid, cv=cv, n_jobs=1).fit(DOCS, Y)

    search = GridSearchCV(pipe, grid, cv=cv, error_score="raise")
    assert check_sources_on_workers(search, client) == [str(vector_file)]
    with joblib.parallel_backend("dask"):
        remote = search.fit(DOCS, Y)

    assert len(remote.cv_results_["params"]) == 6
    assert ([repr(p) for p in remote.cv_results_["params"]]
            == [repr(p) for p in local.cv_results_["params"]])
    for key in ["mean_test_score", "split0_test_score", "split1_test_score", "rank_test_score"]:
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key], key)
    # The fits really ran on the workers: each loaded the vector file itself.
    loaded = client.run(_has_loaded, str(vector_file))
    assert list(loaded.values()) == [True, True]


def _has_loaded(path):
    from sklearn_embed.sources import _loading

    return any(key[1:2] == (os.path.realpath(path),) for key in _loading._cache._items)


def test_the_pickle_carries_the_source_name_not_the_vectors():
    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d")).fit(DOCS)
    vectors = load_source("glove-6b-50d")
    size = len(pickle.dumps(pipe))
    assert size < 20_000 < vectors.vectors.nbytes // 1000
    assert isinstance(vectors.vectors, np.memmap)


def test_transform_partitions_on_the_cluster_equals_the_local_transform(client):
    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d",
                                                            pooling=("mean", "max"))).fit(DOCS)
    texts = pd.Series(DOCS * 5, index=pd.RangeIndex(100, 100 + 5 * len(DOCS)), name="text")
    ddf = dd.from_pandas(texts.to_frame(), npartitions=6)

    X = transform_partitions(pipe, ddf["text"])
    assert X.npartitions == 6
    assert list(X.columns) == list(pipe.get_feature_names_out())
    result = client.compute(X).result()
    expected = pipe.transform(texts)
    np.testing.assert_array_equal(result.to_numpy(), expected)
    assert result.index.equals(texts.index)
    assert (result.dtypes == np.float32).all()
    # Each worker memory-mapped GloVe once, into its process cache, by name.
    mapped = client.run(_glove_is_memory_mapped_here)
    assert list(mapped.values()) == [True, True]


def _glove_is_memory_mapped_here():
    from sklearn_embed.sources import _loading

    cached = _loading._cache._items.get(("glove-6b-50d",))
    return cached is not None and isinstance(cached.vectors, np.memmap)


def test_predict_and_predict_proba_partitions_equal_the_local_ones():
    pipe = make_pipeline(EmbeddingVectorizer(), LogisticRegression()).fit(DOCS, Y)
    texts = dd.from_pandas(pd.Series(DOCS), npartitions=3)
    proba = transform_partitions(pipe, texts, method="predict_proba").compute(scheduler="sync")
    np.testing.assert_allclose(proba.to_numpy(), pipe.predict_proba(DOCS))
    assert list(proba.columns) == ["neg", "pos"]
    predicted = transform_partitions(pipe, texts, method="predict").compute(scheduler="sync")
    assert predicted.name == "prediction"
    assert predicted.tolist() == pipe.predict(DOCS).tolist()


def test_transform_partitions_errors():
    vectorizer = EmbeddingVectorizer()
    texts = dd.from_pandas(pd.DataFrame({"text": DOCS}), npartitions=2)
    with pytest.raises(NotFittedError):
        transform_partitions(vectorizer, texts["text"])
    vectorizer.fit(DOCS)
    with pytest.raises(TypeError, match=r"dask Series of str.*got dask\..*DataFrame\. "
                                        r"Select the text column, e\.g\. ddf\['text'\]"):
        transform_partitions(vectorizer, texts)
    with pytest.raises(TypeError, match=r"got builtins\.list\.$"):
        transform_partitions(vectorizer, DOCS)
    with pytest.raises(ValueError, match=r"method must be one of .*got 'fit'"):
        transform_partitions(vectorizer, texts["text"], method="fit")
    with pytest.raises(ValueError, match=r"method='predict' needs a classifier.*"
                                         r"EmbeddingVectorizer has none\. Use method='transform'"):
        transform_partitions(vectorizer, texts["text"], method="predict")


def test_transform_partitions_refuses_a_dask_too_old(monkeypatch):
    import dask

    vectorizer = EmbeddingVectorizer().fit(DOCS)
    texts = dd.from_pandas(pd.Series(DOCS), npartitions=2)
    monkeypatch.setattr(dask, "__version__", "2025.4.1")
    with pytest.raises(ImportError, match=r"needs dask >= 2025\.7; this is dask 2025\.4\.1\. "
                                          r"Install it with: pip install \"sklearn_embed\[dask"):
        transform_partitions(vectorizer, texts)


def test_named_sources_lists_steps_grids_and_fitted_checksums(tmp_path):
    vector_file = write_vectors(tmp_path / "tiny.txt")
    fitted = make_pipeline(EmbeddingVectorizer(vector_file), LogisticRegression()).fit(DOCS, Y)
    assert named_sources(fitted) == [(str(vector_file), fitted[0].source_fingerprint_)]
    pipe, grid = search_space(vector_file)
    # The candidate step's own source (glove-6b-50d) is replaced by its grid's sources.
    assert named_sources(GridSearchCV(pipe, grid)) == [(str(vector_file), None)]
    del grid[1]["features__source"]
    found = named_sources(GridSearchCV(pipe, grid))
    assert found == [(str(vector_file), None), ("glove-6b-50d", None)]
    assert named_sources(SequenceIndexer(None)) == []
    # Named twice (a fitted step and the grid): listed once, with the fitted checksum.
    refit = GridSearchCV(fitted, {"embeddingvectorizer__source": [vector_file, "random"]})
    assert named_sources(refit) == [(str(vector_file), fitted[0].source_fingerprint_)]


@pytest.fixture
def registered_on_the_client_only(tmp_path, monkeypatch):
    # The client's cache folder is not the workers' (see worker_cache).
    monkeypatch.setenv("SKLEARN_EMBED_CACHE", str(tmp_path / "client_cache"))
    register_source("dask-test-tiny", load_source(write_vectors(tmp_path / "tiny.txt")))
    yield "dask-test-tiny"
    unregister_source("dask-test-tiny")


def test_a_worker_without_the_source_is_named_before_the_search(
        client, registered_on_the_client_only):
    name = registered_on_the_client_only
    pipe = make_pipeline(EmbeddingVectorizer(random_state=0), LogisticRegression())
    grid = {"embeddingvectorizer__source": [name, "random"]}
    GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(DOCS, Y)  # fine on the client

    with pytest.raises(SourceMismatchError, match=(
            r"(?s)2 of 2 dask workers cannot load the embedding sources that GridSearchCV "
            r"names:\n- worker tcp://127\.0\.0\.1:\d+ \(process \d+ on host .*\): "
            rf"source='{name}': Unknown embedding source '{name}'.*"
            r"Every worker needs what the client names: .*SKLEARN_EMBED_CACHE on a shared")):
        check_sources_on_workers(GridSearchCV(pipe, grid), client)

    # Without the check, the search itself stops at the first fold a worker
    # cannot fit, naming it, under the default error_score as under "raise":
    # never a NaN score for that candidate and a "best" among the others.
    for error_score in (np.nan, "raise"):
        with joblib.parallel_backend("dask"), pytest.raises(
                SourceMissingOnWorkerError, match=(
                    rf"(?s)Process \d+ on host .*, dask worker tcp://127\.0\.0\.1:\d+ cannot load "
                    rf"the embedding source '{name}': Unknown embedding source '{name}'"
                    r".*Every worker needs what the client names.*check_sources_on_workers")):
            GridSearchCV(pipe, grid, cv=2, error_score=error_score).fit(DOCS, Y)


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_missing_source_fails_as_before_outside_a_worker(tmp_path):
    # Only a dask worker escalates: a local search keeps scikit-learn's rules.
    pipe = make_pipeline(EmbeddingVectorizer(str(tmp_path / "absent.txt")),
                         LogisticRegression())
    grid = {"embeddingvectorizer__source": [str(tmp_path / "absent.txt"), "random"]}
    with pytest.warns(FitFailedWarning, match="no file at"):
        search = GridSearchCV(pipe, grid, cv=2).fit(DOCS, Y)
    assert np.isnan(search.cv_results_["mean_test_score"][0])
    with pytest.raises(FileNotFoundError, match="absent.txt"):
        pipe.fit(DOCS, Y)


def test_a_fitted_pipeline_whose_file_is_gone_fails_naming_the_worker(client, tmp_path):
    vector_file = write_vectors(tmp_path / "moved.txt")
    pipe = make_pipeline(EmbeddingVectorizer(str(vector_file))).fit(DOCS)
    texts = dd.from_pandas(pd.Series(DOCS), npartitions=2)
    vector_file.rename(tmp_path / "elsewhere.txt")

    with pytest.raises(SourceMismatchError, match=(
            r"(?s)worker tcp://127\.0\.0\.1:\d+.*source='.*moved\.txt': Embedding source "
            r"'.*moved\.txt': no file at")):
        check_sources_on_workers(pipe, client)
    with pytest.raises(SourceMismatchError, match=(
            r"needs the embedding source '.*moved\.txt', which cannot be loaded here: .* "
            r"\(Here is process \d+ on host .*, dask worker tcp://127\.0\.0\.1:\d+\.\) "
            r"Install or restore it")):
        client.compute(transform_partitions(pipe, texts)).result()


def test_a_worker_with_other_vectors_under_the_same_path_is_named(client, tmp_path):
    vector_file = write_vectors(tmp_path / "same_name.txt")
    pipe = make_pipeline(EmbeddingVectorizer(str(vector_file))).fit(DOCS)
    write_vectors(vector_file, seed=1)
    with pytest.raises(SourceMismatchError, match=(
            r"source='.*same_name\.txt' differs from the one the estimator was fitted on "
            r"\(checksum \w+ instead of \w+\)")):
        check_sources_on_workers(pipe, client)
