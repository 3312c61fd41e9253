"""AdaptedSource: pretrained vectors trained further in fit on in-domain text."""

import copy
import pickle

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_embed import AdaptedSource, EmbeddingVectorizer, SequenceIndexer
from sklearn_embed.sources import (
    clear_cache,
    is_trained_source,
    load_source,
    resolve_source,
)
from tests.conftest import TINY_WORDS

POSITIVE = ["great", "wonderful", "moving"]
NEGATIVE = ["dull", "boring", "terrible"]


def domain_corpus(n=300, seed=0):
    """Template reviews from the tiny vector file's words, plus 'zorbly' and 'blorft',
    which the base does not know and which stand where positive and negative words do."""
    rng = np.random.default_rng(seed)
    documents = []
    for i in range(n):
        positive = i % 2 == 0
        words = POSITIVE + ["zorbly"] if positive else NEGATIVE + ["blorft"]
        documents.append(f"{rng.choice(words)} movie with a {rng.choice(words)} cast "
                         f"and the {rng.choice(words)} story, {'loved' if positive else 'hated'} "
                         "this film")
    return documents


def fitted_vectors(source, documents, random_state=0):
    return EmbeddingVectorizer(source=source, random_state=random_state).fit(documents)._vectors


def vector(vectors, word):
    return np.asarray(vectors.vectors[vectors.key_to_index[word]])


@pytest.fixture
def base(tiny_vectors_file):
    return str(tiny_vectors_file)


def test_same_seed_same_vectors_other_seed_other_vectors(base):
    documents = domain_corpus()
    source = AdaptedSource(base, epochs=2)
    first, again = fitted_vectors(source, documents), fitted_vectors(source, documents)
    assert first.index_to_key == again.index_to_key
    np.testing.assert_array_equal(first.vectors, again.vectors)
    other = fitted_vectors(source, documents, random_state=1)
    assert not np.allclose(first.vectors, other.vectors)


def test_base_words_move_from_their_start_more_with_more_drift(base):
    documents = domain_corpus()
    start = load_source(base)
    # One-letter words are no tokens (the default token_pattern).
    shared = [w for w in TINY_WORDS if len(w) > 1 and w in " ".join(documents).split()]

    def moved(drift):
        vectors = fitted_vectors(AdaptedSource(base, drift=drift, epochs=3), documents)
        return np.mean([np.linalg.norm(vector(vectors, w) - vector(start, w)) for w in shared])

    # 0 freezes the base words: they keep their vectors exactly.
    assert moved(0.0) == 0.0
    small, large = moved(0.05), moved(1.0)
    assert 0 < small < large


def test_new_words_are_learned_from_their_contexts(base):
    # drift=0 keeps the base space fixed, so the new words must be placed in it.
    vectors = fitted_vectors(AdaptedSource(base, drift=0.0, epochs=20), domain_corpus())
    assert {"zorbly", "blorft"} <= set(vectors.key_to_index)

    def cos(a, b):
        a, b = vector(vectors, a), vector(vectors, b)
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)

    def mean_cos(word, group):
        return np.mean([cos(word, other) for other in group])

    # The two start alike and share the templates' slots: what tells them apart
    # is only the company they keep.
    assert mean_cos("zorbly", POSITIVE) > mean_cos("blorft", POSITIVE)
    assert mean_cos("blorft", NEGATIVE) > mean_cos("zorbly", NEGATIVE)


def test_min_count_applies_to_new_words_only(base):
    documents = domain_corpus() + ["acting qwzx"]  # 'acting' (in the base) and 'qwzx' once
    vectors = fitted_vectors(AdaptedSource(base, min_count=2, epochs=1), documents)
    assert "acting" in vectors.key_to_index
    assert "qwzx" not in vectors.key_to_index
    assert vectors.vector_size == 8  # the base's dimension


@pytest.mark.parametrize("form", ["list", "txt", "parquet"])
def test_unlabelled_corpus_is_trained_on(base, tmp_path, form):
    unlabelled = domain_corpus(60) + ["the snorkfest movie"] * 5
    if form == "txt":
        path = tmp_path / "corpus.txt"
        path.write_text("\n".join(unlabelled) + "\n", encoding="utf-8")
        unlabelled = path
    elif form == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = tmp_path / "corpus.parquet"
        pq.write_table(pa.table({"text": unlabelled, "other": [1] * len(unlabelled)}), path)
        unlabelled = str(path)
    vectors = fitted_vectors(AdaptedSource(base, unlabelled, epochs=1), ["a great film"])
    assert "snorkfest" in vectors.key_to_index


def test_unlabelled_is_tokenised_by_the_estimator(base):
    # The estimator keeps one-letter tokens and case: so must the source's corpus.
    unlabelled = ["X Y x"] * 10
    vectorizer = EmbeddingVectorizer(source=AdaptedSource(base, unlabelled, epochs=1),
                                     token_pattern=r"\w+", lowercase=False,
                                     random_state=0).fit(["a movie"])
    assert {"X", "Y", "x"} <= set(vectorizer._vectors.key_to_index)


def test_without_fitted_texts_the_vectors_are_trained_once(base):
    source = AdaptedSource(base, domain_corpus(), epochs=1, fitted_texts=False)
    first = fitted_vectors(source, ["a great film"])
    second = fitted_vectors(source, ["the dull story"])
    assert first is second  # the folds of a cross-validation share one training
    assert fitted_vectors(source, ["a great film"], random_state=1) is not first
    clear_cache()
    assert fitted_vectors(source, ["a great film"]) is not first


