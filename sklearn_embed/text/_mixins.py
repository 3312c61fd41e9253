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
        )
        self._vectors = vectors
        self.source_fingerprint_ = vectors.fingerprint
        self.vector_size_ = vectors.vector_size
        return vectors

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
