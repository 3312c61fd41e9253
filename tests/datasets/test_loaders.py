import io
import pathlib
import re
import tarfile

import numpy as np
import pandas as pd
import pytest

from sklearn_embed.datasets import (
    _imdb,
    _twenty_newsgroups,
    get_data_home,
    load_20newsgroups,
    load_corona_tweets,
    load_imdb,
    load_imdb_unsup,
    load_short_sentences,
)

ENV = "SKLEARN_EMBED_DATA"


@pytest.fixture
def homes(tmp_path, monkeypatch):
    """An isolated user home beside a folder laid out like a checkout with its
    shared data; no environment variable."""
    user = tmp_path / "user"
    user.mkdir()
    shared = tmp_path / "shared" / "data"
    shared.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(user))
    monkeypatch.delenv(ENV, raising=False)
    return user / "sklearn_embed_data", shared


# --- data home resolution ---------------------------------------------------


def test_data_home_argument_wins_over_environment(homes, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "from_env"))
    assert get_data_home(tmp_path / "from_arg") == tmp_path / "from_arg"


def test_data_home_environment_wins_over_defaults(homes, tmp_path, monkeypatch):
    default, _ = homes
    default.mkdir()
    (default / "imdb.parquet").touch()
    monkeypatch.setenv(ENV, str(tmp_path / "from_env"))
    assert get_data_home() == tmp_path / "from_env"


def test_data_home_empty_environment_is_ignored(homes, monkeypatch):
    default, _ = homes
    monkeypatch.setenv(ENV, "")
    assert get_data_home() == default


def test_data_home_expands_user(homes):
    default, _ = homes
    assert get_data_home("~/corpora") == default.parent / "corpora"


@pytest.mark.parametrize("create_empty", [False, True])
def test_data_home_default_is_the_user_folder(homes, create_empty):
    default, _ = homes
    if create_empty:
        default.mkdir()
    assert get_data_home() == default


def test_package_does_not_know_the_repository_layout(homes):
    """An installed package must not look for data beside this repository."""
    import sklearn_embed

    _, shared = homes
    _tiny_tweets_frame().to_parquet(shared / "corona_tweets.parquet")
    with pytest.raises(FileNotFoundError):
        load_corona_tweets()
    package = pathlib.Path(sklearn_embed.__file__).parent
    for module in package.rglob("*.py"):
        assert '"shared"' not in module.read_text(encoding="utf-8"), module


# --- missing data -----------------------------------------------------------


def test_missing_dataset_error_names_the_path_and_the_fixes(homes):
    default, _ = homes
    message = str(pytest.raises(FileNotFoundError, load_imdb).value)
    assert str(default / "imdb.parquet") in message
    for fix in (ENV, "data_home=", "source=", "download=True", _imdb.URL):
        assert fix in message


@pytest.mark.parametrize(
    "loader, filename",
    [
        (load_imdb, "imdb.parquet"),
        (load_imdb_unsup, "imdb_unsup.parquet"),
        (load_20newsgroups, "20newsgroups.parquet"),
        (load_corona_tweets, "corona_tweets.parquet"),
    ],
)
def test_missing_dataset_with_download_false_raises(tmp_path, loader, filename):
    expected = re.escape(str(tmp_path / filename))
    with pytest.raises(FileNotFoundError, match=f"looked for {expected}.*{ENV}"):
        loader(data_home=tmp_path)


def test_tweets_error_offers_no_download(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"source=\(<Corona_NLP_train.csv>") as info:
        load_corona_tweets(data_home=tmp_path)
    assert "download" not in str(info.value)


# --- coronavirus tweets -----------------------------------------------------


def _tiny_tweets_frame():
    return pd.DataFrame(
        {
            "split": ["train", "train", "train", "test", "test"],
            "text": ["awful", "bad", "fine", "good", "great"],
            "label": [
                "Extremely Negative", "Negative", "Neutral", "Positive", "Extremely Positive"
            ],
            "UserName": [1, 2, 3, 4, 5],
            "ScreenName": [11, 12, 13, 14, 15],
            "Location": ["London", None, "UK", None, "Paris"],
            "TweetAt": ["16-03-2020"] * 5,
        }
    )


def test_tweets_five_classes(tmp_path):
    _tiny_tweets_frame().to_parquet(tmp_path / "corona_tweets.parquet")
    tweets = load_corona_tweets(data_home=tmp_path)
    assert tweets.X_train == ["awful", "bad", "fine"]
    assert tweets.y_test.tolist() == ["Positive", "Extremely Positive"]
    assert tweets.target_names == [
        "Extremely Negative", "Negative", "Neutral", "Positive", "Extremely Positive"
    ]


