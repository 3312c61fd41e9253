"""``predict``: joining the output back to the input, and rows the model knows nothing of."""

import re

import pandas as pd
import pytest

from sklearn_embed.cli import main

from .helpers import FAST, TEXTS, error_of, write_reviews


@pytest.fixture(scope="module")
def cnn_model(tmp_path_factory):
    data = write_reviews(tmp_path_factory.mktemp("cnn") / "reviews.csv")
    model = data.with_name("cnn.sklembed")
    argv = ["fit", str(data), "--head", "cnn", *FAST, "--validation-size", "0",
            "--out", str(model)]
    assert main(argv) == 0
    return model


def _predict(model, data, out, *options):
    assert main(["predict", str(model), str(data), *options, "--out", str(out)]) == 0
    return pd.read_parquet(out) if out.suffix == ".parquet" else pd.read_csv(out)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_id_column_is_copied_to_the_output(suffix, tmp_path, logreg_model, capsys):
    texts = list(TEXTS)
    texts[2] = None
    ids = [f"review-{i:03d}" for i in range(40)]
    data = write_reviews(tmp_path / f"new{suffix}", text=texts, review_id=ids)
    frame = _predict(logreg_model, data, tmp_path / f"p{suffix}", "--id-column", "review_id")
    assert list(frame.columns) == ["review_id", "prediction", "probability", "known_tokens"]
    assert frame["review_id"].tolist() == ids
    # The row without a text keeps its id; the warning numbers it as a row.
    assert frame.loc[frame["prediction"].isna(), "review_id"].tolist() == ["review-002"]
    assert "1 row has no text and was not predicted: 3\n" in capsys.readouterr().err


def test_rows_are_numbered_from_one_like_the_warnings(tmp_path, logreg_model, capsys):
    texts = list(TEXTS)
    texts[0] = None
    data = write_reviews(tmp_path / "new.csv", text=texts)
    frame = _predict(logreg_model, data, tmp_path / "p.csv")
    assert frame["row"].tolist() == list(range(1, 41))
    assert "1 row has no text and was not predicted: 1\n" in capsys.readouterr().err
    assert frame.loc[frame["row"] == 1, "prediction"].isna().all()
    original = pd.read_csv(data)
    # Joining on row: the row-th data row of the file.
    assert pd.isna(original.loc[frame["row"].iloc[0] - 1, "text"])


def test_messages_count_one_row_in_the_singular(tmp_path, logreg_model, capsys):
    data = tmp_path / "one.csv"
    pd.DataFrame({"text": ["a wonderful film"]}).to_csv(data, index=False)
    frame = _predict(logreg_model, data, tmp_path / "p.csv")
    assert len(frame) == 1
    out = capsys.readouterr().out
    assert "Reading" in out and "all 1 row in" in out
    assert "Predicting 1 row (" in out and "Predicted 1 row in" in out
    assert "Predictions for 1 row saved to" in out


def test_id_column_errors(tmp_path, logreg_model, capsys):
    data = write_reviews(tmp_path / "new.csv")
    out = str(tmp_path / "p.csv")
    err = error_of(capsys, ["predict", str(logreg_model), str(data), "--id-column", "key",
                            "--out", out])
    assert re.search(r"has no column 'key' \(--id-column\); available columns: 'split', "
                     r"'text', 'label'\.", err)
    err = error_of(capsys, ["predict", str(logreg_model), "imdb", "--id-column", "key",
                            "--out", out])
    assert re.search(r"error: --id-column 'key' needs a DATA file: the named dataset 'imdb' "
                     r"has no id column; leave --id-column out and join on the row column",
                     err)
    err = error_of(capsys, ["predict", str(logreg_model), str(data), "--id-column",
                            "prediction", "--out", out])
    assert re.search(r"error: --id-column 'prediction' would clash with an output column "
                     r"\(prediction, probability, known_tokens\); rename that column of DATA "
                     r"first\.", err)


# -- known_tokens -----------------------------------------------------------------

UNKNOWN = ["zzqxv blorfk", "qwxzv"]  # no word of GloVe, nor of the corpus


def test_known_tokens_with_an_embedding_vectorizer(tmp_path, logreg_model, capsys):
    # GloVe knows "great" and "movie"; the default tokens have two letters or more.
    texts = ["a great movie", UNKNOWN[0], "great zzqxv", None]
    data = tmp_path / "new.csv"
    pd.DataFrame({"text": texts}).to_csv(data, index=False)
    frame = _predict(logreg_model, data, tmp_path / "p.csv")
    assert frame["known_tokens"].tolist()[:3] == [2, 0, 1]
    assert pd.isna(frame["known_tokens"].iloc[3])
    err = capsys.readouterr().err
    assert ("warning: 1 row has no word that the model knows (known_tokens 0): its "
            "prediction rests on nothing but the model's bias: 2\n") in err


def test_known_tokens_with_a_sequence_indexer(tmp_path, cnn_model, capsys):
    # The indexer's vocabulary is the corpus; maxlen 12 cuts the long text.
    texts = ["a great movie", *UNKNOWN, " ".join(["great"] * 20)]
    data = tmp_path / "new.parquet"
    pd.DataFrame({"text": texts}).to_parquet(data)
    frame = _predict(cnn_model, data, tmp_path / "p.parquet")
    assert frame["known_tokens"].tolist() == [2, 0, 0, 12]
    err = capsys.readouterr().err
    assert ("warning: 2 rows have no word that the model knows (known_tokens 0): their "
            "predictions rest on nothing but the model's bias: 2, 3\n") in err


def test_no_known_tokens_column_without_an_indexer_or_vectorizer(tmp_path, capsys):
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = tmp_path / "tfidf.joblib"
    joblib.dump(make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(
        TEXTS, ["pos"] * 20 + ["neg"] * 20), model)
    data = write_reviews(tmp_path / "new.csv")
    frame = _predict(model, data, tmp_path / "p.csv", "--trust-pickle")
    assert list(frame.columns) == ["row", "prediction", "probability"]
    assert "known_tokens" not in capsys.readouterr().err
