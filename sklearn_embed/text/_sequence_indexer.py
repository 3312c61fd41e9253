"""SequenceIndexer: a vocabulary, padded id sequences and the matching embedding matrix."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, fit_context
from .._progress import progress
from ._document_lengths import length_stats, warn_if_mostly_truncated
from ._indexed_sequences import (
    FIRST_WORD_ID,
    OOV_ID,
    PAD_ID,
    IndexedSequences,
    without_words,
)
from ._mixins import EmbeddingSourceMixin, TextEstimatorMixin
from ._oov import OOV_STRATEGIES, repair_vectors
from ._tokenizer import DEFAULT_TOKEN_PATTERN, TokenizerMixin, count_tokens, lookup
from ._validation import ReadOnceMixin, check_raw_documents, warn_no_known_token

PAD_TOKEN = "<pad>"
OOV_TOKEN = "<oov>"


class SequenceIndexer(EmbeddingSourceMixin, TokenizerMixin, TextEstimatorMixin,
                      ReadOnceMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Turn documents into padded sequences of word ids, with their embedding matrix.

    The scikit-learn counterpart of the Keras ``Tokenizer`` + ``pad_sequences``
    + "build the embedding matrix" steps of the tutorials.  ``fit`` builds the
    vocabulary from the training texts and the embedding matrix whose row
    ``i`` is the source's vector of the word with id ``i``; ``transform``
    returns an ``int64`` array of shape ``(n_documents, maxlen)``.

    Ids: **0 is padding, 1 is out-of-vocabulary, words start at 2**, most
    frequent first (ties in alphabetical order).  A sequence with no word id
    (padding and ``<oov>`` only) tells a model nothing; ``transform`` says so
    with one :class:`~sklearn_embed.NoKnownTokenWarning` per call.

    The output is an :class:`~sklearn_embed.IndexedSequences`: an
    ``int64`` ndarray that also carries ``embedding_matrix_``, so that a neural
    head placed after the indexer in a ``Pipeline`` (``LSTMClassifier``,
    ``CNNClassifier``) initialises its embedding layer from it without being
    told the source or the vocabulary size.

    Parameters
    ----------
    source : str, path, KeyedVectors or None, default="glove-6b-50d"
        Embedding source for ``embedding_matrix_`` (see
        :mod:`sklearn_embed.sources`); ``None`` builds no matrix (a head then
        learns its embedding from scratch).
    maxlen : int, default=200
        Length of every output sequence.
    padding : {"post", "pre"}, default="post"
        Where padding goes. Our heads mask padding, so it costs nothing at
        the end; ``"pre"`` is the Keras default, for models that do not mask.
    truncating : {"post", "pre"}, default="post"
        Which end of a longer document is cut: ``"post"`` keeps its beginning,
        ``"pre"`` (the Keras default) keeps its end.
    max_features : int or None, default=None
        Keep only the ``max_features`` most frequent words.
    min_df : int or float, default=1
        Ignore words found in fewer documents (an int) or in a smaller
        proportion of documents (a float in (0, 1]).
    lowercase : bool, default=True
        Lower-case documents before tokenising.
    token_pattern : str, default=``r"(?u)\\b\\w\\w+\\b"``
        Regular expression for a token; the same tokenizer as EmbeddingVectorizer.
    oov : {"ignore", "split", "subword", "split+subword"}, default="ignore"
        The ``embedding_matrix_`` row of a vocabulary word unknown to the
        source: zeros (``"ignore"``), or the mean vector of the known words it
        is made of (``"split"``: ``stayhome`` -> stay home, only when every
        part is known), of its longest known prefix and suffix
        (``"subword"``), or ``"split"``, else ``"subword"``. Its id is kept
        either way. fastText sources build such rows themselves and ignore
        it. See :mod:`sklearn_embed.text._oov`.
    random_state : int, RandomState instance or None, default=None
        Seed of trained sources (``"random"``, ``"word2vec"``).
    verbose : int or bool, default=0
        ``0``: silent.  ``1`` or more: ``fit`` and ``transform`` show a progress
        bar on stderr (documents done out of all, documents per second), which
        moves once per chunk of about 8 million characters.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Word to id (ids from 2).
    index_to_token_ : list of str
        Token of each id: ``"<pad>"``, ``"<oov>"``, then the words.
    embedding_matrix_ : ndarray of shape (``vocab_size_``, ``vector_size_``) or None
        Row ``i`` is the vector of id ``i``; rows 0 and 1, and words the
        source does not know, are zeros (fastText sources build those from
        subwords; ``oov`` can repair them).
    vocab_size_ : int
        Number of ids, padding and out-of-vocabulary included.
    coverage_ : float or None
        Proportion of the vocabulary's words found in the source (words that
        ``oov`` repairs are not counted). ``coverage_report`` counts the
        tokens of any documents instead, repaired ones apart.
    vector_size_ : int
        Dimension of the source's vectors (only with a source).
    length_stats_ : dict
        Lengths in tokens of the documents given to ``fit`` (unknown words
        included: each takes a position), before padding and truncation:
        ``n_documents``, ``n_truncated`` (longer than ``maxlen``),
        ``truncated_share``, ``mean``, the quantiles ``p50``, ``p90``, ``p95``,
        ``p99`` and ``max``.  ``fit`` warns when more than half of its
        documents are longer than ``maxlen``, and suggests ``p95`` instead;
        ``transform`` counts nothing.

    See Also
    --------
    EmbeddingVectorizer : One pooled vector per document instead of a sequence.

    Examples
    --------
    >>> from sklearn_embed import SequenceIndexer
    >>> indexer = SequenceIndexer(maxlen=5).fit(["the cat sat", "the dog sat on the mat"])
    >>> indexer.transform(["the cat ate"])
    IndexedSequences([[2, 4, 1, 0, 0]])
    >>> indexer.inverse_transform(indexer.transform(["the cat ate"]))
    [['the', 'cat', '<oov>']]
    >>> indexer.embedding_matrix_.shape, round(indexer.coverage_, 2)
    ((8, 50), 1.0)
    """

    _parameter_constraints = {
        "source": "no_validation",  # checked when the source is resolved
        "maxlen": [Interval(numbers.Integral, 1, None, closed="left")],
        "padding": [StrOptions({"post", "pre"})],
        "truncating": [StrOptions({"post", "pre"})],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "min_df": [Interval(numbers.Integral, 1, None, closed="left"),
                   Interval(numbers.Real, 0, 1, closed="right")],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "oov": [StrOptions(set(OOV_STRATEGIES))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, source="glove-6b-50d", *, maxlen=200, padding="post",
                 truncating="post", max_features=None, min_df=1, lowercase=True,
                 token_pattern=DEFAULT_TOKEN_PATTERN, oov="ignore", random_state=None,
                 verbose=0):
        self.source = source
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.max_features = max_features
        self.min_df = min_df
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.oov = oov
        self.random_state = random_state
        self.verbose = verbose

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, raw_documents, y=None):
        """Build the vocabulary and the embedding matrix.

        Parameters
        ----------
        raw_documents : iterable of str
        y : None
            Ignored.

        Returns
        -------
        self : SequenceIndexer

        Raises
        ------
        ValueError
            With no document, or when no word is left for the vocabulary.
        """
        documents = check_raw_documents(raw_documents, min_documents=1, estimator=self)
        chunks = list(progress(
            self._token_chunks(documents), total=len(documents), enabled=self.verbose > 0,
            desc="SequenceIndexer.fit",
        ))
        # From fit's documents only: they describe the corpus maxlen was chosen
        # for, and transform (a hot path, called on every batch) stays untouched.
        self.length_stats_ = length_stats(
            np.concatenate([np.diff(chunk.indptr) for chunk in chunks]), self.maxlen)
        warn_if_mostly_truncated(self.length_stats_, self.maxlen, self.truncating)
        counts, doc_freq = count_tokens(chunks)
        min_df = (self.min_df if isinstance(self.min_df, numbers.Integral)
                  else self.min_df * len(documents))
        words = sorted((w for w in counts if doc_freq[w] >= min_df),
                       key=lambda w: (-counts[w], w))
        if not words:
            raise ValueError(
                f"SequenceIndexer found no token in the {len(documents)} documents given to "
                f"fit (token_pattern={self.token_pattern!r}); the vocabulary would be empty. "
                "Fit on documents that contain words, or check token_pattern." if not counts
                else f"SequenceIndexer: no word is in at least min_df={self.min_df} documents "
                "(of the fitted ones); the vocabulary would be empty. Lower min_df."
            )
        if self.max_features is not None:
            words = words[: self.max_features]
        self.index_to_token_ = [PAD_TOKEN, OOV_TOKEN] + words
        self.vocabulary_ = dict(zip(words, range(FIRST_WORD_ID, FIRST_WORD_ID + len(words))))
        self.vocab_size_ = len(self.index_to_token_)
        self.__dict__.pop("_vectors", None)
        if self.source is None:
            self.embedding_matrix_ = None
            self.coverage_ = None
            return self
        vectors = self._fit_source(chunks)
        matrix = np.zeros((self.vocab_size_, vectors.vector_size), dtype=np.float32)
        source_ids = lookup(words, vectors.key_to_index)
        found = source_ids >= 0
        matrix[FIRST_WORD_ID:][found] = vectors.take(source_ids[found])
        if vectors.oov is not None and not found.all():
            missing = [w for w, f in zip(words, found) if not f]
            matrix[FIRST_WORD_ID:][~found] = vectors.oov(missing)
        elif self.oov != "ignore" and not found.all():
            missing = np.flatnonzero(~found)
            matrix[FIRST_WORD_ID + missing], _ = repair_vectors(
                [words[i] for i in missing], vectors, self.oov)
        self.embedding_matrix_ = matrix
        self.coverage_ = float(found.mean()) if words else 0.0
        # The matrix is all a fitted indexer needs of its source.
        del self._vectors
        return self

    def transform(self, raw_documents):
        """Map each document to ``maxlen`` ids, padded and truncated.

        Parameters
        ----------
        raw_documents : iterable of str

        Returns
        -------
        X : IndexedSequences of shape (n_documents, maxlen), int64

        Warns
        -----
        NoKnownTokenWarning
            Once per call, when some sequences hold no word id (only padding
            and ``<oov>``).
        """
        check_is_fitted(self, "vocabulary_")
        documents = check_raw_documents(raw_documents)
        try:
            out = np.full((len(documents), self.maxlen), PAD_ID, dtype=np.int64)
        except (MemoryError, ValueError) as exc:
            raise MemoryError(
                f"maxlen={self.maxlen} asks for an output of {len(documents)} x {self.maxlen} "
                f"int64 ids, which cannot be allocated ({exc}); lower maxlen."
            ) from None
        for chunk in progress(self._token_chunks(documents), total=len(documents),
                              enabled=self.verbose > 0, desc="SequenceIndexer.transform"):
            ids = lookup(chunk.uniques, self.vocabulary_, OOV_ID)[chunk.codes]
            self._pad(ids, chunk.indptr, out[chunk.start: chunk.start + chunk.n_documents])
        # Read from the ids the model gets, so that a document whose words were
        # all cut by maxlen counts too.
        warn_no_known_token(
            np.flatnonzero(without_words(out)), len(documents),
            lacking=f"no word of the fitted vocabulary within maxlen={self.maxlen}",
            consequence="{their} ids are only padding and <oov>",
            fix="Check the text column, the cleaning, or the vocabulary (the documents "
                "given to fit, min_df, max_features).",
        )
        return IndexedSequences(out, self.embedding_matrix_, self.vocab_size_)

    def _pad(self, ids, indptr, out):
        """Write the ids of each document (``ids[indptr[i]:indptr[i+1]]``) into ``out``."""
        maxlen = self.maxlen
        lengths = np.diff(indptr)
        kept = np.minimum(lengths, maxlen)
        doc = np.repeat(np.arange(len(lengths)), lengths)
        position = np.arange(len(ids)) - np.repeat(indptr[:-1], lengths)
        if self.truncating == "pre":
            position -= np.repeat(lengths - kept, lengths)
        keep = (position >= 0) & (position < maxlen)
        column = position[keep]
        if self.padding == "pre":
            column += np.repeat(maxlen - kept, lengths)[keep]
        out[doc[keep], column] = ids[keep]

    def inverse_transform(self, X):
        """Tokens of each row of ids, padding left out and unknown words as ``"<oov>"``.

        Parameters
        ----------
        X : array-like of shape (n_documents, maxlen)

        Returns
        -------
        tokens : list of list of str
        """
        check_is_fitted(self, "vocabulary_")
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-dimensional ids, got shape {X.shape}.")
        bad = (X < 0) | (X >= self.vocab_size_)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                f"X[{row}, {col}] = {X[row, col]} is not an id of this indexer "
                f"(ids are 0 to {self.vocab_size_ - 1})."
            )
        tokens = np.asarray(self.index_to_token_, dtype=object)
        return [tokens[row[row != PAD_ID]].tolist() for row in X]

    def set_output(self, *, transform=None):
        """Refuse pandas and polars output, which would drop the embedding matrix.

        The ids are returned as an :class:`IndexedSequences`, which carries the
        embedding matrix to the head; a DataFrame cannot.  For the same reason
        a global ``set_config(transform_output="pandas")`` leaves this
        estimator's output an ``IndexedSequences``.

        Parameters
        ----------
        transform : {"default", None}
            Other values raise a ``ValueError``.

        Returns
        -------
        self : SequenceIndexer
        """
        if transform not in ("default", None):
            raise ValueError(
                f"SequenceIndexer cannot give {transform!r} output: its ids are an "
                "IndexedSequences that carries the embedding matrix to the head, and a "
                "DataFrame would drop it. Call set_output on the other steps only, or "
                "keep transform='default' here."
            )
        return self

    def get_feature_names_out(self, input_features=None):
        """Output column names: ``position0`` to ``position{maxlen-1}``."""
        check_is_fitted(self, "vocabulary_")
        return np.asarray([f"position{i}" for i in range(self.maxlen)], dtype=object)
