"""Readers for vector files: word2vec text and binary, GloVe text, fastText, gensim."""

import gzip
import os
import re

import numpy as np

from ..exceptions import VectorFileError
from ._vectors import Vectors

FORMATS = ("word2vec", "glove", "word2vec-binary", "fasttext", "gensim")

_HEADER = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")


def detect_format(path):
    """Guess the format of the vector file at ``path`` from its first bytes.

    Returns one of ``FORMATS``.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as fh:
        head = fh.read(4096)
    if head[:1] == b"\x80":  # a pickle: gensim's own save()
        return "gensim"
    first_line, _, rest = head.partition(b"\n")
    if _HEADER.match(first_line):
        dim = int(_HEADER.match(first_line).group(2))
        second = rest.split(b"\n", 1)[0]
        try:
            parts = second.decode("utf-8").rstrip().split(" ")
            [float(x) for x in parts[1:]]
            if len(parts) - 1 == dim:
                return "word2vec"
        except (UnicodeDecodeError, ValueError):
            pass
        return "word2vec-binary"
    try:
        first_line.decode("utf-8")
        text = b"\x00" not in head
    except UnicodeDecodeError:
        text = False
    if text:
        return "glove"
    return "fasttext"


def read_vectors(path, fmt=None, name=None):
    """Read the vector file at ``path`` in format ``fmt`` (detected when None)."""
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
    return Vectors.from_keyed_vectors(kv, name)


def _read_text(path, has_header, name):
    """Parse word2vec text (``count dim`` header) or GloVe text (no header)."""
    opener = gzip.open if path.endswith(".gz") else open
    words, rows = [], []
    expected_count = dim = None
    with opener(path, "rb") as fh:
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
    if not words:
        raise VectorFileError(f"{path!r}: no vectors found.")
    if expected_count is not None and expected_count != len(words):
        raise VectorFileError(
            f"{path!r}: the header declares {expected_count} vectors but the file "
            f"holds {len(words)}."
        )
    if len(set(words)) != len(words):
        seen = set()
        dup = next(w for w in words if w in seen or seen.add(w))
        raise VectorFileError(f"{path!r}: the word {dup!r} appears more than once.")
    return Vectors(np.vstack(rows), words, name)


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
