"""Discovery of the package's estimators, for users and for the common tests."""

import inspect

from sklearn.base import BaseEstimator


def all_estimators(text_only=False):
    """Return ``(name, class)`` for every public estimator of sklearn_embed.

    Parameters
    ----------
    text_only : bool, default=False
        Only estimators whose input is raw text (one str per document).

    Examples
    --------
    >>> [name for name, _ in all_estimators(text_only=True)]
    ['EmbeddingVectorizer', 'LexiconSentiment', 'SentenceEncoder', 'SequenceIndexer', 'TextCleaner']
    """
    import sklearn_embed

    found = []
    for name in sorted(sklearn_embed.__all__):
        obj = getattr(sklearn_embed, name)
        if not (inspect.isclass(obj) and issubclass(obj, BaseEstimator)):
            continue
        if text_only and not obj().__sklearn_tags__().input_tags.string:
            continue
        found.append((name, obj))
    return found
