"""What the text estimators share: raw-text input tags and embedding-source handling."""

from .._cache import CachedResourceMixin
from ..sources import is_trained_source, load_source, resolve_source


def text_input_tags(tags):
    """Declare that an estimator takes a 1-d sequence of raw strings."""
    tags.input_tags.string = True
    tags.input_tags.two_d_array = False
    tags.input_tags.one_d_array = True  # a list or 1-d array of documents
    return tags


class TextEstimatorMixin:
    """Tags for estimators whose input is raw text (one str per sample)."""

    def __sklearn_tags__(self):
        return text_input_tags(super().__sklearn_tags__())


class EmbeddingSourceMixin(CachedResourceMixin):
    """Resolve ``self.source`` in ``fit`` and find it again after unpickling.

    The loaded vectors are kept in ``self._vectors``, which is not pickled for
    registered names and paths (so a saved pipeline stays small); the checksum
    of the vectors seen in ``fit`` (``source_fingerprint_``) is compared with the
    source found on first use after loading.  Trained sources (``"random"``,
    ``"word2vec"``) are fitted state and are pickled with the estimator.
    """

    def _fit_source(self, chunks):
        """Resolve the source at fit; a trained source learns from the tokens of
        ``chunks`` (the fitted documents' ``TokenChunk``), listed only then."""
        vectors = resolve_source(
            self.source,
            lambda: [tokens for chunk in chunks for tokens in chunk.token_lists()],
            self.random_state,
            # An AdaptedSource's unlabelled corpus must be tokenised as the fitted texts are.
            tokenize=lambda documents: [tokens for chunk in self._token_chunks(documents)
                                        for tokens in chunk.token_lists()],
        )
        self._vectors = vectors
        self.source_fingerprint_ = vectors.fingerprint
        self.vector_size_ = vectors.vector_size
        return vectors

    def coverage_report(self, raw_documents, y=None, *, top=20):
        """How much of ``raw_documents`` the fitted source knows, overall and per class.

        The documents are tokenised as ``transform`` tokenises them. A token
        is *known* when the source has a vector for it, *repaired* when it
        has none but gets one all the same (from ``oov``, or a fastText
        source's subwords). Unlike ``SequenceIndexer.coverage_``, the share
        of the fitted vocabulary's distinct words found in the source, this
        counts the tokens of the documents given, each occurrence once.

        Parameters
        ----------
        raw_documents : iterable of str
        y : array-like of shape (n_documents,), default=None
            Labels: the summary then adds one row per class.
        top : int, default=20
            How many of the most frequent unknown tokens to list.

        Returns
        -------
        report : CoverageReport
            A named tuple of two DataFrames, ``summary, unknown``: the token
            and type counts and shares per group of documents, and the most
            frequent unknown tokens with their counts (see
            :class:`~sklearn_embed.text._coverage.CoverageReport`).

        Examples
        --------
        >>> from sklearn_embed import EmbeddingVectorizer
        >>> docs = ["Stay home", "Stay home! #StayHomeSaveLives #StayHomeSaveLives"]
        >>> vectorizer = EmbeddingVectorizer(oov="split").fit(docs)
        >>> summary, unknown = vectorizer.coverage_report(docs, y=["a", "b"])
        >>> columns = ["tokens", "known_tokens", "token_coverage", "token_coverage_repaired"]
        >>> summary[columns]  # doctest: +NORMALIZE_WHITESPACE
               tokens  known_tokens  token_coverage  token_coverage_repaired
        label
        (all)       6             4        0.666667                      1.0
        a           2             2        1.000000                      1.0
        b           4             2        0.500000                      1.0
        >>> unknown
                        word  count     share  documents           repaired_as
        0  stayhomesavelives      2  0.333333          1  stay home save lives
        """
        # Imported here: the report needs pandas, which fitting does not.
        from ._coverage import coverage_report

        return coverage_report(self, raw_documents, y, top=top)

    def _source_vectors(self):
        return self._cached_resource(
            "_vectors", lambda: load_source(self.source),
            what=f"the embedding source {self.source!r}",
            fingerprint=lambda vectors: vectors.fingerprint,
            expected=self.__dict__.get("source_fingerprint_"),
            fitted_attribute="source_fingerprint_",
        )

    @property
    def _not_pickled(self):
        # A trained source is fitted state: it must travel with the estimator.
        return () if is_trained_source(self.source) else ("_vectors",)
