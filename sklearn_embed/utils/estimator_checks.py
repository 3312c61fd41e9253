"""The conventions every text estimator of sklearn_embed follows, as runnable checks.

scikit-learn's ``check_estimator`` feeds numeric arrays, so it cannot test an
estimator whose input is raw text.  These checks do the same job for text
transformers: parameters stored unchanged, clone and ``get_params`` /
``set_params`` round trip, ``fit`` returning ``self``, ``NotFittedError``
before ``fit``, identical output after a pickle round trip, rejection of a
bare string and of non-string documents (naming their position), a defined
output for empty or unknown documents, ``get_feature_names_out`` matching the
output width, and the raw-text input tags.  Run them on your own text
transformer with :func:`check_text_estimator`, or one by one (e.g. as
parametrized pytest cases) with :func:`text_estimator_checks`.

Examples
--------
>>> from sklearn_embed import TextCleaner
>>> from sklearn_embed.utils.estimator_checks import (
...     check_text_estimator, text_estimator_checks)
>>> check_text_estimator(TextCleaner())
>>> [check.__name__ for check in text_estimator_checks(TextCleaner())][:3]
['check_init_stores_parameters', 'check_clone_and_params_round_trip', 'check_fit_returns_self']
"""

import inspect
import pickle
import re

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

__all__ = [
    "CORPUS",
    "check_bare_string_is_rejected",
    "check_clone_and_params_round_trip",
    "check_empty_documents_give_defined_output",
    "check_feature_names_match_output_width",
    "check_fit_returns_self",
    "check_init_stores_parameters",
    "check_non_string_documents_name_their_position",
    "check_pickle_round_trip",
    "check_text_estimator",
    "check_text_input_tags",
    "text_estimator_checks",
]

#: Eight short documents, two classes: the default corpus of the checks.
CORPUS = (
    "a great movie with a great cast",
    "what a wonderful and moving film",
    "i loved this movie , great acting",
    "a truly wonderful story",
    "a dull and boring film",
    "i hated this movie , terrible acting",
    "what a boring and terrible story",
    "the worst film , dull cast",
)


def _output(estimator, docs):
    out = estimator.transform(docs)
    return np.asarray(out, dtype=object if isinstance(out, list) else None)


def _expect_error(kind, pattern, call, what):
    try:
        call()
    except kind as exc:
        if pattern is not None and not re.search(pattern, str(exc)):
            raise AssertionError(
                f"{what}: raised {type(exc).__name__} as expected, but its message "
                f"{str(exc)!r} does not match {pattern!r}."
            ) from exc
        return
    raise AssertionError(f"{what}: expected {kind.__name__}, nothing was raised.")


