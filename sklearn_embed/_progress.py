"""Progress bars of long fits and transforms: the one place that draws them.

The estimators do their work in chunks (the tokenizer's chunks of ~8 million
characters, slices of a few hundred or thousand documents), and the bar moves
once per chunk, never once per document: a hot loop pays nothing for it.
With the bar off, :func:`progress` returns the chunks unchanged, so the
default path (``verbose=0``) runs exactly as it would without this module.
"""

import sys

__all__ = ["in_slices", "progress", "slices"]


def progress(chunks, *, total, enabled, desc, size=len, unit="doc"):
    """Iterate over ``chunks``, advancing a bar on stderr by ``size(chunk)`` after each.

    The bar (tqdm) shows the units done out of ``total`` and the rate, e.g.
    ``EmbeddingVectorizer.transform: 100%|██████████| 25000/25000 [00:02<00:00,
    9875.31doc/s]``.  It moves when the caller asks for the next chunk, that
    is once the previous one is processed, and is closed after the last.

    Parameters
    ----------
    chunks : iterable
        The units of work, processed by the caller in order.
    total : int
        Units (documents) in all the chunks together.
    enabled : bool
        ``False`` returns ``chunks`` itself: no bar, no wrapping.
    desc : str
        What is running, e.g. ``"TextCleaner.transform"``.
    size : callable, default=len
        Units in one chunk.
    unit : str, default="doc"
        The unit of ``total`` and of the rate.

    Returns
    -------
    chunks : iterable
        The same chunks, in the same order.

    Examples
    --------
    >>> docs = ["a", "b", "c", "d", "e"]
    >>> [len(part) for part in progress(slices(docs, 2), total=5, enabled=False, desc="demo")]
    [2, 2, 1]
    """
    if not enabled:
        return chunks
    # Imported only when a bar is asked for: `import sklearn_embed` stays as
    # fast as before for the default, silent case.
    from tqdm import tqdm

    # file=sys.stderr read now, not at import: pytest's capsys and a caller's
    # redirect_stderr replace it after the package was imported.
    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)
    return _advance(chunks, bar, size)


def _advance(chunks, bar, size):
    with bar:
        for chunk in chunks:
            yield chunk
            bar.update(size(chunk))


def slices(documents, size):
    """Consecutive slices of ``documents``, ``size`` at most each (the last is shorter).

    Examples
    --------
    >>> list(slices(["a", "b", "c"], 2))
    [['a', 'b'], ['c']]
    """
    return (documents[start:start + size] for start in range(0, len(documents), size))


def in_slices(documents, size, *, enabled, desc):
    """``documents`` in slices of ``size`` behind a bar, or, disabled, as one piece.

    For loops over documents that are not chunked otherwise: with the bar off
    the caller gets ``[documents]`` (the list itself, not a copy) and runs its
    loop once over everything, as it would without progress display.

    Examples
    --------
    >>> docs = ["a", "b", "c"]
    >>> in_slices(docs, 2, enabled=False, desc="demo")[0] is docs
    True
    """
    if not enabled:
        return [documents]
    return progress(slices(documents, size), total=len(documents), enabled=True, desc=desc)
