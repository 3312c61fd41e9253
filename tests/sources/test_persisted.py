"""A registered name is found by other processes: grid-search workers, later sessions."""

import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_embed import EmbeddingVectorizer, SourceMismatchError
from sklearn_embed.sources import (
    Vectors,
    _registry,
    available_sources,
    clear_cache,
    load_source,
    register_source,
    unregister_source,
)
from tests.conftest import CORPUS, LABELS, TINY_WORDS
from tests.sources.conftest import tiny_kv


def _in_another_process(code, *args):
    # env passed explicitly: the child must look in this test's cache folder.
    result = subprocess.run([sys.executable, "-c", code, *map(str, args)],
                            capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    return result.stdout


def _as_if_in_a_new_process():
    _registry.REGISTERED.clear()
    clear_cache()


def test_the_vectors_are_saved_once_in_the_cache_folder(cache_folder):
    kv = tiny_kv()
    register_source("tiny-kv", kv, description="the test corpus")
    folder = cache_folder / "registered" / "tiny-kv"
    # Nothing left over from the atomic write (temporary folders start with '.').
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny-kv"]
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "vectors.npy", "words.txt"]
    saved = np.load(folder / "vectors.npy", allow_pickle=False)
    assert saved.dtype == np.float32
    np.testing.assert_array_equal(saved, kv.vectors)
    assert (folder / "words.txt").read_text(encoding="utf-8").split("\n")[:-1] == TINY_WORDS
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["description"] == "the test corpus"
    assert meta["shape"] == [len(TINY_WORDS), 8]
    assert meta["fingerprint"] == load_source("tiny-kv").fingerprint


_LOAD_ELSEWHERE = """
import json, sys
import numpy as np
from sklearn_embed.sources import available_sources, load_source
v = load_source("tiny-kv")
np.save(sys.argv[1], v.vectors)
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump({"kind": type(v.vectors).__name__, "fingerprint": v.fingerprint,
               "description": available_sources()["tiny-kv"], "words": v.index_to_key}, fh)
"""


def test_another_process_memory_maps_the_same_vectors(tmp_path):
    kv = tiny_kv()
    kv.add_vectors(["naïve", "日本", ""], np.ones((3, 8), dtype=np.float32))
    register_source("tiny-kv", kv)
    matrix, seen = tmp_path / "matrix.npy", tmp_path / "seen.json"
    _in_another_process(_LOAD_ELSEWHERE, matrix, seen)
    seen = json.loads(seen.read_text(encoding="utf-8"))
    assert seen["kind"] == "memmap"
    assert seen["fingerprint"] == load_source("tiny-kv").fingerprint
    assert seen["description"] == f"registered, saved for other processes: {len(kv)} words × 8"
    assert seen["words"] == list(kv.index_to_key)
    np.testing.assert_array_equal(np.load(matrix), kv.vectors)


def test_grid_search_workers_find_the_name(cache_folder):
    # loky keeps its workers between tests, and one started earlier has another
    # SKLEARN_EMBED_CACHE; shut them down so this test's workers inherit its own.
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)
    register_source("tiny-kv", tiny_kv())
    pipeline = make_pipeline(EmbeddingVectorizer(source="tiny-kv"), LogisticRegression())
    grid = {"logisticregression__C": [0.1, 1.0, 10.0]}
    scores = [
        GridSearchCV(pipeline, grid, cv=2, n_jobs=n_jobs, error_score="raise")
        .fit(CORPUS, LABELS).cv_results_["mean_test_score"]
        for n_jobs in (1, 2)
    ]
    np.testing.assert_array_equal(scores[0], scores[1])
    get_reusable_executor().shutdown(wait=True)


_TRANSFORM_ELSEWHERE = """
import pickle, sys
import numpy as np
pipeline = pickle.load(open(sys.argv[1], "rb"))
np.save(sys.argv[2], pipeline[0].transform(sys.argv[3:]))
np.save(sys.argv[2] + ".proba.npy", pipeline.predict_proba(sys.argv[3:]))
"""


def test_a_pipeline_pickled_here_transforms_in_another_process(tmp_path):
    register_source("tiny-kv", tiny_kv())
    pipeline = make_pipeline(EmbeddingVectorizer(source="tiny-kv"), LogisticRegression())
    pipeline.fit(CORPUS, LABELS)
    saved = tmp_path / "pipeline.pkl"
    saved.write_bytes(pickle.dumps(pipeline))
    assert saved.stat().st_size < 10_000  # the name travels, not the vectors
    out = tmp_path / "features.npy"
    _in_another_process(_TRANSFORM_ELSEWHERE, saved, out, *CORPUS)
    np.testing.assert_array_equal(np.load(out), pipeline[0].transform(CORPUS))
    np.testing.assert_allclose(np.load(f"{out}.proba.npy"), pipeline.predict_proba(CORPUS))


def test_a_new_process_lists_and_loads_a_saved_name():
    kv = tiny_kv()
    register_source("tiny-kv", kv, description="saved earlier")
    _as_if_in_a_new_process()
    assert available_sources()["tiny-kv"] == "saved earlier"
    loaded = load_source("tiny-kv")
    assert isinstance(loaded.vectors, np.memmap) and not loaded.vectors.flags.writeable
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)
    assert load_source("tiny-kv") is loaded  # through the process cache
    # Running the same script again registers the same values: nothing to do.
    register_source("tiny-kv", tiny_kv())


