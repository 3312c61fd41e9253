"""Readers for vector files: word2vec text and binary, GloVe text, fastText, gensim."""

import gzip
import os
import re

import numpy as np

from ..exceptions import VectorFileError
from ._vectors import Vectors

FORMATS = ("word2vec", "glove", "word2vec-binary", "fasttext", "gensim")
# Names that say a file is a gensim pickle; no other name lets one be unpickled.
PICKLE_SUFFIXES = (".kv", ".model")

_HEADER = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")


def detect_format(path):
    """Guess the format of the vector file at ``path`` from its first bytes.

    Returns one of ``FORMATS``.  The bytes never choose ``"gensim"``: gensim's
    files are pickles, and unpickling runs the code a pickle contains, so a
    pickle is read only when its name says it is one (``.kv``, ``.model``);
    otherwise it is refused.  Give the ``gensim:`` prefix to read one under
    another name.

    Raises
    ------
    VectorFileError
        When the file looks like a pickle but its name does not say so.

    Examples
    --------
    >>> from gensim.test.utils import datapath
    >>> from sklearn_embed.sources import detect_format
    >>> detect_format(datapath("test_glove.txt")), detect_format(datapath("euclidean_vectors.bin"))
    ('glove', 'word2vec-binary')
    """
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        first_line = fh.readline(4096)
        # The whole second line, not the rest of the first 4 KiB: a cut row of a
        # 1,000-dimensional text file would look like binary.
        second_line = fh.readline(1 << 20)
        fh.seek(0)
        head = fh.read(4096)
    if head[:1] == b"\x80":  # pickle protocol 2+: gensim's own save()
        if path.endswith(PICKLE_SUFFIXES):
            return "gensim"
        raise VectorFileError(
            f"{path!r} looks like a pickled gensim file (KeyedVectors.save or a model's "
            "save), and loading a pickle runs the code it contains. Load it only if you "
            f"trust it: name it as 'gensim:{path}', or give it a .kv or .model name."
        )
    if _HEADER.match(first_line):
        # A text row after the header is word2vec text even if its length is wrong:
        # the text reader then names the line, where the binary reader reads garbage.
        return "word2vec" if _is_text_row(second_line) else "word2vec-binary"
    try:
        first_line.decode("utf-8")
        text = b"\x00" not in head
    except UnicodeDecodeError:
        text = False
    if text:
        return "glove"
    return "fasttext"


def _is_text_row(line):
    """Whether ``line`` reads as text: a word, then at least one number.

    A binary row is the word, a space and raw float32 bytes.  Such bytes that
    decode as UTF-8, hold no control character and parse as a number are
    (nearly) impossible, so a row that does is text.
    """
    try:
        text = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return False
    if not text:
        return True  # only a header: the text reader reports the empty file
    if any(ord(c) < 32 and c != "\t" for c in text):
        return False
    values = text.rstrip(" ").split(" ")[1:]
    return bool(values) and any(_is_float(v) for v in values)


def read_vectors(path, fmt=None, name=None):
    """Read the vector file at ``path`` in format ``fmt`` (detected when None).

    ``fmt="gensim"`` unpickles the file, which runs any code it contains:
    give it only for files you trust.  A detected format is never a pickle
    unless the file's name ends in ``.kv`` or ``.model`` (see
    :func:`detect_format`).

    Raises
    ------
    VectorFileError
        When the file is malformed, holds a value that is not a finite number,
        or looks like a pickle that was not named as one.
    """
    path = os.fspath(path)
    name = name or path
    if not os.path.exists(path):
        raise FileNotFoundError(f"Embedding source {name!r}: no file at {path!r}.")
    fmt = fmt or detect_format(path)
    if fmt in ("word2vec", "glove"):
        return _read_text(path, has_header=(fmt == "word2vec"), name=name)
    try:
        if fmt == "word2vec-binary":
            from gensim.models import KeyedVectors

            kv = KeyedVectors.load_word2vec_format(path, binary=True)
        elif fmt == "fasttext":
            from gensim.models.fasttext import load_facebook_vectors

            kv = load_facebook_vectors(path)
        elif fmt == "gensim":
            from gensim.models import KeyedVectors
            from gensim.utils import SaveLoad

            kv = SaveLoad.load(path, mmap="r")
            kv = getattr(kv, "wv", kv)  # a whole Word2Vec / FastText model
            if not isinstance(kv, KeyedVectors):
                raise TypeError(f"it holds a {type(kv).__name__}, not KeyedVectors")
        else:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    except Exception as exc:  # gensim's own messages do not name the file
        raise VectorFileError(
            f"Could not read {path!r} as a {fmt} vector file: {exc}"
        ) from exc
    _check_finite(kv.vectors, kv.index_to_key, path)
    return Vectors.from_keyed_vectors(kv, name)


