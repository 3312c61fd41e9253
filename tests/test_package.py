"""The package as a whole: public names, version, optional extras, global state."""

import importlib.metadata
import inspect
import subprocess
import sys

import numpy as np
import pytest

import sklearn_embed
from sklearn_embed._cache import ProcessCache


def test_every_public_name_is_importable_from_the_top_level():
    for name in sklearn_embed.__all__:
        assert getattr(sklearn_embed, name) is not None, name


def test_every_public_class_documents_the_top_level_import():
    for name in sklearn_embed.__all__:
        obj = getattr(sklearn_embed, name)
        if inspect.isclass(obj) and not issubclass(obj, Exception):
            assert f"from sklearn_embed import {name}" in obj.__doc__, name


def test_version_comes_from_the_installed_metadata():
    assert sklearn_embed.__version__ == importlib.metadata.version("sklearn_embed")


def test_subpackages_need_no_import_of_their_own():
    assert sklearn_embed.datasets.load_imdb is not None
    assert sklearn_embed.sources.load_source is not None


_BLOCK = """
import sys
class _Block:  # as if these packages were not installed
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, _Block())
"""


def _run(code, blocked=()):
    script = _BLOCK.format(blocked=set(blocked)) + code
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("blocked, code, extra", [
    ("torch", "import sklearn_embed; sklearn_embed.CNNClassifier", "nn"),
    ("skorch", "from sklearn_embed import LSTMClassifier", "nn"),
    ("vaderSentiment", "from sklearn_embed import LexiconSentiment; "
                       "LexiconSentiment().fit(['a'])", "lexicon"),
])
def test_a_missing_extra_names_its_install_line(blocked, code, extra):
    result = _run(code, blocked=[blocked])
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr
    assert f'pip install "sklearn_embed[{extra}]"' in result.stderr


def test_the_core_works_without_torch():
    code = ("from sklearn_embed import EmbeddingVectorizer, TextCleaner\n"
            "from sklearn_embed.utils import all_estimators\n"
            "X = EmbeddingVectorizer().fit_transform(TextCleaner().fit_transform(['a cat']))\n"
            "names = [n for n, _ in all_estimators()]\n"
            "assert 'CNNClassifier' not in names and 'TextCleaner' in names, names\n"
            "print(X.shape)")
    result = _run(code, blocked=["torch", "skorch"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 50)"


def test_fitting_a_head_does_not_reseed_the_callers_torch_generator():
    torch = pytest.importorskip("torch")
    from sklearn_embed import CNNClassifier

    X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    CNNClassifier(num_filters=2, max_epochs=1, train_split=None, random_state=0,
                  pretrained=False).fit(X, [0, 1, 0, 1])
    np.testing.assert_array_equal(torch.rand(3).numpy(), expected.numpy())


def test_seeded_head_fits_are_still_identical():
    pytest.importorskip("torch")
    from sklearn_embed import CNNClassifier

    X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])

    def fit():
        return CNNClassifier(num_filters=2, max_epochs=2, train_split=None,
                             random_state=0, pretrained=False).fit(X, [0, 1, 0, 1]).predict_proba(X)

    np.testing.assert_array_equal(fit(), fit())


def test_one_process_cache_serves_every_resource():
    from sklearn_embed.sources import _loading
    from sklearn_embed.text import _lexicon_sentiment, _sentence_encoder

    caches = [_loading._cache, _lexicon_sentiment._analyzers, _sentence_encoder._models]
    assert all(isinstance(cache, ProcessCache) for cache in caches)


def test_process_cache_loads_once_per_key():
    calls = []
    cache = ProcessCache("test")

    def load():
        calls.append(1)
        return object()

    first = cache.get("k", load)
    assert cache.get("k", load) is first and len(calls) == 1
    cache.clear()
    assert cache.get("k", load) is not first and len(calls) == 2


@pytest.mark.parametrize("blocked, argv, extra", [
    ("skorch", ["fit", "reviews.csv", "--head", "cnn"], "nn"),
    ("matplotlib", ["evaluate", "model.joblib", "imdb", "--confusion-matrix", "cm.png"],
     "plots"),
])
def test_the_cli_names_a_missing_extra_in_one_line(blocked, argv, extra):
    code = f"from sklearn_embed.cli import main; sys.exit(main({argv!r}))"
    result = _run(code, blocked=[blocked])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sklearn-embed {argv[0]}: error: ")
    assert f'pip install "sklearn_embed[{extra}]"' in lines[0]
