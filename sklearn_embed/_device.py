"""torch's process-wide settings: the device resolver and the scoped random generator.

One resolver for the heads and SentenceEncoder; one scope for code that must
draw random numbers without moving the caller's torch generator.
"""

from contextlib import contextmanager

__all__ = ["forked_torch_rng", "resolve_device"]


@contextmanager
def forked_torch_rng(seed=None):
    """Run the block with torch's random generators saved, and restored afterwards.

    Seeded with ``seed`` when it is given, so a seeded fit is reproducible
    without reseeding the user's program.
    """
    import torch

    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        if seed is not None:
            torch.manual_seed(seed)
        yield


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

    A CUDA device on a machine without one is refused when the fit starts
    (an unpickled head asking for it falls back to the CPU with skorch's
    ``DeviceWarning`` instead, see ``heads/_devices.py``).
    """
    if device is None:
        return None
    # torch is imported here, not at module level: the pooled-vector path never needs it.
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        kind = torch.device(device).type
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device must be 'auto', None or a torch device such as 'cpu' or 'cuda:0', "
            f"got {device!r}."
        ) from None
    if kind == "cuda" and not torch.cuda.is_available():
        # torch's own message is an AssertionError from deep inside the first
        # tensor move ("Torch not compiled with CUDA enabled").
        raise ValueError(
            f"device={device!r}, but this torch {torch.__version__} sees no CUDA GPU "
            "(torch.cuda.is_available() is False). Use device='auto' (the GPU when there is "
            "one, else the CPU) or device='cpu'."
        )
    return device
