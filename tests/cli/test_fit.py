"""``fit``: the heads' settings on the command line, progress, rows without known words."""

import re
import sys

import numpy as np
import pandas as pd
import pytest

from sklearn_embed.cli import _pipelines, _run, build_parser, main
from sklearn_embed.persistence import load

from .helpers import FAST, TEXTS, error_of, write_reviews


def _pipeline(*flags, head="cnn", texts=TEXTS):
    args = build_parser().parse_args(["fit", "x.csv", "--head", head, *flags])
    return _pipelines.build_pipeline(args, texts)


# -- defaults from the data -------------------------------------------------------

@pytest.mark.parametrize("n_rows, batch_size", [
    (10, 16), (480, 16), (1000, 32), (2000, 64), (4000, 128), (300_000, 128),
])
def test_batch_size_grows_with_the_rows(n_rows, batch_size):
    assert _pipelines._batch_size(n_rows) == batch_size


@pytest.mark.parametrize("words, maxlen", [(5, 20), (57, 57), (1000, 400)])
def test_maxlen_is_the_95th_percentile_of_the_lengths_within_bounds(words, maxlen):
    # 97 texts of `words` words and 3 twice as long: the quantile leaves out the few long ones.
    texts = ["word " * words] * 97 + ["word " * (2 * words)] * 3
    assert _pipelines._maxlen_from(texts, 0) == maxlen


def test_maxlen_counts_the_cleaned_tokens():
    # Tags and one-letter words are no tokens: 30 words, not 30 + 30 + 30.
    texts = ["<br />a " * 30 + "word " * 30] * 10
    assert _pipelines._maxlen_from(texts, 0) == 30


def test_the_command_line_defaults_reach_the_steps():
    pipe, settings = _pipeline()
    indexer, head = pipe[1], pipe[-1]
    assert indexer.maxlen == 20  # the corpus' texts are short
    assert (head.batch_size, head.lr, head.max_epochs, head.freeze) == (16, 0.003, 30, 1)
    assert head.device == "auto" and head.verbose == 1
    assert settings == ("maxlen 20, batch size 16, lr 0.003, at most 30 epochs, embedding "
                        "frozen for 1 epoch, then fine-tuned; maxlen, batch size, lr chosen "
                        "from the data (see fit --help)")
    lstm = _pipeline(head="lstm")[0][-1]
    assert lstm.pooling == "max" and lstm.hidden_size == 64


def test_the_lr_is_smaller_for_many_rows():
    assert _pipeline(texts=["a good film"] * 5000)[0][-1].lr == 0.001


def test_options_given_win():
    pipe, settings = _pipeline("--maxlen", "50", "--batch-size", "8", "--lr", "0.01",
                               "--max-epochs", "1", "--fine-tune", "--device", "cpu",
                               "--num-filters", "7")
    head = pipe[-1]
    assert pipe[1].maxlen == 50
    assert (head.batch_size, head.lr, head.max_epochs, head.freeze, head.device,
            head.num_filters) == (8, 0.01, 1, False, "cpu", 7)
    assert settings == ("maxlen 50, batch size 8, lr 0.01, at most 1 epoch, embedding "
                        "fine-tuned")
    lstm = _pipeline("--hidden-size", "12", "--freeze", head="lstm")[0][-1]
    assert lstm.hidden_size == 12 and lstm.freeze is True


@pytest.mark.parametrize("argv, message", [
    (["--head", "cnn", *FAST, "--hidden-size", "8"],
     "warning: --hidden-size only applies to the lstm head; ignored with --head cnn.\n"),
    (["--head", "lstm", *FAST, "--num-filters", "8"],
     "warning: --num-filters only applies to the cnn head; ignored with --head lstm.\n"),
    (["--batch-size", "8", "--lr", "0.1", "--device", "cpu", "--num-filters", "8"],
     "warning: --batch-size, --lr, --device only apply to the lstm and cnn heads; ignored "
     "with --head logreg.\nwarning: --num-filters only applies to the cnn head; ignored "
     "with --head logreg.\n"),
])
def test_options_of_another_head_are_reported(argv, message, tmp_path, reviews_csv, capsys):
    argv = ["fit", str(reviews_csv), *argv, "--out", str(tmp_path / "m.sklembed")]
    assert main(argv) == 0
    assert capsys.readouterr().err.startswith(message)


def test_a_bad_device_fails_before_any_work(reviews_csv, tmp_path, capsys):
    err = error_of(capsys, ["fit", str(reviews_csv), "--head", "cnn", "--device", "tpu",
                            "--out", str(tmp_path / "m.sklembed")])
    assert err == ("sklearn-embed fit: error: --device 'tpu': device must be 'auto', None or "
                   "a torch device such as 'cpu' or 'cuda:0', got 'tpu'.\n")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("flag, value, message", [
    ("--lr", "0", r"argument --lr: expected a positive number, got '0'"),
    ("--lr", "fast", r"argument --lr: expected a positive number, got 'fast'"),
    ("--batch-size", "-2", r"argument --batch-size: expected a positive integer, got '-2'"),
    ("--hidden-size", "0", r"argument --hidden-size: expected a positive integer, got '0'"),
    ("--num-filters", "x", r"argument --num-filters: expected a positive integer, got 'x'"),
])
def test_bad_head_option_values(flag, value, message, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["fit", "x.csv", flag, value])
    assert excinfo.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_fit_help_explains_the_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for explained in ("the 95% quantile of the texts' lengths in tokens, within 20..400",
                      "the power of two nearest to rows/32, within 16..128",
                      "0.003 below 5,000 rows, else 0.001", "--max-epochs 30; early stopping",
                      "--unfreeze-after 1 the embedding is frozen for 1 epoch",
                      "lstm pooling 'max' over time"):
        assert explained in text