def _check_finite(matrix, words, path, rows_per_chunk=1 << 16):
    """Raise when a row holds NaN or an infinity: it would become NaN features.

    In chunks, so that a memory-mapped matrix is never copied whole.
    """
    for start in range(0, matrix.shape[0], rows_per_chunk):
        finite = np.isfinite(matrix[start:start + rows_per_chunk]).all(axis=1)
        if not finite.all():
            row = start + int(np.argmin(finite))
            value = next(x for x in np.asarray(matrix[row]) if not np.isfinite(x))
            raise VectorFileError(
                f"{path!r}: the vector of {words[row]!r} (row {row}) holds {value}, not a "
                "finite number; fix or remove that vector."
            )


def _read_text(path, has_header, name):
    """Parse word2vec text (``count dim`` header) or GloVe text (no header)."""
    opener = gzip.open if path.endswith(".gz") else open
    words, rows, linenos = [], [], []
    expected_count = dim = None
    # A value beyond float32 ('1e39') becomes inf, reported below with its line.
    with opener(path, "rb") as fh, np.errstate(over="ignore"):
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise VectorFileError(
                    f"{path!r}, line {lineno}: not valid UTF-8 ({exc.reason} at byte "
                    f"{exc.start})."
                ) from None
            if lineno == 1 and has_header:
                match = _HEADER.match(raw)
                if not match:
                    raise VectorFileError(
                        f"{path!r}, line 1: expected the word2vec header "
                        f"'<count> <dimension>', got {line[:60]!r}."
                    )
                expected_count, dim = int(match.group(1)), int(match.group(2))
                continue
            if not line.strip():
                continue
            parts = line.rstrip(" ").split(" ")
            if dim is None:
                dim = len(parts) - 1
                if dim < 1:
                    raise VectorFileError(
                        f"{path!r}, line {lineno}: expected a word followed by its "
                        f"vector, got {line[:60]!r}."
                    )
            if len(parts) - 1 != dim:
                raise VectorFileError(
                    f"{path!r}, line {lineno}: the vector of {parts[0]!r} has "
                    f"{len(parts) - 1} values, expected {dim} like the "
                    f"{'header' if has_header else 'first line'}."
                )
            try:
                rows.append(np.array(parts[1:], dtype=np.float32))
            except ValueError:
                bad = next(p for p in parts[1:] if not _is_float(p))
                raise VectorFileError(
                    f"{path!r}, line {lineno}: expected {dim} numbers after the word "
                    f"{parts[0]!r}, found {bad[:30]!r}."
                ) from None
            words.append(parts[0])
            linenos.append(lineno)
    if not words:
        raise VectorFileError(f"{path!r}: no vectors found.")
    matrix = np.vstack(rows)
    # One check of the whole matrix, not one per row: in the parsing loop it
    # would add ~40% to the cost of each row.
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        row = int(np.argmin(finite))
        bad = (_non_finite_text(path, linenos[row])
               or str(next(x for x in matrix[row] if not np.isfinite(x))))
        raise VectorFileError(
            f"{path!r}, line {linenos[row]}: the vector of {words[row]!r} holds {bad[:30]!r}, "
            "not a finite number (NaN and infinite values would become NaN features); "
            "fix or remove that line."
        )
    if expected_count is not None and expected_count != len(words):
        raise VectorFileError(
            f"{path!r}: the header declares {expected_count} vectors but the file "
            f"holds {len(words)}."
        )
    if len(set(words)) != len(words):
        seen = set()
        dup = next(w for w in words if w in seen or seen.add(w))
        raise VectorFileError(f"{path!r}: the word {dup!r} appears more than once.")
    return Vectors(matrix, words, name)


def _non_finite_text(path, lineno):
    """The first non-finite value of line ``lineno`` as written, for the message."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh, np.errstate(over="ignore"):
        for number, raw in enumerate(fh, start=1):
            if number == lineno:
                values = raw.decode("utf-8", "replace").rstrip("\r\n").split(" ")[1:]
                return next((v for v in values if _is_float(v)
                             and not np.isfinite(np.float32(v))), None)
    return None


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
