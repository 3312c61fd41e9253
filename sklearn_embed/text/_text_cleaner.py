"""Clean raw text (tweets, reviews, posts) before it is tokenized."""

import html
import re
import unicodedata
from functools import lru_cache, partial, wraps

import emoji
import ftfy
import numpy as np
import pandas as pd
from ftfy import chardata
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import InvalidParameterError, StrOptions, fit_context
from .._progress import in_slices
from ._abbreviations import CHAT_ABBREVIATIONS
from ._mixins import TextEstimatorMixin
from ._validation import ReadOnceMixin, check_raw_documents

__all__ = ["TextCleaner", "CHAT_ABBREVIATIONS"]

# HTML entities are left to the ``strip_html`` step, so that turning it off
# keeps "&amp;" as it is.
_FTFY_FULL = ftfy.TextFixerConfig(unescape_html=False, explain=False)
# Three of ftfy's fixes translate the whole text to act on a few rare code
# points and take a third of its time; they run only where those occur.
_FTFY_FAST = _FTFY_FULL._replace(
    fix_latin_ligatures=False, fix_character_width=False, remove_control_chars=False
)
_FTFY_RARE_CHAR = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in [*chardata.LIGATURES, *chardata.WIDTH_MAP, *chardata.CONTROL_CHARS]
    )
    + "]"
)
# A tweet cut off in the middle of a mojibake sequence ("donÂ" for "donÂ\x92t")
# leaves a lone "Â" that ftfy cannot decode; a real "Â" is followed by a letter.
_STRAY_A_CIRCUMFLEX = re.compile(r"Â(?![^\W\d_])")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# A comment start, or a tag: what strip_html replaces, scanned left to right.
_HTML_COMMENT_OR_TAG = re.compile(r"<!--|</?[A-Za-z][^<>]*>")
# Starting with a character set lets the regex engine skip most positions
# quickly.  The last character of a link is never closing punctuation, so
# "see www.x.org." keeps its full stop.
_LINK = re.compile(r"[hHwW](?<!\w[hHwW])(?i:ttps?://|ww\.)\S*[^\s.,!?;:'\"’”)\]}]")
_MENTION = re.compile(r"(?<![\w@])@\w+")
# Like Twitter, "#1" is not a hashtag: one letter at least.
_HASHTAG = re.compile(r"(?<![\w#&])#(?=\w*[^\W\d_])(\w+)")
# Every character an abbreviation key may need to share a word with; a
# document none of whose such words is a key is skipped without the regex.
_ABBREVIATION_WORD = re.compile(r"[\w/]+")
# Characters that glue an abbreviation to a neighbour ("R&B", "U.S.", "u're",
# "@u") mean it is not a standalone word.
_ABBREVIATION_TEMPLATE = r"(?<![\w'’@#&/-])(?<!\w\.)(?:{})(?![\w'’&/-])(?!\.\w)"
# Any emoji has one of these characters (a keycap such as "#️⃣" has U+20E3).
# A set, not a regex class: most are outside the BMP, where re tests a class
# member by member.
_EMOJI_CHARS = frozenset(
    char for sequence in emoji.EMOJI_DATA for char in sequence if not char.isascii()
)
# emoji's tokenizer keeps the positions of skipped zero-width joiners in a list
# and scans it at every character: quadratic in a long run of emojis.  No emoji
# sequence holds whitespace, so runs between whitespace go to it one at a time,
# and a run of more than 4096 characters (no word is that long) in pieces.
_EMOJI_PIECE = re.compile(r"\s+|\S{1,4096}")
# Non-ASCII runs are mostly words, worth caching; a whole document in a script
# without spaces (Chinese, Thai) is one run, and caching those would keep up to
# 8192 documents alive for nothing.
_CACHED_RUN_CHARS = 64
# Control characters that are whitespace (str.isspace) are left to collapse.
_ASCII_SYMBOL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f^`+<=>|~]+")
_SYMBOL_REPLACEMENT = dict.fromkeys(["So", "Sk", "Sm", "Cc", "Cs", "Co", "Cn"], " ") | {"Cf": ""}
_ASCII_PUNCTUATION_BUT_APOSTROPHE = re.compile(r"[!\"#%&()*,\-./:;?@\[\\\]_{}]+")
# An apostrophe is kept only between two letters or digits ("don't").
_OUTER_APOSTROPHE = re.compile(r"'(?:(?<![^\W_]')|(?![^\W_]))|’(?:(?<![^\W_]’)|(?![^\W_]))")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Documents cleaned between two moves of the progress bar (verbose >= 1): a
# few hundredths of a second of tweets, a fraction of a second of reviews.
_DOCS_PER_UPDATE = 1_000


class TextCleaner(TextEstimatorMixin, ReadOnceMixin, TransformerMixin, BaseEstimator,
                  auto_wrap_output_keys=None):
    r"""Normalize raw text documents with a fixed sequence of optional steps.

    A stateless transformer: ``fit`` only checks the parameters and the input,
    and ``transform`` returns one cleaned string per document.  Every step is
    a parameter, so a grid search can turn it on or off.  The steps run in
    this order:

    1. ``fix_mojibake`` -- repair text decoded with the wrong codec
    2. ``strip_html`` -- tags become a space, entities are unescaped
    3. ``remove_links``
    4. ``mentions``
    5. ``hashtags``
    6. ``abbreviations``
    7. ``emojis``
    8. ``lowercase``
    9. ``remove_symbols``
    10. ``remove_punctuation``
    11. ``collapse_whitespace``

    Removed pieces are replaced by a space, so words on either side are not
    glued together; ``collapse_whitespace`` then tidies the result.

    Parameters
    ----------
    fix_mojibake : bool, default=True
        Repair mojibake with :func:`ftfy.fix_text` ("cafÃ©" becomes "café",
        "donÂ\x92t" becomes "don't"); this also turns curly quotes into
        straight ones.  A lone "Â" left by a sequence cut short ("donÂ" at
        the end of a truncated tweet) is deleted.  Only documents with
        non-ASCII characters are passed to ftfy; HTML entities are left to
        ``strip_html``.

    strip_html : bool, default=True
        Replace HTML tags (``<br />``) and comments by a space, then unescape
        entities with :func:`html.unescape` (``&amp;`` becomes ``&``).

    remove_links : bool, default=True
        Remove URLs starting with ``http://``, ``https://`` or ``www.``.

    mentions : {"remove", "keep"}, default="remove"
        What to do with ``@user`` mentions.

    hashtags : {"word", "remove", "keep"}, default="word"
        ``"word"`` drops the ``#`` and keeps the tag as a word
        (``#StayHome`` becomes ``StayHome``); ``"remove"`` drops the whole tag.

    abbreviations : bool or dict, default=True
        Expand chat abbreviations ("idk" becomes "i do not know"), matching
        whole words case-insensitively.  ``True`` uses
        ``CHAT_ABBREVIATIONS`` (about 90 entries, contractions excluded), a
        dict of ``{abbreviation: expansion}`` replaces it, ``False`` skips
        the step.  Expansions are inserted as written.

    emojis : {"name", "remove", "keep"}, default="name"
        ``"name"`` replaces each emoji by its English name in words
        ("😍" becomes "smiling face with heart eyes"), ``"remove"`` drops it.
        The :mod:`emoji` package also counts "©" and "™" as emojis.

    lowercase : bool, default=True
        Convert to lowercase.

    remove_symbols : bool, default=True
        Replace characters of the Unicode categories So, Sk, Sm (emojis that
        are kept, math and other symbols: ``+ < = > ^ | ~``), Cc (control
        characters other than whitespace), Cs, Co and Cn by a space, and
        delete format characters (Cf: zero-width joiners, soft hyphens).
        Letters, digits, punctuation and currency signs are kept.

    remove_punctuation : bool, default=False
        Replace Unicode punctuation (categories P*) by a space, except an
        apostrophe between two letters or digits, so "don't" survives.  Off
        by default: word tokenizers split punctuation themselves, and
        pretrained vocabularies know "don't" and "covid-19".

    collapse_whitespace : bool, default=True
        Replace every run of whitespace by one space and strip both ends.

    verbose : int or bool, default=0
        ``0``: silent.  ``1`` or more: ``transform`` shows a progress bar on
        stderr (documents done out of all, documents per second), which moves
        every 1,000 documents.  ``fit`` does no work per document and shows
        none.

    Attributes
    ----------
    fitted_ : bool
        ``True`` once ``fit`` has run.  Nothing is learned; the attribute lets
        :func:`~sklearn.utils.validation.check_is_fitted` work as for the
        other estimators of the package.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Its ``preprocessor``
        parameter accepts a function; this estimator makes each step a
        parameter instead.
    ftfy.fix_text : The mojibake repair used by ``fix_mojibake``.

    Examples
    --------
    >>> from sklearn_embed import TextCleaner
    >>> docs = [
    ...     "I love it 😍<br /><br />Great &amp; cheap!",
    ...     "@bob idk, see https://t.co/x #StayHome",
    ...     "The regionÂ\x92s first case",
    ... ]
    >>> TextCleaner().fit_transform(docs)  # doctest: +NORMALIZE_WHITESPACE
    ['i love it smiling face with heart eyes great & cheap!',
     'i do not know, see stayhome',
     "the region's first case"]
    >>> TextCleaner(lowercase=False, hashtags="remove").fit_transform(docs[1:2])
    ['i do not know, see']
    """

    _parameter_constraints: dict = {
        "fix_mojibake": ["boolean"],
        "strip_html": ["boolean"],
        "remove_links": ["boolean"],
        "mentions": [StrOptions({"remove", "keep"})],
        "hashtags": [StrOptions({"word", "remove", "keep"})],
        "abbreviations": ["boolean", dict],
        "emojis": [StrOptions({"name", "remove", "keep"})],
        "lowercase": ["boolean"],
        "remove_symbols": ["boolean"],
        "remove_punctuation": ["boolean"],
        "collapse_whitespace": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        fix_mojibake=True,
        strip_html=True,
        remove_links=True,
        mentions="remove",
        hashtags="word",
        abbreviations=True,
        emojis="name",
        lowercase=True,
        remove_symbols=True,
        remove_punctuation=False,
        collapse_whitespace=True,
        verbose=0,
    ):
        self.fix_mojibake = fix_mojibake
        self.strip_html = strip_html
        self.remove_links = remove_links
        self.mentions = mentions
        self.hashtags = hashtags
        self.abbreviations = abbreviations
        self.emojis = emojis
        self.lowercase = lowercase
        self.remove_symbols = remove_symbols
        self.remove_punctuation = remove_punctuation
        self.collapse_whitespace = collapse_whitespace
        self.verbose = verbose

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, raw_documents, y=None):
        """Check the parameters and the documents; nothing is learned (none at all is fine).

        Parameters
        ----------
        raw_documents : iterable of str
            The documents: a list, tuple, 1-d array or pandas Series.
        y : None
            Ignored.

        Returns
        -------
        self : TextCleaner
            The fitted estimator.
        """
        check_raw_documents(raw_documents)
        self._steps()  # a bad abbreviation mapping fails here, not later
        self.fitted_ = True
        return self

    def transform(self, raw_documents):
        """Clean each document.

        Parameters
        ----------
        raw_documents : iterable of str
            The documents: a list, tuple, 1-d array or pandas Series.

        Returns
        -------
        documents : list of str, or DataFrame with one column ``"text"``
            One cleaned string per document, in the input order: a list, or
            with pandas (polars) output a DataFrame with the index of a pandas
            input (see :meth:`set_output`).
        """
        check_is_fitted(self)
        # Stateless, so set_params after fit is legitimate: check again.
        self._validate_params()
        documents = check_raw_documents(raw_documents)
        steps = self._steps()
        cleaned = []
        # Silent, one piece: every step runs once over all the documents.
        for piece in in_slices(documents, _DOCS_PER_UPDATE, enabled=self.verbose > 0,
                               desc="TextCleaner.transform"):
            for step in steps:
                piece = [step(doc) for doc in piece]
            cleaned += piece
        return self._wrap_output(cleaned, raw_documents)

    def set_output(self, *, transform=None):
        """Choose the output container of ``transform`` and ``fit_transform``.

        ``"default"`` is a list of str; ``"pandas"`` or ``"polars"`` a DataFrame
        with one column, ``"text"``, which the text estimators of this package
        read like a list.  This lets a ``Pipeline`` or ``FeatureUnion`` that
        holds a TextCleaner be set to pandas output.  Like scikit-learn's
        ``set_output``, the global ``set_config(transform_output=...)`` applies
        when this is not set.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            ``None`` leaves the configuration unchanged.

        Returns
        -------
        self : TextCleaner
        """
        if transform is None:
            return self
        if transform not in ("default", "pandas", "polars"):
            raise ValueError(
                f"TextCleaner.set_output: transform must be 'default', 'pandas', 'polars' or "
                f"None, got {transform!r}."
            )
        # The attribute of scikit-learn's own set_output: clone() copies it, so a
        # cloned pipeline (GridSearchCV) keeps the configuration.
        self._sklearn_output_config = {"transform": transform}
        return self

    def _wrap_output(self, documents, raw_documents):
        # Not scikit-learn's automatic wrapping: it turns an empty list into a
        # DataFrame without columns, and then fails to name the "text" column.
        output = getattr(self, "_sklearn_output_config", {}).get("transform", "default")
        if output == "default":
            output = get_config()["transform_output"]
        if output == "pandas":
            index = raw_documents.index if isinstance(
                raw_documents, (pd.Series, pd.DataFrame)) else None
            return pd.DataFrame({"text": pd.Series(documents, index=index, dtype=object)})
        if output == "polars":
            import polars

            return polars.DataFrame({"text": documents}, schema={"text": polars.String})
        return documents

    def get_feature_names_out(self, input_features=None):
        """Name of the single output column, for pipelines that ask.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Not used, present here for API consistency by convention.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``array(['text'], dtype=object)``.
        """
        check_is_fitted(self)
        return np.asarray(["text"], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    def _steps(self):
        """The active steps, in their documented order, as ``str -> str``."""
        steps = []
        if self.fix_mojibake:
            steps.append(_fix_mojibake)
        if self.strip_html:
            steps.append(_strip_html)
        if self.remove_links:
            steps.append(partial(_LINK.sub, " "))
        if self.mentions == "remove":
            steps.append(partial(_sub_if_present, "@", _MENTION, " "))
        if self.hashtags != "keep":
            replacement = r"\1" if self.hashtags == "word" else " "
            steps.append(partial(_sub_if_present, "#", _HASHTAG, replacement))
        if isinstance(self.abbreviations, dict):
            steps.append(_abbreviation_expander(_freeze_mapping(self.abbreviations)))
        elif self.abbreviations:
            steps.append(_abbreviation_expander(_freeze_mapping(CHAT_ABBREVIATIONS)))
        if self.emojis == "name":
            steps.append(partial(_replace_emojis, _emoji_name))
        elif self.emojis == "remove":
            steps.append(partial(_replace_emojis, " "))
        if self.lowercase:
            steps.append(str.lower)
        if self.remove_symbols:
            steps.append(_remove_symbols)
        if self.remove_punctuation:
            steps.append(_remove_punctuation)
        if self.collapse_whitespace:
            steps.append(_collapse_whitespace)
        return steps


def _fix_mojibake(doc):
    if doc.isascii():
        return doc
    doc = ftfy.fix_text(doc, _FTFY_FAST)
    if _FTFY_RARE_CHAR.search(doc):
        doc = ftfy.fix_text(doc, _FTFY_FULL)
    if "Â" in doc:
        doc = _STRAY_A_CIRCUMFLEX.sub("", doc)
    return doc


def _strip_html(doc):
    if "<!--" in doc:
        doc = _strip_comments_and_tags(doc)
    elif "<" in doc:
        doc = _HTML_TAG.sub(" ", doc)
    if "&" in doc:
        doc = html.unescape(doc)
    return doc


def _strip_comments_and_tags(doc):
    """What ``<!--.*?-->|</?[A-Za-z][^<>]*>`` (DOTALL) replaces, by a space, in linear time.

    That regex looks for the end of a comment from every ``<!--``: on ``"<!--" * n``
    without any ``-->`` it scans to the end of the text n times.  Here the end is
    looked for once per comment, and not at all once it is known to be missing.
    """
    pieces = []
    kept_from = search_from = 0
    comments_can_close = True
    while match := _HTML_COMMENT_OR_TAG.search(doc, search_from):
        end = match.end()
        if match.group() == "<!--":
            close = doc.find("-->", end) if comments_can_close else -1
            if close < 0:
                # Not a comment, nor a tag ("<!" is not one): kept as text.
                comments_can_close = False
                search_from = end
                continue
            end = close + 3
        pieces.append(doc[kept_from:match.start()])
        pieces.append(" ")
        kept_from = search_from = end
    pieces.append(doc[kept_from:])
    return "".join(pieces)


def _sub_if_present(marker, pattern, replacement, doc):
    return pattern.sub(replacement, doc) if marker in doc else doc


def _freeze_mapping(mapping):
    """Check an abbreviation mapping and make it hashable for the cache."""
    for key, value in mapping.items():
        if not isinstance(key, str) or not key.strip() or not isinstance(value, str):
            raise InvalidParameterError(
                "The 'abbreviations' parameter of TextCleaner must be a dict of "
                f"non-empty str to str. Got the entry {key!r}: {value!r} instead."
            )
    return tuple(sorted(mapping.items()))


@lru_cache(maxsize=16)
def _abbreviation_expander(frozen_mapping):
    expansions = {key.lower(): value for key, value in frozen_mapping}
    # Keys that are one word of _ABBREVIATION_WORD can be looked up in a set
    # first, and the regex compiled for just the keys a document contains.
    single_words = frozenset(filter(_ABBREVIATION_WORD.fullmatch, expansions))
    others = frozenset(expansions) - single_words

    def replace(match):
        word = match.group()
        return expansions.get(word.lower(), word)

    def expand(doc):
        keys = single_words.intersection(_ABBREVIATION_WORD.findall(doc.lower()))
        if not keys and not others:
            return doc
        return _abbreviation_pattern(others.union(keys)).sub(replace, doc)

    return expand


@lru_cache(maxsize=1024)
def _abbreviation_pattern(keys):
    # Longest first, so that "w/o" wins over "w/".
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(_ABBREVIATION_TEMPLATE.format(alternatives), re.IGNORECASE)


def _emoji_name(chars, data):
    # data["en"] looks like ":smiling_face_with_heart-eyes:".
    name = data["en"].strip(":").replace("_", " ").replace("-", " ")
    return f" {name} "


def _replace_emojis(replacement, doc):
    if doc.isascii() or _EMOJI_CHARS.isdisjoint(doc):
        return doc
    return "".join(
        piece if _EMOJI_CHARS.isdisjoint(piece) else emoji.replace_emoji(piece, replace=replacement)
        for piece in _EMOJI_PIECE.findall(doc)
    )


def _cache_short_runs(function):
    """``lru_cache`` for runs of up to ``_CACHED_RUN_CHARS`` characters; longer ones
    are computed each time."""
    cached = lru_cache(maxsize=8192)(function)

    @wraps(function)
    def call(run):
        return cached(run) if len(run) <= _CACHED_RUN_CHARS else function(run)

    call.cache_info, call.cache_clear = cached.cache_info, cached.cache_clear
    return call


@_cache_short_runs
def _without_symbols(run):
    return "".join(
        char if char.isspace() else _SYMBOL_REPLACEMENT.get(unicodedata.category(char), char)
        for char in run
    )


def _remove_symbols(doc):
    doc = _ASCII_SYMBOL.sub(" ", doc)
    if doc.isascii():
        return doc
    return _NON_ASCII_RUN.sub(lambda match: _without_symbols(match.group()), doc)


@_cache_short_runs
def _without_punctuation(run):
    # Apostrophes inside words were kept by the ASCII pass; keep them here.
    return "".join(
        " " if char != "’" and unicodedata.category(char).startswith("P") else char
        for char in run
    )


def _remove_punctuation(doc):
    doc = _ASCII_PUNCTUATION_BUT_APOSTROPHE.sub(" ", doc)
    doc = _OUTER_APOSTROPHE.sub(" ", doc)
    if doc.isascii():
        return doc
    return _NON_ASCII_RUN.sub(lambda match: _without_punctuation(match.group()), doc)


def _collapse_whitespace(doc):
    return " ".join(doc.split())
