"""Lexicon-based sentiment scores (VADER) of each document, as features."""

import functools
import hashlib
import heapq
import os
from collections.abc import Mapping
from numbers import Real
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._cache import CachedResourceMixin, ProcessCache
from .._compat import fit_context
from .._optional import import_optional
from .._progress import in_slices
from ._mixins import TextEstimatorMixin
from ._validation import ReadOnceMixin, check_raw_documents

SCORES = ("neg", "neu", "pos", "compound")

# Analyzers built from a file, shared by every LexiconSentiment of the process:
# reading and parsing VADER's 7,500-entry lexicon takes ~30 ms.
_analyzers = ProcessCache("VADER analyzers")


# VADER's valences are human ratings in [-4, 4].  Far beyond that its sums
# overflow (compound of a single 1e308 word is 1e308 / sqrt(inf) = 0, two give
# NaN); with at most 1e6 a billion-word document still sums to a finite value.
MAX_VALENCE = 1e6

# Documents scored between two moves of the progress bar (verbose >= 1): VADER
# scores a few thousand reviews a second.
_DOCS_PER_UPDATE = 1_000


def _analyzer_class():
    module = import_optional("vaderSentiment.vaderSentiment", needed_by="LexiconSentiment",
                             extra="lexicon")
    return _with_linear_time_checks(module.SentimentIntensityAnalyzer)


@functools.cache
def _with_linear_time_checks(analyzer_class):
    return type(analyzer_class.__name__, (_LinearTimeChecks, analyzer_class), {})


class _LinearTimeChecks:
    """VADER's rules, with the same scores, in time linear in the document's length.

    For every rated word VADER lower-cases the whole document up to four times
    (in ``_negation_check`` and ``_special_idioms_check``, which then read three
    words around it), and ``_but_check`` finds each score's position with
    ``list.index``: quadratic, 2 s for an 8,000-word review.  Here the two checks
    get only the words they read, and ``_but_check`` keeps a heap of positions
    per score.  The scores are VADER's own, for every document.
    """

    # Both checks read the words from i - 3 to i + 2 (i > 2 whenever VADER calls
    # them); earlier indices would wrap around, so those calls get every word.
    def _negation_check(self, valence, words_and_emoticons, start_i, i):
        if i < 3:
            return super()._negation_check(valence, words_and_emoticons, start_i, i)
        return super()._negation_check(valence, words_and_emoticons[i - 3:i + 3], start_i, 3)

    def _special_idioms_check(self, valence, words_and_emoticons, i):
        if i < 3:
            return super()._special_idioms_check(valence, words_and_emoticons, i)
        return super()._special_idioms_check(valence, words_and_emoticons[i - 3:i + 3], 3)

    @staticmethod
    def _but_check(words_and_emoticons, sentiments):
        words_lower = [str(w).lower() for w in words_and_emoticons]
        if "but" not in words_lower:
            return sentiments
        but = words_lower.index("but")
        # VADER scales the score at sentiments.index(score): the first position
        # holding an equal score, which can be an earlier one already scaled,
        # not the score's own.  That is kept exactly; the first position comes
        # from a heap per score, whose stale entries (positions rescaled since)
        # are dropped when they reach the top.
        positions = {}
        for position, score in enumerate(sentiments):
            positions.setdefault(score, []).append(position)  # ascending: a heap
        for position in range(len(sentiments)):
            score = sentiments[position]
            heap = positions[score]
            while sentiments[heap[0]] != score:
                heapq.heappop(heap)
            first = heap[0]
            if first == but:
                continue
            scaled = score * 0.5 if first < but else score * 1.5
            sentiments[first] = scaled
            heapq.heappush(positions.setdefault(scaled, []), first)
        return sentiments


def _load_analyzer(lexicon):
    """Return a VADER analyzer whose word valences come from ``lexicon``."""
    analyzer_class = _analyzer_class()
    if isinstance(lexicon, Mapping):
        analyzer = analyzer_class()
        analyzer.lexicon = dict(lexicon)
        return analyzer
    path = None if lexicon is None else str(Path(lexicon).expanduser().resolve())
    # A file that is rewritten gets a new entry (its size or mtime changes).
    key = (path, None) if path is None else (path, *_file_state(path))

    def load():
        if path is None:
            return analyzer_class()
        _check_lexicon_file(path)
        # VADER joins the name to its own folder; an absolute path stays as given.
        return analyzer_class(lexicon_file=path)

    return _analyzers.get(key, load)