def test_clone_shares_the_source_and_pickle_keeps_the_learned_vectors(base):
    source = AdaptedSource(base, domain_corpus(), epochs=1)
    assert is_trained_source(source)
    assert copy.deepcopy(source) is source
    vectorizer = EmbeddingVectorizer(source=source, random_state=0)
    assert clone(vectorizer).source is source
    documents = ["a zorbly movie", "the blorft story"]
    vectorizer.fit(documents)
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert restored.source == source and hash(restored.source) == hash(source)
    np.testing.assert_array_equal(restored.transform(documents), vectorizer.transform(documents))


def test_grid_search_over_drift(base, corpus):
    documents, labels = corpus
    grid = {"embeddingvectorizer__source": [AdaptedSource(base, drift=d, epochs=1, min_count=1)
                                            for d in (0.0, 1.0)]}
    pipe = make_pipeline(EmbeddingVectorizer(random_state=0), LogisticRegression())
    search = GridSearchCV(pipe, grid, cv=2).fit(documents, labels)
    assert search.best_params_["embeddingvectorizer__source"] in grid[
        "embeddingvectorizer__source"]


def test_sequence_indexer_takes_it(base, corpus):
    documents, _ = corpus
    indexer = SequenceIndexer(source=AdaptedSource(base, epochs=1, min_count=1),
                              random_state=0).fit(documents)
    assert indexer.embedding_matrix_.shape[1] == 8
    assert indexer.coverage_ == 1.0


def test_repr_is_short_and_shows_what_differs_from_the_defaults():
    source = AdaptedSource(unlabelled=["a b"] * 1000, drift=0.5)
    assert repr(source) == "AdaptedSource(unlabelled=<1000 documents>, drift=0.5)"


@pytest.mark.parametrize("kwargs, error, match", [
    ({"drift": 1.5}, ValueError, r"drift must be a number from 0 .* to 1 .*got 1\.5"),
    ({"drift": "much"}, ValueError, r"drift must be .*got 'much'"),
    ({"epochs": 0}, ValueError, r"epochs must be an int >= 1; got 0"),
    ({"window": 2.5}, ValueError, r"window must be an int >= 1; got 2\.5"),
    ({"min_count": True}, ValueError, r"min_count must be an int >= 1; got True"),
    ({"skipgram": "yes"}, TypeError, r"skipgram must be True or False; got 'yes'"),
    ({"vector_size": 0}, ValueError, r"vector_size must be None .* or an int >= 1; got 0"),
    ({"unlabelled": 5}, TypeError, r"unlabelled must be a path .* got int"),
    ({"unlabelled": ["ok", None]}, TypeError, r"position 1 is NoneType None.*fillna"),
    ({"fitted_texts": False}, ValueError, r"fitted_texts=False trains on unlabelled alone"),
    ({"base": KeyedVectors(2)}, TypeError, r"base must be a registered name or a path.*"
                                           r"register_source"),
])
def test_bad_parameters_are_refused_where_the_source_is_written(kwargs, error, match):
    with pytest.raises(error, match=match):
        AdaptedSource(**kwargs)


def test_missing_corpus_file_and_parquet_without_text_column(base, tmp_path):
    missing = AdaptedSource(base, tmp_path / "nope.txt")
    with pytest.raises(FileNotFoundError, match=r"unlabelled=.*nope\.txt' names no file"):
        fitted_vectors(missing, ["a film"])
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"review": ["a film"]}), path)
    with pytest.raises(ValueError, match=r"has no 'text' column \(columns: review\)"):
        fitted_vectors(AdaptedSource(base, path), ["a film"])


def test_it_is_trained_in_fit_not_loaded(base):
    source = AdaptedSource(base, ["a film"])
    with pytest.raises(ValueError, match=r"trained on the texts an estimator is fitted on"):
        load_source(source)
    with pytest.raises(ValueError, match=r"tokenises its unlabelled corpus with the "
                                         r"estimator's tokenizer"):
        resolve_source(source, lambda: [["a"]], 0)
    with pytest.raises(ValueError, match=r"hold no tokens"):
        resolve_source(AdaptedSource(base), lambda: [[]], 0)


def test_a_larger_vector_size_keeps_the_base_in_the_first_coordinates(base):
    start = load_source(base)
    vectors = fitted_vectors(AdaptedSource(base, drift=0.0, epochs=1, vector_size=12),
                             domain_corpus(40))
    assert vectors.vector_size == 12
    np.testing.assert_array_equal(vector(vectors, "movie")[:8], vector(start, "movie"))
    with pytest.raises(ValueError, match=r"vector_size=4 is smaller than the dimension of "
                                         r"base=.* \(8\); give at least 8, or None"):
        fitted_vectors(AdaptedSource(base, vector_size=4), domain_corpus(4))


@pytest.mark.parametrize("estimator", [EmbeddingVectorizer, SequenceIndexer])
def test_estimators_with_it_pass_the_common_text_checks(base, estimator):
    from sklearn_embed.utils.estimator_checks import check_text_estimator

    source = AdaptedSource(base, domain_corpus(20), epochs=1, min_count=1)
    check_text_estimator(estimator(source=source, random_state=0))
