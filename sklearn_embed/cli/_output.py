"""Where the command line writes: output paths checked before any work, files written whole.

Every output option (``--out``, ``--confusion-matrix``, ``--learning-curves``)
is checked when the command starts, before data is read or a model fitted, so
that an hour of fitting is never lost to a typo in a path: a folder, a missing
or unwritable parent folder, or a wrong extension is a one-line error naming
the option.  A missing parent folder is not created: it is more often a typo
than a wish.  Files are written to a temporary file beside the target and
moved into place (:func:`~sklearn_embed.persistence.atomic_output`), so a
crash never leaves half a file.
"""

import os
from pathlib import Path

from ..persistence import SUFFIX, atomic_output
from ._messages import CLIError

__all__ = ["MODEL_FORMATS", "PNG", "TABLES", "check_output", "model_output", "save_model",
           "write_output"]

#: Model file extensions and the format each one is written in.
MODEL_FORMATS = {".joblib": "joblib", SUFFIX: "safe"}
PNG = (".png",)
TABLES = (".csv", ".parquet", ".pq")


def _either(suffixes):
    return ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]


def check_output(value, option, suffixes):
    """The path ``value`` given to ``option``, or a ``CLIError`` saying why it cannot be written.

    Parameters
    ----------
    value : str
        The path as the user typed it (``~`` is expanded).
    option : str
        The option, for the message (``"--out"``).
    suffixes : sequence of str
        The allowed extensions, lower case, with their dot.

    Returns
    -------
    path : pathlib.Path

    Examples
    --------
    >>> check_output("predictions.csv", "--out", TABLES).name
    'predictions.csv'
    >>> check_output("predictions.txt", "--out", TABLES)
    Traceback (most recent call last):
    ...
    sklearn_embed.cli._messages.CLIError: --out 'predictions.txt' must end in .csv, .parquet or .pq.
    """
    path = Path(value).expanduser()
    where = f"{option} {value!r}"
    if path.is_dir():
        raise CLIError(f"{where} is a folder; give a file name ending in {_either(suffixes)}.")
    if path.suffix.lower() not in suffixes:
        raise CLIError(f"{where} must end in {_either(suffixes)}.")
    parent = path.parent
    if not parent.is_dir():
        if parent.exists():
            raise CLIError(f"{where}: {str(parent)!r} is a file, not a folder; choose another "
                           "path.")
        raise CLIError(f"{where}: the folder {str(parent)!r} does not exist; create it first "
                       "or choose another path.")
    # W for the new entry, X to reach it.  Root passes this whatever the mode bits.
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CLIError(f"{where}: the folder {str(parent)!r} is not writable; choose another "
                       "path.")
    return path


def model_output(value, format, option="--out"):
    """``(path, format)`` of a model to save; the format follows the extension unless given.

    Without ``value`` the file is ``model.joblib``, or ``model.sklembed`` with
    ``format="safe"``.
    """
    if value is None:
        value = "model" + {"safe": SUFFIX}.get(format, ".joblib")
    path = check_output(value, option, tuple(MODEL_FORMATS))
    implied = MODEL_FORMATS[path.suffix.lower()]
    if format is not None and format != implied:
        wanted = next(suffix for suffix, name in MODEL_FORMATS.items() if name == format)
        raise CLIError(f"{option} {value!r} is a {implied} file name, but --format is {format}: "
                       f"a {format} model file ends in {wanted}.")
    return path, implied


def write_output(path, write, option):
    """Call ``write(temporary_path)`` and move the result onto ``path``; errors name ``option``."""
    try:
        with atomic_output(path) as temporary:
            write(temporary)
    except OSError as error:
        raise CLIError(f"cannot write {option} {str(path)!r}: {error}") from None


def save_model(model, path, format, option="--out"):
    """Save ``model`` to ``path`` with joblib (a pickle) or in the safe format."""
    if format == "safe":
        from ..persistence import dump

        write_output(path, lambda temporary: dump(model, temporary), option)
    else:
        import joblib

        write_output(path, lambda temporary: joblib.dump(model, temporary), option)
