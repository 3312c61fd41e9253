"""Reading what the command line is given: data files, named datasets, saved models.

Every problem a user can cause (a missing file, a wrong column, a model file
that is not one) is raised as :class:`CLIError`, which ``main`` prints as one
line on stderr before exiting with status 2.

Rows are numbered from 1, as a spreadsheet numbers the data rows of a file
(the header not counted; a named dataset's rows within their split): the
warnings, the errors and the ``row`` column of ``predict`` use these numbers.
"""

import hashlib
import os
import shlex
from pathlib import Path

import numpy as np
import pandas as pd

from .. import persistence
from ..datasets import available_datasets, get_data_home, load_dataset
from ._defaults import DOWNLOADABLE
from ._messages import CLIError, warn
from ._messages import rows as rows_text

__all__ = ["CLIError", "Table", "describe_rows", "fingerprint", "load_model", "load_named",
           "read_data", "warn"]

_CSV_SUFFIXES = {".csv": ",", ".tsv": "\t"}
_COMPRESSION_SUFFIXES = {".gz", ".bz2", ".zip", ".xz", ".zst"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}


def describe_rows(rows, limit=20):
    """``"3, 17"``; long lists are cut after ``limit`` numbers."""
    shown = ", ".join(str(row) for row in rows[:limit])
    if len(rows) > limit:
        shown += f", ... ({len(rows) - limit} more)"
    return shown


class Table:
    """Texts, labels (or None), their 1-based row numbers in the data and ids (or None).

    ``texts`` holds None where a row has no text; ``ids`` is the
    ``--id-column`` of a file; ``where`` says which rows were taken, for the
    user ("data.csv, 32 rows with split == 'train'").
    """

    def __init__(self, texts, labels, rows, where, ids=None):
        self.texts = texts
        self.labels = labels
        self.rows = rows
        self.where = where
        self.ids = ids

    def __len__(self):
        return len(self.rows)

    def missing(self):
        """Mask of the rows without a text (or, when there are labels, without a label)."""
        mask = np.array([text is None for text in self.texts], dtype=bool)
        if self.labels is not None:
            mask |= pd.isna(self.labels)
        return mask

    def subset(self, mask):
        labels = None if self.labels is None else self.labels[mask]
        if labels is not None and labels.dtype.kind == "f" and np.all(labels == labels.round()):
            # An integer column with a gap is read as floats; give back the integers.
            labels = labels.astype(np.int64)
        ids = None if self.ids is None else self.ids[mask]
        return Table(self.texts[mask], labels, self.rows[mask], self.where, ids)


def fingerprint(texts, labels):
    """A digest of the rows (text, label), the same whatever their order.

    ``fit`` records it on the model and ``evaluate`` compares it with the rows
    it scores; the order is left out because the same rows shuffled are still
    the training rows.

    Examples
    --------
    >>> fingerprint(["a", "b"], ["x", "y"]) == fingerprint(["b", "a"], ["y", "x"])
    True
    >>> fingerprint(["a", "b"], ["x", "y"]) == fingerprint(["a", "b"], ["y", "x"])
    False
    """
    # The text's length first: "ab" + "c" and "a" + "bc" must not collide.
    digests = sorted(
        hashlib.blake2b(f"{len(text)}:{text}\0{label}".encode("utf-8", "surrogatepass"),
                        digest_size=16).digest()
        for text, label in zip(texts, labels)
    )
    return hashlib.blake2b(b"".join(digests), digest_size=16).hexdigest()


def _named_choices():
    named = available_datasets().items()
    return ", ".join(f"{name} ({description})" for name, description in named)


def _file_kind(path):
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in _PARQUET_SUFFIXES:
        return "parquet"
    if suffix in _CSV_SUFFIXES:
        return suffix
    raise CLIError(
        f"cannot read {str(path)!r}: DATA must be a .csv, .tsv or .parquet file "
        f"or a named dataset ({', '.join(available_datasets())})."
    )


def _read_frame(data):
    path = Path(data).expanduser()
    if not path.exists():
        if os.sep in data or "/" in data or path.suffix:
            raise CLIError(f"DATA file not found: {data!r}.")
        raise CLIError(
            f"unknown dataset {data!r} (and no file of that name); named datasets: "
            f"{_named_choices()}; or give a .csv or .parquet file."
        )
    if path.is_dir():
        raise CLIError(f"{data!r} is a folder; DATA must be a .csv or .parquet file.")
    kind = _file_kind(path)
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, sep=_CSV_SUFFIXES[kind])
    except Exception as error:  # pandas and pyarrow raise many types for a bad file
        raise CLIError(f"cannot read {data!r} as {kind.lstrip('.')}: {error}") from None


def _column(frame, name, role, data):
    if name not in frame.columns:
        available = ", ".join(repr(str(column)) for column in frame.columns)
        raise CLIError(
            f"{data!r} has no column {name!r} (--{role}-column); available columns: "
            f"{available}."
        )
    return frame[name]


def _as_texts(values):
    # A column of numbers is read as numbers; the cleaner wants strings.
    missing = pd.isna(values).to_numpy()
    return np.array(
        [None if gone else str(value) for value, gone in zip(values.tolist(), missing)],
        dtype=object,
    )


