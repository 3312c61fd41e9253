"""How much of a text an embedding source knows: the coverage report.

Behind ``coverage_report`` of EmbeddingVectorizer and SequenceIndexer (the
method lives on their shared mixin) and ``sklearn-embed coverage``.  The
documents are tokenised exactly as the estimator tokenises them, so the
report counts the tokens the model sees.
"""

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from ..sources import is_trained_source
from ._oov import repair_parts
from ._tokenizer import lookup
from ._validation import check_raw_documents

#: The label of the summary row that counts every document.
ALL = "(all)"

SUMMARY_COLUMNS = ("documents", "tokens", "known_tokens", "repaired_tokens", "token_coverage",
                   "token_coverage_repaired", "types", "known_types", "repaired_types",
                   "type_coverage", "type_coverage_repaired")
UNKNOWN_COLUMNS = ("word", "count", "share", "documents", "repaired_as")


class CoverageReport(NamedTuple):
    """What ``coverage_report`` returns: two DataFrames, unpacked as ``summary, unknown``.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per group of documents, indexed by ``label``: ``"(all)"``
        first, then one row per class of ``y`` (in sorted order) when ``y``
        is given.  Columns: ``documents``; ``tokens`` (occurrences) and
        ``types`` (distinct tokens); ``known_tokens`` / ``known_types``, those
        the source knows; ``repaired_tokens`` / ``repaired_types``, those it
        does not know but that get a vector all the same (from the
        estimator's ``oov`` repair, or a fastText source's subwords);
        ``token_coverage`` = known_tokens / tokens, ``type_coverage`` =
        known_types / types, and ``token_coverage_repaired`` /
        ``type_coverage_repaired``, the same with the repaired ones counted
        as known.  Shares are NaN for a group without tokens.
    unknown : pandas.DataFrame
        The ``top`` most frequent tokens the source does not know, most
        frequent first (ties in alphabetical order): ``word``, ``count``
        (occurrences), ``share`` (of all tokens), ``documents`` (how many
        contain it) and ``repaired_as`` (the known parts whose mean vector
        it gets, joined by spaces; None when it gets none).
    """

    summary: pd.DataFrame
    unknown: pd.DataFrame


def coverage_report(estimator, raw_documents, y=None, *, top=20):
    """The :class:`CoverageReport` of ``raw_documents`` for a fitted ``estimator``."""
    check_is_fitted(estimator)
    documents = check_raw_documents(raw_documents)
    if not isinstance(top, numbers.Integral) or isinstance(top, bool) or top < 0:
        raise ValueError(
            f"top={top!r} is not valid: give the number of unknown words to list, an int "
            ">= 0 (0 lists none)."
        )
    labels = _check_labels(y, len(documents))
    key_to_index, builds_unknown = _known_words(estimator)
    words, codes, doc = _tokens(estimator, documents)
    known = lookup(words, key_to_index) >= 0 if len(words) else np.zeros(0, dtype=bool)
    repaired_as = np.full(len(words), None, dtype=object)
    unknown_ids = np.flatnonzero(~known)
    if builds_unknown:
        repaired_as[unknown_ids] = "(subwords of the source)"
    else:
        strategy = getattr(estimator, "oov", "ignore")
        for i in unknown_ids if strategy != "ignore" else ():
            parts = repair_parts(words[i], key_to_index, strategy)
            repaired_as[i] = " ".join(parts) if parts else None
    repaired = np.not_equal(repaired_as, None)
    groups = [(ALL, np.ones(len(documents), dtype=bool))]
    if labels is not None:
        groups += [(label, labels == label) for label in np.unique(labels)]
    summary = pd.DataFrame(
        [_summary_row(mask, codes, doc, known, repaired) for _, mask in groups],
        index=pd.Index([label for label, _ in groups], name="label", dtype=object),
        columns=list(SUMMARY_COLUMNS),
    )
    return CoverageReport(summary, _unknown_table(words, codes, doc, unknown_ids, repaired_as,
                                                  len(documents), top))


def _check_labels(y, n_documents):
    if y is None:
        return None
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != n_documents:
        raise ValueError(
            f"y must hold one label per document: got shape {labels.shape} for "
            f"{n_documents} documents. Pass the labels of these documents, or y=None."
        )
    return labels


def _known_words(estimator):
    """The source's ``key_to_index`` (word -> rank) and whether it builds unknown words."""
    source = getattr(estimator, "source", None)
    if source is None:
        raise ValueError(
            f"{type(estimator).__name__}(source=None) has no embedding source whose coverage "
            "could be reported; fit it with a source (e.g. source='glove-6b-50d')."
        )
    if is_trained_source(source) and "_vectors" not in estimator.__dict__:
        # SequenceIndexer keeps only the matrix of a trained source, whose
        # words are those of its vocabulary (ranked by frequency, as a source is).
        return estimator.vocabulary_, False
    vectors = estimator._source_vectors()
    return vectors.key_to_index, vectors.oov is not None


def _tokens(estimator, documents):
    """Distinct tokens, and each token's code into them and its document's position."""
    type_index, codes, doc = {}, [], []
    for chunk in estimator._token_chunks(documents):
        remap = np.fromiter(
            (type_index.setdefault(t, len(type_index)) for t in chunk.uniques.tolist()),
            dtype=np.int64, count=len(chunk.uniques),
        )
        codes.append(remap[chunk.codes])
        doc.append(np.repeat(np.arange(chunk.start, chunk.start + chunk.n_documents),
                             np.diff(chunk.indptr)))
    words = np.empty(len(type_index), dtype=object)
    words[:] = list(type_index)
    if not codes:
        return words, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return words, np.concatenate(codes), np.concatenate(doc)


def _share(part, whole):
    return part / whole if whole else float("nan")


def _summary_row(doc_mask, codes, doc, known, repaired):
    group_codes = codes[doc_mask[doc]]
    types = np.unique(group_codes)
    n_tokens, n_types = len(group_codes), len(types)
    known_tokens, known_types = int(known[group_codes].sum()), int(known[types].sum())
    repaired_tokens, repaired_types = int(repaired[group_codes].sum()), int(repaired[types].sum())
    return (int(doc_mask.sum()), n_tokens, known_tokens, repaired_tokens,
            _share(known_tokens, n_tokens), _share(known_tokens + repaired_tokens, n_tokens),
            n_types, known_types, repaired_types,
            _share(known_types, n_types), _share(known_types + repaired_types, n_types))


def _unknown_table(words, codes, doc, unknown_ids, repaired_as, n_documents, top):
    counts = np.bincount(codes, minlength=len(words))
    order = sorted(unknown_ids.tolist(), key=lambda i: (-counts[i], words[i]))[:top]
    order = np.asarray(order, dtype=np.int64)
    # Documents per word: the distinct (word, document) pairs.
    pairs = np.unique(codes * max(n_documents, 1) + doc)
    doc_counts = np.bincount(pairs // max(n_documents, 1), minlength=len(words))
    return pd.DataFrame({
        "word": pd.Series(words[order], dtype=object),
        "count": counts[order].astype(np.int64),
        "share": counts[order] / max(len(codes), 1),
        "documents": doc_counts[order].astype(np.int64),
        "repaired_as": pd.Series(repaired_as[order], dtype=object),
    }, columns=list(UNKNOWN_COLUMNS))
