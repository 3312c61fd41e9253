"""Reading vector files safely: no pickle unless named, headers checked, finite values."""

import gzip
import pathlib
import pickle

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath

from sklearn_embed.sources import VectorFileError, detect_format, load_source, read_vectors


class _TouchOnUnpickle:
    """Unpickling this object creates ``path``: stands for any code a pickle can run."""

    def __init__(self, path):
        self.path = pathlib.Path(path)

    def __reduce__(self):
        return pathlib.Path.touch, (self.path,)


def _payload(marker):
    return pickle.dumps(_TouchOnUnpickle(marker))


def test_the_payload_really_runs_code_when_unpickled(tmp_path):
    # Without this, the tests below could pass because the payload is inert.
    marker = tmp_path / "ran"
    pickle.loads(_payload(marker))
    assert marker.exists()


@pytest.mark.parametrize("filename", ["vectors.txt", "vectors.bin", "vectors", "vectors.txt.gz"])
def test_a_pickle_not_named_as_one_is_refused_without_running_it(tmp_path, filename):
    marker = tmp_path / "ran"
    path = tmp_path / filename
    data = _payload(marker)
    path.write_bytes(gzip.compress(data) if filename.endswith(".gz") else data)
    message = (r"looks like a pickled gensim file.*runs the code it contains.*only if you "
               r"trust it.*'gensim:.*" + filename.replace(".", r"\.") + "'")
    with pytest.raises(VectorFileError, match=message):
        load_source(str(path))
    with pytest.raises(VectorFileError, match="looks like a pickled gensim file"):
        detect_format(path)
    with pytest.raises(VectorFileError, match="looks like a pickled gensim file"):
        read_vectors(path)
    assert not marker.exists()


def _euclidean_kv():
    return KeyedVectors.load_word2vec_format(datapath("euclidean_vectors.bin"), binary=True)


@pytest.mark.parametrize("filename, source", [
    ("x.kv", "{path}"),
    ("x.kv", "gensim:{path}"),
    ("x.vectors", "gensim:{path}"),
])
def test_gensim_files_load_when_named_as_such(tmp_path, filename, source):
    kv = _euclidean_kv()
    path = tmp_path / filename
    kv.save(str(path))
    if not filename.endswith(".kv"):
        with pytest.raises(VectorFileError, match="looks like a pickled gensim file"):
            load_source(str(path))
    vectors = load_source(source.format(path=path))
    assert vectors.index_to_key == list(kv.index_to_key)
    np.testing.assert_array_equal(np.asarray(vectors.vectors), kv.vectors)


def test_a_whole_gensim_model_loads_from_a_model_file(tmp_path):
    model = Word2Vec([["good", "movie"], ["bad", "movie"]] * 5, vector_size=4, min_count=1,
                     workers=1, seed=0)
    path = tmp_path / "w2v.model"
    model.save(str(path))
    assert detect_format(path) == "gensim"
    vectors = load_source(str(path))
    assert set(vectors.index_to_key) == {"good", "bad", "movie"}


def test_a_text_file_named_kv_is_still_read_as_text(tmp_path):
    # The extension only allows a pickle; a text file stays text.
    path = tmp_path / "plain.kv"
    path.write_text("cat 0.1 0.2\ndog 0.3 0.4\n")
    assert detect_format(path) == "glove"
    assert load_source(str(path)).index_to_key == ["cat", "dog"]


def test_header_dimension_that_disagrees_with_the_rows_is_reported(tmp_path):
    path = tmp_path / "bad.vec"
    path.write_text("2 3\ncat 0.1 0.2\ndog 0.3 0.4\n")
    assert detect_format(path) == "word2vec"
    with pytest.raises(VectorFileError, match=r"bad\.vec', line 2: the vector of 'cat' has 2 "
                                              r"values, expected 3 like the header"):
        load_source(str(path))


def test_header_with_a_non_number_row_is_read_as_text(tmp_path):
    path = tmp_path / "bad.vec"
    path.write_text("1 2\ncat 0.1 oops\n")
    with pytest.raises(VectorFileError, match=r"line 2: expected 2 numbers after the word "
                                              r"'cat', found 'oops'"):
        load_source(str(path))


def test_long_text_rows_after_a_header_are_text(tmp_path):
    # A 1,000-dimensional row is longer than the bytes first read to guess the format.
    rng = np.random.default_rng(0)
    path = tmp_path / "wide.vec"
    rows = [w + " " + " ".join(f"{x:.6f}" for x in rng.standard_normal(1000))
            for w in ("cat", "dog")]
    path.write_text("2 1000\n" + "\n".join(rows) + "\n")
    assert detect_format(path) == "word2vec"
    assert load_source(str(path)).vectors.shape == (2, 1000)


def test_real_binary_file_is_still_binary(tmp_path):
    assert detect_format(datapath("euclidean_vectors.bin")) == "word2vec-binary"
    kv = KeyedVectors(vector_size=1)
    kv.add_vectors(["a", "b"], np.array([[1.0], [0.5]], dtype=np.float32))
    path = tmp_path / "one.bin"
    kv.save_word2vec_format(str(path), binary=True)
    assert detect_format(path) == "word2vec-binary"


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e39"])
@pytest.mark.parametrize("header", ["", "2 3\n"])
def test_non_finite_text_values_are_reported_with_word_and_line(tmp_path, value, header):
    path = tmp_path / "bad.txt"
    path.write_text(header + f"cat 0.1 0.2 0.3\ndog 0.1 {value} 0.3\n")
    line = 3 if header else 2
    with pytest.raises(VectorFileError, match=rf"bad\.txt', line {line}: the vector of 'dog' "
                                              rf"holds '{value}', not a finite number"):
        load_source(str(path))


def _kv_with_a_nan():
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(["cat", "dog"], np.array([[0.1, 0.2], [np.nan, 0.4]], dtype=np.float32))
    return kv


def test_non_finite_binary_values_are_reported_with_the_word(tmp_path):
    path = tmp_path / "bad.bin"
    _kv_with_a_nan().save_word2vec_format(str(path), binary=True)
    with pytest.raises(VectorFileError, match=r"bad\.bin': the vector of 'dog' \(row 1\) holds "
                                              r"nan, not a finite number"):
        load_source(str(path))


def test_non_finite_gensim_values_are_reported_with_the_word(tmp_path):
    path = tmp_path / "bad.kv"
    _kv_with_a_nan().save(str(path))
    with pytest.raises(VectorFileError, match=r"the vector of 'dog' \(row 1\) holds nan"):
        load_source(str(path))
