"""How long the fitted documents are, and a warning when ``maxlen`` cuts most of them."""

import warnings

import numpy as np

from ..exceptions import TruncationWarning

# Quantiles reported in length_stats_; the 95th is the maxlen the warning suggests.
_QUANTILES = {"p50": 50, "p90": 90, "p95": 95, "p99": 99}


def length_stats(lengths, maxlen):
    """Summarise document lengths in tokens against ``maxlen``.

    Parameters
    ----------
    lengths : ndarray of int, shape (n_documents,)
        Tokens of each document, out-of-vocabulary ones included (each takes
        a position of the sequence).
    maxlen : int
        Length of the output sequences.

    Returns
    -------
    stats : dict
        ``n_documents``, ``n_truncated`` (documents longer than ``maxlen``),
        ``truncated_share`` (their proportion), ``mean``, the quantiles
        ``p50``, ``p90``, ``p95``, ``p99`` (lengths found in the data, never
        interpolated) and ``max``.

    Examples
    --------
    >>> import numpy as np
    >>> stats = length_stats(np.array([3, 5, 8, 40]), maxlen=6)
    >>> stats["n_truncated"], stats["truncated_share"], stats["p50"], stats["max"]
    (2, 0.5, 8, 40)
    """
    lengths = np.asarray(lengths)
    n_truncated = int((lengths > maxlen).sum())
    stats = {
        "n_documents": len(lengths),
        "n_truncated": n_truncated,
        "truncated_share": n_truncated / len(lengths),
        "mean": float(lengths.mean()),
    }
    for name, q in _QUANTILES.items():
        stats[name] = int(np.percentile(lengths, q, method="higher"))
    stats["max"] = int(lengths.max())
    return stats


def warn_if_mostly_truncated(stats, maxlen, truncating, estimator="SequenceIndexer"):
    """Warn when more than half of the fitted documents are longer than ``maxlen``.

    Half, not any: cutting the long tail of a corpus is what ``maxlen`` is
    for; cutting the typical document usually is not what the user meant.
    """
    if stats["truncated_share"] <= 0.5:
        return
    dropped = "end" if truncating == "post" else "beginning"
    warnings.warn(
        f"{estimator}: {stats['n_truncated']} of the {stats['n_documents']} documents given "
        f"to fit ({stats['truncated_share']:.0%}) are longer than maxlen={maxlen} tokens, so "
        f"their {dropped} will be cut off (truncating={truncating!r}); 95 % of the documents "
        f"have at most {stats['p95']} tokens. Set maxlen={stats['p95']} to keep 95 % of them "
        f"whole, or keep maxlen={maxlen} if the {'beginning' if dropped == 'end' else 'end'} "
        "of a document is enough (the figures are in length_stats_).",
        TruncationWarning,
        stacklevel=4,  # past fit and its validation wrapper, to the caller
    )
