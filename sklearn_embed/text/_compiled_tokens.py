"""Tokenising a whole batch in compiled code, for patterns that are runs of one character class.

The default token pattern ``(?u)\\b\\w\\w+\\b`` yields the maximal runs of two or
more word characters, and a few other common patterns are runs of one class
too (``\\w+``, ``\\S+``, ``[^\\W\\d_]+``).  For those, a batch is tokenised
without ``re``: the documents are lower-cased by ``str.lower`` one by one
(exactly what the per-document reference does, final sigma and ``'İ'`` included),
encoded to UTF-8 and joined; numpy marks every byte whose character is in
the class and finds the runs, and Arrow's hash kernel gives each distinct token
a code.  Which characters are in the class comes from Python's own ``re``,
asked once for every code point, so the result is ``re.findall`` by
construction.  RE2's ``[\\p{L}\\p{N}_]`` and Arrow's ``utf8_lower`` were not used:
they disagree with Python's ``\\w`` and ``str.lower`` on some code points, and
splitting with RE2 in Arrow measured slower than ``re`` itself.
"""

import re
import sys
from contextlib import contextmanager
from functools import lru_cache

import numpy as np

# Token patterns known to mean "maximal runs of at least n characters of one
# class" under findall: pattern -> (the class as a one-character regex, n).
# findall resumes after a greedy match, which ends where the run ends, so the
# word boundaries of the default pattern change nothing.
RUN_PATTERNS = {
    r"(?u)\b\w\w+\b": (r"\w", 2),
    r"\b\w\w+\b": (r"\w", 2),
    r"\w\w+": (r"\w", 2),
    r"(?u)\b\w+\b": (r"\w", 1),
    r"\b\w+\b": (r"\w", 1),
    r"\w+": (r"\w", 1),
    r"\S+": (r"\S", 1),
    r"[^\W\d_]+": (r"[^\W\d_]", 1),
}

# Joins the encoded documents: a space is outside every class above, so no run
# crosses from one document into the next.
_SEPARATOR = b" "

_enabled = True


@contextmanager
def python_tokenizer():
    """Tokenise with ``re`` only inside this block (benchmarks compare both paths).

    It applies to this process only: worker processes of ``n_jobs`` keep the
    compiled path.
    """
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous


def run_pattern(token_pattern):
    """``(character class, minimum length)`` of ``token_pattern``, or None.

    None also while :func:`python_tokenizer` is in force.
    """
    return RUN_PATTERNS.get(token_pattern) if _enabled else None


@lru_cache(maxsize=8)
def _class_table(char_class):
    """For each code point, whether Python's ``re`` matches ``char_class`` on it.

    Returns the table (bool, one per code point) and the ASCII part as ranges
    ``(first, last)``, which numpy tests faster than a 256-entry lookup.
    """
    # Character i of this text is chr(i); the class comes in a few hundred runs.
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    table = np.zeros(len(everything), dtype=bool)
    for match in re.finditer(f"(?:{char_class})+", everything):
        table[match.start():match.end()] = True
    edges = np.flatnonzero(np.diff(np.concatenate(([False], table[:128], [False])))).tolist()
    ascii_ranges = list(zip(edges[0::2], [e - 1 for e in edges[1::2]]))
    return table, ascii_ranges


