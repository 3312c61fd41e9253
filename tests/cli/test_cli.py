"""Tests of the ``sklearn-embed`` command line, on tiny files made in tmp_path."""

import os
import re
import sys

import joblib
import numpy as np
import pandas as pd
import pytest

from sklearn_embed.cli import _pipelines, build_parser, main
from sklearn_embed.persistence import load

from .helpers import FAST, LABELS, SPLITS, TEXTS, assert_png, error_of

# -- round trips ------------------------------------------------------------

def test_logreg_round_trip(tmp_path, reviews_csv, capsys):
    model = tmp_path / "model.sklembed"
    assert main(["fit", str(reviews_csv), "--out", str(model)]) == 0
    out = capsys.readouterr().out
    assert "32 rows with split == 'train'" in out
    assert "on 25 rows, 7 held out for validation" in out
    # A line before each step says what it does and on how many rows.
    assert re.search(r"Cleaning 25 rows \(TextCleaner\)\n  done in [\d.]+ s\n"
                     r"Embedding 25 rows \(EmbeddingVectorizer\)\n  done in [\d.]+ s\n"
                     r"Fitting LogisticRegression on 25 rows\n  done in [\d.]+ s\n"
                     r"Predicting 7 rows \(TextCleaner -> EmbeddingVectorizer -> "
                     r"LogisticRegression\)\nPredicted 7 rows in", out)
    assert re.search(r"accuracy  \d\.\d{4}\nmacro-F1  \d\.\d{4}", out)
    assert "precision    recall  f1-score" in out
    assert f"Model saved to {model} (safe format)" in out
    assert load(model).predict(["a wonderful film"])[0] in ("pos", "neg")

    matrix = tmp_path / "cm.png"
    argv = ["evaluate", str(model), str(reviews_csv), "--confusion-matrix", str(matrix)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "8 rows with split == 'test'" in out and "macro-F1" in out
    assert_png(matrix)

    predictions = tmp_path / "predictions.csv"
    argv = ["predict", str(model), str(reviews_csv), "--out", str(predictions)]
    assert main(argv) == 0
    frame = pd.read_csv(predictions)
    assert list(frame.columns) == ["row", "prediction", "probability", "known_tokens"]
    assert frame["row"].tolist() == list(range(1, 41))
    assert set(frame["prediction"]) <= {"pos", "neg"}
    assert frame["probability"].between(0.5, 1).all()


# The cnn in the safe format (its history comes back for --learning-curves), the
# lstm pickled and read back with --trust-pickle.
@pytest.mark.parametrize("head, suffix, trust", [
    ("cnn", ".sklembed", []), ("lstm", ".joblib", ["--trust-pickle"]),
])
def test_neural_round_trip(head, suffix, trust, tmp_path, reviews_csv, capsys):
    model = tmp_path / f"{head}{suffix}"
    argv = ["fit", str(reviews_csv), "--head", head, "--fine-tune", *FAST, "--out", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    # skorch's epoch table, then the validation report.
    assert re.search(r"epoch\s+train_loss\s+valid_acc\s+valid_loss", out)
    assert "Validation (7 rows held out" in out
    fitted = load(model) if suffix == ".sklembed" else joblib.load(model)
    assert fitted[-1].freeze is False and fitted[-1].max_epochs == 1
    assert fitted[1].maxlen == 12

    curves, matrix = tmp_path / "curves.png", tmp_path / "cm.png"
    argv = ["evaluate", str(model), str(reviews_csv), *trust,
            "--learning-curves", str(curves), "--confusion-matrix", str(matrix)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Learning curves saved to" in out and "Confusion matrix saved to" in out
    assert_png(curves)
    assert_png(matrix)

    predictions = tmp_path / "predictions.parquet"
    argv = ["predict", str(model), str(reviews_csv), *trust, "--out", str(predictions)]
    assert main(argv) == 0
    frame = pd.read_parquet(predictions)
    assert len(frame) == 40 and frame["probability"].notna().all()


def test_parquet_without_split_column_uses_all_rows(tmp_path, capsys):
    data = tmp_path / "reviews.parquet"
    # Integer labels must come back as integers.
    pd.DataFrame({"review": TEXTS, "stars": [1] * 20 + [0] * 20}).to_parquet(data)
    model = tmp_path / "model.sklembed"
    argv = ["fit", str(data), "--text-column", "review", "--label-column", "stars",
            "--validation-size", "0", "--out", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "all 40 rows" in out and "on 40 rows" in out and "Validation" not in out
    argv = ["evaluate", str(model), str(data), "--text-column", "review",
            "--label-column", "stars"]
    assert main(argv) == 0
    assert "all 40 rows" in capsys.readouterr().out
    predictions = tmp_path / "predictions.csv"
    argv = ["predict", str(model), str(data), "--text-column", "review", "--out",
            str(predictions)]
    assert main(argv) == 0
    assert set(pd.read_csv(predictions)["prediction"]) <= {0, 1}


# -- rows without text ------------------------------------------------------

def test_predict_reports_and_keeps_rows_without_text(tmp_path, logreg_model, capsys):
    texts = list(TEXTS)
    texts[3] = None
    texts[17] = np.nan
    texts[20] = "   "  # blank but present: predicted
    data = tmp_path / "new.parquet"
    pd.DataFrame({"text": texts}).to_parquet(data)
    out_path = tmp_path / "predictions.csv"
    assert main(["predict", str(logreg_model), str(data), "--out", str(out_path)]) == 0
    err = capsys.readouterr().err
    # Row numbers from 1, the header not counted: row 4 is the 4th data row.
    assert "2 rows have no text and were not predicted: 4, 18" in err
    frame = pd.read_csv(out_path)
    assert frame["row"].tolist() == list(range(1, 41))
    assert frame.loc[frame["prediction"].isna(), "row"].tolist() == [4, 18]
    assert frame.loc[[3, 17], "probability"].isna().all()
    assert frame.loc[[3, 17], "known_tokens"].isna().all()


def test_fit_leaves_out_rows_without_text_or_label(tmp_path, capsys):
    data = tmp_path / "reviews.csv"
    labels = list(LABELS)
    labels[5] = None
    texts = list(TEXTS)
    texts[30] = ""  # an empty CSV cell is read as missing
    pd.DataFrame({"text": texts, "label": labels}).to_csv(data, index=False)
    argv = ["fit", str(data), "--validation-size", "0", "--out", str(tmp_path / "m.sklembed")]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "2 rows have no text or no label and were left out: 6, 31" in captured.err
    assert "on 38 rows" in captured.out


# -- named datasets ---------------------------------------------------------

def test_named_dataset_reads_the_data_home(tmp_path, capsys):
    home = tmp_path / "data"
    home.mkdir()
    pd.DataFrame({
        "split": SPLITS, "text": TEXTS, "label": LABELS, "rating": [9] * 20 + [2] * 20,
    }).to_parquet(home / "imdb.parquet")
    model = tmp_path / "imdb.sklembed"
    argv = ["fit", "imdb", "--data-home", str(home), "--out", str(model)]
    assert main(argv) == 0
    assert "imdb, train split, 32 rows" in capsys.readouterr().out
    assert main(["evaluate", str(model), "imdb", "--data-home", str(home)]) == 0
    assert "imdb, test split, 8 rows" in capsys.readouterr().out
    predictions = tmp_path / "predictions.csv"
    argv = ["predict", str(model), "imdb", "--data-home", str(home), "--out", str(predictions)]
    assert main(argv) == 0
    assert len(pd.read_csv(predictions)) == 8


def test_demo_still_runs(tmp_path, capsys):
    home = tmp_path / "data"
    home.mkdir()
    pd.DataFrame({
        "split": SPLITS, "text": TEXTS, "label": LABELS, "rating": [9] * 20 + [2] * 20,
    }).to_parquet(home / "imdb.parquet")
    out = tmp_path / "demo.joblib"
    assert main(["demo", "--data-home", str(home), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "IMDB: 32 train / 8 test reviews" in printed
    assert "Test accuracy (IMDB test split, 8 reviews)" in printed
    assert out.is_file()


# -- errors -----------------------------------------------------------------

def test_missing_data_file(tmp_path, capsys):
    err = error_of(capsys, ["fit", str(tmp_path / "nope.csv")])
    assert re.search(r"sklearn-embed fit: error: DATA file not found: '.*nope\.csv'", err)


def test_unknown_named_dataset_lists_the_names(capsys):
    err = error_of(capsys, ["fit", "imbd"])
    assert re.search(r"unknown dataset 'imbd'.*named datasets: imdb .*20newsgroups .*"
                     r"tweets .*tweets3 ", err)


def test_missing_named_dataset_gives_the_command_line_fix(tmp_path, capsys):
    err = error_of(capsys, ["fit", "imdb", "--data-home", str(tmp_path)])
    assert re.search(r"imdb\.parquet\. Pass --data-home DIR", err)


@pytest.mark.parametrize("command", ["fit", "evaluate", "predict"])
def test_unknown_column_lists_the_columns(command, reviews_csv, logreg_model, tmp_path, capsys):
    argv = {
        "fit": ["fit", str(reviews_csv), "--label-column", "sentiment"],
        "evaluate": ["evaluate", str(logreg_model), str(reviews_csv), "--text-column", "body"],
        "predict": ["predict", str(logreg_model), str(reviews_csv), "--text-column", "body",
                    "--out", str(tmp_path / "p.csv")],
    }[command]
    err = error_of(capsys, argv)
    assert re.search(r"has no column '(sentiment|body)' \(--(label|text)-column\); "
                     r"available columns: 'split', 'text', 'label'\.", err)


def test_unreadable_model_file(tmp_path, reviews_csv, capsys):
    garbage = tmp_path / "model.joblib"
    garbage.write_bytes(b"not a pickle at all")
    err = error_of(capsys, ["evaluate", str(garbage), str(reviews_csv), "--trust-pickle"])
    assert re.search(r"cannot read the model file '.*model\.joblib'", err)
    garbage = garbage.rename(tmp_path / "model.sklembed")
    err = error_of(capsys, ["evaluate", str(garbage), str(reviews_csv), "--trust-pickle"])
    assert re.search(r"cannot read the model file '.*model\.sklembed': .* is not a model in "
                     r"sklearn_embed's safe format \(not a zip archive\)", err)
    err = error_of(capsys, ["predict", str(tmp_path / "absent.joblib"), str(reviews_csv),
                            "--out", str(tmp_path / "p.csv")])
    assert re.search(r"model file not found: '.*absent\.joblib'", err)


def test_learning_curves_need_a_neural_head(tmp_path, logreg_model, reviews_csv, capsys):
    curves = tmp_path / "curves.png"
    argv = ["evaluate", str(logreg_model), str(reviews_csv), "--learning-curves", str(curves)]
    err = error_of(capsys, argv)
    assert re.search(r"--learning-curves needs a neural head .*LogisticRegression", err)
    assert not curves.exists()


def test_unknown_source(reviews_csv, capsys):
    err = error_of(capsys, ["fit", str(reviews_csv), "--source", "glove-7b"])
    assert re.search(r"--source 'glove-7b': Unknown embedding source", err)


def test_validation_split_too_small_to_stratify(tmp_path, capsys):
    data = tmp_path / "few.csv"
    pd.DataFrame({"text": TEXTS[:3], "label": ["pos", "pos", "neg"]}).to_csv(data, index=False)
    err = error_of(capsys, ["fit", str(data), "--out", str(tmp_path / "m.sklembed")])
    assert re.search(r"cannot hold out --validation-size 0.2 of 3 rows", err)


@pytest.mark.parametrize("argv, message", [
    (["fit", "x.csv", "--head", "svm"], r"invalid choice: 'svm'"),
    (["fit", "x.csv", "--max-epochs", "0"], r"expected a positive integer, got '0'"),
    (["fit", "x.csv", "--validation-size", "1"], r"expected a number in \[0, 1\)"),
    (["fit", "x.csv", "--freeze", "--fine-tune"], r"not allowed with argument"),
    (["fit", "x.csv", "--format", "pickle"], r"invalid choice: 'pickle'"),
    (["predict", "m.joblib", "x.csv"], r"the following arguments are required: --out"),
])
def test_bad_options_exit_with_status_2(argv, message, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    assert excinfo.value.code == 2
    assert re.search(message, capsys.readouterr().err)


# -- options ----------------------------------------------------------------

@pytest.mark.parametrize("flags, freeze", [
    ([], 1), (["--freeze"], True), (["--fine-tune"], False), (["--unfreeze-after", "2"], 2),
])
def test_freeze_options_reach_the_head(flags, freeze):
    args = build_parser().parse_args(["fit", "x.csv", "--head", "lstm", *flags])
    pipe, _ = _pipelines.build_pipeline(args, TEXTS)
    assert pipe[-1].freeze == freeze and pipe[-1].max_epochs == 30 and pipe[-1].verbose == 1


def test_neural_options_with_logreg_are_reported(tmp_path, reviews_csv, capsys):
    argv = ["fit", str(reviews_csv), "--fine-tune", "--max-epochs", "3",
            "--out", str(tmp_path / "m.sklembed")]
    assert main(argv) == 0
    assert re.search(r"--max-epochs, --freeze/--fine-tune/--unfreeze-after only apply to "
                     r"the lstm and cnn heads", capsys.readouterr().err)


@pytest.mark.parametrize("command", ["fit", "evaluate", "predict", "demo", "download"])
def test_help_documents_every_option(command, capsys):
    parser = build_parser()
    with pytest.raises(SystemExit) as excinfo:
        parser.parse_args([command, "--help"])
    assert excinfo.value.code == 0
    text = capsys.readouterr().out
    subparser = parser._subparsers._group_actions[0].choices[command]
    # A description and an example, besides the one-line summary of the main help.
    assert subparser.description and subparser.description in text
    assert "example" in subparser.epilog
    for action in subparser._actions:
        assert action.help, action
        for option in action.option_strings:
            assert option in text


# -- the safe format and pickles --------------------------------------------

_REFUSAL = (r"the model file '.*model\.joblib' is not in the safe format \(\.sklembed\), so "
            r"reading it means unpickling, and unpickling runs code; only load files you "
            r"trust: pass --trust-pickle, or save with --format safe\.")


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_a_pickle_is_refused_without_trust_pickle(command, pickled_model, reviews_csv, tmp_path,
                                                  capsys):
    out = tmp_path / "p.csv"
    argv = [command, str(pickled_model), str(reviews_csv)]
    err = error_of(capsys, argv + (["--out", str(out)] if command == "predict" else []))
    assert re.search(rf"sklearn-embed {command}: error: {_REFUSAL}", err)
    assert not out.exists()


def test_trust_pickle_loads_a_pickle(pickled_model, reviews_csv, tmp_path, capsys):
    assert main(["evaluate", str(pickled_model), str(reviews_csv), "--trust-pickle"]) == 0
    assert "macro-F1" in capsys.readouterr().out
    out = tmp_path / "p.csv"
    argv = ["predict", str(pickled_model), str(reviews_csv), "--trust-pickle", "--out", str(out)]
    assert main(argv) == 0
    assert len(pd.read_csv(out)) == 40


def test_format_safe_is_the_default_name_and_a_safe_model_needs_no_flag(
        tmp_path, reviews_csv, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = ["fit", str(reviews_csv), "--format", "safe", "--validation-size", "0"]
    assert main(argv) == 0
    assert "Model saved to model.sklembed (safe format)" in capsys.readouterr().out
    argv = ["predict", "model.sklembed", str(reviews_csv), "--out", "p.parquet"]
    assert main(argv) == 0
    assert set(pd.read_parquet(tmp_path / "p.parquet")["prediction"]) <= {"pos", "neg"}


def test_format_must_match_the_out_extension(tmp_path, reviews_csv, capsys):
    argv = ["fit", str(reviews_csv), "--format", "safe", "--out", str(tmp_path / "m.joblib")]
    err = error_of(capsys, argv)
    assert re.search(r"--out '.*m\.joblib' is a joblib file name, but --format is safe: a safe "
                     r"model file ends in \.sklembed\.", err)
    assert "Read" not in capsys.readouterr().out


def test_a_safe_file_with_an_untrusted_type_is_refused(tmp_path, reviews_csv, capsys):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from sklearn_embed.persistence import dump

    function = f"{os.system.__module__}.system"
    model = tmp_path / "model.sklembed"
    dump(make_pipeline(FunctionTransformer(os.system)), model, trusted=[function])
    err = error_of(capsys, ["evaluate", str(model), str(reviews_csv), "--trust-pickle"])
    assert re.search(rf"refusing to load the model file '.*model\.sklembed': .* holds "
                     rf"{function}, not in sklearn_embed\.persistence\.TRUSTED_TYPES", err)


def test_format_safe_without_the_extra_fails_before_any_work(monkeypatch, reviews_csv, tmp_path,
                                                             capsys):
    monkeypatch.setitem(sys.modules, "skops", None)  # as if skops were not installed
    err = error_of(capsys, ["fit", str(reviews_csv), "--out", str(tmp_path / "m.sklembed")])
    assert re.search(r"--format safe needs the optional package 'skops'.*pip install "
                     r"\"sklearn_embed\[safe\]\"", err)
    assert capsys.readouterr().out == ""


# -- output paths, checked before any work ----------------------------------

def _output_argv(option, path, reviews_csv, model):
    """A command line that writes ``path`` through ``option``."""
    return {
        "fit --out": ["fit", str(reviews_csv), "--out", path],
        "demo --out": ["demo", "--out", path],
        "predict --out": ["predict", str(model), str(reviews_csv), "--out", path],
        "--confusion-matrix": ["evaluate", str(model), str(reviews_csv),
                               "--confusion-matrix", path],
        "--learning-curves": ["evaluate", str(model), str(reviews_csv),
                              "--learning-curves", path],
    }[option]


_OUTPUTS = {  # option -> a good file name for it
    "fit --out": "m.sklembed", "demo --out": "m.joblib", "predict --out": "p.csv",
    "--confusion-matrix": "cm.png", "--learning-curves": "curves.png",
}


@pytest.mark.parametrize("option", list(_OUTPUTS))
@pytest.mark.parametrize("case, message", [
    ("folder", r" is a folder; give a file name ending in "),
    ("missing parent", r": the folder '.*absent' does not exist; create it first or choose "
                       r"another path\."),
    ("under a file", r": '.*notes\.txt' is a file, not a folder; choose another path\."),
    ("extension", r" must end in "),
])
def test_bad_output_paths_fail_before_any_work(option, case, message, tmp_path, reviews_csv,
                                               logreg_model, capsys):
    (tmp_path / "notes.txt").write_text("not a folder")
    name = _OUTPUTS[option]
    path = {
        "folder": tmp_path,
        "missing parent": tmp_path / "absent" / name,
        "under a file": tmp_path / "notes.txt" / name,
        "extension": tmp_path / "output.txt",
    }[case]
    flag = option.split()[-1]
    err = error_of(capsys, _output_argv(option, str(path), reviews_csv, logreg_model))
    assert re.search(rf"error: {flag} '{re.escape(str(path))}'{message}", err), err
    # Nothing was read, loaded or fitted.
    assert capsys.readouterr().out == ""
    assert not (tmp_path / "absent").exists()


def test_an_unwritable_folder_fails_before_any_work(tmp_path, reviews_csv, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):
        # Root writes through the mode bits (the tests run as root in CI): the
        # folder is then read-only only to the check, which is what is tested.
        access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: (
            False if str(path) == str(locked) else access(path, mode)))
    try:
        err = error_of(capsys, ["fit", str(reviews_csv), "--out", str(locked / "m.sklembed")])
    finally:
        locked.chmod(0o700)
    assert re.search(r"--out '.*locked/m\.sklembed': the folder '.*locked' is not writable; "
                     r"choose another path\.", err)
    assert "Fitting" not in capsys.readouterr().out


def test_a_bad_out_is_reported_before_fitting(tmp_path, reviews_csv, capsys):
    argv = ["fit", str(reviews_csv), "--head", "cnn", *FAST,
            "--out", str(tmp_path / "absent" / "cnn.sklembed")]
    err = error_of(capsys, argv)
    assert "the folder" in err and "does not exist" in err
    out = capsys.readouterr().out
    assert "Fitting" not in out and "Read" not in out


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, logreg_model, reviews_csv,
                                                  monkeypatch, capsys):
    out = tmp_path / "predictions.csv"
    out.write_text("the old predictions\n")

    def crash(frame, path, **kwargs):
        with open(path, "w") as fh:
            fh.write("row,predic")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", crash)
    argv = ["predict", str(logreg_model), str(reviews_csv), "--out", str(out)]
    err = error_of(capsys, argv)
    assert re.search(r"cannot write --out '.*predictions\.csv': .*No space left on device", err)
    assert out.read_text() == "the old predictions\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.csv", "reviews.csv"]


def test_outputs_replace_existing_files(tmp_path, logreg_model, reviews_csv, capsys):
    out = tmp_path / "predictions.csv"
    out.write_text("old\n")
    assert main(["predict", str(logreg_model), str(reviews_csv), "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.csv", "reviews.csv"]
