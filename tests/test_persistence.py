"""Tests of sklearn_embed.persistence: the safe (.sklembed) format, which never unpickles."""

import importlib
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_embed import EmbeddingVectorizer, SequenceIndexer, TextCleaner
from sklearn_embed.persistence import (
    SUFFIX,
    TRUSTED_HEADS,
    TRUSTED_TYPES,
    UntrustedTypeError,
    atomic_output,
    dump,
    is_safe_file,
    load,
)
from tests.conftest import CORPUS, LABELS

pytest.importorskip("skops")
torch = pytest.importorskip("torch")
pytest.importorskip("skorch")


class Shout(TransformerMixin, BaseEstimator):
    """A user's own transformer: a type the safe format does not know."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [text.upper() for text in X]


def _cnn():
    from sklearn_embed import CNNClassifier

    # train_split=0.5: the 8 documents leave 4 for the validation columns of the history.
    return CNNClassifier(max_epochs=1, random_state=0, num_filters=4, train_split=0.5)


@pytest.fixture(scope="module")
def logreg():
    return make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d"),
                         LogisticRegression()).fit(CORPUS, LABELS)


@pytest.fixture(scope="module")
def cnn():
    return make_pipeline(TextCleaner(), SequenceIndexer(maxlen=12), _cnn()).fit(CORPUS, LABELS)


_FRESH_PROCESS = """
import pickle, sys
import numpy as np

def refuse(*args, **kwargs):
    raise AssertionError("persistence.load unpickled")

class Refuse(pickle.Unpickler):  # a class: skorch subclasses pickle.Unpickler on import
    __init__ = refuse

from sklearn_embed.persistence import load
corpus = {corpus!r}
for name in sys.argv[1:]:
    # Only while loading: the embedding source is reloaded by name afterwards.
    saved = pickle.load, pickle.loads, pickle.Unpickler
    pickle.load, pickle.loads, pickle.Unpickler = refuse, refuse, Refuse
    try:
        model = load(name + ".sklembed")
    finally:
        pickle.load, pickle.loads, pickle.Unpickler = saved
    np.save(name + ".npy", model.predict_proba(corpus), allow_pickle=False)
