"""The tiny labelled corpus of the command-line tests, and checks they share."""

import pandas as pd

from sklearn_embed.cli import main

POSITIVE = [
    "a great movie with a great cast", "what a wonderful and moving film",
    "i loved this movie", "a truly wonderful story", "brilliant acting and a beautiful script",
    "the best film of the year", "a happy and charming comedy",
    "superb direction and great music", "an excellent and moving drama",
    "i enjoyed every minute of it", "a delightful film for the whole family",
    "the cast is wonderful and funny", "a great story told with love",
    "a beautiful and touching movie", "fantastic performances all around",
    "a smart and funny film", "i loved the music and the story",
    "an amazing and memorable film", "a warm and wonderful movie",
    "great fun from start to finish",
]
NEGATIVE = [
    "a dull and boring film", "i hated this movie", "what a boring and terrible story",
    "the worst film of the year", "terrible acting and a bad script",
    "a stupid and awful movie", "i was bored the whole time", "an ugly and painful film",
    "the plot is dull and silly", "a waste of time and money", "bad music and worse acting",
    "a boring mess of a movie", "the story makes no sense", "awful direction and a weak cast",
    "i regret watching this film", "a sad and pointless movie", "the jokes are not funny",
    "a poor and lazy film", "horrible from start to finish", "the worst acting i have seen",
]
TEXTS = POSITIVE + NEGATIVE
LABELS = ["pos"] * 20 + ["neg"] * 20
# Every fifth row is a test row: 32 train rows, 8 test rows, both classes in each.
SPLITS = ["test" if i % 5 == 0 else "train" for i in range(40)]
FAST = ["--max-epochs", "1", "--maxlen", "12"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"




def write_reviews(path, **columns):
    """The corpus as a CSV or Parquet file (split, text, label), columns replaced by ``columns``."""
    frame = pd.DataFrame({"split": SPLITS, "text": TEXTS, "label": LABELS, **columns})
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def assert_png(path):
    assert path.is_file() and path.stat().st_size > 1000
    assert path.read_bytes()[:8] == PNG_MAGIC


def error_of(capsys, argv):
    """Run ``main(argv)``, check it fails with status 2 and one line; return that line."""
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err
