"""Choosing the torch device: one resolver for the heads and SentenceEncoder."""

__all__ = ["resolve_device"]


def resolve_device(device):
    """Map ``"auto"`` to ``"cuda"`` when available, else ``"cpu"``; check other values.

    ``None`` is returned unchanged (skorch then leaves tensors where they are).

    Examples
    --------
    >>> resolve_device("cpu")
    'cpu'
    >>> resolve_device("auto") in ("cpu", "cuda")
    True
    >>> resolve_device("gpu please")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: device must be 'auto', None or a torch device ... got 'gpu please'.
    """
    if device is None:
        return None
    # torch is imported here, not at module level: the pooled-vector path never needs it.
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device must be 'auto', None or a torch device such as 'cpu' or 'cuda:0', "
            f"got {device!r}."
        ) from None
    return device