"""


def test_round_trip_in_a_fresh_process_is_exact(tmp_path, logreg, cnn):
    for name, model in (("logreg", logreg), ("cnn", cnn)):
        dump(model, tmp_path / f"{name}{SUFFIX}")
    script = tmp_path / "load.py"
    script.write_text(_FRESH_PROCESS.format(corpus=CORPUS))
    subprocess.run([sys.executable, str(script), str(tmp_path / "logreg"), str(tmp_path / "cnn")],
                   check=True, cwd=tmp_path, timeout=300)
    for name, model in (("logreg", logreg), ("cnn", cnn)):
        np.testing.assert_array_equal(np.load(tmp_path / f"{name}.npy"),
                                      model.predict_proba(CORPUS))


def test_head_comes_back_with_its_params_state_and_history(tmp_path, cnn):
    dump(cnn, tmp_path / "cnn.sklembed")
    before = torch.random.get_rng_state()
    loaded = load(tmp_path / "cnn.sklembed")
    assert torch.equal(torch.random.get_rng_state(), before)
    head, saved = loaded[-1], cnn[-1]
    assert type(head) is type(saved)
    assert head.get_params(deep=False) == saved.get_params(deep=False)
    # Every attribute of the fitted head is back (a new one would be caught here).
    assert sorted(vars(head)) == sorted(vars(saved))
    assert head.classes_.tolist() == ["neg", "pos"]
    assert (head.num_embeddings_, head.n_outputs_) == (saved.num_embeddings_, saved.n_outputs_)
    assert [row["valid_loss"] for row in head.history_] == [
        row["valid_loss"] for row in saved.history_]
    for key, tensor in saved.module_.state_dict().items():
        assert torch.equal(head.module_.state_dict()[key], tensor)
    np.testing.assert_array_equal(loaded.predict(CORPUS), cnn.predict(CORPUS))
    # The caller's model is untouched by dump.
    assert cnn[-1] is saved and hasattr(saved, "module_")


def test_trained_source_and_regressor_head(tmp_path):
    from sklearn_embed import LSTMRegressor

    model = make_pipeline(
        TextCleaner(), SequenceIndexer("random-8", maxlen=12, random_state=0),
        LSTMRegressor(max_epochs=1, random_state=0, train_split=None),
    ).fit(CORPUS, np.linspace(0, 1, len(CORPUS)))
    dump(model, tmp_path / "lstm.sklembed")
    np.testing.assert_array_equal(load(tmp_path / "lstm.sklembed").predict(CORPUS),
                                  model.predict(CORPUS))


@pytest.mark.parametrize("name", ["lexicon", "nb", "union with word2vec"])
def test_the_other_text_estimators_round_trip(name, tmp_path):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import make_union

    from sklearn_embed import LexiconSentiment, NBFeatureWeighter

    steps = {
        "lexicon": [TextCleaner(), LexiconSentiment()],
        "nb": [CountVectorizer(), NBFeatureWeighter()],
        # A trained source is fitted state: its Vectors are saved with the vectorizer.
        "union with word2vec": [TextCleaner(), make_union(
            EmbeddingVectorizer("word2vec-8", random_state=0), LexiconSentiment())],
    }[name]
    model = make_pipeline(*steps, LogisticRegression()).fit(CORPUS, LABELS)
    dump(model, tmp_path / "model.sklembed")
    np.testing.assert_array_equal(load(tmp_path / "model.sklembed").predict_proba(CORPUS),
                                  model.predict_proba(CORPUS))


def test_unfitted_pipeline_round_trip(tmp_path):
    model = make_pipeline(TextCleaner(), SequenceIndexer(maxlen=12), _cnn())
    dump(model, tmp_path / "unfitted.sklembed")
    loaded = load(tmp_path / "unfitted.sklembed")
    assert not hasattr(loaded[-1], "module_")
    assert loaded[-1].get_params(deep=False) == model[-1].get_params(deep=False)


def test_a_head_alone_round_trips(tmp_path):
    X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    from sklearn_embed import CNNClassifier

    head = CNNClassifier(num_filters=4, pretrained=False, max_epochs=1, train_split=None,
                         random_state=0)
    head.fit(X, [0, 1, 0, 1])
    dump(head, tmp_path / "head.sklembed")
    np.testing.assert_array_equal(load(tmp_path / "head.sklembed").predict_proba(X),
                                  head.predict_proba(X))


# -- what is refused --------------------------------------------------------

def test_load_refuses_a_type_outside_the_trusted_list(tmp_path):
    model = make_pipeline(Shout(), TextCleaner()).fit(CORPUS)
    path = tmp_path / "shout.sklembed"
    dump(model, path, trusted=["tests.test_persistence.Shout"])
    with pytest.raises(UntrustedTypeError, match=r"holds tests\.test_persistence\.Shout, not in "
                       r"sklearn_embed\.persistence\.TRUSTED_TYPES; .*Load only files you trust"):
        load(path)
    assert load(path, trusted=["tests.test_persistence.Shout"]).transform(["ok"]) == ["ok"]


def test_load_refuses_a_function_that_runs_commands(tmp_path):
    function = f"{os.system.__module__}.system"
    path = tmp_path / "system.sklembed"
    dump(make_pipeline(FunctionTransformer(os.system)), path, trusted=[function])
    with pytest.raises(UntrustedTypeError, match=rf"holds {function}, not in"):
        load(path)


def test_dump_refuses_a_type_outside_the_trusted_list(tmp_path):
    path = tmp_path / "shout.sklembed"
    with pytest.raises(UntrustedTypeError, match=r"the model holds tests\.test_persistence\.Shout"
                       r", not in sklearn_embed\.persistence\.TRUSTED_TYPES; pass trusted="):
        dump(make_pipeline(Shout(), TextCleaner()), path)
    assert not path.exists()


def test_dump_refuses_a_skorch_net_that_is_not_a_head(tmp_path):
    from skorch import NeuralNetClassifier

    net = NeuralNetClassifier(torch.nn.Linear)
    with pytest.raises(UntrustedTypeError, match=r"the model is a skorch\.classifier\."
                       r"NeuralNetClassifier; the safe format saves the neural heads CNN"):
        dump(net, tmp_path / "net.sklembed")


def test_dump_refuses_a_head_elsewhere_than_in_a_pipeline(tmp_path):
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(make_pipeline(SequenceIndexer(maxlen=12), _cnn()),
                          {"cnnclassifier__lr": [0.01]})
    with pytest.raises(UntrustedTypeError, match=r"this GridSearchCV holds a CNNClassifier "
                       r"elsewhere than as a Pipeline step; .*best_estimator_"):
        dump(search, tmp_path / "search.sklembed")


def _rewrite(path, member, change):
    """Copy the archive at ``path`` with ``member`` passed through ``change``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _edit_manifest(path, edit):
    def change(data):
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    _rewrite(path, "manifest.json", change)


def test_load_refuses_a_head_outside_the_trusted_heads(tmp_path, cnn):
    path = tmp_path / "cnn.sklembed"
    dump(cnn, path)
    _edit_manifest(path, lambda manifest: manifest["heads"][0].update({"class": "Evil"}))
    with pytest.raises(UntrustedTypeError, match=r"names the head 'Evil', which is not one of "
                       r"the trusted heads \(CNNClassifier, "):
        load(path)


