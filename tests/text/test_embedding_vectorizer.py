import re
import warnings

import numpy as np
import pytest
from gensim.test.utils import datapath

from sklearn_embed import EmbeddingVectorizer, NoKnownTokenWarning
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.sources import load_source
from tests.conftest import CORPUS


def _loop_reference(doc, vectors, how):
    tokens = [t for t in re.findall(r"(?u)\b\w\w+\b", doc.lower()) if t in vectors.key_to_index]
    if not tokens:
        return np.zeros(vectors.vector_size)
    rows = np.array([vectors.vectors[vectors.key_to_index[t]] for t in tokens])
    return getattr(rows, how)(axis=0)


@pytest.mark.parametrize("pooling", ["mean", "max", "min", "sum"])
def test_pooling_matches_a_per_token_loop(tiny_vectors_file, pooling):
    vec = EmbeddingVectorizer(str(tiny_vectors_file), pooling=pooling).fit(CORPUS)
    docs = CORPUS + ["unknown words only", "", "great great great film"]
    with pytest.warns(NoKnownTokenWarning, match=r"2 of 11 documents .* \(positions 8, 9\)"):
        X = vec.transform(docs)
    vectors = load_source(str(tiny_vectors_file))
    expected = np.array([_loop_reference(d, vectors, pooling) for d in docs])
    np.testing.assert_allclose(X, expected, rtol=1e-5, atol=1e-6)
    assert X.dtype == np.float32


def test_tuple_pooling_concatenates_in_order(tiny_vectors_file):
    source = str(tiny_vectors_file)
    both = EmbeddingVectorizer(source, pooling=("max", "mean")).fit_transform(CORPUS)
    mx = EmbeddingVectorizer(source, pooling="max").fit_transform(CORPUS)
    mean = EmbeddingVectorizer(source, pooling="mean").fit_transform(CORPUS)
    np.testing.assert_array_equal(both, np.hstack([mx, mean]))
    names = EmbeddingVectorizer(source, pooling=("max", "mean")).fit(CORPUS)\
        .get_feature_names_out()
    assert names[0] == "max0" and names[8] == "mean0" and len(names) == 16


def test_unknown_only_document_is_zero_not_nan():
    vec = EmbeddingVectorizer(pooling=("mean", "max", "min", "sum"), weighting="tfidf",
                              normalize=True).fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"2 of 2 documents"):
        X = vec.transform(["qqxz zzqv", ""])
    assert not np.isnan(X).any() and not X.any()


def test_tfidf_weighted_mean(tiny_vectors_file):
    docs = ["great film", "great movie", "great cast"]
    vec = EmbeddingVectorizer(str(tiny_vectors_file), weighting="tfidf").fit(docs)
    vectors = load_source(str(tiny_vectors_file))
    idf = {w: np.log(4 / (1 + df)) + 1 for w, df in [("great", 3), ("film", 1)]}
    v = {w: vectors.vectors[vectors.key_to_index[w]] for w in idf}
    expected = (idf["great"] * v["great"] + idf["film"] * v["film"]) / (idf["great"] + idf["film"])
    np.testing.assert_allclose(vec.transform(["great film"])[0], expected, rtol=1e-5)
    assert vec.default_weight_ == pytest.approx(np.log(4) + 1)


def test_sif_weights_and_component_removal(tiny_vectors_file):
    vec = EmbeddingVectorizer(str(tiny_vectors_file), weighting="sif").fit(CORPUS)
    assert vec.weights_["and"] < vec.weights_["worst"]  # frequent words weigh less
    X = vec.transform(CORPUS)
    np.testing.assert_allclose(X @ vec.component_, 0, atol=1e-5)


def test_normalize_gives_unit_rows():
    X = EmbeddingVectorizer(normalize=True).fit_transform(CORPUS)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1, rtol=1e-5)


def test_fasttext_source_covers_unknown_words():
    vec = EmbeddingVectorizer(datapath("lee_fasttext.bin")).fit(CORPUS)
    assert np.any(vec.transform(["qqxzzyword"]))


def test_random_source_is_seeded_and_a_control(corpus):
    docs, _ = corpus
    a = EmbeddingVectorizer("random-16", random_state=0).fit_transform(docs)
    b = EmbeddingVectorizer("random-16", random_state=0).fit_transform(docs)
    c = EmbeddingVectorizer("random-16", random_state=1).fit_transform(docs)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (8, 16) and not np.allclose(a, c)


def test_word2vec_source_trains_in_fit(corpus):
    docs, _ = corpus
    vec = EmbeddingVectorizer("word2vec-8", random_state=0).fit(docs)
    assert vec.vector_size_ == 8
    np.testing.assert_array_equal(
        vec.transform(docs),
        EmbeddingVectorizer("word2vec-8", random_state=0).fit(docs).transform(docs))


def test_pandas_output():
    pd = pytest.importorskip("pandas")
    vec = EmbeddingVectorizer().set_output(transform="pandas").fit(CORPUS)
    out = vec.transform(pd.Series(CORPUS))
    assert isinstance(out, pd.DataFrame) and list(out.columns[:2]) == ["mean0", "mean1"]


