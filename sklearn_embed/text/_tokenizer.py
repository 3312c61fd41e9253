"""The one tokenizer behind EmbeddingVectorizer and SequenceIndexer.

Tokenising is the whole cost of turning text into pooled vectors, so it is
done over a batch at once: the documents of a chunk are lower-cased, joined
by a NUL separator and matched by one ``findall`` over the
joined text, with the separator added to the token pattern as an alternative
so that document boundaries come back as tokens.  Each distinct token is then
hashed once instead of once per occurrence.  Where that
shortcut could change the result (a document that contains NUL itself, a
pattern whose match can run over a separator, or a pattern that looks beyond
its match: anchors such as ``^``, ``$``, ``\\A``, ``\\Z`` and lookarounds) the
chunk is tokenised document by document instead, so both paths give exactly
the tokens of ``re.findall(token_pattern, doc.lower())``.

The default pattern and the few others that are runs of one character class
(``\\w+``, ``\\S+``, ...) skip ``re`` altogether: ``_compiled_tokens`` tokenises
the chunk with numpy and Arrow, to the same tokens and the same codes.
"""

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from ._compiled_tokens import run_pattern, tokenize_runs

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

_SEPARATOR = "\x00"
# Characters of text tokenised in one findall: large enough that per-call
# overhead vanishes, small enough that the token strings of one chunk stay at
# a few hundred MB even for 1-character tokens.
_CHUNK_CHARS = 8_000_000


@dataclass
class TokenChunk:
    """Tokens of consecutive documents, as codes into the chunk's distinct tokens.

    Attributes
    ----------
    start : int
        Position of the chunk's first document in the whole input.
    codes : ndarray of int64, shape (n_tokens,)
        ``uniques[codes]`` is the token sequence of the chunk, documents one
        after the other.
    uniques : ndarray of object
        The distinct tokens of the chunk.
    indptr : ndarray of int64, shape (n_documents + 1,)
        Document ``i`` of the chunk owns ``codes[indptr[i]:indptr[i + 1]]``.
    """

    start: int
    codes: np.ndarray
    uniques: np.ndarray
    indptr: np.ndarray

    @property
    def n_documents(self):
        return len(self.indptr) - 1

    def __len__(self):
        # Documents, as progress bars count them.
        return self.n_documents

    def token_lists(self):
        """The tokens of each document of the chunk, as lists of str."""
        tokens = self.uniques[self.codes].tolist()
        return [tokens[a:b] for a, b in itertools.pairwise(self.indptr.tolist())]


@lru_cache(maxsize=32)
def compile_token_pattern(token_pattern):
    """Compile ``token_pattern`` and check that it yields one token per match.

    Like ``CountVectorizer``, a pattern with one capturing group yields the
    group; more than one group is rejected.
    """
    try:
        pattern = re.compile(token_pattern)
    except (re.error, TypeError) as exc:
        raise ValueError(
            f"token_pattern={token_pattern!r} is not a valid regular expression: {exc}"
        ) from None
    if pattern.groups > 1:
        raise ValueError(
            f"token_pattern={token_pattern!r} has {pattern.groups} capturing groups; "
            "at most one is allowed (it selects the token). "
            "Use non-capturing groups (?:...) for the others."
        )
    if token_pattern == DEFAULT_TOKEN_PATTERN:
        # The same matches (maximal runs of 2+ word characters: findall resumes
        # after a greedy match, which ends at a boundary), 20-25% faster in re.
        pattern = re.compile(r"\w\w+")
    if pattern.groups == 0 and not _looks_beyond_match(pattern.pattern, pattern.flags):
        batch = re.compile(pattern.pattern + "|" + _SEPARATOR)
    else:
        # With a group, findall would return the group ('' for the separator).
        batch = None
    return pattern, batch


def _looks_beyond_match(token_pattern, flags):
    """Whether a match can depend on the text around it, other than through ``\\b``.

    In a NUL-joined batch, the text before a document's first character is the
    separator and the end of the previous document, not the start of a text:
    ``^\\w+`` would match in the first document only, ``(?<=\\W)\\w+`` at the start
    of every other one.  A word boundary is safe: NUL is not a word character,
    just as the start and the end of a text are not.
    """
    # Python's own parser (private but stable since 3.11); if it is not there,
    # every pattern is tokenised document by document, which is always exact.
    try:
        from re import _constants as c
        from re import _parser

        parsed = _parser.parse(token_pattern, flags)
    except Exception:
        return True
    unsafe_ops = {c.ASSERT, c.ASSERT_NOT, c.GROUPREF_EXISTS}

    def walk(items):
        for op, av in items:
            if op in unsafe_ops or (op is c.AT and av is not c.AT_BOUNDARY):
                return True
            parts = av if isinstance(av, (tuple, list)) else (av,)
            for part in parts:
                nested = part if isinstance(part, list) else [part]
                if any(isinstance(p, _parser.SubPattern) and walk(p) for p in nested):
                    return True
        return False

    return walk(parsed)


def build_analyzer(token_pattern=DEFAULT_TOKEN_PATTERN, lowercase=True):
    """Return a callable that splits one document into its list of tokens.

    Examples
    --------
    >>> build_analyzer()("The cat sat, didn't it?")
    ['the', 'cat', 'sat', 'didn', 'it']
    """
    pattern, _ = compile_token_pattern(token_pattern)
    if lowercase:
        return lambda doc: pattern.findall(doc.lower())
    return pattern.findall


