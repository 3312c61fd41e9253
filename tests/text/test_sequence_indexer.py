import re
import warnings

import numpy as np
import pytest
from gensim.test.utils import datapath

from sklearn_embed import (
    IndexedSequences,
    NoKnownTokenWarning,
    SequenceIndexer,
    TruncationWarning,
)
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.sources import load_source
from tests.conftest import CORPUS

DOCS = ["the cat sat", "the dog sat on the mat", "", "cat cat cat dog"]


def test_ids_padding_and_oov():
    indexer = SequenceIndexer(source=None, maxlen=6).fit(DOCS)
    # the:3, cat:4, sat:2, dog:2, mat:1, on:1 -> frequency order, ties alphabetical
    assert indexer.index_to_token_[:4] == ["<pad>", "<oov>", "cat", "the"]
    assert indexer.vocabulary_ == {"cat": 2, "the": 3, "dog": 4, "sat": 5, "mat": 6, "on": 7}
    with pytest.warns(NoKnownTokenWarning, match=r"\(position 1\)"):
        X = indexer.transform(["the cat ate", ""])
    assert X.dtype == np.int64 and X.shape == (2, 6)
    np.testing.assert_array_equal(X, [[3, 2, 1, 0, 0, 0], [0] * 6])


@pytest.mark.parametrize("padding, truncating, expected", [
    ("post", "post", [[2, 3, 4, 0], [2, 3, 4, 5]]),
    ("pre", "post", [[0, 2, 3, 4], [2, 3, 4, 5]]),
    ("post", "pre", [[2, 3, 4, 0], [3, 4, 5, 6]]),
    ("pre", "pre", [[0, 2, 3, 4], [3, 4, 5, 6]]),
])
def test_padding_and_truncating(padding, truncating, expected):
    docs = ["aa bb cc", "aa bb cc dd ee"]
    indexer = SequenceIndexer(source=None, maxlen=4, padding=padding,
                              truncating=truncating).fit(["aa bb cc dd ee"])
    np.testing.assert_array_equal(indexer.transform(docs), expected)


def test_max_features_and_min_df():
    indexer = SequenceIndexer(source=None, max_features=2).fit(DOCS)
    assert list(indexer.vocabulary_) == ["cat", "the"]
    indexer = SequenceIndexer(source=None, min_df=2).fit(DOCS)
    assert set(indexer.vocabulary_) == {"cat", "the", "dog", "sat"}
    indexer = SequenceIndexer(source=None, min_df=0.5).fit(DOCS)
    assert set(indexer.vocabulary_) == {"cat", "the", "dog", "sat"}


def test_embedding_matrix_rows_follow_ids():
    indexer = SequenceIndexer(maxlen=8).fit(DOCS + ["qqzzx"])
    vectors = load_source("glove-6b-50d")
    matrix = indexer.embedding_matrix_
    assert matrix.shape == (indexer.vocab_size_, 50) and matrix.dtype == np.float32
    assert not matrix[0].any() and not matrix[1].any()
    for word, i in indexer.vocabulary_.items():
        expected = (vectors.vectors[vectors.key_to_index[word]] if word in vectors.key_to_index
                    else np.zeros(50))
        np.testing.assert_array_equal(matrix[i], expected)
    assert indexer.coverage_ == pytest.approx(6 / 7)


def test_output_carries_the_matrix_for_the_heads():
    indexer = SequenceIndexer(maxlen=5).fit(DOCS)
    with pytest.warns(NoKnownTokenWarning, match=r"\(position 2\)"):  # DOCS[2] is ""
        X = indexer.transform(DOCS)
    assert isinstance(X, IndexedSequences)
    assert X.embedding_matrix is indexer.embedding_matrix_
    assert X.vocab_size == indexer.vocab_size_
    assert X[1:].embedding_matrix is indexer.embedding_matrix_


def test_fasttext_fills_words_missing_from_the_source():
    indexer = SequenceIndexer(datapath("lee_fasttext.bin")).fit(["qqxzzy the"])
    assert indexer.coverage_ == 0.5
    assert np.all(np.any(indexer.embedding_matrix_[2:], axis=1))


def test_inverse_transform_round_trip():
    indexer = SequenceIndexer(source=None, maxlen=10).fit(DOCS)
    assert indexer.inverse_transform(indexer.transform(["the dog ate the cat"])) == \
        [["the", "dog", "<oov>", "the", "cat"]]
    with pytest.raises(ValueError, match=r"X\[0, 1\] = 99 is not an id"):
        indexer.inverse_transform([[2, 99]])


def test_million_token_document():
    doc = " ".join(["cat", "dog"] * 500_000)
    indexer = SequenceIndexer(source=None, maxlen=3, truncating="pre").fit(DOCS)
    np.testing.assert_array_equal(indexer.transform([doc]), [[4, 2, 4]])


