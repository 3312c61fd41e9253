"""Named datasets on the command line: a missing file, and ``download``."""

import re
import shlex
import subprocess
import sys
import urllib.error

import pytest
from sklearn.utils import Bunch

from sklearn_embed.cli import main
from sklearn_embed.datasets._registry import DATASETS

from .helpers import error_of


def _fix(home, name):
    return (rf"Pass --data-home DIR \(the folder holding it\) or set SKLEARN_EMBED_DATA to it, "
            rf"or fetch it into {re.escape(str(home))} with 'sklearn-embed download {name} "
            rf"--data-home {re.escape(shlex.quote(str(home)))}'\.")


def test_demo_without_imdb_says_how_to_get_it(tmp_path, capsys):
    err = error_of(capsys, ["demo", "--data-home", str(tmp_path)])
    assert re.fullmatch(
        rf"sklearn-embed demo: error: The IMDB dataset was not found; looked for "
        rf"{re.escape(str(tmp_path / 'imdb.parquet'))}\. {_fix(tmp_path, 'imdb')}\n", err)


def test_demo_without_imdb_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_embed", "demo", "--data-home", str(tmp_path),
         "--out", str(tmp_path / "demo.joblib")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "sklearn-embed download imdb" in result.stderr


@pytest.mark.parametrize("command", ["fit", "evaluate", "predict"])
def test_a_missing_named_dataset_is_one_line(command, tmp_path, logreg_model, capsys):
    home = tmp_path / "empty"
    home.mkdir()
    argv = {
        "fit": ["fit", "20newsgroups"],
        "evaluate": ["evaluate", str(logreg_model), "20newsgroups"],
        "predict": ["predict", str(logreg_model), "20newsgroups", "--out",
                    str(tmp_path / "p.csv")],
    }[command]
    err = error_of(capsys, [*argv, "--data-home", str(home)])
    assert re.search(r"The 20 Newsgroups dataset was not found; looked for .*"
                     r"20newsgroups\.parquet\. " + _fix(home, "20newsgroups"), err)


def test_a_dataset_that_cannot_be_downloaded_gets_no_download_advice(tmp_path, capsys):
    err = error_of(capsys, ["fit", "tweets3", "--data-home", str(tmp_path)])
    assert re.search(r"not found; looked for .*corona_tweets\.parquet\. Pass --data-home DIR "
                     r"\(the folder holding it\) or set SKLEARN_EMBED_DATA to it\.\n", err)
    assert "download" not in err


def test_the_advice_without_data_home_names_the_default_folder(tmp_path, monkeypatch,
                                                                capsys):
    monkeypatch.setenv("SKLEARN_EMBED_DATA", str(tmp_path))
    err = error_of(capsys, ["demo"])
    assert re.search(rf"or fetch it into {re.escape(str(tmp_path))} with 'sklearn-embed "
                     r"download imdb'\.\n", err)


# -- download -------------------------------------------------------------------

@pytest.fixture
def fake_imdb_loader(monkeypatch):
    """Replace the IMDB loader (the machine is offline); record its calls."""
    calls = []

    def load_imdb(data_home=None, *, download=False, **kwargs):
        calls.append({"data_home": data_home, "download": download})
        return Bunch(X_train=["a good film"] * 3, y_train=["pos"] * 3,
                     X_test=["a bad film"], y_test=["neg"])

    monkeypatch.setitem(DATASETS, "imdb", (load_imdb, {}, DATASETS["imdb"][2]))
    return calls


def test_download_calls_the_loader_with_download(fake_imdb_loader, tmp_path, capsys):
    assert main(["download", "imdb", "--data-home", str(tmp_path)]) == 0
    assert fake_imdb_loader == [{"data_home": str(tmp_path), "download": True}]
    out = capsys.readouterr().out
    assert f"Fetching the imdb dataset into {tmp_path}" in out
    assert f"imdb: 3 rows in the train split and 1 row in the test split, in {tmp_path}" in out


def test_download_without_network_is_one_line(monkeypatch, tmp_path, capsys):
    def offline(data_home=None, *, download=False, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setitem(DATASETS, "20newsgroups", (offline, {}, DATASETS["20newsgroups"][2]))
    err = error_of(capsys, ["download", "20newsgroups", "--data-home", str(tmp_path)])
    assert re.search(rf"sklearn-embed download: error: cannot download the 20newsgroups "
                     rf"dataset into {re.escape(str(tmp_path))}: <urlopen error .*name "
                     r"resolution>; check the network connection and that the folder is "
                     r"writable, or pass --data-home DIR\.", err)


@pytest.mark.parametrize("name", ["tweets", "mnist"])
def test_download_offers_only_the_downloadable_datasets(name, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["download", name])
    assert excinfo.value.code == 2
    assert re.search(rf"argument NAME: invalid choice: '{name}' \(choose from '?imdb'?, "
                     r"'?20newsgroups'?\)", capsys.readouterr().err)