def test_tweets_three_classes_merge_the_extremes(tmp_path):
    _tiny_tweets_frame().to_parquet(tmp_path / "corona_tweets.parquet")
    tweets = load_corona_tweets(data_home=tmp_path, n_classes=3)
    assert tweets.y_train.tolist() == ["Negative", "Negative", "Neutral"]
    assert tweets.y_test.tolist() == ["Positive", "Positive"]
    assert tweets.target_names == ["Negative", "Neutral", "Positive"]
    assert tweets.frame["label"].tolist() == tweets.y_train.tolist() + tweets.y_test.tolist()


@pytest.mark.parametrize("n_classes", [2, 4, "3", None, True])
def test_tweets_invalid_n_classes(tmp_path, n_classes):
    # Checked before any file is looked for.
    with pytest.raises(ValueError, match=r"n_classes must be 5 .* or 3 .*, got "):
        load_corona_tweets(data_home=tmp_path, n_classes=n_classes)


def _write_tweet_csvs(tmp_path):
    header = "UserName,ScreenName,Location,TweetAt,OriginalTweet,Sentiment\n"
    train = header + (
        '1,101,London,16-03-2020,"Stock up, it\x92s bad",Extremely Negative\n'
        "2,102,,16-03-2020,Nothing new,Neutral\n"
    )
    test = header + "3,103,UK,17-03-2020,Stay safe all,Extremely Positive\n"
    train_csv, test_csv = tmp_path / "Corona_NLP_train.csv", tmp_path / "Corona_NLP_test.csv"
    train_csv.write_bytes(train.encode("latin-1"))
    test_csv.write_bytes(test.encode("latin-1"))
    return train_csv, test_csv


def test_tweets_from_kaggle_csvs(tmp_path):
    source = _write_tweet_csvs(tmp_path)
    tweets = load_corona_tweets(source=source, n_classes=3)
    assert tweets.X_train == ["Stock up, it\x92s bad", "Nothing new"]
    assert tweets.y_train.tolist() == ["Negative", "Neutral"]
    assert tweets.X_test == ["Stay safe all"]
    assert tweets.y_test.tolist() == ["Positive"]
    assert list(tweets.frame.columns) == [
        "split", "text", "label", "UserName", "ScreenName", "Location", "TweetAt"
    ]
    assert tweets.frame["Location"].isna().tolist() == [False, True, False]


def test_tweets_source_must_be_a_pair(tmp_path):
    train_csv, _ = _write_tweet_csvs(tmp_path)
    with pytest.raises(ValueError, match=r"source must be a pair of paths \(train_csv, test_csv\)"):
        load_corona_tweets(source=train_csv)


def test_tweets_csv_without_kaggle_columns(tmp_path):
    train_csv, test_csv = _write_tweet_csvs(tmp_path)
    test_csv.write_text("text,label\nhello,Neutral\n")
    with pytest.raises(ValueError, match=r"The test CSV .* lacks the column\(s\)"):
        load_corona_tweets(source=(train_csv, test_csv))


def test_tweets_missing_csv(tmp_path):
    train_csv, _ = _write_tweet_csvs(tmp_path)
    with pytest.raises(FileNotFoundError, match="The test CSV given in source does not exist"):
        load_corona_tweets(source=(train_csv, tmp_path / "nope.csv"))


# --- IMDB -------------------------------------------------------------------

IMDB_FILES = {
    "train/neg/10_2.txt": "Dull.",
    "train/neg/2_1.txt": "Awful film.",
    "train/pos/0_9.txt": "Caf\u00e9 scenes are lovely.",
    "test/neg/0_4.txt": "Meh.",
    "test/pos/1_10.txt": "Masterpiece!",
    "train/unsup/10_0.txt": "Unlabelled ten.",
    "train/unsup/9_0.txt": "Unlabelled nine.",
    "train/urls_pos.txt": "http://www.imdb.com/title/tt0453418/usercomments",
    "README": "Large Movie Review Dataset v1.0",
}


def _write_tree(root, files, encoding):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
    return root