def test_parallel_transform_equals_serial():
    docs = CORPUS * 10
    serial = EmbeddingVectorizer(pooling=("mean", "max")).fit(docs)
    np.testing.assert_allclose(serial.set_params(n_jobs=2).transform(docs),
                               serial.set_params(n_jobs=None).transform(docs), rtol=1e-6)


def test_million_token_document():
    doc = " ".join(["good", "bad", "film", "zzqx"] * 250_000)
    X = EmbeddingVectorizer(pooling=("mean", "max")).fit(CORPUS).transform([doc, "good"])
    vectors = load_source("glove-6b-50d")
    rows = np.array([vectors.vectors[vectors.key_to_index[w]] for w in ("good", "bad", "film")])
    np.testing.assert_allclose(X[0, :50], rows.mean(axis=0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(X[0, 50:], rows.max(axis=0))


@pytest.mark.parametrize("params, match", [
    ({"pooling": "median"}, "pooling"),
    ({"pooling": ("mean", "mode")}, "pooling"),
    ({"pooling": ()}, "pooling"),
    ({"weighting": "bm25"}, "weighting"),
    ({"sif_alpha": 0}, "sif_alpha"),
    ({"token_pattern": "(a)(b)"}, "at most one is allowed"),
    ({"token_pattern": "("}, "not a valid regular expression"),
])
def test_bad_parameters_are_named(params, match):
    with pytest.raises((InvalidParameterError, ValueError), match=match):
        EmbeddingVectorizer(**params).fit(CORPUS)


def test_bad_source_is_named():
    with pytest.raises(ValueError, match="Unknown embedding source 'glove-999d'"):
        EmbeddingVectorizer("glove-999d").fit(CORPUS)


@pytest.mark.parametrize("pattern", [r"^\w+", r"\w+$", r"\A\w+", r"\w+\Z", r"(?<=\s)\w+",
                                     r"\w+(?=\s)", r"(?m)^\w"])
# Some patterns find no word of the tiny file in some documents.
@pytest.mark.filterwarnings("ignore::sklearn_embed.NoKnownTokenWarning")
def test_anchored_token_pattern_applies_to_each_document(tiny_vectors_file, pattern):
    vec = EmbeddingVectorizer(str(tiny_vectors_file), token_pattern=pattern, pooling="sum")
    X = vec.fit(CORPUS).transform(CORPUS)
    vectors = load_source(str(tiny_vectors_file))
    expected = [
        sum((vectors.vectors[vectors.key_to_index[t]] for t in re.findall(pattern, doc.lower())
             if t in vectors.key_to_index), np.zeros(vectors.vector_size))
        for doc in CORPUS
    ]
    np.testing.assert_allclose(X, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore::sklearn_embed.NoKnownTokenWarning")  # "i" is not in the file
def test_first_word_pattern_gives_each_documents_first_word(tiny_vectors_file):
    vec = EmbeddingVectorizer(str(tiny_vectors_file), token_pattern=r"^\w+").fit(CORPUS)
    one_word = EmbeddingVectorizer(str(tiny_vectors_file), token_pattern=r"\w+").fit(CORPUS)
    first_words = one_word.transform([doc.split()[0] for doc in CORPUS])
    np.testing.assert_allclose(vec.transform(CORPUS), first_words, rtol=1e-6)


@pytest.mark.parametrize("weighting", [None, "tfidf", "sif"])
def test_fit_on_no_document_is_refused(weighting):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning on the way
        with pytest.raises(ValueError, match=r"EmbeddingVectorizer needs at least one document to "
                                             r"fit, but raw_documents has 0"):
            EmbeddingVectorizer(weighting=weighting).fit([])


@pytest.mark.parametrize("params, needs", [
    ({"weighting": "tfidf"}, r"weighting='tfidf' learns its weights"),
    ({"weighting": "sif"}, r"weighting='sif' learns its weights"),
    ({"source": "random-8"}, r"source='random-8' learns its vectors"),
])
def test_fit_without_any_token_is_refused_where_tokens_are_needed(params, needs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"found no token in the 3 documents given to fit "
                                             rf"\(token_pattern=.*\); {needs}"):
            EmbeddingVectorizer(**params).fit(["", "  ", "?!"])


def test_fit_without_any_token_is_fine_for_a_pretrained_source():
    # Nothing is learned from the documents: the vectors are the source's.
    vec = EmbeddingVectorizer().fit(["", "  "])
    with pytest.warns(NoKnownTokenWarning, match=r"1 of 2 documents has .* \(position 1\)"):
        X = vec.transform(["good film", ""])
    assert np.isfinite(X).all() and X[0].any() and not X[1].any()


@pytest.mark.parametrize("sif_alpha", [1e308, 5e-324])
def test_extreme_sif_alpha_gives_finite_output(sif_alpha):
    X = EmbeddingVectorizer(weighting="sif", sif_alpha=sif_alpha).fit_transform(CORPUS)
    assert np.isfinite(X).all()


def test_infinite_sif_alpha_is_refused():
    with pytest.raises(InvalidParameterError, match=r"'sif_alpha' parameter .* range \(0.0, inf\)"):
        EmbeddingVectorizer(weighting="sif", sif_alpha=float("inf")).fit(CORPUS)


def test_lone_surrogates_are_tokens_like_any_other():
    # A fastText source builds them from subwords, as for any unknown word.
    vec = EmbeddingVectorizer(datapath("lee_fasttext.bin")).fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"\(position 1\)"):  # no token at all
        X = vec.transform(["caf\udce9", "\udfff\udfff"])
    assert np.isfinite(X).all() and X[0].any()


NO_KNOWN_TOKEN = (
    r"2 of 5 documents have no token known to the source 'glove-6b-50d' \(positions 1, 3\): "
    r"their features are zeros, so a model's prediction for them is a guess\. Check the text "
    r"column, the cleaning, or the source's coverage\.$"
)
MIXED = ["a good film", "", "bad acting", "zzqx qqzx ?!", "great"]


def _no_known_token_warnings(record):
    return [w for w in record if issubclass(w.category, NoKnownTokenWarning)]


@pytest.mark.parametrize("params", [{}, {"pooling": ("max", "min")}, {"normalize": True},
                                    {"weighting": "tfidf"}, {"weighting": "sif"}])
def test_documents_without_a_known_token_are_warned_about_once(params):
    vec = EmbeddingVectorizer(**params).fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=NO_KNOWN_TOKEN) as record:
        X = vec.transform(MIXED)
    assert len(_no_known_token_warnings(record)) == 1
    assert not X[[1, 3]].any() and X[[0, 2, 4]].any(axis=1).all()
    assert issubclass(NoKnownTokenWarning, UserWarning)


def test_warning_names_positions_in_the_whole_input_across_chunks_and_parts(monkeypatch):
    from sklearn_embed.text._tokenizer import iter_token_chunks

    def small_chunks(self, documents):
        return iter_token_chunks(documents, self.token_pattern, self.lowercase, chunk_chars=8)

    monkeypatch.setattr(EmbeddingVectorizer, "_token_chunks", small_chunks)
    docs = ["good"] * 20 + MIXED
    for n_jobs in (None, 2):
        vec = EmbeddingVectorizer(n_jobs=n_jobs).fit(CORPUS)
        with pytest.warns(NoKnownTokenWarning, match=r"2 of 25 .* \(positions 21, 23\)") as rec:
            vec.transform(docs)
        assert len(_no_known_token_warnings(rec)) == 1


def test_warning_shows_the_first_five_positions_and_the_count():
    vec = EmbeddingVectorizer().fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"^7 of 8 documents have .* "
                                                 r"\(positions 1, 2, 3, 4, 5, \.\.\.\): their"):
        vec.transform(["good", "", "", "", "", "", "", ""])