def test_other_values_under_a_saved_name_need_overwrite(cache_folder):
    register_source("tiny-kv", tiny_kv(), description="first")
    _as_if_in_a_new_process()
    with pytest.raises(ValueError, match=r"'tiny-kv' is already registered with other vectors "
                                         r"\(first, saved in .*tiny-kv\); register these under "
                                         r"another name, pass overwrite=True to replace them, or "
                                         r"call unregister_source\('tiny-kv'\) first"):
        register_source("tiny-kv", tiny_kv(seed=1))
    other = tiny_kv(seed=1)
    register_source("tiny-kv", other, overwrite=True)
    _as_if_in_a_new_process()
    np.testing.assert_array_equal(load_source("tiny-kv").vectors, other.vectors)
    assert sorted(p.name for p in (cache_folder / "registered").iterdir()) == ["tiny-kv"]


def test_unregister_removes_the_name_and_its_files(cache_folder, tmp_path):
    register_source("tiny-kv", tiny_kv())
    pipeline = make_pipeline(EmbeddingVectorizer(source="tiny-kv"), LogisticRegression())
    saved = pickle.dumps(pipeline.fit(CORPUS, LABELS))
    unregister_source("tiny-kv")
    assert list((cache_folder / "registered").iterdir()) == []
    assert "tiny-kv" not in available_sources()
    with pytest.raises(SourceMismatchError, match=r"register_source\('tiny-kv', \.\.\.\)"):
        pickle.loads(saved).predict(CORPUS)
    with pytest.raises(ValueError, match=r"unregister_source: no source is registered under "
                                         r"'tiny-kv', in this process or in the cache folder "
                                         r".*registered\. Registered names: none\."):
        unregister_source("tiny-kv")


def test_a_name_saved_by_another_process_can_be_unregistered_here(cache_folder):
    _in_another_process("from sklearn_embed.sources import Vectors, register_source\n"
                        "import numpy as np\n"
                        "register_source('eye', Vectors(np.eye(2), ['a', 'b'], 'eye'))\n")
    assert "eye" in available_sources()
    unregister_source("eye")
    assert not (cache_folder / "registered" / "eye").exists()


def test_a_word_with_a_line_break_is_refused_unless_kept_in_memory(cache_folder):
    vectors = Vectors(np.eye(3, dtype=np.float32), ["a", "two\nlines", "c"], "broken")
    with pytest.raises(ValueError, match=r"register_source: word 1 of 'broken' \('two\\nlines'\) "
                                         r"contains a line break.*pass persist=False"):
        register_source("broken", vectors)
    assert not (cache_folder / "registered" / "broken").exists()
    register_source("broken", vectors, persist=False)
    assert load_source("broken") is vectors


def test_vectors_for_unknown_words_are_refused_unless_kept_in_memory():
    vectors = Vectors(np.eye(2, dtype=np.float32), ["a", "b"], "subwords",
                      oov=lambda words: np.zeros((len(words), 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"the vectors of 'subwords' build vectors for unknown "
                                         r"words \(fastText subwords\).*kv\.save\('subwords\.kv'\)"
                                         r".*pass persist=False"):
        register_source("subwords", vectors)
    register_source("subwords", vectors, persist=False)


def test_a_failed_write_leaves_nothing_behind(cache_folder, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(np, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        register_source("tiny-kv", tiny_kv())
    assert list((cache_folder / "registered").iterdir()) == []
    assert "tiny-kv" not in available_sources()


def test_damaged_files_are_detected(cache_folder):
    register_source("tiny-kv", tiny_kv())
    _as_if_in_a_new_process()
    np.save(cache_folder / "registered" / "tiny-kv" / "vectors.npy",
            tiny_kv(seed=1).vectors)
    with pytest.raises(ValueError, match=r"The registered source 'tiny-kv' in .* is damaged: "
                                         r"its vectors have the checksum \w+, not the \w+ "
                                         r"recorded at registration\. Remove it with "
                                         r"unregister_source\('tiny-kv'\)"):
        load_source("tiny-kv")
    (cache_folder / "registered" / "tiny-kv" / "meta.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="is damaged: its meta.json cannot be read"):
        load_source("tiny-kv")


def test_a_name_that_is_also_a_file_here_is_refused(tiny_vectors_file, monkeypatch):
    monkeypatch.chdir(tiny_vectors_file.parent)
    register_source("tiny_glove.txt", tiny_kv())
    with pytest.raises(ValueError, match=r"source='tiny_glove.txt' is both a registered name and "
                                         r"a file .*; give the file as '\./tiny_glove\.txt', or "
                                         r"call unregister_source\('tiny_glove\.txt'\)"):
        load_source("tiny_glove.txt")
    assert load_source("./tiny_glove.txt").vector_size == 8
    _as_if_in_a_new_process()
    with pytest.raises(ValueError, match="is both a registered name and a file"):
        load_source("tiny_glove.txt")


def test_the_cache_folder_defaults_to_the_users_cache(monkeypatch, tmp_path):
    from sklearn_embed.sources._persisted import cache_home

    monkeypatch.delenv("SKLEARN_EMBED_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_home() == tmp_path / ".cache" / "sklearn_embed"
