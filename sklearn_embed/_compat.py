"""The only module that imports private scikit-learn and skorch API.

Everything here is used by the estimators but is not part of the public API
of the library it comes from, so it may move in a future release.  The
version bounds in ``pyproject.toml`` (scikit-learn >= 1.6, < 1.10; skorch
>= 1.4, < 1.5) are the ones this module has been tested with; when a new
release breaks one of these imports, this is the file to adapt.

- scikit-learn: ``_fit_context`` (validates ``_parameter_constraints`` when
  ``fit`` runs) and the constraint types of ``sklearn.utils._param_validation``.
- skorch: the ``_routing_method`` argument of ``partial_fit`` and the
  ``_initialize_module`` / ``_initialize_criterion`` hooks.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = [
    "Interval",
    "InvalidParameterError",
    "SkorchInitHooks",
    "StrOptions",
    "fit_context",
    "skorch_partial_fit",
    "validate_parameter_constraints",
]

#: ``@fit_context(prefer_skip_nested_validation=True)`` on ``fit`` checks the
#: parameters against ``_parameter_constraints`` before the body runs.
fit_context = _fit_context


def skorch_partial_fit(parent_partial_fit, X, y, routing_method, **fit_params):
    """Call skorch's ``partial_fit`` telling it which public method routes the
    metadata (``"fit"`` or ``"partial_fit"``), as skorch's own ``fit`` does."""
    return parent_partial_fit(X, y, _routing_method=routing_method, **fit_params)


class SkorchInitHooks:
    """Run skorch's private module and criterion initialisers on the device
    chosen at fit (the host class provides ``_fitted_device()``)."""

    def _initialize_module(self, reason=None):
        with self._fitted_device():
            return super()._initialize_module(reason=reason)

    def _initialize_criterion(self, reason=None):
        with self._fitted_device():
            return super()._initialize_criterion(reason=reason)