@pytest.mark.parametrize("params, match", [
    ({"maxlen": 0}, "maxlen"), ({"padding": "left"}, "padding"),
    ({"truncating": "middle"}, "truncating"), ({"min_df": 0}, "min_df"),
    ({"max_features": 0}, "max_features"),
])
def test_bad_parameters_are_named(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        SequenceIndexer(source=None, **params).fit(DOCS)


@pytest.mark.parametrize("pattern", [r"^\w+", r"\w+$", r"(?<=\s)\w+", r"\w+\Z"])
def test_anchored_token_pattern_applies_to_each_document(pattern):
    indexer = SequenceIndexer(source=None, token_pattern=pattern).fit(CORPUS)
    tokens = indexer.inverse_transform(indexer.transform(CORPUS))
    assert tokens == [re.findall(pattern, doc.lower()) for doc in CORPUS]
    if pattern == r"^\w+":
        assert tokens == [[doc.split()[0]] for doc in CORPUS]


def test_fit_on_no_document_is_refused():
    with pytest.raises(ValueError, match=r"SequenceIndexer needs at least one document to fit, "
                                         r"but raw_documents has 0"):
        SequenceIndexer().fit([])


def test_fit_without_any_token_is_refused():
    with pytest.raises(ValueError, match=r"found no token in the 2 documents given to fit "
                                         r"\(token_pattern=.*\); the vocabulary would be empty"):
        SequenceIndexer(source=None).fit(["", " ?! "])


def test_min_df_that_keeps_no_word_is_refused():
    with pytest.raises(ValueError, match=r"no word is in at least min_df=3 documents"):
        SequenceIndexer(source=None, min_df=3).fit(["aa bb", "cc dd"])


def test_huge_maxlen_names_the_parameter():
    indexer = SequenceIndexer(source=None, maxlen=10**15).fit(DOCS)
    with pytest.raises(MemoryError, match=r"maxlen=1000000000000000 .* lower maxlen"):
        indexer.transform(DOCS)


NO_WORD_ID = (
    r"^2 of 4 documents have no word of the fitted vocabulary within maxlen=3 "
    r"\(positions 1, 3\): their ids are only padding and <oov>, so a model's prediction for "
    r"them is a guess\. Check the text column, the cleaning, or the vocabulary \(the documents "
    r"given to fit, min_df, max_features\)\.$"
)


@pytest.mark.parametrize("source", [None, "glove-6b-50d"])
def test_sequences_without_a_word_id_are_warned_about_once(source):
    indexer = SequenceIndexer(source=source, maxlen=3).fit(DOCS)
    with pytest.warns(NoKnownTokenWarning, match=NO_WORD_ID) as record:
        X = indexer.transform(["the cat", "a zebra ate", "dog", " "])
    assert sum(issubclass(w.category, NoKnownTokenWarning) for w in record) == 1
    assert (X[[1, 3]] <= 1).all()


@pytest.mark.parametrize("truncating, warned", [("post", True), ("pre", False)])
def test_words_cut_by_maxlen_count_as_missing(truncating, warned):
    indexer = SequenceIndexer(source=None, maxlen=2, truncating=truncating).fit(DOCS)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        indexer.transform(["zebra ate the cat"])
    assert [str(w.message)[:40] for w in record] == (
        ["1 of 1 documents has no word of the fitt"] if warned else [])


def test_fit_does_not_warn_but_fit_transform_does():
    docs = ["the cat sat", "", "the dog"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceIndexer(source=None).fit(docs)
    with pytest.warns(NoKnownTokenWarning, match=r"1 of 3 .* \(position 1\)"):
        SequenceIndexer(source=None).fit_transform(docs)


def test_no_warning_when_every_sequence_has_a_word():
    indexer = SequenceIndexer(source=None).fit(DOCS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        indexer.transform(["the cat", "zebra dog"])
        indexer.transform([])


# -- document lengths seen by fit ------------------------------------------------


def test_length_stats_describe_the_fitted_documents():
    # Lengths 3, 6, 0 and 4 tokens; "sat" and "mat" count whatever the vocabulary.
    indexer = SequenceIndexer(source=None, maxlen=4, min_df=2).fit(DOCS)
    stats = indexer.length_stats_
    assert stats["n_documents"] == 4
    assert stats["n_truncated"] == 1 and stats["truncated_share"] == 0.25
    assert stats["mean"] == pytest.approx(13 / 4)
    assert (stats["p50"], stats["max"]) == (4, 6)
    lengths = np.array([3, 6, 0, 4])
    for name, q in [("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99)]:
        assert stats[name] == np.percentile(lengths, q, method="higher")


def test_length_stats_count_the_tokens_transform_truncates():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 60, size=200)
    docs = [" ".join(["ab"] * n) for n in lengths]
    indexer = SequenceIndexer(source=None, maxlen=50).fit(docs)
    X = indexer.transform(docs)
    # A document is truncated when its last position holds a word.
    assert indexer.length_stats_["n_truncated"] == (lengths > 50).sum() > 0
    assert (X[:, -1] != 0).sum() == (lengths >= 50).sum()
    assert indexer.length_stats_["max"] == lengths.max()


def test_fit_warns_when_most_documents_are_truncated():
    docs = [" ".join(["word"] * n) for n in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]]
    expected = (r"^SequenceIndexer: 8 of the 10 documents given to fit \(80%\) are longer than "
                r"maxlen=25 tokens, so their end will be cut off \(truncating='post'\); 95 % of "
                r"the documents have at most 100 tokens\. Set maxlen=100 .* length_stats_")
    with pytest.warns(TruncationWarning, match=expected):
        SequenceIndexer(source=None, maxlen=25).fit(docs)
    with pytest.warns(TruncationWarning,
                      match=r"their beginning will be cut off \(truncating='pre'\)"):
        SequenceIndexer(source=None, maxlen=25, truncating="pre").fit(docs)


@pytest.mark.parametrize("maxlen", [50, 200])
def test_fit_is_silent_when_at_most_half_are_truncated(maxlen):
    docs = [" ".join(["word"] * n) for n in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        indexer = SequenceIndexer(source=None, maxlen=maxlen).fit(docs)
    assert indexer.length_stats_["truncated_share"] == (0.5 if maxlen == 50 else 0.0)


def test_transform_leaves_length_stats_alone():
    indexer = SequenceIndexer(source=None, maxlen=4).fit(DOCS)
    before = dict(indexer.length_stats_)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoKnownTokenWarning)
        indexer.transform(["the cat " * 50, "dog"] * 5)
    assert indexer.length_stats_ == before
