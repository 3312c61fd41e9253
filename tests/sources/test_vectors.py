"""The fingerprint of a source covers every row."""

import os
import pickle

import numpy as np
import pytest

from sklearn_embed import EmbeddingVectorizer, SourceMismatchError
from sklearn_embed.sources import Vectors

N_ROWS = 10_000


def _row(rng, word):
    return word + " " + " ".join(f"{x:.5f}" for x in rng.standard_normal(8))


def test_fingerprint_notices_one_changed_row_anywhere():
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((N_ROWS, 8)).astype(np.float32)
    words = [f"w{i}" for i in range(N_ROWS)]
    edited = matrix.copy()
    edited[4_999, 3] += 1.0  # an odd row: a stride-2 sample would skip it
    assert Vectors(matrix, words, "a").fingerprint != Vectors(edited, words, "b").fingerprint


def test_fingerprint_is_the_same_for_equal_content_in_any_layout():
    matrix = np.random.default_rng(0).standard_normal((300, 5))
    words = [f"w{i}" for i in range(300)]
    a = Vectors(matrix.astype(np.float32), words, "a")
    b = Vectors(np.asfortranarray(matrix).astype(np.float32, order="F"), words, "b")
    assert a.fingerprint == b.fingerprint


def test_an_edited_row_of_a_vector_file_is_a_source_mismatch(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "glove.txt"
    lines = [_row(rng, f"w{i}") for i in range(N_ROWS)]
    path.write_text("\n".join(lines) + "\n")
    vectorizer = EmbeddingVectorizer(source=str(path)).fit(["w1 w2", "w4999 w3"])
    saved = pickle.dumps(vectorizer)

    lines[4_999] = _row(rng, "w4999")
    path.write_text("\n".join(lines) + "\n")
    # The process cache reloads a file whose size or mtime changed; the rows are
    # the same width, so move the mtime on in case the clock did not tick.
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    with pytest.raises(SourceMismatchError, match=r"glove\.txt' has changed since this "
                                                  r"EmbeddingVectorizer was fitted"):
        pickle.loads(saved).transform(["w4999"])
