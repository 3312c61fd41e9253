"""LexiconSentiment: VADER scores as features."""

import functools
import pickle
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, make_pipeline

from sklearn_embed import (
    EmbeddingVectorizer,
    LexiconSentiment,
    SourceMismatchError,
    TextCleaner,
)
from tests.conftest import CORPUS, LABELS, pang_lee

pytest.importorskip("vaderSentiment")


def test_scores_shape_names_and_order():
    scorer = LexiconSentiment().fit(CORPUS)
    X = scorer.transform(CORPUS)
    assert X.shape == (len(CORPUS), 4) and X.dtype == np.float64
    assert scorer.get_feature_names_out().tolist() == ["neg", "neu", "pos", "compound"]
    np.testing.assert_allclose(X[:, :3].sum(axis=1), 1.0, atol=2e-3)  # shares of the text
    assert (X[:4, 3] > 0).all() and (X[4:, 3] < 0).all()  # the corpus's two classes
    picked = LexiconSentiment(scores=("compound", "pos")).fit(CORPUS)
    np.testing.assert_array_equal(picked.transform(CORPUS), X[:, [3, 2]])
    assert picked.get_feature_names_out().tolist() == ["compound", "pos"]
    assert scorer.lexicon_size_ > 7000


def test_vader_rules_apply():
    scorer = LexiconSentiment(scores=("compound",)).fit(["x"])
    good, not_good, very_good, caps = scorer.transform(
        ["the film was good", "the film was not good", "the film was very good",
         "the film was GOOD!!!"]).ravel()
    assert not_good < 0 < good < very_good < caps


def test_documents_without_rated_words_score_zero():
    scorer = LexiconSentiment().fit(CORPUS)
    X = scorer.transform(["", "   ", "the table of contents"])
    assert np.isfinite(X).all()
    np.testing.assert_array_equal(X[:, [0, 2, 3]], 0.0)
    assert LexiconSentiment().fit(CORPUS).transform([]).shape == (0, 4)


def test_dict_lexicon_replaces_the_valences():
    docs = ["zorp day", "blick day", "great day"]
    scorer = LexiconSentiment(lexicon={"zorp": 3.0, "blick": -2.5},
                              scores=("compound",)).fit(docs)
    zorp, blick, great = scorer.transform(docs).ravel()
    assert zorp > 0 > blick and great == 0.0  # "great" is not in this lexicon
    assert scorer.lexicon_size_ == 2


def test_file_lexicon(tmp_path):
    path = tmp_path / "domain.txt"
    path.write_text("zorp\t3.1\t0.5\t[3, 3, 3]\nblick\t-2.0\t0.4\t[-2, -2, -2]\n",
                    encoding="utf-8")
    scorer = LexiconSentiment(lexicon=path, scores=("compound",)).fit(["zorp"])
    zorp, blick = scorer.transform(["zorp", "blick"]).ravel()
    assert zorp > 0 > blick and scorer.lexicon_size_ == 2


@pytest.mark.parametrize("lexicon, match", [
    ("/no/such/lexicon.txt", r"'lexicon'.*not a file"),
    ({}, r"'lexicon'.*empty"),
    ({"good": "very"}, r"'lexicon'.*'good': 'very'"),
    ({"good": float("nan")}, r"'lexicon'.*finite"),
    (42, r"'lexicon'.*got 42"),
    ({"Zorp": 2.0}, r"'lexicon'.*'Zorp'.*lower case.*'zorp'"),
])
def test_bad_lexicon_is_named(lexicon, match):
    with pytest.raises(ValueError, match=match):
        LexiconSentiment(lexicon=lexicon).fit(CORPUS)


@pytest.mark.parametrize("content, match", [
    ("zorp\t3.1\nblick -2.0\n", r"bad.txt', line 2: expected 'word<TAB>valence', got 'blick -2.0'"),
    ("zorp\tthree\n", r"line 1: expected .*'zorp\\tthree'"),
    ("zorp\tnan\n", r"line 1"),
])
def test_malformed_lexicon_file_names_file_and_line(tmp_path, content, match):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        LexiconSentiment(lexicon=path).fit(CORPUS)


@pytest.mark.parametrize("scores, match", [
    ("compound", r"'scores'.*tuple"),
    ((), r"'scores'.*no names"),
    (("compound", "joy"), r"'scores'.*unknown names \['joy'\]"),
    (("pos", "pos"), r"'scores'.*repeated"),
])
def test_bad_scores_are_named(scores, match):
    with pytest.raises(ValueError, match=match):
        LexiconSentiment(scores=scores).fit(CORPUS)


def test_pickle_leaves_the_analyzer_out():
    scorer = LexiconSentiment().fit(CORPUS)
    data = pickle.dumps(scorer)
    assert len(data) < 2_000  # VADER's lexicon is ~7,500 entries; it is reloaded instead
    np.testing.assert_array_equal(pickle.loads(data).transform(CORPUS), scorer.transform(CORPUS))


def test_missing_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "vaderSentiment", None)
    monkeypatch.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn_embed\[lexicon\]"'):
        LexiconSentiment().fit(CORPUS)


