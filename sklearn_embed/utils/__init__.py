"""Utilities: discovery of the package's estimators, the text-estimator check suite,
and helpers for running on a dask cluster.

See :mod:`sklearn_embed.utils.estimator_checks` for the checks that every text
estimator of the package passes, which you can run on your own.
"""

import inspect

from sklearn.base import BaseEstimator

from ._distributed import check_sources_on_workers, transform_partitions

__all__ = ["all_estimators", "check_sources_on_workers", "transform_partitions"]


def all_estimators(text_only=False):
    """Return ``(name, class)`` for every public estimator of sklearn_embed.

    Parameters
    ----------
    text_only : bool, default=False
        Only estimators whose input is raw text (one str per document).

    Estimators whose optional extra is not installed (the heads without
    ``nn``, ``SentenceEncoder`` without ``sbert``) are left out.

    Examples
    --------
    >>> from sklearn_embed.utils import all_estimators
    >>> [name for name, _ in all_estimators(text_only=True)]
    ['EmbeddingVectorizer', 'LexiconSentiment', 'SentenceEncoder', 'SequenceIndexer', 'TextCleaner']
    """
    import sklearn_embed

    found = []
    for name in sorted(sklearn_embed.__all__):
        try:
            obj = getattr(sklearn_embed, name)
        except ModuleNotFoundError:  # its optional extra is not installed
            continue
        if not (inspect.isclass(obj) and issubclass(obj, BaseEstimator)):
            continue
        if text_only and not obj().__sklearn_tags__().input_tags.string:
            continue
        found.append((name, obj))
    return found
