"""What every text estimator of the package shares: tags and embedding-source handling."""

from sklearn.utils.validation import check_is_fitted

from .sources import is_trained_source, load_source, resolve_source


class SourceMismatchError(ValueError):
    """A fitted estimator's embedding source is missing or differs from the one it was fitted on."""


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


class ProcessCacheMixin:
    """Leave objects shared through a process cache out of the pickle.

    The attributes named in ``_not_pickled`` (a loaded model, an analyzer, word
    vectors) are reloaded from the cache on first use after unpickling, so a
    saved estimator holds their names only.
    """

    _not_pickled = ()

    def __getstate__(self):
        # A new dict: on Python 3.11+ the parent returns the live __dict__.
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k not in self._not_pickled}


class EmbeddingSourceMixin(ProcessCacheMixin):
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
        check_is_fitted(self, "source_fingerprint_")
        vectors = self.__dict__.get("_vectors")
        if vectors is not None:
            return vectors
        name = type(self).__name__
        try:
            vectors = load_source(self.source)
        except (OSError, ImportError, ValueError) as exc:
            raise SourceMismatchError(
                f"This fitted {name} needs the embedding source {self.source!r}, which "
                f"cannot be loaded here: {exc} Install or restore that source, or fit the "
                "estimator again with a source that is available."
            ) from exc
        if vectors.fingerprint != self.source_fingerprint_:
            raise SourceMismatchError(
                f"The embedding source {self.source!r} has changed since this {name} was "
                f"fitted (checksum {vectors.fingerprint} instead of "
                f"{self.source_fingerprint_}). Restore the vectors it was fitted with, or "
                "fit the estimator again on the new ones."
            )
        self._vectors = vectors
        return vectors

    @property
    def _not_pickled(self):
        # A trained source is fitted state: it must travel with the estimator.
        return () if is_trained_source(self.source) else ("_vectors",)
