"""Loaders for public text-classification datasets.

Each loader reads one Parquet file from the data home (see
:func:`get_data_home`) and returns the train and test texts and labels in a
:class:`~sklearn.utils.Bunch`, or as ``(X_train, X_test, y_train, y_test)``
with ``return_X_y=True``.  ``source=`` reads the original archive, folder or
CSV files instead.  :func:`load_dataset` loads one by name.
"""

from ._base import get_data_home
from ._corona_tweets import load_corona_tweets
from ._imdb import load_imdb, load_imdb_unsup
from ._registry import available_datasets, load_dataset
from ._short_sentences import load_short_sentences
from ._twenty_newsgroups import load_20newsgroups

__all__ = [
    "available_datasets",
    "get_data_home",
    "load_20newsgroups",
    "load_corona_tweets",
    "load_dataset",
    "load_imdb",
    "load_imdb_unsup",
    "load_short_sentences",
]
