"""Running fitted pipelines and searches on a dask cluster.

What travels to a worker is the pickled estimator: source *names* and
checksums, never vectors (``_not_pickled``).  Each worker process memory-maps
a source once, into its own process cache, on first use.  Two things follow,
and each has a helper here:

- a worker must be able to find the source under the same name
  (:func:`check_sources_on_workers` says, before a search starts, which
  worker cannot, and why);
- dask's ``map_partitions`` cannot infer the output of a text estimator by
  calling it on made-up data (it fails on the missing values of its sample
  partition), so :func:`transform_partitions` declares the output instead.
"""

import os

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .._cache import describe_this_process
from .._optional import import_optional
from ..exceptions import SourceMismatchError
from ..sources import is_trained_source, load_source
from ..sources._loading import WORKER_FIX as _FIX

METHODS = ("transform", "predict", "predict_proba")
# The first dask whose map_partitions evaluates a Delayed argument (checked down
# to 2025.1: 2025.1-2025.4 hand the Delayed itself to the function).
_DASK_FLOOR = (2025, 7)


def transform_partitions(estimator, texts, *, method="transform"):
    """Apply a fitted estimator to every partition of a dask Series of texts.

    The estimator is put in the task graph once (a ``dask.delayed`` value), so
    it is sent to each worker once, not with every task; it carries the name
    and checksum of its embedding source, and each worker process
    memory-maps the vectors once, into its process cache, on first use.  The
    output is declared from the fitted estimator (feature names, classes), so
    dask never calls the estimator on made-up data to guess it.

    Parameters
    ----------
    estimator : fitted estimator or Pipeline
        Takes raw text: an :class:`~sklearn_embed.EmbeddingVectorizer`, or a
        pipeline that starts with one (or with a
        :class:`~sklearn_embed.TextCleaner`).
    texts : dask Series of str
        One text column, e.g. ``ddf["text"]``; missing texts must be filled
        first (``ddf["text"].fillna("")``).
    method : {"transform", "predict", "predict_proba"}, default="transform"
        What to compute for each partition.

    Returns
    -------
    result : dask DataFrame or dask Series
        With the index of ``texts``. ``"transform"``: a float32 DataFrame
        whose columns are ``estimator.get_feature_names_out()``;
        ``"predict"``: a Series of labels named ``"prediction"``;
        ``"predict_proba"``: a float64 DataFrame with one column per class
        (``estimator.classes_``).  Nothing runs until ``.compute()`` (or
        ``.to_parquet(...)``).

    Raises
    ------
    ValueError
        When ``method`` is not one of the above.
    TypeError
        When ``texts`` is not a dask Series.
    ImportError
        When dask is missing or older than 2025.7.
    sklearn.exceptions.NotFittedError
        When ``estimator`` is not fitted.

    See Also
    --------
    check_sources_on_workers : Whether every worker finds the sources.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from sklearn_embed import EmbeddingVectorizer
    >>> from sklearn_embed.utils import transform_partitions
    >>> vectorizer = EmbeddingVectorizer().fit(["a great movie"])
    >>> texts = dd.from_pandas(pd.Series(["a great movie", "a dull film", "what a cast"]),
    ...                        npartitions=2)
    >>> X = transform_partitions(vectorizer, texts)
    >>> X.columns[:2].tolist(), X.npartitions
    (['mean0', 'mean1'], 2)
    >>> X.compute(scheduler="sync").shape
    (3, 50)
    """
    import_optional("dask.dataframe", needed_by="transform_partitions", extra="dask")
    import dask
    import dask.dataframe as dd

    if _release(dask.__version__) < _DASK_FLOOR:
        # Older dask passes the delayed estimator to the tasks unevaluated.
        raise ImportError(
            f"transform_partitions needs dask >= {'.'.join(map(str, _DASK_FLOOR))}; this is "
            f'dask {dask.__version__}. Install it with: pip install "sklearn_embed[dask]"'
        )
    if method not in METHODS:
        raise ValueError(
            f"transform_partitions: method must be one of {METHODS}; got {method!r}."
        )
    if not isinstance(texts, dd.Series):
        fix = (" Select the text column, e.g. ddf['text']."
               if isinstance(texts, dd.DataFrame) else "")
        raise TypeError(
            "transform_partitions: texts must be a dask Series of str (one column of a "
            f"dask DataFrame); got {type(texts).__module__}.{type(texts).__name__}.{fix}"
        )
    check_is_fitted(estimator)
    meta = _output_meta(estimator, method, texts._meta.index)
    # One key in the graph: workers fetch it once and share it between their
    # tasks, where an argument passed as is would be pickled into every task.
    shipped = dask.delayed(estimator, pure=True)
    return texts.map_partitions(_apply, shipped, method, meta, meta=meta)


