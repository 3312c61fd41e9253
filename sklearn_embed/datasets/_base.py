"""Shared machinery of the dataset loaders: where the data lives, how it is read.

Every dataset is stored as one Parquet file with at least the columns
``split``, ``text`` and ``label``.  The loaders look for that file in the data
home (see :func:`get_data_home`), or read the original archive, folder or CSV
files given as ``source=``, or download the public archive and build the
Parquet file when ``download=True``.
"""

import logging
import os
import shutil
import tarfile
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

DATA_HOME_ENV = "SKLEARN_EMBED_DATA"
DEFAULT_DATA_HOME = "~/sklearn_embed_data"

logger = logging.getLogger(__name__)


def get_data_home(data_home=None):
    """Return the folder where the dataset files are looked for.

    The folder is, in this order: the ``data_home`` argument when given; else
    the ``SKLEARN_EMBED_DATA`` environment variable when set and not empty;
    else ``~/sklearn_embed_data`` (which may not exist yet).  Nothing is
    created, and a download (``download=True``) goes to the same folder.

    Parameters
    ----------
    data_home : str or path-like, default=None
        An explicit folder; ``~`` is expanded.

    Returns
    -------
    data_home : pathlib.Path

    Examples
    --------
    >>> from sklearn_embed.datasets import get_data_home
    >>> get_data_home("/srv/corpora").as_posix()
    '/srv/corpora'
    """
    if data_home is not None:
        return Path(os.fspath(data_home)).expanduser()
    from_env = os.environ.get(DATA_HOME_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(DEFAULT_DATA_HOME).expanduser()


def _locate(filename, data_home, *, download, fetch, dataset, source_hint, url=None):
    """Return the path of ``filename``, fetching it first if asked to.

    ``fetch(home)`` downloads the public archive into ``home`` and writes the
    Parquet file(s) there.
    """
    home = get_data_home(data_home)
    path = home / filename
    if path.is_file():
        return path
    if download and fetch is not None:
        fetch(home)
        return path
    how = [
        f"set the {DATA_HOME_ENV} environment variable to the folder that holds "
        f"{filename}",
        "pass data_home=<that folder>",
        f"pass source={source_hint}",
    ]
    if fetch is not None:
        how.append(f"pass download=True to fetch {url} into {home}")
    raise FileNotFoundError(
        f"The {dataset} dataset was not found; looked for {path}. To provide it, "
        + "; or ".join(how)
        + "."
    )


def _read_parquet(path, columns=None):
    return pd.read_parquet(path, columns=columns)


def _load_frame(filename, data_home, *, source, read_source, columns=None, **locate_kwargs):
    """A loader's frame: ``read_source(source)`` when a source is given, else
    the Parquet copy found (or fetched) by :func:`_locate`."""
    if source is not None:
        return read_source(source)
    return _read_parquet(_locate(filename, data_home, **locate_kwargs), columns=columns)


def _write_parquet(frame, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    frame.to_parquet(partial, index=False)
    partial.replace(path)


def _download(url, directory):
    """Download ``url`` into ``directory`` (kept if already there)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / url.rsplit("/", 1)[-1]
    if target.is_file():
        return target
    partial = target.with_name(target.name + ".part")
    logger.info("Downloading %s to %s", url, target)
    with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as out:
        shutil.copyfileobj(response, out, length=1 << 20)
    partial.replace(target)
    return target


def _iter_source_files(source, pattern, *, param_name="source"):
    """Yield ``(match, data)`` for each file of ``source`` whose path matches.

    ``source`` is a folder (walked recursively, paths relative to it) or a tar
    archive (read member by member in one streaming pass, nothing extracted to
    disk).  ``pattern`` is searched in the ``/``-separated path; ``data`` is
    the file's bytes.
    """
    path = Path(os.fspath(source)).expanduser()
    if path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            relative = Path(dirpath).relative_to(path).as_posix()
            prefix = "" if relative == "." else relative + "/"
            for name in sorted(filenames):
                match = pattern.search(prefix + name)
                if match:
                    yield match, (Path(dirpath) / name).read_bytes()
    elif path.is_file() and tarfile.is_tarfile(path):
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                match = pattern.search(member.name)
                if match:
                    yield match, archive.extractfile(member).read()
    elif not path.exists():
        raise FileNotFoundError(f"{param_name}={os.fspath(source)!r} does not exist.")
    else:
        raise ValueError(
            f"{param_name}={os.fspath(source)!r} is neither a folder nor a tar archive."
        )


def _split_bunch(frame, *, target_names, descr, return_X_y, per_split_columns=()):
    """Cut ``frame`` into train and test texts and labels.

    ``per_split_columns`` names extra columns returned as ``<name>_train`` and
    ``<name>_test`` arrays in the Bunch.
    """
    is_train = (frame["split"] == "train").to_numpy()
    is_test = (frame["split"] == "test").to_numpy()
    X_train = frame["text"][is_train].tolist()
    X_test = frame["text"][is_test].tolist()
    y_train = frame["label"][is_train].to_numpy(dtype=object)
    y_test = frame["label"][is_test].to_numpy(dtype=object)
    if return_X_y:
        return X_train, X_test, y_train, y_test
    extras = {}
    for column in per_split_columns:
        extras[f"{column}_train"] = np.asarray(frame[column][is_train].to_numpy())
        extras[f"{column}_test"] = np.asarray(frame[column][is_test].to_numpy())
    return Bunch(
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        **extras,
        target_names=list(target_names),
        DESCR=descr,
        frame=frame,
    )


_SPLIT_ORDER = {"train": 0, "test": 1}


def _sort_key(record):
    """Order labelled records as the Parquet copies are: split, label, file id."""
    return _SPLIT_ORDER[record["split"]], record["label"], record["file_id"]


def _check_found(records, source, what, *, param_name="source"):
    splits = {record["split"] for record in records}
    missing = [split for split in ("train", "test") if split not in splits]
    if missing:
        raise ValueError(
            f"{param_name}={os.fspath(source)!r} holds no {' or '.join(missing)} "
            f"files of the expected layout ({what})."
        )

