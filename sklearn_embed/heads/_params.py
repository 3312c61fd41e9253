"""How a head shows its parameters: a full signature and a changed-only repr."""

import inspect

__all__ = ["changed_params_repr", "full_signature"]


def changed_params_repr(estimator):
    """``Name(param=value, ...)`` with the parameters that differ from their defaults."""
    defaults = {}
    for cls in type(estimator).__mro__:
        init = cls.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.default is not inspect.Parameter.empty:
                defaults.setdefault(parameter.name, parameter.default)
    changed = [
        f"{name}={value!r}" for name, value in estimator.get_params(deep=False).items()
        if name not in defaults or not _same(value, defaults[name])
    ]
    return f"{type(estimator).__name__}({', '.join(changed)})"


def _same(value, default):
    """Whether a parameter still has its default (``==`` only for plain values)."""
    if value is default:
        return True
    plain = (str, int, float, bool, tuple, type(None))
    return isinstance(value, plain) and type(value) is type(default) and value == default


def full_signature(cls):
    """The head's ``__init__`` signature with skorch's own parameters added.

    A head spells out its parameters and passes skorch's others through
    ``**kwargs``; scikit-learn's pretty printer (``print(pipeline)``) shows every
    parameter missing from the signature as changed.  Listing skorch's
    keyword parameters, with their defaults, lets it show only what differs.
    """
    own = inspect.signature(cls.__dict__["__init__"])
    parameters = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
    names = {p.name for p in parameters}
    for base in cls.__mro__:
        if base.__module__.startswith("skorch") and "__init__" in base.__dict__:
            for p in inspect.signature(base.__dict__["__init__"]).parameters.values():
                if p.name not in names and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and (
                        p.default is not p.empty):
                    parameters.append(p.replace(kind=p.KEYWORD_ONLY))
                    names.add(p.name)
    rest = [p for p in own.parameters.values() if p.kind is p.VAR_KEYWORD]
    return own.replace(parameters=parameters + rest)