def _release(version):
    """``"2025.7.0"`` -> ``(2025, 7)``: calendar versions, compared by year and month."""
    return tuple(int(part) for part in version.split(".")[:2])


def _output_meta(estimator, method, index):
    """The empty pandas object each partition's result looks like."""
    empty = index[:0]
    if method == "transform":
        columns = [str(name) for name in estimator.get_feature_names_out()]
        return pd.DataFrame(np.zeros((0, len(columns)), np.float32), index=empty,
                            columns=columns)
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        raise ValueError(
            f"transform_partitions: method={method!r} needs a classifier (an estimator with "
            f"classes_); {type(estimator).__name__} has none. Use method='transform'."
        )
    if method == "predict":
        return pd.Series(np.asarray(classes)[:0], index=empty, name="prediction")
    return pd.DataFrame(np.zeros((0, len(classes))), index=empty,
                        columns=[str(c) for c in classes])


def _apply(part, estimator, method, meta):
    result = getattr(estimator, method)(part.tolist())
    if isinstance(meta, pd.Series):
        return pd.Series(result, index=part.index, name=meta.name).astype(meta.dtype)
    # Cast to the declared dtype: skorch heads return float32 probabilities,
    # scikit-learn's classifiers float64, and every partition must agree.
    return pd.DataFrame(np.asarray(result, dtype=meta.dtypes.iloc[0]), index=part.index,
                        columns=meta.columns)