def _check_lexicon_file(path):
    """Name the file and line of a malformed entry: VADER's own reader fails with a
    bare "not enough values" or float error."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"The lexicon file {path!r} is not UTF-8: {exc}.") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.strip().split("\t")
        try:
            valence = float(fields[1]) if len(fields) > 1 else None
        except ValueError:
            valence = None
        if valence is None or not np.isfinite(valence):
            raise ValueError(
                f"The lexicon file {path!r}, line {number}: expected "
                f"'word<TAB>valence', got {line[:80]!r}."
            )
        if abs(valence) > MAX_VALENCE:
            raise ValueError(
                f"The lexicon file {path!r}, line {number}: the valence {valence!r} of "
                f"{fields[0]!r} is beyond {MAX_VALENCE:g}; VADER's valences are ratings in "
                "[-4, 4], and far larger ones overflow its sums."
            )


def _file_state(path):
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def _fingerprint(analyzer):
    """A checksum of the analyzer's word valences."""
    digest = hashlib.blake2b(digest_size=8)
    for word, valence in sorted(analyzer.lexicon.items()):
        digest.update(f"{word}\t{float(valence)!r}\n".encode())
    return digest.hexdigest()


def _check_lexicon(lexicon):
    if lexicon is None:
        return
    if isinstance(lexicon, Mapping):
        if not lexicon:
            raise ValueError("The 'lexicon' parameter of LexiconSentiment is an empty mapping; "
                             "give at least one word and its valence.")
        for word, valence in lexicon.items():
            if not isinstance(word, str) or isinstance(valence, bool) or not isinstance(
                    valence, Real) or not np.isfinite(valence):
                raise ValueError(
                    "The 'lexicon' parameter of LexiconSentiment must map words (str) to "
                    f"finite valences (numbers), got {word!r}: {valence!r}."
                )
            if abs(valence) > MAX_VALENCE:
                raise ValueError(
                    f"The 'lexicon' parameter of LexiconSentiment gives {word!r} the valence "
                    f"{valence!r}; valences must be at most {MAX_VALENCE:g} in absolute value "
                    "(VADER's are ratings in [-4, 4]; far larger ones overflow its sums)."
                )
            if word != word.lower():
                raise ValueError(
                    f"The 'lexicon' parameter of LexiconSentiment has the word {word!r}, which "
                    f"would never match: VADER looks words up in lower case. Use "
                    f"{word.lower()!r}."
                )
        return
    if not isinstance(lexicon, (str, os.PathLike)):
        raise ValueError(
            "The 'lexicon' parameter of LexiconSentiment must be None (VADER's own lexicon), "
            f"the path of a lexicon file or a dict of word valences, got {lexicon!r}."
        )
    if not Path(lexicon).expanduser().is_file():
        raise ValueError(
            f"The 'lexicon' parameter of LexiconSentiment names {os.fspath(lexicon)!r}, "
            "which is not a file. Give the path of a VADER-format lexicon (one "
            "'word<TAB>mean valence' per line), a dict, or None."
        )


def _check_scores(scores):
    if isinstance(scores, str) or not isinstance(scores, (list, tuple)):
        raise ValueError(
            f"The 'scores' parameter of LexiconSentiment must be a tuple of names from "
            f"{SCORES}, got {scores!r}."
        )
    unknown = [name for name in scores if name not in SCORES]
    if unknown or not scores or len(set(scores)) != len(scores):
        problem = (f"unknown names {unknown}" if unknown else
                   "no names" if not scores else "repeated names")
        raise ValueError(
            f"The 'scores' parameter of LexiconSentiment must be a tuple of distinct names "
            f"from {SCORES}; it has {problem}: {tuple(scores)!r}."
        )


