"""Vectors for words an embedding source does not know: the ``oov=`` repairs.

GloVe knows ``stay``, ``home`` and ``lives`` but not the hashtag
``#StayHomeSaveLives`` (tokenised as ``stayhomesavelives``); on the coronavirus
tweets over half of the hashtag uses are unknown to it.  Each repair maps an
unknown word to **parts the source knows**; the word's vector is the mean of
its parts' vectors, and it stays one token (a mean pooling counts it once, a
sequence keeps one id for it).  A word no repair reaches keeps no vector.

First the word is cut into *pieces* at underscores and between letters and
digits (``covid_19`` and ``covid19`` -> ``covid``, ``19``), then:

``"split"``
    Every piece is segmented into words of the source by a dynamic programme
    whose cost is the word's frequency rank (Zipf's law: a word of rank ``r``
    costs ``log((r + 1) * log(N))``), the cheapest segmentation wins, ties go
    to the first found.  A part must have at least :data:`MIN_PART` characters
    and be among the source's :data:`SPLIT_VOCABULARY` first words, which are
    its most frequent ones for GloVe, word2vec and fastText files (a source
    ordered otherwise gives arbitrary costs).  The repair is accepted only
    when *every* piece segments: ``stayhomesavelives`` -> stay home save
    lives.  Without the frequency bound, GloVe's 400,000 words (many of them
    rare names and codes) would split almost any string.
``"subword"``
    Each piece the source knows is a part; for another piece, its longest
    prefix and its longest suffix of at least :data:`MIN_AFFIX` characters
    that the source knows (any rank) are its parts: ``lockdowning`` ->
    ``lockdown``, ``owning``.  Pieces without such a part add nothing; a
    word with no part at all stays unknown.  A cheap, deterministic stand-in
    for fastText's character n-grams, for sources that have none.
``"split+subword"``
    ``"split"`` where it succeeds, else ``"subword"``.

A source that builds unknown words itself (fastText) keeps doing so: the
repairs are for sources without subwords.
"""

import math
import re

import numpy as np

#: The values of the ``oov`` parameter of EmbeddingVectorizer and SequenceIndexer.
OOV_STRATEGIES = ("ignore", "split", "subword", "split+subword")
#: Parts of a split are among the source's first (most frequent) words.
SPLIT_VOCABULARY = 50_000
#: Shortest part of a split: single letters would segment anything.
MIN_PART = 2
#: Longest part of a split tried, in characters (bounds the programme's cost).
MAX_PART = 24
#: Shortest prefix or suffix of the subword repair.
MIN_AFFIX = 4

_PIECES = re.compile(r"[^\W\d_]+|\d+")


def pieces(word):
    """Cut ``word`` at underscores and between letters and digits.

    Examples
    --------
    >>> pieces("covid_19"), pieces("top10s")
    (['covid', '19'], ['top', '10', 's'])
    """
    return _PIECES.findall(word)


def segment(piece, key_to_index, limit=SPLIT_VOCABULARY):
    """The cheapest split of ``piece`` into words of ``key_to_index``, or None.

    Parameters
    ----------
    piece : str
    key_to_index : dict of str to int
        The source's words and their rank (row), most frequent first.
    limit : int, default=SPLIT_VOCABULARY
        Parts must have a rank below it.

    Returns
    -------
    parts : tuple of str or None

    Examples
    --------
    >>> ranks = {"stay": 0, "home": 1, "save": 2, "lives": 3, "st": 9, "ay": 9}
    >>> segment("stayhomesavelives", ranks)
    ('stay', 'home', 'save', 'lives')
    >>> segment("stayhomex", ranks) is None
    True
    """
    n = len(piece)
    scale = math.log(max(limit, 2))
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    for end in range(MIN_PART, n + 1):
        for start in range(max(0, end - MAX_PART), end - MIN_PART + 1):
            if best[start] == math.inf:
                continue
            rank = key_to_index.get(piece[start:end])
            if rank is None or rank >= limit:
                continue
            cost = best[start] + math.log((rank + 1) * scale)
            if cost < best[end]:
                best[end], back[end] = cost, start
    if best[n] == math.inf:
        return None
    parts, end = [], n
    while end > 0:
        parts.append(piece[back[end]:end])
        end = back[end]
    return tuple(reversed(parts))


def _affixes(piece, key_to_index):
    """The longest known prefix and suffix of ``piece`` (``MIN_AFFIX`` characters or more)."""
    found = []
    for stop in range(len(piece) - 1, MIN_AFFIX - 1, -1):
        if piece[:stop] in key_to_index:
            found.append(piece[:stop])
            break
    for start in range(1, len(piece) - MIN_AFFIX + 1):
        if piece[start:] in key_to_index:
            found.append(piece[start:])
            break
    return found


def repair_parts(word, key_to_index, strategy):
    """The known parts whose mean vector stands for the unknown ``word``; ``()`` if none.

    Parameters
    ----------
    word : str
    key_to_index : dict of str to int
        The source's words and their rank, most frequent first.
    strategy : {"ignore", "split", "subword", "split+subword"}

    Returns
    -------
    parts : tuple of str

    Examples
    --------
    >>> ranks = {"stay": 0, "home": 1, "lockdown": 2, "owning": 3, "19": 4}
    >>> repair_parts("stayhome", ranks, "split")
    ('stay', 'home')
    >>> repair_parts("lockdowning", ranks, "split")
    ()
    >>> repair_parts("lockdowning_19", ranks, "split+subword")
    ('lockdown', 'owning', '19')
    """
    if strategy == "ignore":
        return ()
    word_pieces = pieces(word)
    if strategy in ("split", "split+subword"):
        # A piece the source knows is kept whole, whatever its rank.
        splits = [(p,) if p in key_to_index else segment(p, key_to_index)
                  for p in word_pieces]
        if word_pieces and all(s is not None for s in splits):
            return tuple(part for s in splits for part in s)
        if strategy == "split":
            return ()
    parts = []
    for piece in word_pieces:
        parts += [piece] if piece in key_to_index else _affixes(piece, key_to_index)
    return tuple(parts)


def repair_vectors(words, vectors, strategy, key_to_index=None):
    """Vectors of the unknown ``words`` by ``strategy``, and which of them it found.

    Parameters
    ----------
    words : sequence of str
        Words the source does not know.
    vectors : Vectors
        The source (``take`` gives the parts' vectors).
    strategy : {"ignore", "split", "subword", "split+subword"}
    key_to_index : dict of str to int, default=None
        The words that may be parts, with their rank; default: the source's.

    Returns
    -------
    matrix : ndarray of shape (len(words), vector_size), float32
        The mean of each word's parts' vectors; zeros where none was found.
    repaired : ndarray of bool, shape (len(words),)
    """
    key_to_index = vectors.key_to_index if key_to_index is None else key_to_index
    matrix = np.zeros((len(words), vectors.vector_size), dtype=np.float32)
    repaired = np.zeros(len(words), dtype=bool)
    if strategy == "ignore":
        return matrix, repaired
    for i, word in enumerate(words):
        parts = repair_parts(word, key_to_index, strategy)
        if parts:
            ids = np.fromiter((key_to_index[p] for p in parts), dtype=np.int64, count=len(parts))
            # float64 mean: the parts' order must not change the vector.
            matrix[i] = vectors.take(ids).astype(np.float64).mean(axis=0)
            repaired[i] = True
    return matrix, repaired
