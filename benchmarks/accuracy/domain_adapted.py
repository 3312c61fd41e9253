r"""Domain-adapted vectors (``AdaptedSource``) against plain GloVe, pooled and fed to LR.

Usage::

    python -m benchmarks.accuracy.domain_adapted --task imdb200
    python -m benchmarks.accuracy.domain_adapted --task imdb200 --drift 1 --window 10 \
        --vector-size 100
    python -m benchmarks.accuracy.domain_adapted --task mr --task subj --task cr --task mpqa \
        --epochs 20 --min-count 2
    python -m benchmarks.accuracy.domain_adapted --task mr --task cr --corpus imdb
    python -m benchmarks.accuracy.domain_adapted --task imdb200 --drift 1 --window 10 \
        --vector-size 300 --weighting sif --semi-supervised

``imdb200``: 200 labelled training reviews, mean test accuracy over 5 draws on the full test
split (the draws of ``best_pipelines.imdb_200_reviews``); the vectors are trained without
labels on the 25,000 train texts and the 50,000 unlabelled reviews, cleaned by ``TextCleaner``.
``mr``/``subj``/``cr``/``mpqa``: 10-fold cross-validation on the fixed folds; the vectors are
trained without labels on the texts of all ten folds (transductive: the held-out texts are
seen, never their labels), or with ``--corpus imdb`` on the IMDB corpus of ``imdb200`` (the
75,000 IMDB reviews without labels; the vectors are then shared with ``imdb200``).

``--weighting`` sets ``EmbeddingVectorizer(weighting=...)`` in every pipeline (``"sif"`` or
``"tfidf"``; the weights are fitted with the pipeline, on the 200 labelled reviews).
``--semi-supervised`` (``imdb200`` only) adds, for each source, rows that use the 75,000
unlabelled texts as well as the 200 labels of each draw:

- ``unlabelled-fitted LR``: the vectorizer (and its weights) fitted on the 75,000 texts, then LR
  on the 200 labelled reviews;
- ``self-training LR``: ``SelfTrainingClassifier(LogisticRegression())`` (its defaults: threshold
  0.75, 10 iterations) on the 200 labelled and the 74,800 other texts, labelled -1;
- ``→ tf-idf student``: each of these two teachers labels the 74,800 other texts, and a
  ``LogisticRegression()`` on word and bigram tf-idf (fitted on the 75,000 texts) learns from
  those predictions plus the 200 true labels. The student sees the words themselves, where the
  teacher sees their pooled vectors; it is scored alone, not averaged with the teacher.

The test texts are only scored, never fitted on; every setting is a default fixed in advance.

Trained vectors are cached on disk between runs, under
``$SKLEARN_EMBED_CACHE/benchmarks/domain_adapted`` (``~/.cache/sklearn_embed/...`` when the
variable is unset), keyed by the source's parameters, the seed and a digest of the corpus.
"""

import argparse
import hashlib
import os
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.semi_supervised import SelfTrainingClassifier

from sklearn_embed import AdaptedSource, EmbeddingVectorizer, TextCleaner
from sklearn_embed.datasets import load_imdb, load_imdb_unsup, load_short_sentences
from sklearn_embed.sources import Vectors, register_source, resolve_source

CACHE = (Path(os.environ.get("SKLEARN_EMBED_CACHE", "~/.cache/sklearn_embed")).expanduser()
         / "benchmarks" / "domain_adapted")
SHORT = ("mr", "subj", "cr", "mpqa")


