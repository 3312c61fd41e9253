"""Scaling out on dask: vectorising 100,000 IMDB reviews and a grid search, local vs cluster.

Usage::

    python -m benchmarks.speed.bench_distributed                 # 100,000 reviews, best of 3
    python -m benchmarks.speed.bench_distributed --n-docs 10000 --repeat 1

Two tables, each against a baseline measured in the same run:

1. ``EmbeddingVectorizer("glove-6b-50d").transform`` of the IMDB train + test + unsup
   texts (100,000 reviews) in this process, against ``transform_partitions`` on a
   ``LocalCluster`` of ``--workers`` worker processes (one thread each).  The texts are
   put on the cluster first (``persist``), as when they are read there from Parquet; the
   result stays there (``persist``, the case of writing it out) or comes back
   (``compute``).  The first cluster run, where every worker memory-maps GloVe, is
   reported apart.
2. ``GridSearchCV`` over source x ``C`` (``EmbeddingVectorizer`` + ``LogisticRegression``,
   ``--grid-docs`` training reviews, 3 folds) with ``n_jobs=1`` against the same search
   under ``joblib.parallel_backend("dask")``, and with ``n_jobs=2`` (loky) for reference.

Both speed-ups are bounded by the cores of the machine: a ``LocalCluster`` on two cores
cannot beat two loky processes, and what it adds is running on many machines.  The
machine's load average is printed with the tables; compare ratios, not seconds.
"""

import argparse
import os
import time

import numpy as np

from benchmarks._common import print_table


def best_of(fn, repeat, between=None):
    times = []
    for _ in range(repeat):
        if between is not None:
            between()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _n_tasks(dask_scheduler):
    return len(dask_scheduler.tasks)


def timed(rows, label, seconds):
    """Append a row, and print it at once: on a busy machine a run takes minutes."""
    rows.append((label, seconds))
    print(f"  {label}: {seconds:.2f} s", flush=True)


def load_texts(data_home, n_docs):
    from sklearn_embed.datasets import load_imdb, load_imdb_unsup

    data = load_imdb(data_home)
    texts = data.X_train + data.X_test + load_imdb_unsup(data_home)
    return texts[:n_docs], data


def vectorise_rows(texts, client, args):
    import dask.dataframe as dd
    import pandas as pd
    from distributed import wait

    from sklearn_embed import EmbeddingVectorizer
    from sklearn_embed.utils import check_sources_on_workers, transform_partitions

    vectorizer = EmbeddingVectorizer("glove-6b-50d").fit(texts[:100])
    local = best_of(lambda: vectorizer.transform(texts), args.repeat)
    rows = []
    timed(rows, "this process, n_jobs=None (baseline)", local)
    vectorizer.set_params(n_jobs=args.workers)
    vectorizer.transform(texts[:100])  # start the loky workers outside the timing
    timed(rows, f"this process, n_jobs={args.workers} (loky)",
          best_of(lambda: vectorizer.transform(texts), args.repeat))
    vectorizer.set_params(n_jobs=None)

    series = pd.Series(texts, name="text")
    on_cluster = dd.from_pandas(series, npartitions=args.partitions).persist()
    wait(on_cluster)

    baseline_tasks = client.run_on_scheduler(_n_tasks)

    held = []

    def released():
        # The graph's keys are deterministic: a result still held on the cluster
        # would be found, not computed, by the next run.
        while held:
            client.cancel(held.pop())
        while client.run_on_scheduler(_n_tasks) > baseline_tasks:
            time.sleep(0.05)

    def persist():
        X = transform_partitions(vectorizer, on_cluster).persist()
        wait(X)
        held.append(X)

    def compute():
        return transform_partitions(vectorizer, on_cluster).compute()

    start = time.perf_counter()
    persist()  # every worker loads GloVe here, once
    timed(rows, f"dask, {args.workers} workers, first run (loads GloVe)",
          time.perf_counter() - start)
    released()
    check_sources_on_workers(vectorizer, client)
    timed(rows, f"dask, {args.workers} workers, persist",
          best_of(persist, args.repeat, between=released))
    timed(rows, f"dask, {args.workers} workers, compute to the client",
          best_of(compute, args.repeat, between=released))
    got = compute()
    assert np.array_equal(got.to_numpy(), vectorizer.transform(texts))
    return [(label, f"{seconds:.2f}", f"{seconds / local:.2f}x") for label, seconds in rows]


def grid_rows(data, args):
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from sklearn_embed import EmbeddingVectorizer

    pick = np.random.default_rng(0).permutation(len(data.X_train))[: args.grid_docs]
    X = [data.X_train[i] for i in pick]
    y = data.y_train[pick]
    pipe = make_pipeline(EmbeddingVectorizer(random_state=0), LogisticRegression(max_iter=1000))
    grid = {"embeddingvectorizer__source": ["glove-6b-50d", "random"],
            "logisticregression__C": [0.1, 1.0, 10.0]}

    def search(**kwargs):
        return GridSearchCV(pipe, grid, cv=3, error_score="raise", **kwargs).fit(X, y)

    local = best_of(lambda: search(n_jobs=1), args.repeat)
    rows = []
    timed(rows, "GridSearchCV n_jobs=1 (baseline)", local)
    reference = search(n_jobs=1).cv_results_["mean_test_score"]
    timed(rows, "GridSearchCV n_jobs=2 (loky)", best_of(lambda: search(n_jobs=2), args.repeat))
    with joblib.parallel_backend("dask"):
        search()  # warm: the workers load GloVe once
        timed(rows, f"GridSearchCV, dask backend, {args.workers} workers",
              best_of(search, args.repeat))
        assert np.array_equal(search().cv_results_["mean_test_score"], reference)
    return [(label, f"{seconds:.2f}", f"{seconds / local:.2f}x") for label, seconds in rows]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--n-docs", type=int, default=100_000,
                        help="reviews to vectorise (IMDB train, then test, then unsup)")
    parser.add_argument("--grid-docs", type=int, default=5_000,
                        help="training reviews of the grid search")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per row")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    texts, data = load_texts(args.data_home, args.n_docs)
    print(f"IMDB train + test + unsup: {len(texts)} reviews; best of {args.repeat}; "
          f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with LocalCluster(processes=True, n_workers=args.workers, threads_per_worker=1,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        vectorise = vectorise_rows(texts, client, args)
        print_table(["EmbeddingVectorizer('glove-6b-50d').transform", "seconds",
                     "vs baseline"], vectorise, title=f"Vectorising {len(texts)} reviews")
        grid = grid_rows(data, args)
        print_table(["6 candidates x 3 folds", "seconds", "vs baseline"], grid,
                    title=f"Grid search, {args.grid_docs} training reviews")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
