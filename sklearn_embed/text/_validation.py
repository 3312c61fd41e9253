"""Input checks shared by every estimator that takes raw text."""

import numbers

import numpy as np


def check_raw_documents(raw_documents, *, param_name="raw_documents"):
    """Return ``raw_documents`` as a list of ``str``, or raise a clear error.

    A bare string is rejected (it would otherwise be iterated character by
    character), and so is any element that is not a ``str``: ``None``, NaN,
    ``bytes``, numbers.  The error names the position of the first offender.

    Parameters
    ----------
    raw_documents : iterable of str
        The documents: a list, tuple, 1-d array, pandas Series or any iterable.
    param_name : str, default="raw_documents"
        The name used in error messages.

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
    """
    if isinstance(raw_documents, (str, bytes)):
        shown = raw_documents if len(raw_documents) <= 40 else raw_documents[:37] + "..."
        raise ValueError(
            "Iterable over raw text documents expected, "
            f"{type(raw_documents).__name__} object received for {param_name}; "
            f"wrap a single document in a list: [{shown!r}]."
        )
    if hasattr(raw_documents, "ndim") and raw_documents.ndim != 1:
        # pandas DataFrame or 2-d array: one column of text is expected.
        shape = getattr(raw_documents, "shape", None)
        if not (shape is not None and len(shape) == 2 and shape[1] == 1):
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
    return documents


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
