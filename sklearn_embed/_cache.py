"""The process cache: loaded resources shared by every estimator of the process.

Word vectors, sentence-transformers models and VADER analyzers are costly to
load and identical for every clone, grid-search candidate and unpickled copy
of an estimator.  They are kept in a :class:`ProcessCache`, keyed by what
names them (a source name, a path with its size and modification time, a
model folder and device), and an estimator holds them in attributes that are
**not pickled** (:class:`CachedResourceMixin`): a saved estimator carries the
name and a checksum recorded at ``fit``, and finds the resource again on first
use, raising :class:`~sklearn_embed.SourceMismatchError` when it is missing
or has changed.
"""

import threading

from sklearn.utils.validation import check_is_fitted

from .exceptions import SourceMismatchError

__all__ = ["CachedResourceMixin", "ProcessCache"]


class ProcessCache:
    """A thread-safe mapping from a key to a loaded resource, for the life of the process.

    Parameters
    ----------
    what : str
        What it holds, for ``repr``.

    Examples
    --------
    >>> cache = ProcessCache("numbers")
    >>> cache.get(("one",), lambda: 1), cache.get(("one",), lambda: 2), len(cache)
    (1, 1, 1)
    >>> cache.clear(); len(cache)
    0
    """

    def __init__(self, what):
        self.what = what
        self._items = {}
        self._lock = threading.Lock()

    def get(self, key, load):
        """Return the resource cached under ``key``, calling ``load()`` the first time."""
        with self._lock:
            if key in self._items:
                return self._items[key]
        # Loaded outside the lock: a slow load (a model, 400k vectors) must not
        # block the other keys.  Two threads racing on one key keep the first.
        value = load()
        with self._lock:
            return self._items.setdefault(key, value)

    def clear(self):
        """Forget every resource (the next use loads it again)."""
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"ProcessCache({self.what!r}, {len(self)} entries)"


class CachedResourceMixin:
    """Leave cached resources out of the pickle and find them again on first use.

    The attributes named in ``_not_pickled`` are dropped by ``__getstate__``.
    :meth:`_cached_resource` returns such an attribute, reloading it after
    unpickling and comparing its checksum with the one recorded at ``fit``.
    """

    _not_pickled = ()

    def __getstate__(self):
        # A new dict: on Python 3.11+ the parent returns the live __dict__.
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k not in self._not_pickled}

    def _cached_resource(self, attribute, load, *, what, fingerprint=None, expected=None,
                         fitted_attribute=None):
        """Return ``self.<attribute>``, loading it with ``load()`` when it is missing.

        Parameters
        ----------
        attribute : str
            The (not pickled) attribute that holds the resource.
        load : callable
            Loads the resource, usually through a :class:`ProcessCache`.
        what : str
            Names the resource in messages, e.g. ``"the embedding source 'x.txt'"``.
        fingerprint : callable, default=None
            ``fingerprint(resource) -> str``; compared with ``expected``.
        expected : str, default=None
            The checksum recorded at ``fit``.
        fitted_attribute : str, default=None
            Checked with ``check_is_fitted`` first.
        """
        if fitted_attribute is not None:
            check_is_fitted(self, fitted_attribute)
        resource = self.__dict__.get(attribute)
        if resource is not None:
            return resource
        name = type(self).__name__
        try:
            resource = load()
        except (OSError, ImportError, ValueError) as exc:
            raise SourceMismatchError(
                f"This fitted {name} needs {what}, which cannot be loaded here: {exc} "
                # "Here" may be a cluster worker: name it, so the fix goes to the right machine.
                f"(Here is {describe_this_process()}.) "
                f"Install or restore it, or fit the {name} again with one that is available."
            ) from exc
        if fingerprint is not None:
            found = fingerprint(resource)
            if found != expected:
                raise SourceMismatchError(
                    f"{what[0].upper()}{what[1:]} has changed since this {name} was fitted "
                    f"(checksum {found} instead of {expected}). Restore the one it was "
                    f"fitted with, or fit the {name} again on the new one."
                )
        setattr(self, attribute, resource)
        return resource


def describe_this_process():
    """``"process 123 on host 'box'"``, with the dask worker's address inside one.

    Examples
    --------
    >>> describe_this_process()  # doctest: +ELLIPSIS
    "process ... on host '...'"
    """
    import os
    import socket

    where = f"process {os.getpid()} on host {socket.gethostname()!r}"
    worker = dask_worker_address()
    if worker is not None:
        where += f", dask worker {worker}"
    return where


def dask_worker_address():
    """The address of the dask worker running this code, or None outside one.

    Examples
    --------
    >>> dask_worker_address() is None
    True
    """
    import sys

    # Only when dask is already in use: never import it to find out.
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.get_worker().address
    except (ValueError, AttributeError):
        return None
