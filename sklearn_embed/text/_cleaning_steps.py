"""The cleaning steps of TextCleaner, as plain functions of one document.

Each step is linear in the length of the document (adversarial inputs such as
80,000 characters of ``<!--`` or long emoji runs are tested for it), and the
caches they use hold short runs of characters, never whole documents.
"""

import html
import re
import unicodedata
from functools import lru_cache, wraps

import emoji
import ftfy
from ftfy import chardata

from .._compat import InvalidParameterError

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