def load_named(name, data_home=None, **kwargs):
    """``load_dataset(name, data_home, **kwargs)``; a missing file is a :class:`CLIError`
    that gives the command-line fixes."""
    try:
        return load_dataset(name, data_home, **kwargs)
    except FileNotFoundError as error:
        # The loader's own advice names Python arguments; give the command-line ones.
        found = str(error).split(" To provide it")[0]
        how = "Pass --data-home DIR (the folder holding it) or set SKLEARN_EMBED_DATA to it"
        if name in DOWNLOADABLE:
            command = f"sklearn-embed download {name}"
            if data_home is not None:
                command += f" --data-home {shlex.quote(str(data_home))}"
            how += f", or fetch it into {get_data_home(data_home)} with '{command}'"
        raise CLIError(f"{found} {how}.") from None
    except (ValueError, OSError) as error:
        if kwargs.get("download"):
            raise CLIError(
                f"cannot download the {name} dataset into {get_data_home(data_home)}: "
                f"{error}; check the network connection and that the folder is writable, "
                "or pass --data-home DIR."
            ) from None
        raise CLIError(f"cannot read the {name} dataset: {error}") from None


def _read_named(data, split, data_home):
    bunch = load_named(data, data_home)
    split = split or "test"
    texts = pd.Series(getattr(bunch, f"X_{split}"), dtype=object)
    labels = np.asarray(getattr(bunch, f"y_{split}"))
    rows = np.arange(1, len(texts) + 1)
    return Table(_as_texts(texts), labels, rows,
                 f"{data}, {split} split, {rows_text(len(rows))}")


def read_data(data, *, split, text_column, label_column=None, data_home=None,
              id_column=None):
    """Read DATA (a file or a named dataset) into a :class:`Table`.

    Parameters
    ----------
    data : str
        A dataset name from ``available_datasets()`` (which wins over a file of that
        name) or a path to a CSV, TSV or Parquet file.
    split : {"train", "test"} or None
        Named datasets: that split (None: "test").  Files: the rows whose
        ``split`` column equals it, when the file has such rows, else all
        rows; None: all rows.
    text_column, label_column : str
        Columns of a file; ``label_column=None`` reads no labels.  Named
        datasets have fixed columns and ignore them.
    data_home : str, default=None
        Where named datasets are looked for.
    id_column : str, default=None
        A column of a file copied to ``Table.ids``; named datasets have none.
    """
    if data in available_datasets():
        if id_column is not None:
            raise CLIError(
                f"--id-column {id_column!r} needs a DATA file: the named dataset {data!r} has "
                "no id column; leave --id-column out and join on the row column (its rows "
                "numbered from 1 within the split)."
            )
        return _read_named(data, split, data_home)
    frame = _read_frame(data)
    texts = _column(frame, text_column, "text", data)
    labels = None if label_column is None else _column(frame, label_column, "label", data)
    ids = None if id_column is None else _column(frame, id_column, "id", data)
    rows = np.arange(1, len(frame) + 1)
    where = f"{data}, all {rows_text(len(frame))}"
    if split is not None and "split" in frame.columns:
        chosen = (frame["split"] == split).fillna(False).to_numpy(dtype=bool)
        if chosen.any():
            texts, rows = texts[chosen], rows[chosen]
            labels = None if labels is None else labels[chosen]
            ids = None if ids is None else ids[chosen]
            where = f"{data}, {rows_text(len(rows))} with split == {split!r}"
        else:
            where += f" (its split column has no {split!r} rows)"
    # Not dtype=object: scikit-learn calls an object array of numbers "unknown" targets.
    labels = None if labels is None else labels.to_numpy()
    ids = None if ids is None else ids.to_numpy()
    return Table(_as_texts(texts), labels, rows, where, ids)


def _load_safe(path, file):
    try:
        return persistence.load(file)
    except persistence.UntrustedTypeError as error:
        raise CLIError(f"refusing to load the model file {path!r}: {error}") from None
    except (ValueError, OSError) as error:
        raise CLIError(f"cannot read the model file {path!r}: {error}") from None


def _load_pickle(path, file):
    import joblib

    try:
        return joblib.load(file)
    except Exception as error:  # unpickling can fail in any way a corrupt file allows
        raise CLIError(
            f"cannot read the model file {path!r} ({type(error).__name__}: {error}); "
            "give a file saved by 'sklearn-embed fit' or joblib.dump."
        ) from None


def load_model(path, *, trust_pickle=False):
    """Load a model saved by ``sklearn-embed fit`` (or any fitted estimator).

    A file in the safe format is recognised by its content (or its
    ``.sklembed`` name) and never unpickled; any other file is read with
    joblib only when ``trust_pickle`` is true.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise CLIError(f"model file not found: {path!r}.")
    if persistence.is_safe_file(file) or file.suffix.lower() == persistence.SUFFIX:
        model = _load_safe(path, file)
    elif trust_pickle:
        model = _load_pickle(path, file)
    else:
        raise CLIError(
            f"the model file {path!r} is not in the safe format ({persistence.SUFFIX}), so "
            "reading it means unpickling, and unpickling runs code; only load files you "
            "trust: pass --trust-pickle, or save with --format safe."
        )
    if not hasattr(model, "predict"):
        raise CLIError(
            f"the model file {path!r} holds a {type(model).__name__}, not a fitted "
            "estimator with a predict method."
        )
    return model
