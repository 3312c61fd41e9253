"""``evaluate``: training rows are recognised, the confusion matrix reads right."""

import re

import joblib
import numpy as np
import pandas as pd
import pytest

from sklearn_embed.cli import _report, main
from sklearn_embed.cli._data import fingerprint
from sklearn_embed.persistence import load

from .helpers import FAST, LABELS, SPLITS, TEXTS, assert_png, write_reviews

_TRAINING = ("warning: these are the rows the model was fitted on: the scores are training "
             "scores, not a test. Evaluate on rows that fit did not read (a test split, "
             "another file) for a test.\n")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A model fitted on all the rows of a file without a split column (none held out)."""
    folder = tmp_path_factory.mktemp("fitted")
    data = folder / "train.csv"
    pd.DataFrame({"text": TEXTS, "label": LABELS}).to_csv(data, index=False)
    model = folder / "model.joblib"
    assert main(["fit", str(data), "--validation-size", "0", "--out", str(model)]) == 0
    return data, model


def _evaluate(capsys, model, data, *options):
    capsys.readouterr()
    assert main(["evaluate", str(model), str(data), "--trust-pickle", *options]) == 0
    return capsys.readouterr()


def test_fit_records_the_fingerprint_of_its_rows(fitted):
    data, model = fitted
    recorded = joblib.load(model).training_data_fingerprint_
    digest = fingerprint(TEXTS, LABELS)
    assert recorded == {"fitted": {"rows": 40, "blake2b": digest},
                        "train": {"rows": 40, "blake2b": digest}}


def test_the_safe_format_keeps_the_fingerprint(tmp_path, reviews_csv):
    model = tmp_path / "cnn.sklembed"
    argv = ["fit", str(reviews_csv), "--head", "cnn", *FAST, "--out", str(model)]
    assert main(argv) == 0
    recorded = load(model).training_data_fingerprint_
    assert recorded["fitted"]["rows"] == 25 and recorded["train"]["rows"] == 32


def test_evaluating_on_the_rows_fitted_on_warns(fitted, tmp_path, capsys):
    data, model = fitted
    assert _evaluate(capsys, model, data).err == _TRAINING
    # The same rows in another order, in another format: still the training rows.
    shuffled = tmp_path / "shuffled.parquet"
    pd.read_csv(data).sample(frac=1, random_state=0).to_parquet(shuffled)
    assert _evaluate(capsys, model, shuffled).err == _TRAINING


def test_other_rows_give_no_warning(fitted, tmp_path, capsys):
    data, model = fitted
    changed = tmp_path / "changed.csv"
    frame = pd.read_csv(data)
    frame.loc[0, "label"] = "neg"  # one label differs: not the rows fitted on
    frame.to_csv(changed, index=False)
    assert _evaluate(capsys, model, changed).err == ""
    fewer = tmp_path / "fewer.csv"
    frame.iloc[1:].to_csv(fewer, index=False)
    assert _evaluate(capsys, model, fewer).err == ""


def test_evaluating_on_the_training_rows_with_a_holdout_warns(tmp_path, capsys):
    # fit held 7 of the 32 train rows out; evaluate reads the same 32 (the test
    # split of a file without test rows is all its rows).
    data = tmp_path / "train.csv"
    pd.DataFrame({"text": TEXTS[:32], "label": LABELS[4:36]}).to_csv(data, index=False)
    model = tmp_path / "model.joblib"
    assert main(["fit", str(data), "--out", str(model)]) == 0
    err = _evaluate(capsys, model, data).err
    assert err == ("warning: these are the 32 rows that fit read for this model, and it was "
                   "fitted on 25 of them (the rest held out for its validation report): the "
                   "scores are mostly training scores, not a test. Evaluate on rows that fit "
                   "did not read (a test split, another file) for a test.\n")


def test_the_test_split_of_the_same_file_gives_no_warning(tmp_path, reviews_csv, capsys):
    model = tmp_path / "model.joblib"
    assert main(["fit", str(reviews_csv), "--out", str(model)]) == 0
    assert _evaluate(capsys, model, reviews_csv).err == ""


def test_rows_without_a_known_word_are_named_by_row(fitted, tmp_path, capsys):
    data, model = fitted
    texts = list(TEXTS)
    texts[5] = "zzqxv blorfk"  # a test row: the 2nd of the 8, the 6th of the file
    assert SPLITS[5] == "test"
    new = write_reviews(tmp_path / "new.csv", text=texts)
    err = _evaluate(capsys, model, new).err
    assert err == ("warning: 1 row has no word that the model knows: its prediction rests on "
                   "nothing but the model's bias: 6\n")


# -- the confusion matrix ---------------------------------------------------------

def _cell_texts(display):
    return [[text.get_text() for text in row] for row in display.text_]


def test_confusion_matrix_counts_are_integers():
    # 10,000 and more: the default format writes 1e+04.
    y_true = np.array(["neg"] * 12000 + ["pos"] * 30)
    y_pred = np.array(["neg"] * 11990 + ["pos"] * 10 + ["pos"] * 25 + ["neg"] * 5)
    display = _report.confusion_matrix_display(y_true, y_pred, "counts")
    assert _cell_texts(display) == [["11990", "10"], ["5", "25"]]
    assert display.ax_.get_title() == "counts"


@pytest.mark.parametrize("normalize, cells, share", [
    ("true", [["0.75", "0.25"], ["0.00", "1.00"]], "of each true label"),
    ("pred", [["1.00", "0.33"], ["0.00", "0.67"]], "of each prediction"),
    ("all", [["0.50", "0.17"], ["0.00", "0.33"]], "of all rows"),
])
def test_confusion_matrix_normalised(normalize, cells, share):
    y_true = ["neg"] * 4 + ["pos"] * 2
    y_pred = ["neg"] * 3 + ["pos"] * 3
    display = _report.confusion_matrix_display(y_true, y_pred, "shares", normalize)
    assert _cell_texts(display) == cells
    assert display.ax_.get_title() == f"shares\n(share {share})"


def test_evaluate_normalize_draws_the_png(fitted, tmp_path, monkeypatch, capsys):
    data, model = fitted
    drawn = []
    original = _report.confusion_matrix_display

    def spy(*args, **kwargs):
        drawn.append(original(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(_report, "confusion_matrix_display", spy)
    matrix = tmp_path / "cm.png"
    _evaluate(capsys, model, data, "--confusion-matrix", str(matrix), "--normalize", "true")
    assert_png(matrix)
    cells = [text for row in _cell_texts(drawn[0]) for text in row]
    assert all(re.fullmatch(r"[01]\.\d\d", cell) for cell in cells), cells


def test_normalize_without_a_confusion_matrix_is_reported(fitted, capsys):
    data, model = fitted
    err = _evaluate(capsys, model, data, "--normalize", "pred").err
    assert err.startswith("warning: --normalize only applies to --confusion-matrix; ignored "
                          "without it.\n")


def test_normalize_choices(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["evaluate", "m.sklembed", "x.csv", "--normalize", "rows"])
    assert excinfo.value.code == 2
    assert re.search(r"argument --normalize: invalid choice: 'rows'", capsys.readouterr().err)
