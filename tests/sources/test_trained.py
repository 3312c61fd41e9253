"""Sources trained in fit: every token of long documents is trained on."""

import numpy as np
from gensim.models import Word2Vec
from gensim.models.word2vec import MAX_WORDS_IN_BATCH

from sklearn_embed.sources import resolve_source
from sklearn_embed.sources._trained import _stable_hash


def test_word2vec_trains_on_tokens_past_gensims_sentence_limit():
    # Distinct words before the limit, so that no down-sampling lets gensim reach
    # further into the document than MAX_WORDS_IN_BATCH tokens.
    early = [f"early{i}" for i in range(MAX_WORDS_IN_BATCH)]
    late = [f"late{i % 500}" for i in range(15_000)]
    document = early + late
    vectors = resolve_source("word2vec-8", lambda: [document], random_state=0)
    assert "late7" in vectors.key_to_index

    # gensim counts every token into the vocabulary but trains on the first
    # MAX_WORDS_IN_BATCH only: an untrained word keeps its initial vector.
    untrained = Word2Vec(vector_size=8, min_count=1, sg=1, workers=1, seed=vectors_seed(0),
                         hashfxn=_stable_hash)
    untrained.build_vocab([document])
    initial = untrained.wv["late7"]
    trained = np.asarray(vectors.vectors[vectors.key_to_index["late7"]])
    assert not np.allclose(trained, initial)


def vectors_seed(random_state):
    """The gensim seed that train_word2vec derives from ``random_state``."""
    return int(np.random.default_rng(random_state).integers(2**31 - 1))
