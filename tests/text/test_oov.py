import math

import numpy as np
import pytest

from sklearn_embed import EmbeddingVectorizer, NoKnownTokenWarning, SequenceIndexer
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.sources import load_source
from sklearn_embed.text._oov import (
    MIN_AFFIX,
    SPLIT_VOCABULARY,
    pieces,
    repair_parts,
    repair_vectors,
    segment,
)

# Row order is frequency rank, as in GloVe: "now" is the most frequent word.
WORDS = ["now", "here", "no", "where", "stay", "home", "save", "lives", "lockdown", "owning",
         "19", "a"]


@pytest.fixture
def ranked_vectors_file(tmp_path):
    """A GloVe-format file of WORDS in that order, with 6-dimensional vectors."""
    rng = np.random.default_rng(1)
    path = tmp_path / "ranked.txt"
    lines = [w + " " + " ".join(f"{x:.5f}" for x in rng.standard_normal(6)) for w in WORDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _ranks(words):
    return {w: i for i, w in enumerate(words)}


def test_pieces_cut_at_underscores_and_digits():
    assert pieces("covid_19") == ["covid", "19"]
    assert pieces("covid19") == ["covid", "19"]
    assert pieces("stayhome") == ["stayhome"]
    assert pieces("__") == []


def test_split_takes_the_cheapest_segmentation_by_rank():
    # cost(now here) = log(1s) + log(2s) < cost(no where) = log(3s) + log(4s).
    assert segment("nowhere", _ranks(["now", "here", "no", "where"])) == ("now", "here")
    assert segment("nowhere", _ranks(["no", "where", "now", "here"])) == ("no", "where")
    # One part beats two when its cost is lower: rank 9 costs log(10s), "now here"
    # log(1s) + log(2s) (s = log SPLIT_VOCABULARY); rank 30 costs more than them.
    s = math.log(SPLIT_VOCABULARY)
    ranks = _ranks(["now", "here", "no", "where"])
    for rank, expected in ((9, ("nowhere",)), (30, ("now", "here"))):
        ranks["nowhere"] = rank
        cheaper = math.log((rank + 1) * s) < math.log(1 * s) + math.log(2 * s)
        assert cheaper == (expected == ("nowhere",))
        assert segment("nowhere", ranks) == expected


def test_split_refuses_unless_every_part_is_known():
    ranks = _ranks(WORDS)
    assert segment("stayhomesavelives", ranks) == ("stay", "home", "save", "lives")
    assert segment("stayhomex", ranks) is None
    # Single letters are never parts, even when known ("a" is).
    assert segment("stayahome", ranks) is None
    # Parts beyond the frequency limit are not used.
    assert segment("stayhome", ranks, limit=5) is None
    assert segment("stayhome", ranks, limit=6) == ("stay", "home")
    assert repair_parts("stayhome_19", ranks, "split") == ("stay", "home", "19")
    assert repair_parts("stayhome_zz", ranks, "split") == ()


def test_subword_takes_longest_known_prefix_and_suffix():
    ranks = _ranks(WORDS)
    assert repair_parts("lockdowning", ranks, "subword") == ("lockdown", "owning")
    assert repair_parts("lockdowning", ranks, "split") == ()
    # Affixes shorter than MIN_AFFIX are not taken ("no" is known).
    assert len("now") < MIN_AFFIX
    assert repair_parts("nowxyz", ranks, "subword") == ()
    # Known pieces are kept whole; a split that succeeds wins over subwords.
    assert repair_parts("zzzz_19", ranks, "subword") == ("19",)
    assert repair_parts("stayhome", ranks, "split+subword") == ("stay", "home")
    assert repair_parts("stayhome", ranks, "subword") == ("stay", "home")
    assert repair_parts("stayhome", ranks, "ignore") == ()


def test_repaired_vector_is_the_mean_of_the_parts(ranked_vectors_file):
    vectors = load_source(ranked_vectors_file)
    matrix, repaired = repair_vectors(["stayhome", "qqqq", "lockdowning"], vectors,
                                      "split+subword")
    v = {w: vectors.vectors[vectors.key_to_index[w]] for w in WORDS}
    np.testing.assert_allclose(matrix[0], (v["stay"] + v["home"]) / 2, rtol=1e-6)
    np.testing.assert_array_equal(matrix[1], 0)
    np.testing.assert_allclose(matrix[2], (v["lockdown"] + v["owning"]) / 2, rtol=1e-6)
    np.testing.assert_array_equal(repaired, [True, False, True])


def test_vectorizer_split_repairs_hashtags_and_counts_them_once(ranked_vectors_file):
    vectors = load_source(ranked_vectors_file)
    v = {w: vectors.vectors[vectors.key_to_index[w]].astype(np.float64) for w in WORDS}
    docs = ["#StayHome", "stay #StayHome"]
    X = EmbeddingVectorizer(ranked_vectors_file, oov="split").fit(docs).transform(docs)
    np.testing.assert_allclose(X[0], (v["stay"] + v["home"]) / 2, rtol=1e-5)
    # Two tokens, "stay" and the repaired "stayhome", each counted once.
    np.testing.assert_allclose(X[1], (v["stay"] + (v["stay"] + v["home"]) / 2) / 2, rtol=1e-5)
    ignore = EmbeddingVectorizer(ranked_vectors_file).fit(docs)
    with pytest.warns(NoKnownTokenWarning, match="position 0"):
        X_ignore = ignore.transform(docs)
    np.testing.assert_array_equal(X_ignore[0], 0)
    np.testing.assert_allclose(X_ignore[1], v["stay"], rtol=1e-5)


def test_vectorizer_repair_works_with_max_pooling_and_weights(ranked_vectors_file):
    docs = ["#StayHome now", "lockdowning here"]
    for params in ({"pooling": "max"}, {"weighting": "tfidf"}):
        repaired = EmbeddingVectorizer(ranked_vectors_file, oov="split+subword", **params)
        plain = EmbeddingVectorizer(ranked_vectors_file, **params)
        X, X_plain = (est.fit(docs).transform(docs) for est in (repaired, plain))
        assert not np.allclose(X, X_plain)


def test_indexer_split_fills_the_matrix_row_and_keeps_coverage(ranked_vectors_file):
    docs = ["stay #StayHome", "stay qqqq"]
    indexer = SequenceIndexer(ranked_vectors_file, oov="split", maxlen=3).fit(docs)
    vectors = load_source(ranked_vectors_file)
    v = {w: vectors.vectors[vectors.key_to_index[w]] for w in WORDS}
    row = indexer.embedding_matrix_[indexer.vocabulary_["stayhome"]]
    np.testing.assert_allclose(row, (v["stay"] + v["home"]) / 2, rtol=1e-6)
    np.testing.assert_array_equal(indexer.embedding_matrix_[indexer.vocabulary_["qqqq"]], 0)
    # coverage_ counts the vocabulary's words found in the source, not repaired ones.
    assert indexer.coverage_ == pytest.approx(1 / 3)
    plain = SequenceIndexer(ranked_vectors_file, maxlen=3).fit(docs)
    np.testing.assert_array_equal(indexer.transform(docs), plain.transform(docs))
    np.testing.assert_array_equal(plain.embedding_matrix_[plain.vocabulary_["stayhome"]], 0)


@pytest.mark.parametrize("estimator", [EmbeddingVectorizer, SequenceIndexer])
def test_bad_oov_is_named(estimator):
    with pytest.raises(InvalidParameterError, match="'oov' parameter .*'split'"):
        estimator(oov="hashtags").fit(["a cat"])


@pytest.mark.parametrize("estimator", [EmbeddingVectorizer, SequenceIndexer])
def test_default_oov_keeps_todays_behaviour(estimator):
    assert estimator().get_params()["oov"] == "ignore"
