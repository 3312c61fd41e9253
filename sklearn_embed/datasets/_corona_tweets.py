"""Coronavirus tweets labelled with one of five sentiments."""

import os
from pathlib import Path

import pandas as pd

from ._base import _load_frame, _split_bunch

FILENAME = "corona_tweets.parquet"
FIVE_CLASSES = ["Extremely Negative", "Negative", "Neutral", "Positive", "Extremely Positive"]
THREE_CLASSES = ["Negative", "Neutral", "Positive"]
_MERGE = {"Extremely Negative": "Negative", "Extremely Positive": "Positive"}
_CSV_COLUMNS = ["UserName", "ScreenName", "Location", "TweetAt", "OriginalTweet", "Sentiment"]
_SOURCE_HINT = "(<Corona_NLP_train.csv>, <Corona_NLP_test.csv>) from Kaggle"

DESCR = """\
Coronavirus tweets NLP - Text Classification
--------------------------------------------
44,955 tweets about COVID-19 from March and April 2020, split into 41,157
train and 3,798 test tweets, each labelled with one of five sentiments:
'Extremely Negative', 'Negative', 'Neutral', 'Positive', 'Extremely Positive'.
With ``n_classes=3`` the two extreme classes are merged into their neighbours.
The CSV files are decoded as latin-1, so mojibake such as 'Â\\x92' is part of
the text.  The frame also holds the anonymised ``UserName`` and ``ScreenName``
ids, the free-text ``Location`` (often missing) and the date ``TweetAt``.

Source: https://www.kaggle.com/datasets/datatattle/covid-19-nlp-text-classification
(``Corona_NLP_train.csv`` and ``Corona_NLP_test.csv``; a Kaggle account is
needed to download them).
"""


def _read_source(source):
    """Read the two Kaggle CSV files into the Parquet layout."""
    if isinstance(source, (str, bytes, os.PathLike)) or len(source) != 2:
        raise ValueError(
            "source must be a pair of paths (train_csv, test_csv), e.g. "
            "('Corona_NLP_train.csv', 'Corona_NLP_test.csv'); "
            f"got {source!r}."
        )
    frames = []
    for split, csv_path in zip(("train", "test"), source):
        csv_path = Path(os.fspath(csv_path)).expanduser()
        if not csv_path.is_file():
            raise FileNotFoundError(f"The {split} CSV given in source does not exist: {csv_path}")
        raw = pd.read_csv(csv_path, encoding="latin-1")
        missing = [column for column in _CSV_COLUMNS if column not in raw.columns]
        if missing:
            raise ValueError(
                f"The {split} CSV {csv_path} lacks the column(s) {missing}; "
                f"expected the Kaggle columns {_CSV_COLUMNS}."
            )
        frames.append(
            pd.DataFrame(
                {
                    "split": split,
                    "text": raw["OriginalTweet"],
                    "label": raw["Sentiment"],
                    "UserName": raw["UserName"],
                    "ScreenName": raw["ScreenName"],
                    "Location": raw["Location"],
                    "TweetAt": raw["TweetAt"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def load_corona_tweets(data_home=None, *, n_classes=5, source=None, return_X_y=False):
    """Load the coronavirus tweets, labelled by sentiment.

    =================   ======================
    Samples (train)     41,157
    Samples (test)      3,798
    Classes             5, or 3 when merged
    =================   ======================

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``corona_tweets.parquet``; see :func:`get_data_home`
        for where it is looked for when None.
    n_classes : {5, 3}, default=5
        5 keeps the original labels; 3 merges 'Extremely Positive' into
        'Positive' and 'Extremely Negative' into 'Negative'.
    source : tuple of two str or path-like, default=None
        Read the original Kaggle files ``(Corona_NLP_train.csv,
        Corona_NLP_test.csv)`` (latin-1) instead of the Parquet copy.  There
        is no ``download`` option: Kaggle needs an account.
    return_X_y : bool, default=False
        Return ``(X_train, X_test, y_train, y_test)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        X_train, X_test : list of str
            The tweets.
        y_train, y_test : ndarray of str
            The sentiments, merged when ``n_classes=3``.
        target_names : list of str
            The sentiments from most negative to most positive.
        DESCR : str
            A description of the dataset.
        frame : pandas.DataFrame
            All tweets, with the columns ``split``, ``text``, ``label`` (merged
            when ``n_classes=3``), ``UserName``, ``ScreenName``, ``Location``,
            ``TweetAt``.
    (X_train, X_test, y_train, y_test) : tuple
        When ``return_X_y`` is True, in the order of ``train_test_split``.

    Raises
    ------
    ValueError
        When ``n_classes`` is neither 5 nor 3.
    FileNotFoundError
        When the Parquet copy is not found and no ``source`` is given; the
        message names the path looked for.

    Examples
    --------
    >>> from sklearn_embed.datasets import load_corona_tweets
    >>> tweets = load_corona_tweets(n_classes=3)  # doctest: +SKIP
    >>> tweets.target_names, len(tweets.X_train), len(tweets.X_test)  # doctest: +SKIP
    (['Negative', 'Neutral', 'Positive'], 41157, 3798)
    >>> load_corona_tweets(n_classes=2)
    Traceback (most recent call last):
    ...
    ValueError: n_classes must be 5 (the original labels) or 3 (extremes merged), got 2.
    """
    if isinstance(n_classes, bool) or n_classes not in (3, 5):
        raise ValueError(
            "n_classes must be 5 (the original labels) or 3 (extremes merged), "
            f"got {n_classes!r}."
        )
    frame = _load_frame(
        FILENAME,
        data_home,
        source=source,
        read_source=_read_source,
        download=False,
        fetch=None,
        dataset="coronavirus tweets",
        source_hint=_SOURCE_HINT,
    )
    if n_classes == 3:
        frame["label"] = frame["label"].replace(_MERGE)
        target_names = THREE_CLASSES
    else:
        target_names = FIVE_CLASSES
    return _split_bunch(frame, target_names=target_names, descr=DESCR, return_X_y=return_X_y)