def check_sources_on_workers(estimator, client=None):
    """Raise unless every dask worker can load the embedding sources ``estimator`` names.

    ``GridSearchCV`` records a fit that raises as a score of ``NaN`` (its
    ``error_score``) with a ``FitFailedWarning``: a worker that lacks a vector
    file would spoil its share of the folds quietly.  Call this before the
    search: each worker loads (memory-maps) every source named by the
    estimator's steps and by its parameter grid, and for a fitted estimator
    compares the checksum recorded at ``fit``.  The sources then stay in the
    workers' process caches, so the search's first fits do not load them again.

    Trained sources (``"random"``, ``"word2vec"``) and vectors given as
    objects travel with the estimator and are not checked.

    Parameters
    ----------
    estimator : estimator, Pipeline or search (GridSearchCV, RandomizedSearchCV)
        For a search, its ``estimator`` and the sources in its ``param_grid``
        (or the lists of its ``param_distributions``).
    client : distributed.Client, default=None
        The cluster to check; by default the current client
        (``distributed.get_client()``).

    Returns
    -------
    sources : list of str
        The sources checked, in the order they were found.

    Raises
    ------
    SourceMismatchError
        Naming each worker (address and host) that cannot load a source, the
        source, the reason it gave (a missing file, a package to install) and
        the fix.

    See Also
    --------
    transform_partitions : Apply a fitted estimator to a dask Series of texts.

    Examples
    --------
    A cluster of one worker thread, here; a search whose grid names a file the
    workers lack:

    >>> from distributed import Client, LocalCluster
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_embed import EmbeddingVectorizer
    >>> from sklearn_embed.utils import check_sources_on_workers
    >>> pipe = make_pipeline(EmbeddingVectorizer(), LogisticRegression())
    >>> cluster = LocalCluster(processes=False, n_workers=1, dashboard_address=None)
    >>> client = Client(cluster)
    >>> check_sources_on_workers(GridSearchCV(pipe, {
    ...     "embeddingvectorizer__source": ["glove-6b-50d", "random"]}))
    ['glove-6b-50d']
    >>> check_sources_on_workers(GridSearchCV(pipe, {  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    ...     "embeddingvectorizer__source": ["glove-6b-50d", "/shared/vectors.txt"]}))
    Traceback (most recent call last):
    ...
    sklearn_embed.exceptions.SourceMismatchError: 1 of 1 dask workers cannot load the
    embedding sources that GridSearchCV names:
    - worker inproc://... (process ... on host ...): source='/shared/vectors.txt': Embedding
    source '/shared/vectors.txt': no file at '/shared/vectors.txt'.
    Every worker needs what the client names: ...
    >>> client.close(); cluster.close()
    """
    if client is None:
        distributed = import_optional("distributed", needed_by="check_sources_on_workers",
                                      extra="dask")
        client = distributed.get_client()
    sources = named_sources(estimator)
    if not sources:
        return []
    reports = client.run(_problems_here, sources)
    failing = {address: report for address, report in sorted(reports.items()) if report[1]}
    if failing:
        lines = [f"- worker {address} ({where}): {problem}"
                 for address, (where, problems) in failing.items() for problem in problems]
        raise SourceMismatchError(
            f"{len(failing)} of {len(reports)} dask workers cannot load the embedding sources "
            f"that {type(estimator).__name__} names:\n" + "\n".join(lines) + f"\n{_FIX}"
        )
    return [source for source, _ in sources]


def named_sources(estimator):
    """``[(source, fingerprint or None)]`` named by ``estimator``, its steps and its grid.

    Each source once, with the checksum a fitted step recorded for it
    (``source_fingerprint_``), else ``None``.  Only sources found by name on a
    worker are listed: not ``None``, trained names, or vectors given as objects.
    """
    found = {}

    def add(source, fingerprint=None):
        if isinstance(source, os.PathLike):
            source = os.fspath(source)
        if not isinstance(source, str) or is_trained_source(source):
            return
        # A fitted step's checksum is the stronger check: it replaces "any vectors".
        if found.get(source) is None:
            found[source] = fingerprint

    def visit(obj, own_source_replaced=False):
        if not hasattr(obj, "get_params"):
            return
        for step in [obj, *obj.get_params(deep=True).values()]:
            if not hasattr(step, "get_params"):
                continue
            own = step.get_params(deep=False)
            if "source" in own and not (step is obj and own_source_replaced):
                add(own["source"], step.__dict__.get("source_fingerprint_"))
        grids = getattr(obj, "param_grid", None) or getattr(obj, "param_distributions", None)
        for grid in [grids] if isinstance(grids, dict) else grids or []:
            for key, values in grid.items():
                if not isinstance(values, (list, tuple)):
                    continue  # a scipy distribution: nothing to list
                for value in values:
                    if key == "source" or key.endswith("__source"):
                        add(value)
                    else:
                        # {"features": [EmbeddingVectorizer()], "features__source": [...]}:
                        # the step's own source is never used, so not checked.
                        visit(value, own_source_replaced=f"{key}__source" in grid)

    visit(estimator)
    return list(found.items())


def _problems_here(sources):
    """Run on a worker: which process it is, and what keeps it from loading ``sources``."""
    problems = []
    for source, expected in sources:
        try:
            vectors = load_source(source)
        except (OSError, ImportError, ValueError) as exc:
            problems.append(f"source={source!r}: {exc}")
            continue
        if expected is not None and vectors.fingerprint != expected:
            problems.append(
                f"source={source!r} differs from the one the estimator was fitted on "
                f"(checksum {vectors.fingerprint} instead of {expected})"
            )
    return describe_this_process(), problems
