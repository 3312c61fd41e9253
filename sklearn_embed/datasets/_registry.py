"""The named datasets: one table, used by :func:`load_dataset` and the command line."""

from ._corona_tweets import load_corona_tweets
from ._imdb import load_imdb
from ._twenty_newsgroups import load_20newsgroups

# name -> (loader, keyword arguments, one-line description)
DATASETS = {
    "imdb": (load_imdb, {}, "IMDB movie reviews, neg/pos"),
    "20newsgroups": (load_20newsgroups, {}, "20 Newsgroups posts, 20 topics"),
    "tweets": (load_corona_tweets, {"n_classes": 5}, "coronavirus tweets, 5 sentiments"),
    "tweets3": (load_corona_tweets, {"n_classes": 3}, "coronavirus tweets, 3 sentiments"),
}


def available_datasets():
    """Names accepted by :func:`load_dataset` (and by the command line's DATA), described.

    Examples
    --------
    >>> from sklearn_embed.datasets import available_datasets
    >>> sorted(available_datasets())
    ['20newsgroups', 'imdb', 'tweets', 'tweets3']
    """
    return {name: description for name, (_, _, description) in DATASETS.items()}


def load_dataset(name, data_home=None, **kwargs):
    """Load a named dataset: the train and test texts and labels in a Bunch.

    Parameters
    ----------
    name : str
        One of :func:`available_datasets`.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    **kwargs
        Passed to the dataset's loader (``return_X_y``, ``download``...).

    Returns
    -------
    data : Bunch or tuple
        See the loader (:func:`load_imdb`, :func:`load_20newsgroups`,
        :func:`load_corona_tweets`).

    Examples
    --------
    >>> from sklearn_embed.datasets import load_dataset
    >>> load_dataset("mnist")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Unknown dataset 'mnist'; the named datasets are: 20newsgroups, imdb, tweets, ...
    """
    if name not in DATASETS:
        raise ValueError(
            f"Unknown dataset {name!r}; the named datasets are: {', '.join(sorted(DATASETS))}."
        )
    loader, defaults, _ = DATASETS[name]
    return loader(data_home, **{**defaults, **kwargs})