def _tarball(folder, path):
    with tarfile.open(path, "w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    return path


@pytest.fixture
def imdb_folder(tmp_path):
    return _write_tree(tmp_path / "aclImdb", IMDB_FILES, "utf-8")


def _check_tiny_imdb(imdb):
    assert imdb.X_train == ["Awful film.", "Dull.", "Caf\u00e9 scenes are lovely."]
    assert imdb.y_train.tolist() == ["neg", "neg", "pos"]
    assert imdb.rating_train.tolist() == [1, 2, 9]
    assert imdb.X_test == ["Meh.", "Masterpiece!"]
    assert imdb.y_test.tolist() == ["neg", "pos"]
    assert imdb.rating_test.tolist() == [4, 10]
    assert imdb.frame["file_id"].tolist() == [2, 10, 0, 0, 1]
    assert imdb.target_names == ["neg", "pos"]


def test_imdb_from_folder(imdb_folder):
    _check_tiny_imdb(load_imdb(source=imdb_folder))
    # The parent of aclImdb works as well.
    _check_tiny_imdb(load_imdb(source=str(imdb_folder.parent)))


def test_imdb_from_tarball(imdb_folder, tmp_path):
    archive = _tarball(imdb_folder, tmp_path / "aclImdb_v1.tar.gz")
    _check_tiny_imdb(load_imdb(source=archive))
    assert load_imdb_unsup(source=archive) == ["Unlabelled nine.", "Unlabelled ten."]


def test_imdb_unsup_from_folder(imdb_folder):
    assert load_imdb_unsup(source=imdb_folder) == ["Unlabelled nine.", "Unlabelled ten."]


def test_imdb_return_X_y_follows_train_test_split_order(imdb_folder):
    X_train, X_test, y_train, y_test = load_imdb(source=imdb_folder, return_X_y=True)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (3, 2, 3, 2)
    assert isinstance(y_train, np.ndarray)


def test_imdb_download_builds_the_parquet_files(imdb_folder, tmp_path, monkeypatch):
    archive = _tarball(imdb_folder, tmp_path / "aclImdb_v1.tar.gz")

    def fake_download(url, directory):
        assert url == _imdb.URL
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / "aclImdb_v1.tar.gz"
        target.write_bytes(archive.read_bytes())
        return target

    monkeypatch.setattr(_imdb, "_download", fake_download)
    home = tmp_path / "home"
    _check_tiny_imdb(load_imdb(data_home=home, download=True))
    assert sorted(p.name for p in home.iterdir()) == ["imdb.parquet", "imdb_unsup.parquet"]
    # Now read from the Parquet copies.
    _check_tiny_imdb(load_imdb(data_home=home))
    assert load_imdb_unsup(data_home=home) == ["Unlabelled nine.", "Unlabelled ten."]


def test_imdb_source_without_reviews(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"holds no train or test files of the expected layout"):
        load_imdb(source=tmp_path / "empty")
    with pytest.raises(ValueError, match=r"holds no unlabelled reviews"):
        load_imdb_unsup(source=tmp_path / "empty")


def test_source_that_does_not_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"source=.*nope' does not exist"):
        load_imdb(source=tmp_path / "nope")


def test_source_that_is_not_an_archive(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match="is neither a folder nor a tar archive"):
        load_20newsgroups(source=tmp_path / "notes.txt")


# --- 20 Newsgroups ----------------------------------------------------------

NEWS_FILES = {
    "20news-bydate-train/sci.space/60800": "From: a\n\nOrbit caf\u00e9",
    "20news-bydate-train/sci.space/59000": "From: b\n\nLaunch",
    "20news-bydate-train/alt.atheism/51000": "From: c\n\nGods",
    "20news-bydate-test/alt.atheism/53068": "From: d\n\nFaith",
    "20news-bydate-test/sci.space/61000": "From: e\n\nMars",
}


@pytest.fixture
def news_folder(tmp_path):
    return _write_tree(tmp_path / "20news-bydate", NEWS_FILES, "latin-1")


def _check_tiny_news(news):
    assert news.X_train == ["From: c\n\nGods", "From: b\n\nLaunch", "From: a\n\nOrbit caf\u00e9"]
    assert news.y_train.tolist() == ["alt.atheism", "sci.space", "sci.space"]
    assert news.y_test.tolist() == ["alt.atheism", "sci.space"]
    assert news.target_names == ["alt.atheism", "sci.space"]
    assert news.frame["file_id"].tolist() == [51000, 59000, 60800, 53068, 61000]


def test_20newsgroups_from_folder(news_folder):
    _check_tiny_news(load_20newsgroups(source=news_folder))


def test_20newsgroups_from_tarball(news_folder, tmp_path):
    # The real archive has no top folder: its members start with 20news-bydate-train/.
    archive = tmp_path / "20news-bydate.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for child in sorted(news_folder.iterdir()):
            tar.add(child, arcname=child.name)
    _check_tiny_news(load_20newsgroups(source=archive))


def test_20newsgroups_download_builds_the_parquet_file(news_folder, tmp_path, monkeypatch):
    archive_bytes = io.BytesIO()
    with tarfile.open(fileobj=archive_bytes, mode="w:gz") as tar:
        tar.add(news_folder, arcname=".")

    def fake_download(url, directory):
        assert url == _twenty_newsgroups.URL
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / "20news-bydate.tar.gz"
        target.write_bytes(archive_bytes.getvalue())
        return target

    monkeypatch.setattr(_twenty_newsgroups, "_download", fake_download)
    _check_tiny_news(load_20newsgroups(data_home=tmp_path / "home", download=True))
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["20newsgroups.parquet"]


