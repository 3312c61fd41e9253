"""Fixtures of the command-line tests: the corpus as a file, models fitted on it."""

import pytest

from sklearn_embed.cli import main

from .helpers import write_reviews


@pytest.fixture
def reviews_csv(tmp_path):
    return write_reviews(tmp_path / "reviews.csv")


@pytest.fixture(scope="module")
def logreg_model(tmp_path_factory):
    data = write_reviews(tmp_path_factory.mktemp("logreg") / "reviews.csv")
    model = data.with_name("model.sklembed")
    assert main(["fit", str(data), "--out", str(model)]) == 0
    return model


@pytest.fixture(scope="module")
def pickled_model(tmp_path_factory):
    data = write_reviews(tmp_path_factory.mktemp("pickled") / "reviews.csv")
    model = data.with_name("model.joblib")
    assert main(["fit", str(data), "--validation-size", "0", "--out", str(model)]) == 0
    return model
