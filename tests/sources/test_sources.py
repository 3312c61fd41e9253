import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from sklearn_embed.sources import (
    VectorFileError,
    available_sources,
    clear_cache,
    is_trained_source,
    load_source,
    resolve_source,
)
from sklearn_embed.sources._readers import detect_format


def test_default_source_is_real_glove():
    vectors = load_source("glove-6b-50d")
    assert len(vectors) == 400_000 and vectors.vector_size == 50
    assert vectors.key_to_index["the"] == 0
    # GloVe neighbours: 'king' is closer to 'queen' than to 'banana'.
    v = {w: np.asarray(vectors.vectors[vectors.key_to_index[w]]) for w in
         ("king", "queen", "banana")}
    cos = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)  # noqa: E731
    assert cos(v["king"], v["queen"]) > cos(v["king"], v["banana"])


def test_loading_again_is_cached():
    assert load_source("glove-6b-50d") is load_source("glove-6b-50d")
    path = datapath("test_glove.txt")
    assert load_source(path) is load_source(path)


@pytest.mark.parametrize("name, fmt, size", [
    ("test_glove.txt", "glove", 50),
    ("word2vec_pre_kv_c", "word2vec", 10),
    ("euclidean_vectors.bin", "word2vec-binary", 10),
    ("lee_fasttext.bin", "fasttext", 10),
])
def test_real_gensim_files_detected_and_read(name, fmt, size):
    path = datapath(name)
    assert detect_format(path) == fmt
    vectors = load_source(path)
    assert vectors.vector_size == size
    assert vectors.vectors.shape == (len(vectors.index_to_key), size)
    assert (vectors.oov is not None) == (fmt == "fasttext")


def test_glove_text_values_match_gensim():
    path = datapath("test_glove.txt")
    ours = load_source(path)
    theirs = KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)
    assert ours.index_to_key == list(theirs.index_to_key)
    np.testing.assert_allclose(ours.vectors, theirs.vectors, rtol=1e-6)


def test_explicit_format_prefix(tmp_path):
    path = datapath("word2vec_pre_kv_c")
    assert load_source("word2vec:" + path).vector_size == 10
    with pytest.raises(VectorFileError, match="expected the word2vec header"):
        load_source("word2vec:" + datapath("test_glove.txt"))


def test_gensim_kv_is_memory_mapped(tmp_path):
    kv = KeyedVectors.load_word2vec_format(datapath("euclidean_vectors.bin"), binary=True)
    path = tmp_path / "vectors.kv"
    kv.save(str(path), sep_limit=0)  # write vectors to a separate .npy
    vectors = load_source(str(path))
    assert isinstance(vectors.vectors, np.memmap)
    np.testing.assert_array_equal(np.asarray(vectors.vectors), kv.vectors)


def test_keyed_vectors_object_is_accepted():
    kv = KeyedVectors.load_word2vec_format(datapath("word2vec_pre_kv_c"))
    vectors = load_source(kv)
    assert vectors.index_to_key == list(kv.index_to_key)


def test_fasttext_builds_vectors_for_unknown_words():
    vectors = load_source(datapath("lee_fasttext.bin"))
    assert "wordthatisnotthere" not in vectors.key_to_index
    oov = vectors.oov(["wordthatisnotthere"])
    assert oov.shape == (1, 10) and np.any(oov)


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(ValueError, match=r"Unknown embedding source 'glove-42'.*'glove-6b-50d'"):
        load_source("glove-42")
    assert set(available_sources()) == {"glove-6b-50d", "random", "word2vec"}


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        load_source(str(missing))


def test_wrong_type_is_rejected():
    with pytest.raises(TypeError, match="source must be"):
        load_source(42)


def test_vector_of_wrong_length_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("cat 0.1 0.2 0.3\ndog 0.1 0.2\nfish 0.3 0.2 0.1\n")
    with pytest.raises(VectorFileError, match=r"bad.txt', line 2: the vector of 'dog' has 2 "
                                              r"values, expected 3"):
        load_source(str(path))


def test_non_number_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("cat 0.1 0.2 0.3\ndog 0.1 oops 0.3\n")
    with pytest.raises(VectorFileError, match=r"line 2: expected 3 numbers after the word "
                                              r"'dog', found 'oops'"):
        load_source(str(path))


def test_header_count_mismatch_is_reported(tmp_path):
    path = tmp_path / "bad.vec"
    path.write_text("3 2\ncat 0.1 0.2\ndog 0.3 0.4\n")
    with pytest.raises(VectorFileError, match="declares 3 vectors but the file holds 2"):
        load_source(str(path))


def test_invalid_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"cat 0.1 0.2\n\xff\xfe 0.3 0.4\n")
    with pytest.raises(VectorFileError, match="line 2: not valid UTF-8"):
        load_source("glove:" + str(path))


def test_changed_file_is_reloaded(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("cat 0.1 0.2\n")
    first = load_source(str(path))
    path.write_text("cat 0.1 0.2\ndog 0.3 0.4\n")
    assert len(load_source(str(path))) == 2 and len(first) == 1
    clear_cache()


@pytest.mark.parametrize("name, dim", [("random", 50), ("random-7", 7), ("word2vec-12", 12)])
def test_trained_sources(name, dim):
    tokens = [["good", "movie"], ["bad", "movie"]] * 20
    assert is_trained_source(name)
    a = resolve_source(name, lambda: tokens, random_state=0)
    b = resolve_source(name, lambda: tokens, random_state=0)
    assert a.vector_size == dim and set(a.index_to_key) == {"good", "bad", "movie"}
    np.testing.assert_array_equal(a.vectors, b.vectors)
    with pytest.raises(ValueError, match="give it as an estimator's source="):
        load_source(name)


def test_fingerprint_changes_with_content():
    a = resolve_source("random-4", lambda: [["x", "y"]], random_state=0)
    b = resolve_source("random-4", lambda: [["x", "y"]], random_state=1)
    assert a.fingerprint != b.fingerprint
