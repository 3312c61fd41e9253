"""The Large Movie Review Dataset (IMDB): binary sentiment of movie reviews."""

import re

import pandas as pd

from ._base import (
    _check_found,
    _download,
    _iter_source_files,
    _load_frame,
    _sort_key,
    _split_bunch,
    _write_parquet,
)

URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
FILENAME = "imdb.parquet"
UNSUP_FILENAME = "imdb_unsup.parquet"
TARGET_NAMES = ["neg", "pos"]

# aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt and aclImdb/train/unsup/<id>_0.txt
_LABELLED = re.compile(r"(?:^|/)(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")
_UNSUP = re.compile(r"(?:^|/)train/unsup/(\d+)_\d+\.txt$")
_SOURCE_HINT = "<the extracted aclImdb folder or aclImdb_v1.tar.gz>"

DESCR = """\
Large Movie Review Dataset v1.0 (IMDB)
--------------------------------------
50,000 movie reviews from IMDB labelled by sentiment, split evenly into
25,000 train and 25,000 test reviews, each with 12,500 'neg' and 12,500 'pos'.
A negative review has a rating of 1-4 out of 10, a positive one 7-10; the
rating is kept (``rating_train``, ``rating_test``) for regression.  Another
50,000 unlabelled reviews are loaded by ``load_imdb_unsup``.  The original
contains 418 duplicate labelled texts.

Source: https://ai.stanford.edu/~amaas/data/sentiment/
Maas, A. L., Daly, R. E., Pham, P. T., Huang, D., Ng, A. Y. and Potts, C.
(2011). Learning Word Vectors for Sentiment Analysis. ACL 2011.
"""


def _read_source(source, *, labelled=True, unsup=False):
    """Read the aclImdb folder or tarball into the Parquet layout."""
    records, unsup_records = [], []
    either = re.compile(f"{_LABELLED.pattern}|{_UNSUP.pattern}")
    pattern = either if labelled and unsup else (_LABELLED if labelled else _UNSUP)
    for match, data in _iter_source_files(source, pattern):
        text = data.decode("utf-8")
        path = match.group(0)
        labelled_match = _LABELLED.search(path)
        if labelled_match:
            split, label, file_id, rating = labelled_match.groups()
            records.append(
                {
                    "split": split,
                    "text": text,
                    "label": label,
                    "rating": int(rating),
                    "file_id": int(file_id),
                }
            )
        else:
            unsup_records.append((int(_UNSUP.search(path).group(1)), text))
    frame = unsup_frame = None
    if labelled:
        _check_found(records, source, "{train,test}/{pos,neg}/<id>_<rating>.txt")
        records.sort(key=_sort_key)
        frame = pd.DataFrame.from_records(
            records, columns=["split", "text", "label", "rating", "file_id"]
        )
    if unsup:
        if not unsup_records:
            raise ValueError(
                f"source={str(source)!r} holds no unlabelled reviews "
                "(train/unsup/<id>_0.txt)."
            )
        unsup_records.sort()
        unsup_frame = pd.DataFrame({"text": [text for _, text in unsup_records]})
    return frame, unsup_frame


def _fetch(home):
    archive = _download(URL, home)
    frame, unsup_frame = _read_source(archive, labelled=True, unsup=True)
    _write_parquet(frame, home / FILENAME)
    _write_parquet(unsup_frame, home / UNSUP_FILENAME)
    archive.unlink()


def load_imdb(data_home=None, *, source=None, download=False, return_X_y=False):
    """Load the IMDB movie reviews, labelled 'neg' or 'pos'.

    =================   ======================
    Samples (train)     25,000 (12,500 each)
    Samples (test)      25,000 (12,500 each)
    Classes             'neg', 'pos'
    Extra target        rating (1-4 neg, 7-10 pos)
    =================   ======================

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``imdb.parquet``; see :func:`get_data_home` for where
        it is looked for when None.
    source : str or path-like, default=None
        Read the original data instead of the Parquet copy: the extracted
        ``aclImdb`` folder (``{train,test}/{pos,neg}/<id>_<rating>.txt``) or
        the ``aclImdb_v1.tar.gz`` archive, read without extracting it.
    download : bool, default=False
        When the Parquet copy is missing, download the archive from
        https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz (84 MB)
        into the data home and build ``imdb.parquet`` and
        ``imdb_unsup.parquet`` there.
    return_X_y : bool, default=False
        Return ``(X_train, X_test, y_train, y_test)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        X_train, X_test : list of str
            The reviews.
        y_train, y_test : ndarray of str
            'neg' or 'pos'.
        rating_train, rating_test : ndarray of int
            The rating out of 10 given by the reviewer.
        target_names : list of str
            ``['neg', 'pos']``.
        DESCR : str
            A description of the dataset.
        frame : pandas.DataFrame
            All reviews, with the columns ``split``, ``text``, ``label``,
            ``rating``, ``file_id``.
    (X_train, X_test, y_train, y_test) : tuple
        When ``return_X_y`` is True, in the order of ``train_test_split``.

    Raises
    ------
    FileNotFoundError
        When the Parquet copy is not found and neither ``source`` nor
        ``download=True`` is given; the message names the path looked for.

    See Also
    --------
    load_imdb_unsup : The 50,000 unlabelled reviews.

    Examples
    --------
    >>> from sklearn_embed.datasets import load_imdb
    >>> imdb = load_imdb()  # doctest: +SKIP
    >>> len(imdb.X_train), len(imdb.X_test), imdb.target_names  # doctest: +SKIP
    (25000, 25000, ['neg', 'pos'])
    """
    frame = _load_frame(
        FILENAME,
        data_home,
        source=source,
        read_source=lambda source: _read_source(source, labelled=True)[0],
        download=download,
        fetch=_fetch,
        dataset="IMDB",
        source_hint=_SOURCE_HINT,
        url=URL,
    )
    return _split_bunch(
        frame,
        target_names=TARGET_NAMES,
        descr=DESCR,
        return_X_y=return_X_y,
        per_split_columns=("rating",),
    )


def load_imdb_unsup(data_home=None, *, source=None, download=False):
    """Load the 50,000 unlabelled IMDB reviews, for unsupervised fitting.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``imdb_unsup.parquet``; see :func:`get_data_home`.
    source : str or path-like, default=None
        Read ``train/unsup/*.txt`` from the extracted ``aclImdb`` folder or
        the ``aclImdb_v1.tar.gz`` archive instead of the Parquet copy.
    download : bool, default=False
        When the Parquet copy is missing, download the archive and build the
        Parquet files (see :func:`load_imdb`).

    Returns
    -------
    texts : list of str

    See Also
    --------
    load_imdb : The labelled reviews.

    Examples
    --------
    >>> from sklearn_embed.datasets import load_imdb_unsup
    >>> len(load_imdb_unsup())  # doctest: +SKIP
    50000
    """
    frame = _load_frame(
        UNSUP_FILENAME,
        data_home,
        source=source,
        read_source=lambda source: _read_source(source, labelled=False, unsup=True)[1],
        columns=["text"],
        download=download,
        fetch=_fetch,
        dataset="unlabelled IMDB",
        source_hint=_SOURCE_HINT,
        url=URL,
    )
    return frame["text"].tolist()
