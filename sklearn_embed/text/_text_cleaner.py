"""Clean raw text (tweets, reviews, posts) before it is tokenized."""

from functools import partial

import numpy as np
import pandas as pd
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import StrOptions, fit_context
from .._progress import in_slices
from ._abbreviations import CHAT_ABBREVIATIONS
from ._cleaning_steps import (
    _HASHTAG,
    _LINK,
    _MENTION,
    _abbreviation_expander,
    _collapse_whitespace,
    _emoji_name,
    _fix_mojibake,
    _freeze_mapping,
    _remove_punctuation,
    _remove_symbols,
    _replace_emojis,
    _strip_html,
    _sub_if_present,
)
from ._mixins import TextEstimatorMixin
from ._validation import ReadOnceMixin, check_raw_documents

__all__ = ["TextCleaner", "CHAT_ABBREVIATIONS"]

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
