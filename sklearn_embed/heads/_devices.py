"""Where and how a head computes: the device chosen at fit, torch's thread
count, and the device decided again when a head is loaded or unpickled."""

from contextlib import contextmanager

import torch

from .._device import resolve_device


class DeviceMixin:
    """Device and thread handling of a head; mixed in before a skorch net."""

    @contextmanager
    def _fitted_device(self):
        """Let skorch, which reads ``self.device``, see the device chosen at fit."""
        requested = self.device
        resolved = self.__dict__.get("device_", requested)
        if resolved == requested:
            yield
            return
        self.device = resolved
        try:
            yield
        finally:
            self.device = requested

    def forward_iter(self, X, training=False, device="cpu"):
        X = self._check_predict_X(X)
        with self._fitted_device(), self._torch_threads():
            yield from super().forward_iter(X, training=training, device=device)

    @contextmanager
    def _torch_threads(self):
        """Run with ``n_threads`` torch threads, then restore the caller's setting."""
        wanted = getattr(self, "n_threads", None)
        previous = torch.get_num_threads()
        if wanted is None or wanted == previous:
            yield
            return
        torch.set_num_threads(wanted)
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    def load_params(self, *args, **kwargs):
        with self._fitted_device():
            super().load_params(*args, **kwargs)
            # skorch falls back to the CPU when the requested CUDA is missing.
            loaded_on = self.device
        self.device_ = None if loaded_on is None else str(loaded_on)

    def __setstate__(self, state):
        requested = state.get("device", "cpu")
        # "auto" is decided again on the unpickling machine; an explicit CUDA
        # device without CUDA falls back to the CPU with skorch's DeviceWarning.
        state["device"] = resolve_device(requested) if requested == "auto" else requested
        super().__setstate__(state)
        if "device_" in state:
            self.device_ = None if self.device is None else str(self.device)
        self.device = requested
