"""Neural heads in the safe format: found in a model, saved as parameters and
weights, rebuilt without unpickling."""

import copy
import json
import sys

import numpy as np

from .._device import forked_torch_rng
from ..exceptions import UntrustedTypeError
from ._format import _HEAD_STATE, TRUSTED_HEADS, _safetensors_torch


def _is_net(obj):
    # A model can only hold a skorch net once skorch was imported, so a model
    # without one is saved without importing torch.
    skorch = sys.modules.get("skorch")
    return skorch is not None and isinstance(obj, skorch.NeuralNet)


def _find_heads(model, step=()):
    """``(step, head)`` for the model itself or each head among its Pipeline steps."""
    from sklearn.pipeline import Pipeline

    if _is_net(model):
        yield step, model
    elif isinstance(model, Pipeline):
        for name, estimator in model.steps:
            yield from _find_heads(estimator, (*step, name))


def _stray_net(obj, seen):
    """A skorch net anywhere in ``obj`` (estimators, lists, tuples, dicts), or None."""
    from sklearn.base import BaseEstimator

    if id(obj) in seen:
        return None
    seen.add(id(obj))
    if _is_net(obj):
        return obj
    if isinstance(obj, dict):
        children = obj.values()
    elif isinstance(obj, (list, tuple)):
        children = obj
    elif isinstance(obj, BaseEstimator):
        children = vars(obj).values()
    else:
        return None
    return next((net for child in children
                 if (net := _stray_net(child, seen)) is not None), None)


def _replace_step(model, step, value):
    """``model`` with the estimator at ``step`` (a path of step names) replaced.

    The Pipelines on the way are shallow copies: the caller's model is not changed.
    """
    if not step:
        return value
    pipeline = copy.copy(model)
    names = [name for name, _ in pipeline.steps]
    index = names.index(step[0])
    pipeline.steps = list(pipeline.steps)
    pipeline.steps[index] = (step[0], _replace_step(pipeline.steps[index][1], step[1:], value))
    return pipeline


def _step_of(model, step):
    for name in step:
        model = dict(model.steps)[name]
    return model


def _json_value(value):
    # History rows hold NumPy scalars (valid_loss is a np.float64).
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _head_record(head, where):
    """The head as plain data, and its weights as safetensors bytes (None when unfitted)."""
    from .. import heads

    name = type(head).__name__
    if name not in TRUSTED_HEADS or type(head) is not getattr(heads, name):
        raise UntrustedTypeError(
            f"{where} is a {type(head).__module__}.{type(head).__qualname__}; the safe format "
            f"saves the neural heads {', '.join(TRUSTED_HEADS)} only. Save this model with "
            "joblib.dump instead (a pickle: load it only where you trust the file)."
        )
    record = {
        "params": head.get_params(deep=False),
        "fitted": {key: value for key, value in vars(head).items() if key in _HEAD_STATE},
        "history": None,
    }
    entry = {"class": name, "weights": None, "embedding_dim": None}
    module = getattr(head, "module_", None)
    if module is None:
        return entry, record, None
    from ..heads.callbacks import find_embedding

    history = getattr(head, "history_", None)
    record["history"] = None if history is None else json.dumps(list(history),
                                                                default=_json_value)
    entry["embedding_dim"] = int(find_embedding(module).embedding_dim)
    state = {key: tensor.detach().cpu().contiguous()
             for key, tensor in module.state_dict().items()}
    return entry, record, _safetensors_torch().save(state)


def _rebuild_head(entry, record, weights, path):
    name = entry.get("class")
    if name not in TRUSTED_HEADS:
        raise UntrustedTypeError(
            f"{str(path)!r} names the head {name!r}, which is not one of the trusted heads "
            f"({', '.join(TRUSTED_HEADS)}); the file was not written by "
            "sklearn_embed.persistence.dump. Load only files you trust."
        )
    from .. import heads

    if not (isinstance(record.get("params"), dict) and isinstance(record.get("fitted"), dict)):
        raise ValueError(f"{str(path)!r} is damaged: the {name} has no params or fitted state.")
    head = getattr(heads, name)(**record["params"])
    unknown = sorted(set(record["fitted"]) - set(_HEAD_STATE))
    if unknown:
        raise ValueError(
            f"{str(path)!r} sets unknown head attributes {unknown}; the file was not written "
            "by sklearn_embed.persistence.dump."
        )
    for key, value in record["fitted"].items():
        setattr(head, key, value)
    if weights is None:
        return head
    from skorch.history import History

    requested = head.embedding_dim
    # Built without the pretrained matrix (the saved weights replace it), the
    # embedding takes its size from embedding_dim: give it the fitted one.
    head.embedding_dim = entry["embedding_dim"]
    try:
        # The random initial weights are overwritten below; drawing them must
        # not move the caller's torch generator.
        with forked_torch_rng():
            head.initialize()
    finally:
        head.embedding_dim = requested
    try:
        head.module_.load_state_dict(_safetensors_torch().load(weights))
    except (RuntimeError, ValueError) as error:
        raise ValueError(
            f"the weights of the {entry['class']} in {str(path)!r} do not fit its module: "
            f"{error}"
        ) from None
    if record["history"] is not None:
        head.history_ = History(json.loads(record["history"]))
    return head
