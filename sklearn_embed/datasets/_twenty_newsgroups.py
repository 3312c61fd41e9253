"""The 20 Newsgroups dataset, "bydate" version: posts labelled by newsgroup."""

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

URL = "http://qwone.com/~jason/20Newsgroups/20news-bydate.tar.gz"
FILENAME = "20newsgroups.parquet"

# 20news-bydate-{train,test}/<newsgroup>/<numeric id>
_MEMBER = re.compile(r"(?:^|/)20news-bydate-(train|test)/([^/]+)/(\d+)$")
_SOURCE_HINT = "<the 20news-bydate folder or 20news-bydate.tar.gz>"

DESCR = """\
20 Newsgroups, "bydate" version
-------------------------------
18,846 Usenet posts from 20 newsgroups, sorted by date into 11,314 train and
7,532 test posts; the same version as sklearn.datasets.fetch_20newsgroups.
The text is the raw post, headers, signatures and quotes included, decoded as
latin-1.  The label is the newsgroup name, e.g. 'sci.space'.

Source: http://qwone.com/~jason/20Newsgroups/
Lang, K. (1995). NewsWeeder: Learning to Filter Netnews. ICML 1995.
"""


def _read_source(source):
    """Read the 20news-bydate folder or tarball into the Parquet layout."""
    records = [
        {
            "split": match.group(1),
            "text": data.decode("latin-1"),
            "label": match.group(2),
            "file_id": int(match.group(3)),
        }
        for match, data in _iter_source_files(source, _MEMBER)
    ]
    _check_found(records, source, "20news-bydate-{train,test}/<newsgroup>/<id>")
    records.sort(key=_sort_key)
    return pd.DataFrame.from_records(records, columns=["split", "text", "label", "file_id"])


def _fetch(home):
    archive = _download(URL, home)
    _write_parquet(_read_source(archive), home / FILENAME)
    archive.unlink()


def load_20newsgroups(data_home=None, *, source=None, download=False, return_X_y=False):
    """Load the 20 Newsgroups posts ("bydate" split), labelled by newsgroup.

    =================   ======================
    Samples (train)     11,314
    Samples (test)      7,532
    Classes             20 newsgroup names
    =================   ======================

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``20newsgroups.parquet``; see :func:`get_data_home` for
        where it is looked for when None.
    source : str or path-like, default=None
        Read the original data instead of the Parquet copy: the
        ``20news-bydate`` folder (holding ``20news-bydate-train/<group>/<id>``
        and ``20news-bydate-test/...``) or the ``20news-bydate.tar.gz``
        archive, read without extracting it.  Texts are decoded as latin-1.
    download : bool, default=False
        When the Parquet copy is missing, download the archive from
        http://qwone.com/~jason/20Newsgroups/20news-bydate.tar.gz (14 MB) into
        the data home and build ``20newsgroups.parquet`` there.
    return_X_y : bool, default=False
        Return ``(X_train, X_test, y_train, y_test)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        X_train, X_test : list of str
            The raw posts, headers included.
        y_train, y_test : ndarray of str
            The newsgroup names.
        target_names : list of str
            The 20 newsgroup names, sorted.
        DESCR : str
            A description of the dataset.
        frame : pandas.DataFrame
            All posts, with the columns ``split``, ``text``, ``label``,
            ``file_id``.
    (X_train, X_test, y_train, y_test) : tuple
        When ``return_X_y`` is True, in the order of ``train_test_split``.

    Raises
    ------
    FileNotFoundError
        When the Parquet copy is not found and neither ``source`` nor
        ``download=True`` is given; the message names the path looked for.

    See Also
    --------
    sklearn.datasets.fetch_20newsgroups : The same data, with header removal.

    Examples
    --------
    >>> from sklearn_embed.datasets import load_20newsgroups
    >>> X_train, X_test, y_train, y_test = load_20newsgroups(return_X_y=True)  # doctest: +SKIP
    >>> len(X_train), len(X_test), y_train[0]  # doctest: +SKIP
    (11314, 7532, 'alt.atheism')
    """
    frame = _load_frame(
        FILENAME,
        data_home,
        source=source,
        read_source=_read_source,
        download=download,
        fetch=_fetch,
        dataset="20 Newsgroups",
        source_hint=_SOURCE_HINT,
        url=URL,
    )
    target_names = sorted(frame["label"].unique())
    return _split_bunch(frame, target_names=target_names, descr=DESCR, return_X_y=return_X_y)
