"""Sources learned in ``fit``: seeded random vectors and word2vec."""

import zlib

import numpy as np

from ._vectors import Vectors

# Close to the per-coordinate spread of GloVe 6B-50d (0.69), so that a
# downstream model sees features of the same scale whichever source it gets.
RANDOM_SCALE = 0.7


def train_random(name, token_lists, dim, random_state):
    """One seeded Gaussian vector per distinct word, words in sorted order."""
    words = sorted({token for tokens in token_lists for token in tokens})
    rng = np.random.default_rng(random_state)
    vectors = (rng.standard_normal((len(words), dim)) * RANDOM_SCALE).astype(np.float32)
    return Vectors(vectors, words, name)


def _stable_hash(text):
    # gensim seeds each word's initial vector with hash(word); Python's str
    # hash changes per process, which would make training irreproducible.
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def gensim_seed(random_state):
    """The int seed gensim takes, drawn from a ``random_state`` (0 for None)."""
    if random_state is None:
        return 0
    return int(np.random.default_rng(random_state).integers(2**31 - 1))


def gensim_sentences(token_lists):
    """``token_lists`` cut into pieces that gensim trains on whole."""
    from gensim.models.word2vec import MAX_WORDS_IN_BATCH

    # gensim trains on the first MAX_WORDS_IN_BATCH tokens of a sentence and
    # silently drops the rest (they stay in the vocabulary, untrained), so a long
    # document is cut into consecutive pieces: only the few windows that straddle
    # a cut lose context, instead of every token past the limit.
    return [tokens[start:start + MAX_WORDS_IN_BATCH]
            for tokens in token_lists
            for start in range(0, len(tokens), MAX_WORDS_IN_BATCH)]


def train_word2vec(name, token_lists, dim, random_state):
    """Skip-gram word2vec on ``token_lists``, one worker so that a seed reproduces it."""
    from gensim.models import Word2Vec

    sentences = gensim_sentences(token_lists)
    if not sentences:
        raise ValueError(
            f"The embedding source {name!r} trains on the fitted texts, but they hold no "
            "tokens."
        )
    model = Word2Vec(sentences, vector_size=dim, window=5, min_count=1, sg=1,
                     workers=1, epochs=5, seed=gensim_seed(random_state),
                     hashfxn=_stable_hash)
    kv = model.wv
    return Vectors(np.asarray(kv.vectors, dtype=np.float32), list(kv.index_to_key), name)
