"""The in-memory shape of an embedding source."""

import hashlib

import numpy as np


class Vectors:
    """Word vectors with gensim ``KeyedVectors``' attribute names.

    Parameters
    ----------
    vectors : ndarray of shape (n_words, vector_size)
        Row ``i`` is the vector of ``index_to_key[i]``; may be a read-only
        memory map.
    index_to_key : list of str
        The words, in row order.
    name : str
        How the source was named (registry name or path), used in messages.
    oov : callable or None, default=None
        ``oov(words) -> ndarray (len(words), vector_size)`` for sources that
        can build vectors for unknown words (fastText subwords); ``None``
        when unknown words have no vector.

    Attributes
    ----------
    key_to_index : dict of str to int
    vector_size : int
    """

    def __init__(self, vectors, index_to_key, name, *, oov=None, key_to_index=None):
        self.vectors = vectors
        self.index_to_key = index_to_key
        self.key_to_index = (
            key_to_index if key_to_index is not None
            else dict(zip(index_to_key, range(len(index_to_key))))
        )
        self.name = name
        self.oov = oov
        self._fingerprint = None

    @property
    def vector_size(self):
        return self.vectors.shape[1]

    def __len__(self):
        return self.vectors.shape[0]

    def __repr__(self):
        return f"Vectors({self.name!r}, {len(self)} words × {self.vector_size})"

    @property
    def fingerprint(self):
        """A checksum of the words and a strided sample of the vectors.

        Saved with a fitted estimator so that a source whose content changed
        since fitting is detected when the estimator is used again.  Hashing
        every row of a large source would cost more than loading it, so up to
        4096 evenly spaced rows are hashed, with the shape and all the words.
        """
        if self._fingerprint is None:
            digest = hashlib.blake2b(digest_size=16)
            digest.update(repr(self.vectors.shape).encode())
            digest.update("\n".join(self.index_to_key).encode("utf-8", "surrogatepass"))
            step = max(1, len(self) // 4096)
            sample = np.ascontiguousarray(self.vectors[::step], dtype=np.float32)
            digest.update(sample.tobytes())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def take(self, ids):
        """Vectors of the rows ``ids`` as a C-ordered float32 array."""
        return np.ascontiguousarray(self.vectors[ids], dtype=np.float32)

    @classmethod
    def from_keyed_vectors(cls, kv, name):
        """Wrap a gensim ``KeyedVectors`` (fastText ones keep their subwords)."""
        oov = None
        if hasattr(kv, "buckets_word") or type(kv).__name__ == "FastTextKeyedVectors":
            def oov(words, _kv=kv):
                return np.vstack([_kv.get_vector(w) for w in words]).astype(np.float32)
        return cls(kv.vectors, list(kv.index_to_key), name, oov=oov,
                   key_to_index=dict(kv.key_to_index))