def check_init_stores_parameters(estimator, corpus=CORPUS):
    """``__init__`` stores every argument unchanged and sets no fitted attribute.

    The estimator's class is also built with its default arguments, each of
    which must come back from ``get_params`` as the very object of the
    signature.
    """
    name = type(estimator).__name__
    fitted = [k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")]
    if fitted:
        raise AssertionError(f"{name} sets {fitted} before fit.")
    defaults = {
        parameter.name: parameter.default
        for parameter in inspect.signature(type(estimator).__init__).parameters.values()
        if parameter.default is not inspect.Parameter.empty
    }
    try:
        default_built = type(estimator)()
    except TypeError:  # a required argument: only the instance given can be checked
        return
    for param, value in default_built.get_params(deep=False).items():
        if param in defaults and value is not defaults[param] and not (
            isinstance(value, (str, int, float, bool, type(None))) and value == defaults[param]
        ):
            raise AssertionError(
                f"{name}.{param} is not stored unchanged: the default {defaults[param]!r} "
                f"became {value!r}; __init__ must only store its arguments."
            )


def check_clone_and_params_round_trip(estimator, corpus=CORPUS):
    """``clone`` keeps the parameters; ``set_params(**get_params())`` returns self."""
    if clone(estimator).get_params() != estimator.get_params():
        raise AssertionError("clone() changed the parameters.")
    params = estimator.get_params(deep=False)
    if estimator.set_params(**params) is not estimator:
        raise AssertionError("set_params does not return self.")
    if estimator.get_params(deep=False) != params:
        raise AssertionError("set_params(**get_params()) changed the parameters.")


def check_fit_returns_self(estimator, corpus=CORPUS):
    """``NotFittedError`` before ``fit``; ``fit`` returns self and fits."""
    docs = list(corpus)
    _expect_error(NotFittedError, None, lambda: estimator.transform(docs),
                  "transform before fit")
    _expect_error(NotFittedError, None, lambda: check_is_fitted(estimator),
                  "check_is_fitted before fit")
    if estimator.fit(docs) is not estimator:
        raise AssertionError("fit does not return self.")
    check_is_fitted(estimator)


def check_pickle_round_trip(estimator, corpus=CORPUS):
    """A pickled and restored estimator transforms exactly as the original."""
    docs = list(corpus)
    estimator.fit(docs)
    before = _output(estimator, docs)
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(_output(restored, docs), before)


def check_bare_string_is_rejected(estimator, corpus=CORPUS):
    """A bare string (one document not wrapped in a list) is a ``ValueError``."""
    pattern = "Iterable over raw text documents expected"
    _expect_error(ValueError, pattern, lambda: estimator.fit("a single document"),
                  "fit on a bare string")
    estimator.fit(list(corpus))
    _expect_error(ValueError, pattern, lambda: estimator.transform("a single document"),
                  "transform of a bare string")


def check_non_string_documents_name_their_position(estimator, corpus=CORPUS):
    """None, NaN, bytes and numbers among the documents are a ``TypeError`` naming
    the position of the first one."""
    for bad, shown in [(None, "None"), (float("nan"), "NaN"), (b"bytes", "bytes"), (3, "int")]:
        docs = ["fine", "also fine", bad]
        _expect_error(TypeError, f"position 2 is {shown}", lambda d=docs: estimator.fit(d),
                      f"fit with {shown} at position 2")
        estimator.fit(list(corpus))
        _expect_error(TypeError, f"position 2 is {shown}",
                      lambda d=docs: estimator.transform(d),
                      f"transform with {shown} at position 2")


def check_empty_documents_give_defined_output(estimator, corpus=CORPUS):
    """Empty, blank and unknown-word documents give one row each, never NaN."""
    estimator.fit(list(corpus))
    out = _output(estimator, ["", "   ", "zzqx qqzx"])
    if len(out) != 3:
        raise AssertionError(f"3 documents gave {len(out)} rows.")
    if out.dtype.kind == "f" and np.isnan(out).any():
        raise AssertionError("empty or unknown documents gave NaN.")


def check_feature_names_match_output_width(estimator, corpus=CORPUS):
    """``get_feature_names_out`` has one name per output column."""
    docs = list(corpus)
    estimator.fit(docs)
    names = estimator.get_feature_names_out()
    out = _output(estimator, docs[:2])
    width = 1 if out.ndim == 1 else out.shape[1]
    if len(names) != width:
        raise AssertionError(f"{len(names)} feature names for {width} output columns.")


def check_text_input_tags(estimator, corpus=CORPUS):
    """The tags say the input is raw text (strings), not a 2-d array."""
    tags = estimator.__sklearn_tags__()
    if not tags.input_tags.string or tags.input_tags.two_d_array:
        raise AssertionError(
            "the tags must declare input_tags.string=True and two_d_array=False "
            "(set them in __sklearn_tags__)."
        )


_CHECKS = (
    check_init_stores_parameters,
    check_clone_and_params_round_trip,
    check_fit_returns_self,
    check_pickle_round_trip,
    check_bare_string_is_rejected,
    check_non_string_documents_name_their_position,
    check_empty_documents_give_defined_output,
    check_feature_names_match_output_width,
    check_text_input_tags,
)


def text_estimator_checks(estimator):
    """Yield the checks, each a function ``check(estimator, corpus=CORPUS)``.

    Give each check a fresh estimator (``sklearn.base.clone``): some fit it.
    """
    yield from _CHECKS


def check_text_estimator(estimator, corpus=CORPUS):
    """Run every check on a clone of ``estimator``; the first failure raises.

    Parameters
    ----------
    estimator : estimator instance
        A transformer whose input is an iterable of str.
    corpus : sequence of str, default=CORPUS
        Documents to fit and transform.

    Raises
    ------
    AssertionError
        Naming the convention that is broken.
    """
    for check in text_estimator_checks(estimator):
        try:
            fresh = clone(estimator)
        except RuntimeError as exc:  # scikit-learn's own check of __init__
            raise AssertionError(f"clone() fails: {exc}") from exc
        check(fresh, corpus)