def tokenize_runs(docs, char_class, min_length, lowercase):
    """Tokens of ``docs`` for a run pattern, as ``(codes, uniques, indptr)``.

    Codes number the distinct tokens in order of first appearance, as
    ``_tokenizer._factorize`` does.  Returns None where the result could not be
    exact: a class that holds surrogates met a document that holds one (its
    tokens would not be valid UTF-8).
    """
    table, ascii_ranges = _class_table(char_class)
    texts = map(str.lower, docs) if lowercase else docs
    # surrogatepass: a lone surrogate (possible in a Python str) is then three
    # bytes like any other character, and never in a class that excludes it.
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    data = np.frombuffer(_SEPARATOR.join([b"", *encoded, b""]), dtype=np.uint8)
    in_class = _ascii_in_class(data, ascii_ranges)
    high = np.flatnonzero(data >= 0x80)
    if len(high):
        lead = data[high] >= 0xC0
        code_points = _decode(data, high[lead])
        if table[0xD800:0xE000].any() and ((code_points >= 0xD800) & (code_points < 0xE000)).any():
            return None
        # A continuation byte takes the answer of the character it belongs to.
        in_class[high] = table[code_points][np.cumsum(lead) - 1]
        continuation = high[~lead]
    # The text begins and ends with the separator, so edges come in pairs.
    edges = np.flatnonzero(in_class[1:] != in_class[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    if min_length > 1:
        n_chars = ends - starts
        if len(high) and len(starts):
            # Continuation bytes are not characters: take them off their run.
            run = np.searchsorted(starts, continuation, side="right") - 1
            inside = (run >= 0) & (continuation < ends[np.maximum(run, 0)])
            n_chars -= np.bincount(run[inside], minlength=len(starts))
        short = n_chars < min_length
        in_class[_positions(starts[short], ends[short])] = False
        starts, ends = starts[~short], ends[~short]
    token_bytes = np.compress(in_class, data)
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends - starts, out=offsets[1:])
    # Documents start one separator after the end of the previous one; the
    # tokens before each start are the document boundaries.
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    bounds = np.cumsum(np.concatenate(([1], lengths + 1)))
    indptr = np.searchsorted(starts, bounds).astype(np.int64)
    codes, uniques = _dictionary_encode(token_bytes, offsets)
    return codes, uniques, indptr


def _ascii_in_class(data, ascii_ranges):
    """Whether each byte is an ASCII character of the class (False for bytes >= 0x80)."""
    in_class = np.zeros(len(data), dtype=bool)
    shifted = np.empty_like(data)
    hit = np.empty(len(data), dtype=bool)
    for first, last in ascii_ranges:
        # One unsigned comparison per range: bytes below ``first`` wrap round.
        np.subtract(data, np.uint8(first), out=shifted)
        np.less_equal(shifted, np.uint8(last - first), out=hit)
        in_class |= hit
    return in_class


def _decode(data, leads):
    """Code points of the UTF-8 sequences that begin at ``leads`` (non-ASCII only)."""
    last = len(data) - 1
    b0 = data[leads].astype(np.int64)
    b1, b2, b3 = (data[np.minimum(leads + k, last)].astype(np.int64) & 0x3F for k in (1, 2, 3))
    two = ((b0 & 0x1F) << 6) | b1
    three = ((b0 & 0x0F) << 12) | (b1 << 6) | b2
    four = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3
    return np.where(b0 < 0xE0, two, np.where(b0 < 0xF0, three, four))


def _positions(starts, ends):
    """Every position of the spans ``[starts[i], ends[i])``, concatenated."""
    lengths = ends - starts
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(lengths.sum())


def _dictionary_encode(token_bytes, offsets):
    """Codes (int64) and distinct tokens (object array of str) of UTF-8 tokens.

    Arrow's dictionary encoding hashes each token once in C and lists the
    distinct values in order of first appearance.
    """
    import pyarrow as pa

    if len(offsets) == 1:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    # 32-bit offsets are faster to hash; past 2 GiB of tokens only 64-bit ones fit.
    if offsets[-1] < 2**31:
        array_type, offsets = pa.StringArray, offsets.astype(np.int32)
    else:
        array_type = pa.LargeStringArray
    tokens = array_type.from_buffers(len(offsets) - 1, pa.py_buffer(offsets),
                                     pa.py_buffer(token_bytes))
    encoded = tokens.dictionary_encode()
    codes = encoded.indices.to_numpy().astype(np.int64)
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False)
    return codes, uniques
