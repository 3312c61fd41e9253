"""Input checks shared by every estimator that takes raw text."""

import numbers
import sys
import warnings
from collections.abc import Iterator

import numpy as np

from ..exceptions import NoKnownTokenWarning

# Positions named in a NoKnownTokenWarning; the count says how many there are.
_SHOWN_POSITIONS = 5


def check_raw_documents(raw_documents, *, param_name="raw_documents", min_documents=0,
                        estimator=None):
    """Return ``raw_documents`` as a list of ``str``, or raise a clear error.

    A bare string is rejected (it would otherwise be iterated character by
    character), and so is any element that is not a ``str``: ``None``, NaN,
    ``bytes``, numbers.  The error names the position of the first offender
    (its position in the input, never a pandas index label).  The input is read
    once, so a generator works; callers use the returned list from then on.

    Parameters
    ----------
    raw_documents : iterable of str
        The documents: a list, tuple, 1-d array, pandas Series, one-column
        DataFrame or any iterable.
    param_name : str, default="raw_documents"
        The name used in error messages.
    min_documents : int, default=0
        Fewer documents raise a ``ValueError`` (``fit`` of an estimator that
        learns from the documents passes 1).
    estimator : estimator or None, default=None
        Named in the ``min_documents`` error.

    Returns
    -------
    documents : list of str

    Examples
    --------
    >>> check_raw_documents(["a cat", "a dog"])
    ['a cat', 'a dog']
    >>> check_raw_documents("a cat")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Iterable over raw text documents expected, str object received ...: ['a cat'].
    >>> check_raw_documents(doc for doc in ["a cat", "a dog"])
    ['a cat', 'a dog']
    """
    if isinstance(raw_documents, (str, bytes)):
        shown = raw_documents if len(raw_documents) <= 40 else raw_documents[:37] + "..."
        raise ValueError(
            "Iterable over raw text documents expected, "
            f"{type(raw_documents).__name__} object received for {param_name}; "
            f"wrap a single document in a list: [{shown!r}]."
        )
    shape = getattr(raw_documents, "shape", None)
    if shape is not None and len(shape) != 1:
        # A DataFrame (pandas, polars: TextCleaner's output under pandas or polars
        # output) or a 2-d array: one column of text is expected.
        if not (len(shape) == 2 and shape[1] == 1):
            raise ValueError(
                f"{param_name} must be 1-dimensional (one document per row), "
                f"got an input of shape {shape}."
            )
        raw_documents = np.asarray(raw_documents).ravel()
    try:
        documents = list(raw_documents)
    except TypeError:
        raise TypeError(
            f"{param_name} must be an iterable of str, "
            f"got {type(raw_documents).__name__}."
        ) from None
    for position, doc in enumerate(documents):
        if type(doc) is not str and not isinstance(doc, str):
            raise TypeError(
                f"{param_name} must contain only str, but the element at position "
                f"{position} is {_describe(doc)}. Replace missing texts with '' "
                "(e.g. Series.fillna('')) or drop those rows; decode bytes first."
            )
    if len(documents) < min_documents:
        who = type(estimator).__name__ if estimator is not None else "This estimator"
        wanted = "one document" if min_documents == 1 else f"{min_documents} documents"
        raise ValueError(
            f"{who} needs at least {wanted} to fit, but {param_name} has {len(documents)}. "
            "Check the input (an exhausted generator, an empty split or filter)."
        )
    return documents


def warn_no_known_token(positions, n_documents, *, lacking, consequence, fix):
    """Warn once, with a :class:`NoKnownTokenWarning`, about the documents at ``positions``.

    Parameters
    ----------
    positions : ndarray of int
        Positions (in increasing order) of the documents that reach the model
        without a known token; none: no warning.
    n_documents : int
        Documents in the whole input.
    lacking : str
        What they lack, e.g. ``"no token known to the source 'glove-6b-50d'"``.
    consequence : str
        What the model gets instead, with ``{their}`` for the pronoun, e.g.
        ``"{their} features are zeros"``.
    fix : str
        What to check.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_no_known_token(np.array([1]), 2, lacking="no token",
    ...                         consequence="{their} row is zeros", fix="Check the text.")
    >>> print(caught[0].message)
    1 of 2 documents has no token (position 1): its row is zeros, so a model's prediction \
for it is a guess. Check the text.
    """
    n = len(positions)
    if not n:
        return
    shown = ", ".join(map(str, positions[:_SHOWN_POSITIONS].tolist()))
    if n > _SHOWN_POSITIONS:
        shown += ", ..."
    one = n == 1
    their, them = ("its", "it") if one else ("their", "them")
    warnings.warn(
        f"{n} of {n_documents} documents {'has' if one else 'have'} {lacking} "
        f"({'position' if one else 'positions'} {shown}): "
        f"{consequence.format(their=their)}, so a model's prediction for {them} is a guess. "
        f"{fix}",
        NoKnownTokenWarning,
        stacklevel=_caller_stacklevel(),
    )


def _caller_stacklevel():
    """The ``stacklevel`` of the first frame outside sklearn_embed, for ``warnings.warn``.

    So that a warning points at the line that called ``transform``, not at
    scikit-learn's ``set_output`` wrapper around it (Python 3.12's
    ``skip_file_prefixes`` does this; 3.11 is supported).
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
            ("sklearn_embed.", "sklearn.utils._set_output")):
        frame, level = frame.f_back, level + 1
    return level


class ReadOnceMixin:
    """``fit_transform`` that reads a one-shot iterable (a generator) only once.

    ``TransformerMixin.fit_transform`` is ``fit(X).transform(X)``: a generator
    is exhausted by ``fit`` and ``transform`` then sees zero documents, silently.
    Put this mixin before ``TransformerMixin`` in the bases.
    """

    def fit_transform(self, X, y=None, **fit_params):
        """Fit to the documents, then transform them.

        Parameters
        ----------
        X : iterable of str
            Documents; an iterator (e.g. a generator) is read into a list first.
        y : None
            Ignored.
        **fit_params : dict
            Passed to ``fit``.

        Returns
        -------
        X_new : the output of ``transform``
        """
        # Only iterators are read here: anything else is passed on unchanged, so
        # that a pandas input keeps its index in pandas output.
        if isinstance(X, Iterator):
            X = list(X)
        return self.fit(X, y, **fit_params).transform(X)


def _describe(value):
    if value is None:
        return "None"
    if isinstance(value, numbers.Real) and value != value:
        return "NaN (a missing value)"
    if isinstance(value, bytes):
        shown = value if len(value) <= 30 else value[:27] + b"..."
        return f"bytes {shown!r}"
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{type(value).__name__} {shown}"