# -- progress -------------------------------------------------------------------

def test_a_line_before_each_step(tmp_path, reviews_csv, capsys):
    argv = ["fit", str(reviews_csv), "--head", "cnn", *FAST, "--out",
            str(tmp_path / "m.sklembed")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if not line.startswith("  done in")]
    expected = [
        r"Reading .*reviews\.csv", r"Read .*32 rows with split == 'train' in [\d.]+ s",
        r"Loading the embedding source glove-6b-50d", r"Loaded source .*",
        r"", r"Fitting TextCleaner -> SequenceIndexer -> CNNClassifier on 25 rows, 7 held "
             r"out for validation .*",
        r"Head settings: maxlen 12, batch size 16, lr 0.003, at most 1 epoch, embedding "
        r"frozen for 1 epoch, then fine-tuned; batch size, lr chosen from the data .*",
        r"The head keeps 10% of those rows .*",
        r"Cleaning 25 rows \(TextCleaner\)", r"Indexing 25 rows \(SequenceIndexer\)",
        r"Fitting CNNClassifier on 25 rows",
    ]
    for pattern, line in zip(expected, lines):
        assert re.fullmatch(pattern, line), (pattern, line)
    # The head's epoch table comes next, then the validation rows are predicted.
    assert re.search(r"epoch\s+train_loss\s+valid_acc\s+valid_loss", out)
    assert re.search(r"Predicting 7 rows \(.*\)\nPredicted 7 rows in [\d.]+ s", out)
    assert "Saving the model to" in out


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(_run, "CHUNK_ROWS", 6)


# The direct predict calls below warn about the unknown text; the command line does not.
@pytest.mark.filterwarnings("ignore::sklearn_embed.NoKnownTokenWarning")
@pytest.mark.parametrize("head", ["logreg", "cnn"])
def test_chunks_give_what_one_call_gives(head, small_chunks, tmp_path, reviews_csv, capsys):
    model = tmp_path / "m.sklembed"
    flags = FAST if head == "cnn" else []
    assert main(["fit", str(reviews_csv), "--head", head, *flags, "--validation-size", "0",
                 "--out", str(model)]) == 0
    fitted = load(model)
    texts = TEXTS + ["zzqxv"]
    predicted = _run.predict_rows(fitted, texts, proba=True, known=True)
    assert (predicted.labels == fitted.predict(texts)).all()
    np.testing.assert_allclose(predicted.top, fitted.predict_proba(texts).max(axis=1),
                               rtol=1e-6)
    assert predicted.known_tokens[-1] == 0 and (predicted.known_tokens[:-1] > 0).all()
    assert predicted.no_known_word.tolist() == [False] * 40 + [True]


class _Bar:
    """Records what tqdm is asked to show."""

    made = []

    def __init__(self, **kwargs):
        self.kwargs, self.done, self.closed = kwargs, 0, False
        _Bar.made.append(self)

    def update(self, count):
        self.done += count

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_a_bar_shows_the_chunks_on_a_terminal(small_chunks, monkeypatch, logreg_model, capsys):
    tqdm = pytest.importorskip("tqdm")
    _Bar.made = []
    monkeypatch.setattr(tqdm, "tqdm", _Bar)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _run.predict_rows(load(logreg_model), TEXTS)
    (bar,) = _Bar.made
    assert bar.kwargs["total"] == 40 and bar.kwargs["unit"] == "rows"
    assert bar.kwargs["file"] is sys.stderr
    assert bar.done == 40 and bar.closed


def test_no_bar_in_a_log_file(small_chunks, monkeypatch, logreg_model, capsys):
    tqdm = pytest.importorskip("tqdm")
    _Bar.made = []
    monkeypatch.setattr(tqdm, "tqdm", _Bar)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    predicted = _run.predict_rows(load(logreg_model), TEXTS)
    assert len(predicted.labels) == 40 and _Bar.made == []
    assert capsys.readouterr().err == ""


def test_rows_fitted_on_without_a_known_word_are_named(tmp_path, capsys):
    texts = list(TEXTS)
    texts[2] = "zzqxv blorfk"
    texts[9] = "qwxzv"
    data = write_reviews(tmp_path / "train.csv", text=texts, split="train")
    argv = ["fit", str(data), "--validation-size", "0", "--out", str(tmp_path / "m.sklembed")]
    assert main(argv) == 0
    assert capsys.readouterr().err == (
        "warning: 2 rows fitted on have no word that the model knows: their features are "
        "empty, so they teach the model nothing: 3, 10\n")


# -- 600 real IMDB reviews ----------------------------------------------------------

@pytest.mark.slow
def test_cnn_with_the_command_line_defaults_learns_600_imdb_reviews(tmp_path, capsys):
    from tests.conftest import require_data

    frame = pd.read_parquet(require_data("imdb.parquet"), columns=["split", "text", "label"])
    sample = frame[frame["split"] == "train"].sample(600, random_state=0)
    data = tmp_path / "imdb600.csv"
    sample[["text", "label"]].to_csv(data, index=False)
    argv = ["fit", str(data), "--head", "cnn", "--out", str(tmp_path / "cnn.sklembed")]
    assert main(argv) == 0  # about 10 s on 2 CPU cores; times are not asserted
    out = capsys.readouterr().out
    accuracy = float(re.search(r"Validation \(120 rows held out .*\)\naccuracy  (\S+)",
                               out).group(1))
    # The heads' own defaults gave 0.68-0.75 on such samples, logistic regression 0.72.
    assert accuracy >= 0.65, out