def test_in_a_feature_union_and_grid_search():
    union = FeatureUnion([
        ("lexicon", make_pipeline(TextCleaner(lowercase=False), LexiconSentiment())),
        ("vectors", make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d"))),
    ])
    pipe = make_pipeline(union, LogisticRegression())
    search = GridSearchCV(pipe, {"featureunion__lexicon__lexiconsentiment__scores": [
        ("compound",), ("neg", "pos")]}, cv=2).fit(CORPUS * 2, LABELS * 2)
    assert search.best_estimator_.predict(["a wonderful film"]).tolist() == ["pos"]
    names = search.best_estimator_[0].get_feature_names_out()
    assert names[0].startswith("lexicon__") and names[-1] == "vectors__mean49"


def test_real_sentences_are_separated():
    """pang_lee_polarity.cor (gensim's 200 labelled movie-review sentences)."""
    docs, labels = pang_lee()
    compound = LexiconSentiment(scores=("compound",)).fit(docs).transform(docs).ravel()
    accuracy = np.mean((compound > 0) == (np.asarray(labels) == "pos"))
    print(f"pang_lee, sign of VADER compound: accuracy {accuracy:.3f}")
    assert accuracy > 0.6  # VADER alone, no training: clearly better than chance


def test_edited_lexicon_file_is_reread_at_fit_and_refused_after_loading(tmp_path):
    path = tmp_path / "domain.txt"
    path.write_text("zorp\t3.1\n", encoding="utf-8")
    scorer = LexiconSentiment(lexicon=path, scores=("compound",)).fit(["zorp"])
    saved = pickle.dumps(scorer)
    assert scorer.transform(["zorp"])[0, 0] > 0
    path.write_text("zorp\t-3.1\nblick\t1.0\n", encoding="utf-8")
    refitted = LexiconSentiment(lexicon=path, scores=("compound",)).fit(["zorp"])
    assert refitted.transform(["zorp"])[0, 0] < 0 and refitted.lexicon_size_ == 2
    changed = r"domain.txt.*changed since this LexiconSentiment was fitted"
    with pytest.raises(SourceMismatchError, match=changed):
        pickle.loads(saved).transform(["zorp"])
    path.unlink()
    with pytest.raises(SourceMismatchError, match=r"domain.txt.*cannot be loaded here"):
        pickle.loads(saved).transform(["zorp"])


def test_fit_on_no_document_is_allowed():
    # Nothing is learned from the documents: the lexicon is loaded, that is all.
    scorer = LexiconSentiment().fit([])
    assert scorer.transform([]).shape == (0, 4)
    assert scorer.transform(["good"])[0, 3] > 0
    assert LexiconSentiment().fit_transform(["", "  "]).tolist() == [[0.0] * 4] * 2


def _long_review(n_tokens):
    words = ("The movie was GOOD but not great , and I really hated the ending !!! no "
             "never so bad kind of nice at least it isn't horrible :) sort of").split()
    return " ".join((words * (n_tokens // len(words) + 1))[:n_tokens])


def test_long_documents_take_linear_time(assert_linear_time):
    scorer = LexiconSentiment().fit(["x"])
    assert_linear_time(scorer.transform, lambda n: [_long_review(n)], 3_000)


# Words that trigger each of VADER's rules, for comparing with the stock analyzer.
RULE_WORDS = ["good", "GOOD", "bad", "BAD", "great", "hated", "but", "BUT", "not", "isn't", "no",
              "nor", "or", "never", "so", "this", "without", "doubt", "least", "at", "very",
              "kind", "of", "sort", "the", "cut", "mustard", "bus", "stop", "yeah", "right",
              "kiss", "death", "hand", "to", "mouth", ":)", ":(", "!", "?", "??", "lol",
              "\U0001f60d", "\U0001f622", "extremely", "barely", "uber", "a", "horrible"]


@functools.cache
def _stock_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@settings(deadline=None, max_examples=1500)
@given(st.lists(st.sampled_from(RULE_WORDS), max_size=40))
def test_scores_equal_those_of_vader_itself(words):
    doc = " ".join(words)
    expected = _stock_vader().polarity_scores(doc)
    assert LexiconSentiment().fit(["x"]).transform([doc]).tolist() == [list(expected.values())]


def test_long_document_scores_equal_those_of_vader_itself():
    doc = _long_review(3_000)
    expected = _stock_vader().polarity_scores(doc)
    assert LexiconSentiment().fit(["x"]).transform([doc]).tolist() == [list(expected.values())]


@pytest.mark.parametrize("valence", [1e308, -1e7, float("inf")])
def test_out_of_range_valence_in_a_dict_is_named(valence):
    with pytest.raises(ValueError, match=r"'lexicon'.*'zorp'.*at most 1e\+06 in absolute value"
                                         if np.isfinite(valence) else r"'lexicon'.*finite"):
        LexiconSentiment(lexicon={"zorp": valence}).fit(CORPUS)


def test_out_of_range_valence_in_a_file_names_the_line(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("zorp\t3.1\nblick\t1e308\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"big.txt', line 2: the valence 1e\+308 of 'blick' is "
                                         r"beyond 1e\+06"):
        LexiconSentiment(lexicon=path).fit(CORPUS)


def test_largest_accepted_valences_give_finite_scores():
    scorer = LexiconSentiment(lexicon={"zorp": 1e6, "blick": -1e6}).fit(CORPUS)
    X = scorer.transform([" ".join(["zorp"] * 100_000 + ["ZORP", "!!!"]), "blick but zorp"])
    assert np.isfinite(X).all()
