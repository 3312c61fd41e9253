"""EmbeddingVectorizer: pretrained word vectors pooled per document."""

import numbers
import os

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, fit_context
from .._progress import progress, slices
from ..sources import is_trained_source
from ._mixins import EmbeddingSourceMixin, TextEstimatorMixin
from ._oov import OOV_STRATEGIES, repair_vectors
from ._tokenizer import DEFAULT_TOKEN_PATTERN, TokenizerMixin, count_tokens, lookup
from ._validation import ReadOnceMixin, check_raw_documents, warn_no_known_token

POOLINGS = ("mean", "max", "min", "sum")
WEIGHTINGS = ("tfidf", "sif")


class EmbeddingVectorizer(EmbeddingSourceMixin, TokenizerMixin, TextEstimatorMixin,
                          ReadOnceMixin, TransformerMixin, BaseEstimator):
    """Pool pretrained word vectors into one fixed-size vector per document.

    Each document is tokenised (lower-cased, ``token_pattern``), the tokens
    found in the embedding source are looked up, and their vectors are pooled.
    Pooling runs as a sparse document-term matrix times the embedding matrix
    (mean, sum) or as a segmented reduction (max, min), never as a Python loop
    over tokens.  Tokens the source does not know are skipped (fastText sources
    build them from subwords instead); a document with no known token pools to
    a zero vector, and ``transform`` says so with one
    :class:`~sklearn_embed.NoKnownTokenWarning` per call.

    Parameters
    ----------
    source : str, path or KeyedVectors, default="glove-6b-50d"
        The embedding source, named by a plain value: a registered name, a
        trained name (``"random"``, ``"word2vec"``, ``"random-300"``), or a
        path to a vector file. See :mod:`sklearn_embed.sources`.
    pooling : {"mean", "max", "min", "sum"} or tuple of them, default="mean"
        How token vectors are combined; a tuple such as ``("mean", "max")``
        concatenates the poolings in that order.
    weighting : {None, "tfidf", "sif"}, default=None
        Per-token weights learned in ``fit``. ``"tfidf"``: smoothed inverse
        document frequency. ``"sif"``: smooth inverse frequency
        ``sif_alpha / (sif_alpha + p(word))`` (Arora et al., 2017), with the
        first principal component of the fitted documents' mean (and sum)
        vectors removed. Weights multiply token vectors before any pooling;
        ``"mean"`` is then the weighted mean. Words unseen in ``fit`` get the
        largest idf, or the SIF weight 1.
    sif_alpha : float, default=1e-3
        The smoothing constant of ``weighting="sif"``.
    normalize : bool, default=False
        Scale each output row to unit L2 norm (zero rows stay zero).
    lowercase : bool, default=True
        Lower-case documents before tokenising (GloVe 6B is lower-case).
    token_pattern : str, default=``r"(?u)\\b\\w\\w+\\b"``
        Regular expression for a token, as in ``CountVectorizer``; with one
        capturing group, the group is the token.
    oov : {"ignore", "split", "subword", "split+subword"}, default="ignore"
        What a token unknown to the source gets. ``"ignore"``: nothing, it is
        skipped. ``"split"``: the mean vector of the source's words it is made
        of, when every part is one (``#StayHomeSaveLives`` -> stay home save
        lives). ``"subword"``: the mean vector of its longest known prefix
        and suffix. ``"split+subword"``: ``"split"``, else ``"subword"``.
        A repaired token counts once in the pooling. fastText sources build
        unknown words themselves and ignore it. See :mod:`sklearn_embed.text._oov`
        and ``coverage_report``.
    n_jobs : int, default=None
        Processes that tokenise and pool chunks of the input in parallel
        (``None``: 1; ``-1``: all cores). Worth it for tens of thousands of
        documents.
    random_state : int, RandomState instance or None, default=None
        Seed of trained sources (``"random"``, ``"word2vec"``).
    verbose : int or bool, default=0
        ``0``: silent.  ``1`` or more: ``fit`` and ``transform`` show a progress
        bar on stderr (documents done out of all, documents per second), which
        moves once per chunk of about 8 million characters (with ``n_jobs``,
        once per ``n_jobs`` parts done).

    Attributes
    ----------
    vector_size_ : int
        Dimension of the source's vectors.
    source_fingerprint_ : str
        Checksum of the source seen in ``fit``; a source that changed since is
        reported on first use after loading.
    weights_ : dict of str to float
        Per-token weights (only with ``weighting``).
    default_weight_ : float
        Weight of tokens unseen in ``fit`` (only with ``weighting``).
    component_ : ndarray of shape (``vector_size_``,)
        Common component removed with ``weighting="sif"``.

    See Also
    --------
    SequenceIndexer : Padded id sequences and their embedding matrix, for neural heads.
    sklearn.feature_extraction.text.TfidfVectorizer : Sparse bag-of-words features.

    Examples
    --------
    >>> from sklearn_embed import EmbeddingVectorizer
    >>> docs = ["a great movie", "a dull, boring film"]
    >>> vectorizer = EmbeddingVectorizer(pooling=("mean", "max")).fit(docs)
    >>> X = vectorizer.transform(docs)
    >>> X.shape, X.dtype
    ((2, 100), dtype('float32'))

    A document with no known word pools to a zero vector, with a warning:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     X = vectorizer.transform(["a fine film", "zzzqqq"])
    >>> bool((X[1] == 0).all())
    True
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 of 2 documents has no token known to the source 'glove-6b-50d' (position 1): its
    features are zeros, so a model's prediction for it is a guess. Check the text column,
    the cleaning, or the source's coverage.
    """

    _parameter_constraints = {
        "source": "no_validation",  # checked when the source is resolved
        "pooling": [StrOptions(set(POOLINGS)), tuple, list],
        "weighting": [StrOptions(set(WEIGHTINGS)), None],
        "sif_alpha": [Interval(numbers.Real, 0, None, closed="neither")],
        "normalize": ["boolean"],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "oov": [StrOptions(set(OOV_STRATEGIES))],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, source="glove-6b-50d", *, pooling="mean", weighting=None,
                 sif_alpha=1e-3, normalize=False, lowercase=True,
                 token_pattern=DEFAULT_TOKEN_PATTERN, oov="ignore", n_jobs=None,
                 random_state=None, verbose=0):
        self.source = source
        self.pooling = pooling
        self.weighting = weighting
        self.sif_alpha = sif_alpha
        self.normalize = normalize
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.oov = oov
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _poolings(self):
        poolings = (self.pooling,) if isinstance(self.pooling, str) else tuple(self.pooling)
        bad = [p for p in poolings if p not in POOLINGS]
        if not poolings or bad:
            raise ValueError(
                f"pooling={self.pooling!r} is not valid: each pooling must be one of "
                f"{POOLINGS}, alone or in a non-empty tuple such as ('mean', 'max')."
            )
        return poolings

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, raw_documents, y=None):
        """Load (or train) the source and learn the token weights, if any.

        Parameters
        ----------
        raw_documents : iterable of str
        y : None
            Ignored.

        Returns
        -------
        self : EmbeddingVectorizer

        Raises
        ------
        ValueError
            With no document; or with documents that hold no token (for
            ``token_pattern``) when ``weighting`` or a trained source (``"random"``,
            ``"word2vec"``) must learn from tokens.  A pretrained source without
            weighting learns nothing from the documents and fits on any.
        """
        documents = check_raw_documents(raw_documents, min_documents=1, estimator=self)
        self._poolings()
        chunks = list(progress(
            self._token_chunks(documents), total=len(documents), enabled=self.verbose > 0,
            desc="EmbeddingVectorizer.fit",
        ))
        if not any(len(chunk.codes) for chunk in chunks):
            self._check_tokens_not_needed(len(documents))
        vectors = self._fit_source(chunks)
        for attr in ("weights_", "default_weight_", "component_"):
            self.__dict__.pop(attr, None)
        if self.weighting is not None:
            self._fit_weights(chunks, len(documents))
            if self.weighting == "sif":
                pooled = np.vstack([self._pool_chunk(c, vectors, ("mean",)) for c in chunks])
                self.component_ = _first_component(pooled)
        return self

    def _check_tokens_not_needed(self, n_documents):
        """Refuse a fit without tokens when weights or a trained source need them.

        A pretrained source learns nothing from the documents, so it still fits.
        """
        if self.weighting is not None:
            needs = f"weighting={self.weighting!r} learns its weights"
        elif is_trained_source(self.source):
            needs = f"source={self.source!r} learns its vectors"
        else:
            return
        raise ValueError(
            f"EmbeddingVectorizer found no token in the {n_documents} documents given to fit "
            f"(token_pattern={self.token_pattern!r}); {needs} from their tokens. Fit on "
            "documents that contain words, or check token_pattern."
        )

    def _fit_weights(self, chunks, n_documents):
        counts, doc_freq = count_tokens(chunks)
        tokens = list(counts)
        if self.weighting == "tfidf":
            df = np.fromiter((doc_freq[t] for t in tokens), dtype=np.float64, count=len(tokens))
            weights = np.log((1 + n_documents) / (1 + df)) + 1
            self.default_weight_ = float(np.log(1 + n_documents) + 1)
        else:
            freq = np.fromiter((counts[t] for t in tokens), dtype=np.float64, count=len(tokens))
            weights = self.sif_alpha / (self.sif_alpha + freq / max(freq.sum(), 1))
            self.default_weight_ = 1.0
        self.weights_ = dict(zip(tokens, weights.astype(np.float32).tolist()))

    def transform(self, raw_documents):
        """Pool the vectors of each document's tokens.

        Parameters
        ----------
        raw_documents : iterable of str

        Returns
        -------
        X : ndarray of shape (n_documents, n_poolings * ``vector_size_``), float32

        Warns
        -----
        NoKnownTokenWarning
            Once per call, when some documents have no token known to the
            source: their rows are zeros.
        """
        vectors = self._source_vectors()
        documents = check_raw_documents(raw_documents)
        poolings = self._poolings()
        verbose = self.verbose > 0
        desc = "EmbeddingVectorizer.transform"
        n_jobs = effective_n_jobs(self.n_jobs) if self.n_jobs is not None else 1
        if n_jobs > 1 and len(documents) >= 2 * n_jobs:
            bounds = np.linspace(0, len(documents), 4 * n_jobs + 1).astype(int)
            spans = [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
            # One Parallel call returns only when every part is done; with a bar,
            # the parts go in waves of n_jobs so that it moves as they finish.
            # Without one, a single wave keeps the schedule as it was.
            waves = slices(spans, n_jobs) if verbose else [spans]
            parts = []
            with Parallel(n_jobs=n_jobs) as parallel:
                for wave in progress(waves, total=len(documents), enabled=verbose, desc=desc,
                                     size=lambda wave: sum(b - a for a, b in wave)):
                    parts += parallel(delayed(_transform_part)(self, documents[a:b], poolings)
                                      for a, b in wave)
        else:
            parts = [self._pool_chunk(chunk, vectors, poolings)
                     for chunk in progress(self._token_chunks(documents), total=len(documents),
                                           enabled=verbose, desc=desc)]
        if not parts:
            return np.zeros((0, len(poolings) * vectors.vector_size), dtype=np.float32)
        X = np.vstack(parts)
        if self.normalize:
            norms = np.linalg.norm(X, axis=1, keepdims=True)
            np.divide(X, norms, out=X, where=norms > 0)
        warn_no_known_token(
            self._without_known_token(documents, np.flatnonzero(~X.any(axis=1)), vectors),
            len(documents),
            lacking=f"no token known to the source {_describe_source(self.source)}",
            consequence="{their} features are zeros",
            fix="Check the text column, the cleaning, or the source's coverage.",
        )
        return X

    def _without_known_token(self, documents, zero_rows, vectors):
        """Those of ``zero_rows`` whose document has no token known to ``vectors``.

        Only a document that pooled to zeros can lack a known token, and there
        are few: tokenising them again costs nothing, where a pass over every
        token of the input would add ~5% to a transform.  Zero rows of known
        tokens (zero weights or zero vectors) are not reported.
        """
        has_known = []
        for chunk in self._token_chunks([documents[i] for i in zero_rows]):
            known = (np.ones(len(chunk.uniques), dtype=bool) if vectors.oov is not None
                     else lookup(chunk.uniques, vectors.key_to_index) >= 0)
            before = np.concatenate(([0], np.cumsum(known[chunk.codes])))
            has_known.append(before[chunk.indptr[1:]] > before[chunk.indptr[:-1]])
        return zero_rows[~np.concatenate(has_known)] if has_known else zero_rows

    def _pool_chunk(self, chunk, vectors, poolings):
        """Pool one TokenChunk: a (n_documents, n_poolings * dim) float32 block."""
        n_docs, dim = chunk.n_documents, vectors.vector_size
        uniques = chunk.uniques
        ids = lookup(uniques, vectors.key_to_index)
        known = ids >= 0
        unique_vectors = np.zeros((len(uniques), dim), dtype=np.float32)
        unique_vectors[known] = vectors.take(ids[known])
        if vectors.oov is not None and not known.all():
            unique_vectors[~known] = vectors.oov(uniques[~known].tolist())
            known[:] = True
        elif self.oov != "ignore" and not known.all():
            missing = np.flatnonzero(~known)
            unique_vectors[missing], known[missing] = repair_vectors(
                uniques[missing].tolist(), vectors, self.oov)
        weights = known.astype(np.float32)
        if self.weighting is not None and len(uniques):
            weights *= lookup(uniques, self.weights_, self.default_weight_, np.float32)
        blocks = []
        need_sum = any(p in ("mean", "sum") for p in poolings)
        if need_sum:
            # float64 accumulation: float32 drifts by ~1% over a million tokens.
            counts = sp.csr_matrix(
                (weights[chunk.codes].astype(np.float64), chunk.codes, chunk.indptr),
                shape=(n_docs, len(uniques)),
            )
            sums = counts @ unique_vectors.astype(np.float64)
            total = np.asarray(counts.sum(axis=1))
        for pooling in poolings:
            if pooling == "sum":
                block = sums.astype(np.float32)
            elif pooling == "mean":
                block = np.divide(sums, total, out=np.zeros_like(sums), where=total > 0)
                block = block.astype(np.float32)
            else:
                block = _segment_extreme(chunk, unique_vectors * weights[:, None], known,
                                         np.maximum if pooling == "max" else np.minimum)
            if pooling in ("mean", "sum") and "component_" in self.__dict__:
                block -= np.outer(block @ self.component_, self.component_)
            blocks.append(block)
        return np.hstack(blocks).astype(np.float32, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Output feature names: the pooling followed by the dimension, e.g. ``mean0``.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "vector_size_")
        return np.asarray(
            [f"{p}{i}" for p in self._poolings() for i in range(self.vector_size_)],
            dtype=object,
        )


def _describe_source(source):
    if isinstance(source, (str, os.PathLike)):
        return repr(os.fspath(source))
    return f"given as a {type(source).__name__}"


def _transform_part(estimator, documents, poolings):
    vectors = estimator._source_vectors()
    return np.vstack([
        estimator._pool_chunk(chunk, vectors, poolings)
        for chunk in estimator._token_chunks(documents)
    ]) if documents else np.zeros((0, len(poolings) * vectors.vector_size), np.float32)


def _segment_extreme(chunk, unique_vectors, known, ufunc):
    """Max or min of the known token vectors of each document, zeros when none."""
    n_docs, dim = chunk.n_documents, unique_vectors.shape[1]
    out = np.zeros((n_docs, dim), dtype=np.float32)
    keep = known[chunk.codes]
    codes = chunk.codes[keep]
    if not len(codes):
        return out
    # Document boundaries among the kept tokens only.
    kept_before = np.concatenate(([0], np.cumsum(keep)))
    starts = kept_before[chunk.indptr[:-1]]
    has = kept_before[chunk.indptr[1:]] > starts
    starts = starts[has]
    # One dimension at a time: a 1-d gather and a reduceat over contiguous
    # segments are ~8x faster than reducing (n_tokens, dim) rows along axis 0,
    # and need no (n_tokens, dim) buffer.
    columns = np.ascontiguousarray(unique_vectors.T)
    for j in range(dim):
        out[has, j] = ufunc.reduceat(columns[j][codes], starts)
    return out


def _first_component(X):
    """The first right singular vector of ``X`` (the SIF common component)."""
    if X.shape[0] < 2 or not np.any(X):
        return np.zeros(X.shape[1], dtype=np.float32)
    _, _, vt = np.linalg.svd(X.astype(np.float64), full_matrices=False)
    return vt[0].astype(np.float32)
