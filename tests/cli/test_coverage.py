import pandas as pd
import pytest

from sklearn_embed.cli import _defaults, main
from sklearn_embed.text._oov import OOV_STRATEGIES

from .helpers import error_of

# With the tiny vector file (tests/conftest.py TINY_WORDS: great, movie, film, dull ...
# known; greatmovie, zzz not), counted by hand:
#   row 1 "great movie @zzz"   pos   great, movie (+ zzz without cleaning: a mention)
#   row 2 "#GreatMovie zzz"    neg   greatmovie, zzz
#   row 3 (no text)            pos   left out
ROWS = {"text": ["great movie @zzz", "#GreatMovie zzz", None], "label": ["pos", "neg", "pos"]}


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "tweets.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return str(path)


def _row(out, label):
    """The cells of the summary row of ``label`` in the printed report."""
    return next(line.split()[1:] for line in out.splitlines() if line.startswith(label + " "))


def test_coverage_counts_tokens_per_label(capsys, data, tiny_vectors_file):
    argv = ["coverage", data, "--source", str(tiny_vectors_file), "--label-column", "label",
            "--oov", "split"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "1 row has no text and was left out: 3" in captured.err
    # documents, tokens, known, repaired, token coverage, with repairs, types, ...
    assert _row(captured.out, "(all)")[:6] == ["2", "4", "2", "1", "0.5000", "0.7500"]
    assert _row(captured.out, "pos")[:5] == ["1", "2", "2", "0", "1.0000"]
    assert _row(captured.out, "neg")[:5] == ["1", "2", "0", "1", "0.0000"]
    unknown = captured.out.split("most frequent unknown tokens:")[1].split()
    assert unknown[5:] == ["greatmovie", "1", "0.2500", "1", "great", "movie",
                           "zzz", "1", "0.2500", "1", "None"]


def test_no_clean_counts_the_raw_tokens(capsys, data, tiny_vectors_file):
    assert main(["coverage", data, "--source", str(tiny_vectors_file), "--no-clean"]) == 0
    out = capsys.readouterr().out
    # The mention @zzz is a token when TextCleaner does not remove it; no labels asked.
    assert _row(out, "(all)")[:4] == ["2", "5", "2", "0"]
    assert "\npos " not in out
    assert "zzz      2" in out


def test_trained_source_is_refused(capsys, data):
    err = error_of(capsys, ["coverage", data, "--source", "random"])
    assert "--source 'random' is trained on the texts themselves" in err


def test_missing_label_column_is_named(capsys, data, tiny_vectors_file):
    err = error_of(capsys, ["coverage", data, "--source", str(tiny_vectors_file),
                            "--label-column", "stars"])
    assert "has no column 'stars' (--label-column)" in err


def test_top_must_be_positive(capsys, data):
    with pytest.raises(SystemExit):
        main(["coverage", data, "--top", "0"])
    assert "expected a positive integer, got '0'" in capsys.readouterr().err


def test_oov_choices_equal_the_librarys():
    assert _defaults.OOV == OOV_STRATEGIES