def test_load_refuses_unknown_head_attributes(tmp_path):
    model = make_pipeline(TextCleaner(), SequenceIndexer(maxlen=12), _cnn())
    path = tmp_path / "cnn.sklembed"
    # A file whose head record sets more than a head learns.
    record = {"params": model[-1].get_params(deep=False), "fitted": {"forward": 1},
              "history": None}
    from sklearn_embed.persistence import _replace_step

    dump(_replace_step(model, ("cnnclassifier",), record), path)
    _edit_manifest(path, lambda manifest: manifest["heads"].append(
        {"step": ["cnnclassifier"], "class": "CNNClassifier", "weights": None,
         "embedding_dim": None}))
    with pytest.raises(ValueError, match=r"sets unknown head attributes \['forward'\]"):
        load(path)


@pytest.mark.parametrize("step, record, message", [
    (["textcleaner"], None, r"is damaged: no head at the step \('textcleaner',\)"),
    (["cnnclassifier"], {"params": None}, r"is damaged: the CNNClassifier has no params or "
                                          r"fitted state"),
])
def test_load_refuses_a_damaged_head(tmp_path, step, record, message):
    model = make_pipeline(TextCleaner(), _cnn())
    if record is not None:
        from sklearn_embed.persistence import _replace_step

        model = _replace_step(model, tuple(step), record)
    path = tmp_path / "damaged.sklembed"
    dump(model if record is not None else model[:1], path)
    _edit_manifest(path, lambda manifest: manifest["heads"].append(
        {"step": step, "class": "CNNClassifier", "weights": None, "embedding_dim": None}))
    with pytest.raises(ValueError, match=message):
        load(path)


def test_load_refuses_weights_that_do_not_fit(tmp_path, cnn):
    path = tmp_path / "cnn.sklembed"
    dump(cnn, path)
    _edit_manifest(path, lambda manifest: manifest["heads"][0].update({"embedding_dim": 7}))
    with pytest.raises(ValueError, match=r"the weights of the CNNClassifier in .* do not fit "
                       r"its module"):
        load(path)


@pytest.mark.parametrize("content, message", [
    (None, r"is not a model in sklearn_embed's safe format \(not a zip archive\); write one "
           r"with sklearn_embed\.persistence\.dump"),
    ({"format": "other"}, r"is not a model in sklearn_embed's safe format \(no valid "
                          r"manifest\.json\)"),
    ({"format": "sklearn_embed-safe", "format_version": 99},
     r"is in version 99 of the safe format; this sklearn_embed reads version 1\. Upgrade"),
    ({"format": "sklearn_embed-safe", "format_version": 1, "heads": []},
     r"is damaged: .*model\.skops"),
])
def test_load_refuses_other_files(tmp_path, logreg, content, message):
    path = tmp_path / "model.sklembed"
    if content is None:
        joblib.dump(logreg, path)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps(content))
    with pytest.raises(ValueError, match=message):
        load(path)


def test_is_safe_file(tmp_path, logreg):
    dump(logreg, tmp_path / "model.sklembed")
    joblib.dump(logreg, tmp_path / "model.joblib")
    assert is_safe_file(tmp_path / "model.sklembed")
    assert not is_safe_file(tmp_path / "model.joblib")
    assert not is_safe_file(tmp_path / "absent.sklembed")


def test_a_missing_safe_extra_names_its_install_line(monkeypatch, logreg, tmp_path):
    monkeypatch.setitem(sys.modules, "skops.io", None)  # as if skops were not installed
    with pytest.raises(ModuleNotFoundError, match=r"The safe model format needs the optional "
                       r"package 'skops'.*pip install \"sklearn_embed\[safe\]\""):
        dump(logreg, tmp_path / "m.sklembed")


# -- the lists and the writing ----------------------------------------------

@pytest.mark.parametrize("name", TRUSTED_TYPES)
def test_trusted_types_name_real_classes(name):
    # A class that moves must move here too, or loading its models would fail.
    module, _, qualname = name.rpartition(".")
    if module.startswith("sklearn_embed.text._sentence_encoder"):
        pytest.importorskip("sentence_transformers")
    cls = getattr(importlib.import_module(module), qualname)
    assert isinstance(cls, type) and f"{cls.__module__}.{cls.__qualname__}" == name


def test_trusted_heads_are_the_heads():
    from sklearn_embed import heads

    assert sorted(TRUSTED_HEADS) == sorted(
        name for name in heads.__all__ if name.endswith(("Classifier", "Regressor")))


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "model.sklembed"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="crash"):
        with atomic_output(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.sklembed"]


def test_atomic_output_keeps_the_suffix_and_usual_permissions(tmp_path):
    target = tmp_path / "predictions.csv"
    with atomic_output(target) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".csv"
        temporary.write_text("row\n")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_module_imports_without_torch():
    code = textwrap.dedent("""
        import sys
        import sklearn_embed.persistence
        assert "torch" not in sys.modules and "skops" not in sys.modules
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