def iter_token_chunks(documents, token_pattern=DEFAULT_TOKEN_PATTERN, lowercase=True,
                      chunk_chars=_CHUNK_CHARS):
    """Tokenise ``documents`` (a list of str) chunk by chunk.

    Yields
    ------
    chunk : TokenChunk
    """
    pattern, batch_pattern = compile_token_pattern(token_pattern)
    runs = run_pattern(token_pattern)
    start = 0
    n = len(documents)
    while start < n:
        stop, size = start, 0
        while stop < n and (stop == start or size + len(documents[stop]) <= chunk_chars):
            size += len(documents[stop]) + 1
            stop += 1
        yield _tokenize_chunk(documents, start, stop, pattern, batch_pattern, lowercase, runs)
        start = stop


def _tokenize_chunk(documents, start, stop, pattern, batch_pattern, lowercase, runs=None):
    docs = documents[start:stop]
    n_docs = stop - start
    if runs is not None:
        # Compiled: ~3.5x faster than one findall on IMDB, and exact (see _compiled_tokens).
        tokens = tokenize_runs(docs, *runs, lowercase)
        if tokens is not None:
            return TokenChunk(start, *tokens)
    if batch_pattern is not None:
        # Lower-cased one by one: 10x faster than lowering the joined text once
        # one document holds a non-ASCII character (str.lower has an ASCII fast
        # path), and the same result (NUL ends a final sigma's context too).
        text = _SEPARATOR.join(map(str.lower, docs) if lowercase else docs)
        tokens = batch_pattern.findall(text)
        codes, uniques = _factorize(tokens)
        # Compared in Python: numpy drops trailing NULs from str scalars.
        unique_list = uniques.tolist()
        with_separator = [i for i, u in enumerate(unique_list) if _SEPARATOR in u]
        if n_docs == 1 and not with_separator:
            indptr = np.array([0, len(codes)], dtype=np.int64)
            return TokenChunk(start, codes, uniques, indptr)
        if len(with_separator) == 1 and unique_list[with_separator[0]] == _SEPARATOR:
            sep = with_separator[0]
            positions = np.flatnonzero(codes == sep)
            if len(positions) == n_docs - 1:
                keep = np.ones(len(codes), dtype=bool)
                keep[positions] = False
                codes = codes[keep]
                # Token counts before each separator give the boundaries.
                indptr = np.empty(n_docs + 1, dtype=np.int64)
                indptr[0] = 0
                indptr[1:-1] = positions - np.arange(n_docs - 1)
                indptr[-1] = len(codes)
                # The separator's code is unused now; drop it and renumber.
                codes = codes - (codes > sep)
                uniques = np.delete(uniques, sep)
                return TokenChunk(start, codes, uniques, indptr)
    # Document by document: always exact.
    if lowercase:
        token_lists = [pattern.findall(doc.lower()) for doc in docs]
    else:
        token_lists = [pattern.findall(doc) for doc in docs]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n_docs)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    codes, uniques = _factorize(list(itertools.chain.from_iterable(token_lists)))
    return TokenChunk(start, codes, uniques, indptr)


def _factorize(tokens):
    """Codes and distinct values of a list of str, in order of first appearance.

    ``dict.setdefault`` over a counter hashes each token once in C and stores
    the position of its first occurrence; a numpy remap then makes the codes
    dense. Faster than ``pandas.factorize``, which needs an object array first.
    """
    first_seen = {}
    positions = np.fromiter(map(first_seen.setdefault, tokens, itertools.count()),
                            dtype=np.int64, count=len(tokens))
    firsts = np.fromiter(first_seen.values(), dtype=np.int64, count=len(first_seen))
    dense = np.empty(len(tokens), dtype=np.int64)
    dense[firsts] = np.arange(len(firsts))
    uniques = np.empty(len(first_seen), dtype=object)
    uniques[:] = list(first_seen)
    return dense[positions], uniques


def lookup(uniques, mapping, default=-1, dtype=np.int64):
    """Values of ``uniques`` in ``mapping`` (``default`` where absent), as an array."""
    return np.fromiter(
        map(mapping.get, uniques, itertools.repeat(default)),
        dtype=dtype,
        count=len(uniques),
    )


def count_tokens(chunks):
    """Occurrences and document frequency of every token of ``chunks``.

    Returns
    -------
    counts, doc_freq : dict of str to int
    """
    counts, doc_freq = {}, {}
    for chunk in chunks:
        n_unique = len(chunk.uniques)
        token_counts = np.bincount(chunk.codes, minlength=n_unique)
        presence = sp.csr_matrix(
            (np.ones(len(chunk.codes), dtype=np.int8), chunk.codes, chunk.indptr),
            shape=(chunk.n_documents, n_unique),
        )
        presence.sum_duplicates()
        chunk_df = np.bincount(presence.indices, minlength=n_unique)
        for token, c, d in zip(chunk.uniques.tolist(), token_counts.tolist(),
                               chunk_df.tolist()):
            counts[token] = counts.get(token, 0) + c
            doc_freq[token] = doc_freq.get(token, 0) + d
    return counts, doc_freq


class TokenizerMixin:
    """Parameters and helpers for estimators that tokenise with this module.

    Subclasses declare ``lowercase`` and ``token_pattern`` in ``__init__``.
    """

    def build_analyzer(self):
        """Return the callable that turns one document into its tokens."""
        return build_analyzer(self.token_pattern, self.lowercase)

    def _token_chunks(self, documents):
        return iter_token_chunks(documents, self.token_pattern, self.lowercase)