def _digest(texts):
    digest = hashlib.blake2b(digest_size=8)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def cleaned(texts, tag):
    """``TextCleaner().fit_transform(texts)``, cached on disk (75,000 reviews take minutes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = CACHE / f"cleaned-{tag}-{_digest(texts)}.parquet"
    if not path.is_file():
        start = time.perf_counter()
        out = list(TextCleaner().fit_transform(texts))
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"text": out}), path)
        print(f"  cleaned {len(texts)} {tag} texts in {time.perf_counter() - start:.0f} s",
              flush=True)
    return path


def adapted_vectors(source, seed):
    """The vectors ``source`` learns (``fitted_texts=False``), trained once and kept on disk."""
    corpus = source.unlabelled
    corpus_id = corpus if isinstance(corpus, str) else _digest(corpus)
    key = hashlib.blake2b(repr((source.base, source.drift, source.epochs, source.window,
                                source.min_count, source.skipgram, corpus_id, seed)
                               + ((source.vector_size,) if source.vector_size else ())).encode(),
                          digest_size=8).hexdigest()
    folder = CACHE / f"vectors-{key}"
    if (folder / "vectors.npy").is_file():
        words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")
        return Vectors(np.load(folder / "vectors.npy"), words, repr(source)), None
    analyzer = EmbeddingVectorizer().build_analyzer()
    start = time.perf_counter()
    vectors = resolve_source(source, None, seed,
                             tokenize=lambda documents: [analyzer(d) for d in documents])
    seconds = time.perf_counter() - start
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "vectors.npy", vectors.vectors)
    (folder / "words.txt").write_text("\n".join(vectors.index_to_key), encoding="utf-8")
    print(f"  trained {source!r}: {len(vectors)} words in {seconds:.0f} s", flush=True)
    return vectors, seconds


def _named(vectors, name):
    # In memory only: the benchmark must not leave names in the user's cache folder.
    register_source(name, vectors, persist=False, overwrite=True)
    return name


def imdb_corpus(data=None):
    """The 25,000 train texts and the 50,000 unlabelled reviews, cleaned, without labels."""
    data = load_imdb() if data is None else data
    return cleaned(list(data.X_train) + list(load_imdb_unsup()), "imdb-train+unsup")


def imdb200(args, seed=0, draws=5, size=200):
    """Mean test accuracy of GloVe and adapted vectors with 200 labelled reviews."""
    data = load_imdb()
    corpus = imdb_corpus(data)
    test = pq_texts(cleaned(list(data.X_test), "imdb-test"))
    train = pq_texts(cleaned(list(data.X_train), "imdb-train"))
    y_train, y_test = np.asarray(data.y_train), np.asarray(data.y_test)
    sources = {"glove-6b-50d": ("glove-6b-50d", 0.0)}
    for drift in args.drift:
        source = AdaptedSource(unlabelled=str(corpus), drift=drift, epochs=args.epochs,
                               window=args.window, min_count=args.min_count,
                               skipgram=args.skipgram, vector_size=args.vector_size,
                               fitted_texts=False)
        vectors, seconds = adapted_vectors(source, seed)
        label = repr(source).replace(repr(str(corpus)), "<imdb train+unsup>")
        sources[label] = (_named(vectors, f"bench-imdb-adapted-{drift}"), seconds)
    drawn = [np.random.default_rng([seed, d]).permutation(len(train))[:size]
             for d in range(draws)]
    rows = []
    for label, (name, seconds) in sources.items():
        scores = []
        for draw in drawn:
            pipe = make_pipeline(EmbeddingVectorizer(name, weighting=args.weighting,
                                                     random_state=0),
                                 LogisticRegression(max_iter=2000))
            pipe.fit([train[i] for i in draw], y_train[draw])
            scores.append(100 * pipe.score(test, y_test))
        rows.append(_row(_described(label, args.weighting), scores, seconds))
    if args.semi_supervised:
        texts = pq_texts(corpus)
        # The corpus starts with the train texts, so a draw's indices point into it too.
        if texts[:len(train)] != train:
            raise RuntimeError(f"{corpus} does not start with the cleaned train texts; delete "
                               f"the cached parquet files under {CACHE} and run again.")
        tfidf = _tfidf(texts, test)
        for label, (name, seconds) in sources.items():
            rows += semi_supervised(label, name, seconds, texts, test, y_train, y_test,
                                    drawn, args.weighting, tfidf)
    return rows


def _row(label, scores, seconds):
    print(f"  {label}: {np.mean(scores):.2f}, draws {', '.join(f'{s:.1f}' for s in scores)}",
          flush=True)
    return label, float(np.mean(scores)), seconds


def _tfidf(texts, test):
    """Word and bigram tf-idf of the unlabelled corpus and of the test texts."""
    start = time.perf_counter()
    # Common settings for review sentiment, fixed before any run, not tuned.
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=5, max_df=0.5, sublinear_tf=True,
                                 dtype=np.float32)
    features = vectorizer.fit_transform(texts), vectorizer.transform(test)
    print(f"  tf-idf: {features[0].shape[1]} features in {time.perf_counter() - start:.0f} s",
          flush=True)
    return features


def semi_supervised(label, name, seconds, texts, test, y_train, y_test, draws, weighting,
                    tfidf):
    """Rows of the two teachers (LR, self-training) and of their tf-idf students."""
    start = time.perf_counter()
    # Fitted once on the unlabelled corpus, which holds every draw's 200 texts: no label
    # reaches the features, so each draw only refits the classifiers.
    vectorizer = EmbeddingVectorizer(name, weighting=weighting, random_state=0).fit(texts)
    pooled, pooled_test = vectorizer.transform(texts), vectorizer.transform(test)
    print(f"  pooled {len(texts) + len(test)} texts in {time.perf_counter() - start:.0f} s",
          flush=True)
    words, words_test = tfidf
    classes, codes = np.unique(y_train, return_inverse=True)
    codes_test = np.searchsorted(classes, y_test)
    scores = {}
    for draw in draws:
        # -1 marks the unlabelled texts for SelfTrainingClassifier.
        partial = np.full(len(texts), -1)
        partial[draw] = codes[draw]
        teachers = {
            "unlabelled-fitted LR": LogisticRegression(max_iter=2000).fit(pooled[draw],
                                                                       codes[draw]),
            "self-training LR": SelfTrainingClassifier(LogisticRegression(max_iter=2000))
            .fit(pooled, partial),
        }
        for teacher_name, teacher in teachers.items():
            pseudo = teacher.predict(pooled)
            pseudo[draw] = codes[draw]
            student = LogisticRegression(max_iter=2000).fit(words, pseudo)
            for row, model, X in [(teacher_name, teacher, pooled_test),
                                  (f"{teacher_name} → tf-idf student", student, words_test)]:
                scores.setdefault(row, []).append(100 * np.mean(model.predict(X) == codes_test))
    return [_row(f"{_described(label, weighting)}, {row}", row_scores, seconds)
            for row, row_scores in scores.items()]


def _described(label, weighting):
    return f"{label}, weighting={weighting!r}" if weighting else label


def pq_texts(path):
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read().column("text").to_pylist()


def short_sentences(name, args, seed=0):
    """10-fold CV accuracy of GloVe and adapted vectors on one of MR/Subj/CR/MPQA."""
    X, y, fold = load_short_sentences(name, return_X_y=True)
    cv = PredefinedSplit(np.asarray(fold))
    if args.corpus == "imdb":
        corpus = str(imdb_corpus())
    else:
        corpus = tuple(X)
    sources = {"glove-6b-50d": ("glove-6b-50d", 0.0)}
    for drift in args.drift:
        source = AdaptedSource(unlabelled=corpus, drift=drift, epochs=args.epochs,
                               window=args.window, min_count=args.min_count,
                               skipgram=args.skipgram, vector_size=args.vector_size,
                               fitted_texts=False)
        vectors, seconds = adapted_vectors(source, seed)
        label = repr(source).replace(repr(corpus), "<imdb train+unsup>")
        sources[label] = (_named(vectors, f"bench-{name}-adapted-{drift}"), seconds)
    rows = []
    for label, (source_name, seconds) in sources.items():
        pipe = make_pipeline(EmbeddingVectorizer(source_name, weighting=args.weighting,
                                                 random_state=0),
                             LogisticRegression(max_iter=2000))
        scores = 100 * cross_val_score(pipe, X, y, cv=cv)
        label = _described(label, args.weighting)
        rows.append((label, float(scores.mean()), seconds))
        print(f"  {name} {label}: {scores.mean():.2f}", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", choices=["imdb200", *SHORT])
    parser.add_argument("--drift", type=float, action="append",
                        help="AdaptedSource drift; repeat for several (default 0.1 and 1)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--skipgram", action="store_true")
    parser.add_argument("--vector-size", type=int, default=None)
    parser.add_argument("--weighting", choices=["sif", "tfidf"], default=None,
                        help="EmbeddingVectorizer weighting (default: plain mean)")
    parser.add_argument("--semi-supervised", action="store_true",
                        help="imdb200: add the self-training and tf-idf student rows")
    parser.add_argument("--corpus", choices=["own", "imdb"], default="own",
                        help="unlabelled text of the short-sentence tasks: all folds' texts, "
                             "or the 75,000 IMDB reviews of imdb200")
    args = parser.parse_args(argv)
    args.drift = args.drift or [0.1, 1.0]
    table = []
    for task in args.task or ["imdb200", *SHORT]:
        print(f"{task}:", flush=True)
        rows = imdb200(args) if task == "imdb200" else short_sentences(task, args)
        baseline = rows[0][1]
        table += [(task, label, acc, acc - baseline, seconds) for label, acc, seconds in rows]
    print(f"\n{'task':<9}{'acc':>7}{'vs GloVe':>9}{'train s':>9}  source")
    for task, label, acc, gain, seconds in table:
        trained = "cached" if seconds is None else f"{seconds:.0f}"
        print(f"{task:<9}{acc:>7.2f}{gain:>+9.2f}{trained:>9}  {label}")


if __name__ == "__main__":
    main()