def test_warning_for_one_document_is_singular():
    vec = EmbeddingVectorizer().fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"^1 of 2 documents has no token known .* "
                                                 r"\(position 0\): its features are zeros, so a "
                                                 r"model's prediction for it is a guess\."):
        vec.transform(["zzqx", "good"])


def test_no_warning_when_every_document_has_a_known_token():
    vec = EmbeddingVectorizer().fit(CORPUS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vec.transform(CORPUS)
        vec.transform([])


def test_fit_does_not_warn_but_fit_transform_does():
    docs = ["good film", "zzqx"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        EmbeddingVectorizer().fit(docs)
    with pytest.warns(NoKnownTokenWarning, match=r"1 of 2 .* \(position 1\)"):
        EmbeddingVectorizer().fit_transform(docs)
    with pytest.warns(NoKnownTokenWarning, match=r"source 'word2vec-8' \(position 1\)"):
        EmbeddingVectorizer("word2vec-8", random_state=0).fit_transform(["good film", ""])


def test_fasttext_source_warns_only_for_documents_without_tokens():
    vec = EmbeddingVectorizer(datapath("lee_fasttext.bin")).fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"1 of 3 .* \(position 2\)"):
        X = vec.transform(["qqxzzy", "zzqx qqzx", " ?! "])
    assert X[:2].any(axis=1).all()


def test_zero_rows_of_known_tokens_are_not_reported():
    # SIF weights underflow to 0 with a denormal alpha: zeros, but the words are known.
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoKnownTokenWarning)
        X = EmbeddingVectorizer(weighting="sif", sif_alpha=5e-324).fit_transform(CORPUS)
    assert not X.any()


def test_warning_names_a_source_given_as_an_object(tiny_vectors_file):
    vectors = load_source(str(tiny_vectors_file))
    vec = EmbeddingVectorizer(vectors).fit(CORPUS)
    with pytest.warns(NoKnownTokenWarning, match=r"no token known to the source given as a "
                                                 rf"{type(vectors).__name__} \(position 0\)"):
        vec.transform(["zzqx", "great film"])
