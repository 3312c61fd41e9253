import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from sklearn_embed import EmbeddingVectorizer, SequenceIndexer
from sklearn_embed.text._coverage import SUMMARY_COLUMNS, UNKNOWN_COLUMNS, CoverageReport

# With the tiny vector file (tests/conftest.py TINY_WORDS), counted by hand:
#   doc 0 "A great movie"            tokens great, movie              (both known; "a" is
#                                                                      one letter, no token)
#   doc 1 "a GreatMovie, zzz zzz!"   tokens greatmovie, zzz, zzz      (none known)
#   doc 2 "Dull film"                tokens dull, film                (both known)
DOCS = ["A great movie", "a GreatMovie, zzz zzz!", "Dull film"]
LABELS = ["pos", "pos", "neg"]


@pytest.fixture(params=[EmbeddingVectorizer, SequenceIndexer])
def estimator_class(request):
    return request.param


def test_counts_match_a_hand_count(tiny_vectors_file, estimator_class):
    estimator = estimator_class(str(tiny_vectors_file)).fit(DOCS)
    summary, unknown = estimator.coverage_report(DOCS, y=LABELS)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert summary.index.tolist() == ["(all)", "neg", "pos"]
    everything, neg, pos = (summary.loc[g] for g in ("(all)", "neg", "pos"))
    assert (everything["documents"], everything["tokens"], everything["known_tokens"]) == (3, 7, 4)
    assert everything["token_coverage"] == pytest.approx(4 / 7)
    assert (everything["types"], everything["known_types"]) == (6, 4)
    assert everything["type_coverage"] == pytest.approx(4 / 6)
    assert (pos["documents"], pos["tokens"], pos["known_tokens"]) == (2, 5, 2)
    assert (pos["types"], pos["known_types"]) == (4, 2)
    assert pos["token_coverage"] == pytest.approx(2 / 5)
    assert (neg["tokens"], neg["known_tokens"], neg["token_coverage"]) == (2, 2, 1.0)
    # Nothing is repaired with the default oov="ignore".
    assert summary["repaired_tokens"].eq(0).all()
    assert (summary["token_coverage_repaired"] == summary["token_coverage"]).all()
    assert list(unknown.columns) == list(UNKNOWN_COLUMNS)
    assert unknown["word"].tolist() == ["zzz", "greatmovie"]
    assert unknown["count"].tolist() == [2, 1]
    assert unknown["share"].tolist() == pytest.approx([2 / 7, 1 / 7])
    assert unknown["documents"].tolist() == [1, 1]
    assert unknown["repaired_as"].isna().all()


def test_repaired_tokens_are_counted_apart(tiny_vectors_file, estimator_class):
    estimator = estimator_class(str(tiny_vectors_file), oov="split").fit(DOCS)
    summary, unknown = estimator.coverage_report(DOCS)
    everything = summary.loc["(all)"]
    assert (everything["known_tokens"], everything["repaired_tokens"]) == (4, 1)
    assert everything["token_coverage"] == pytest.approx(4 / 7)
    assert everything["token_coverage_repaired"] == pytest.approx(5 / 7)
    assert everything["type_coverage_repaired"] == pytest.approx(5 / 6)
    assert unknown.set_index("word")["repaired_as"].to_dict() == {
        "zzz": None, "greatmovie": "great movie"}


def test_report_differs_from_the_indexers_coverage_(tiny_vectors_file):
    # coverage_: distinct words of the fitted vocabulary found in the source;
    # the report: occurrences in the documents given.
    indexer = SequenceIndexer(str(tiny_vectors_file)).fit(DOCS)
    assert indexer.coverage_ == pytest.approx(4 / 6)
    summary, _ = indexer.coverage_report(DOCS)
    assert summary.loc["(all)", "token_coverage"] == pytest.approx(4 / 7)
    assert summary.loc["(all)", "type_coverage"] == pytest.approx(indexer.coverage_)


def test_top_limits_the_unknown_words(tiny_vectors_file):
    vectorizer = EmbeddingVectorizer(str(tiny_vectors_file)).fit(DOCS)
    assert vectorizer.coverage_report(DOCS, top=1).unknown["word"].tolist() == ["zzz"]
    empty = vectorizer.coverage_report(DOCS, top=0).unknown
    assert empty.empty and list(empty.columns) == list(UNKNOWN_COLUMNS)


def test_report_is_a_named_tuple_of_dataframes(tiny_vectors_file):
    report = EmbeddingVectorizer(str(tiny_vectors_file)).fit(DOCS).coverage_report(DOCS)
    assert isinstance(report, CoverageReport)
    assert isinstance(report.summary, pd.DataFrame) and isinstance(report.unknown, pd.DataFrame)
    assert report.summary.index.tolist() == ["(all)"]


def test_documents_without_tokens_give_nan_shares(tiny_vectors_file):
    vectorizer = EmbeddingVectorizer(str(tiny_vectors_file)).fit(DOCS)
    summary, unknown = vectorizer.coverage_report(["", "!"], y=np.array([0, 1]))
    assert summary["tokens"].eq(0).all()
    assert summary["token_coverage"].isna().all()
    assert unknown.empty


def test_trained_source_of_an_indexer_knows_its_vocabulary():
    indexer = SequenceIndexer("random", random_state=0).fit(["the cat sat"])
    summary, unknown = indexer.coverage_report(["the dog sat"])
    assert summary.loc["(all)", "known_tokens"] == 2
    assert unknown["word"].tolist() == ["dog"]


def test_fasttext_unknown_words_count_as_repaired():
    from gensim.models import FastText

    model = FastText(vector_size=4, min_count=1, min_n=2, max_n=3, seed=0, workers=1)
    sentences = [["great", "movie"], ["dull", "film"]]
    model.build_vocab(sentences)
    model.train(sentences, total_examples=2, epochs=1)
    vectorizer = EmbeddingVectorizer(model.wv).fit(["great movie"])
    summary, unknown = vectorizer.coverage_report(["great moviez"])
    assert (summary.loc["(all)", "known_tokens"], summary.loc["(all)", "repaired_tokens"]) == (1, 1)
    assert unknown["repaired_as"].tolist() == ["(subwords of the source)"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"y": ["pos"]}, ValueError, r"y must hold one label per document: got shape \(1,\) for 3"),
    ({"top": -1}, ValueError, r"top=-1 is not valid"),
    ({"top": 2.5}, ValueError, r"top=2.5 is not valid"),
])
def test_bad_arguments_are_named(tiny_vectors_file, kwargs, error, match):
    vectorizer = EmbeddingVectorizer(str(tiny_vectors_file)).fit(DOCS)
    with pytest.raises(error, match=match):
        vectorizer.coverage_report(DOCS, **kwargs)


def test_bare_string_is_rejected(tiny_vectors_file):
    vectorizer = EmbeddingVectorizer(str(tiny_vectors_file)).fit(DOCS)
    with pytest.raises(ValueError, match="wrap a single document in a list"):
        vectorizer.coverage_report("a great movie")


def test_unfitted_and_sourceless_estimators_are_refused():
    with pytest.raises(NotFittedError):
        EmbeddingVectorizer().coverage_report(DOCS)
    indexer = SequenceIndexer(source=None).fit(DOCS)
    with pytest.raises(ValueError, match=r"SequenceIndexer\(source=None\) has no embedding "
                                         "source"):
        indexer.coverage_report(DOCS)