class LexiconSentiment(CachedResourceMixin, TextEstimatorMixin, ReadOnceMixin, TransformerMixin,
                       BaseEstimator):
    """Score each document with the VADER sentiment lexicon and rules.

    VADER (Hutto & Gilbert, 2014) sums human-rated word valences, with rules
    for negation, intensifiers ("very"), capitals, exclamation marks, "but"
    and emojis.  Its four scores per document are dense features that a
    classifier can combine with word or embedding features, or use alone:
    ``neg``, ``neu`` and ``pos`` are the shares of the text that are
    negative, neutral and positive, and ``compound`` is the normalized sum of
    valences, in [-1, 1].  A document with no rated word scores 0 everywhere.

    VADER looks at case and punctuation, so clean the text for it without
    lower-casing: ``TextCleaner(lowercase=False, emojis="keep", ...)``.

    Needs the optional dependency: ``pip install "sklearn_embed[lexicon]"``.

    Parameters
    ----------
    lexicon : None, str, path-like or dict, default=None
        The word valences: ``None`` for VADER's own lexicon; the path of a file
        in VADER's format (``word<TAB>mean valence<TAB>...`` per line); or a
        dict ``{word: valence}`` (lower-case words, valences roughly in [-4, 4]
        and at most ``1e6`` in absolute value), e.g. VADER's lexicon updated
        with domain words.
    scores : tuple of str, default=("neg", "neu", "pos", "compound")
        Which scores to output, in this order.
    verbose : int or bool, default=0
        ``0``: silent.  ``1`` or more: ``transform`` shows a progress bar on
        stderr (documents done out of all, documents per second), which moves
        every 1,000 documents.  ``fit`` only loads the lexicon and shows none.

    Attributes
    ----------
    lexicon_size_ : int
        Number of words with a valence.
    lexicon_fingerprint_ : str
        A checksum of the valences seen in ``fit``. The analyzer is not
        pickled; when an unpickled scorer loads the lexicon again and finds
        other valences (an edited file, another VADER version), it raises
        ``SourceMismatchError`` instead of scoring differently.

    See Also
    --------
    EmbeddingVectorizer : Pooled word vectors, often combined with these scores.

    Examples
    --------
    >>> from sklearn_embed import LexiconSentiment
    >>> docs = ["What a great, GREAT day!", "The delivery was late.", "This is awful :("]
    >>> scorer = LexiconSentiment(scores=("compound",)).fit(docs)
    >>> scorer.transform(docs).round(2).ravel().tolist()
    [0.88, 0.0, -0.71]
    >>> scorer.get_feature_names_out().tolist()
    ['compound']
    """

    _parameter_constraints = {
        # Checked in fit by _check_lexicon and _check_scores, whose errors say more.
        "lexicon": "no_validation",
        "scores": "no_validation",
        "verbose": ["verbose"],
    }
    _not_pickled = ("_analyzer",)

    def __init__(self, lexicon=None, scores=SCORES, *, verbose=0):
        self.lexicon = lexicon
        self.scores = scores
        self.verbose = verbose

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Load the lexicon; the documents are only checked (none at all is fine).

        Parameters
        ----------
        X : iterable of str
            Documents.
        y : None
            Ignored.

        Returns
        -------
        self : LexiconSentiment
        """
        _check_lexicon(self.lexicon)
        _check_scores(self.scores)
        check_raw_documents(X, param_name="X")
        self._analyzer = _load_analyzer(self.lexicon)
        self.lexicon_size_ = len(self._analyzer.lexicon)
        self.lexicon_fingerprint_ = _fingerprint(self._analyzer)
        return self

    def transform(self, X):
        """Score each document.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        X_new : ndarray of shape (n_documents, len(scores)), dtype float64
        """
        check_is_fitted(self)
        documents = check_raw_documents(X, param_name="X")
        analyzer = self._get_analyzer()
        scores = self.scores
        out = np.empty((len(documents), len(scores)), dtype=np.float64)
        start = 0
        for piece in in_slices(documents, _DOCS_PER_UPDATE, enabled=self.verbose > 0,
                               desc="LexiconSentiment.transform"):
            for i, document in enumerate(piece, start):
                polarity = analyzer.polarity_scores(document)
                out[i] = [polarity[name] for name in scores]
            start += len(piece)
        return out

    def _get_analyzer(self):
        lexicon = self.lexicon
        name = ("VADER's own lexicon" if lexicon is None else "the lexicon " + repr(
            lexicon if isinstance(lexicon, Mapping) else os.fspath(lexicon)))
        return self._cached_resource(
            "_analyzer", lambda: _load_analyzer(lexicon), what=name,
            fingerprint=_fingerprint, expected=self.lexicon_fingerprint_,
        )

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the ``scores``.

        Parameters
        ----------
        input_features : None
            Ignored (the input is text).

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return np.asarray(self.scores, dtype=object)
