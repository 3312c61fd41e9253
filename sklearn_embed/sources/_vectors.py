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
        """A checksum of the shape, the words and every row of the vectors.

        Saved with a fitted estimator so that a source whose content changed
        since fitting is detected when the estimator is used again; a change
        to any one value changes it.  Computed once per object: about 0.1 s
        for GloVe 6B-50d (400,000 × 50, read from its memory map).
        """
        if self._fingerprint is None:
            digest = hashlib.blake2b(digest_size=16)
            digest.update(repr(self.vectors.shape).encode())
            digest.update("\n".join(self.index_to_key).encode("utf-8", "surrogatepass"))
            # In chunks of ~4 MB: float32 C-order bytes whatever the stored dtype
            # and layout, without copying a large memory map whole.
            rows = max(1, (1 << 22) // max(1, 4 * self.vector_size))
            for start in range(0, len(self), rows):
                chunk = np.ascontiguousarray(self.vectors[start:start + rows], dtype=np.float32)
                digest.update(chunk)
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