# --- the real Parquet copies --------------------------------------------------


def _real_data_home():
    home = get_data_home()
    if not (home / "imdb.parquet").is_file():
        pytest.skip(f"the real datasets are not in {home}")
    return home


def test_real_imdb():
    imdb = load_imdb(_real_data_home())
    assert (len(imdb.X_train), len(imdb.X_test)) == (25000, 25000)
    for y in (imdb.y_train, imdb.y_test):
        assert dict(zip(*np.unique(y, return_counts=True))) == {"neg": 12500, "pos": 12500}
    assert set(imdb.rating_train[imdb.y_train == "neg"]) == {1, 2, 3, 4}
    assert set(imdb.rating_test[imdb.y_test == "pos"]) == {7, 8, 9, 10}
    assert all(isinstance(text, str) for text in imdb.X_train[:100])


def test_real_imdb_unsup():
    texts = load_imdb_unsup(_real_data_home())
    assert len(texts) == 50000 and isinstance(texts[0], str)


def test_real_20newsgroups():
    news = load_20newsgroups(_real_data_home())
    assert (len(news.X_train), len(news.X_test)) == (11314, 7532)
    assert len(news.target_names) == 20
    assert set(news.y_test) == set(news.target_names)


@pytest.mark.parametrize("n_classes", [5, 3])
def test_real_corona_tweets(n_classes):
    X_train, X_test, y_train, y_test = load_corona_tweets(
        _real_data_home(), n_classes=n_classes, return_X_y=True
    )
    assert (len(X_train), len(X_test)) == (41157, 3798)
    assert len(set(y_train)) == len(set(y_test)) == n_classes


# --- the short-sentence benchmarks of Kim (2014) -------------------------------


def _write_short_sentences(home, name="cr"):
    frame = pd.DataFrame({"fold": [0, 1, 1, 0], "text": ["good", "bad", "fine", "awful"],
                          "label": ["pos", "neg", "pos", "neg"]})
    home.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(home / f"{name}.parquet", index=False)


def test_short_sentences_from_parquet(tmp_path):
    _write_short_sentences(tmp_path)
    cr = load_short_sentences("cr", tmp_path)
    assert cr.X == ["good", "bad", "fine", "awful"]
    assert list(cr.y) == ["pos", "neg", "pos", "neg"]
    assert cr.fold.dtype == np.int64 and list(cr.fold) == [0, 1, 1, 0]
    assert cr.target_names == ["neg", "pos"] and "CR" in cr.DESCR
    X, y, fold = load_short_sentences("cr", tmp_path, return_X_y=True)
    assert X == cr.X and list(y) == list(cr.y) and list(fold) == list(cr.fold)


def test_short_sentences_read_the_environment_variable(tmp_path, monkeypatch):
    _write_short_sentences(tmp_path / "env", name="mpqa")
    monkeypatch.setenv(ENV, str(tmp_path / "env"))
    assert len(load_short_sentences("mpqa").X) == 4


@pytest.mark.parametrize("name", ["sst2", "MR", None])
def test_short_sentences_unknown_name(tmp_path, name):
    with pytest.raises(ValueError, match=r"name=.* is not one of the short-sentence datasets; "
                                         r"use one of 'mr', 'subj', 'cr', 'mpqa'"):
        load_short_sentences(name, tmp_path)


def test_short_sentences_missing_file_names_the_path_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "subj.parquet"))
                       + ".*SKLEARN_EMBED_DATA.*data_home="):
        load_short_sentences("subj", tmp_path)


@pytest.mark.parametrize("name, size, counts", [
    ("mr", 10662, {"neg": 5331, "pos": 5331}),
    ("subj", 10000, {"objective": 5000, "subjective": 5000}),
    ("cr", 3775, {"neg": 1368, "pos": 2407}),
    ("mpqa", 10606, {"neg": 7294, "pos": 3312}),
])
def test_real_short_sentences(name, size, counts):
    home = get_data_home()
    if not (home / f"{name}.parquet").is_file():
        pytest.skip(f"the real datasets are not in {home}")
    data = load_short_sentences(name, home)
    assert len(data.X) == len(data.y) == len(data.fold) == size
    assert dict(zip(*np.unique(data.y, return_counts=True))) == counts
    assert data.target_names == sorted(counts)
    assert sorted(set(data.fold)) == list(range(10))
    # stratified folds: every fold holds every class
    assert all(len(set(data.y[data.fold == k])) == len(counts) for k in range(10))
