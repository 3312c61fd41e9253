"""EmbeddingVectorizer against CountVectorizer, a per-token loop and the peers, on IMDB test.

Usage::

    python -m benchmarks.speed.bench_vectorizer            # all 25,000 test reviews
    python -m benchmarks.speed.bench_vectorizer --n-docs 2000 --repeat 1

Prints one table; every time is also given as a ratio to ``CountVectorizer.transform`` on the
same text, measured in the same run. Target: EmbeddingVectorizer mean at most 0.4x
CountVectorizer.transform.  Rows marked "Python tokenizer" force the ``re`` path that the
compiled tokenizer replaces (``_compiled_tokens.python_tokenizer``), so before and after are
measured in one run; ``--only-tokenizer`` measures those rows and the baseline only.
"""

import argparse
import io
import re
import subprocess
import sys
import time

import joblib
import numpy as np


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def fresh_process_load_time(source):
    """(import seconds, load seconds) of ``source`` in a new interpreter."""
    code = ("import time; t=time.perf_counter(); from sklearn_embed.sources import load_source;"
            f"u=time.perf_counter(); load_source({source!r}); v=time.perf_counter();"
            "print(u-t, v-u)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return tuple(float(x) for x in out.stdout.split())


def per_token_loop(docs, vectors):
    pattern = re.compile(r"(?u)\b\w\w+\b")
    index, matrix = vectors.key_to_index, vectors.vectors
    out = np.zeros((len(docs), vectors.vector_size), dtype=np.float32)
    for i, doc in enumerate(docs):
        rows = [matrix[index[t]] for t in pattern.findall(doc.lower()) if t in index]
        if rows:
            out[i] = np.mean(rows, axis=0)
    return out


def tokenizer_rows(docs, train, repeat, count, EmbeddingVectorizer, SequenceIndexer,
                   python_tokenizer):
    """Compiled tokenizer against the ``re`` path, through both estimators' transform.

    Returns the best ``count.transform`` time and the rows. Each round times the baseline
    and every row once, both paths alternated, so that all of them see the same load on a
    shared machine; each figure is the best of ``repeat`` rounds.
    """
    from sklearn_embed.text._tokenizer import iter_token_chunks

    vec = EmbeddingVectorizer("glove-6b-50d").fit(train[:100])
    indexer = SequenceIndexer(source=None).fit(train)
    steps = [("tokenising into chunks", lambda: list(iter_token_chunks(docs))),
             ("EmbeddingVectorizer mean", lambda: vec.transform(docs)),
             ("SequenceIndexer", lambda: indexer.transform(docs))]
    baseline, compiled, before = [], [[] for _ in steps], [[] for _ in steps]
    for _ in range(repeat):
        baseline.append(best_of(lambda: count.transform(docs), 1))
        for i, (_, run) in enumerate(steps):
            compiled[i].append(best_of(run, 1))
            with python_tokenizer():
                before[i].append(best_of(run, 1))
    rows = []
    for (label, _), after, past in zip(steps, compiled, before):
        rows += [(f"{label}, compiled tokenizer", min(after)),
                 (f"{label}, Python tokenizer", min(past))]
    # Both paths give the same output (the tests check the tokens on any text).
    with python_tokenizer():
        expected = vec.transform(docs[:2000]), indexer.transform(docs[:2000])
    assert np.array_equal(vec.transform(docs[:2000]), expected[0])
    assert np.array_equal(indexer.transform(docs[:2000]), expected[1])
    return min(baseline), rows


def print_rows(rows, baseline):
    print(f"\n{'step':<50}{'seconds':>9}{'vs CountVectorizer':>20}")
    for label, seconds in rows:
        print(f"{label:<50}{seconds:>9.3f}{seconds / baseline:>19.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--n-docs", type=int, default=None, help="first N test reviews only")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per row")
    parser.add_argument("--only-tokenizer", action="store_true",
                        help="only the baseline and the compiled-vs-Python tokenizer rows")
    args = parser.parse_args(argv)

    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from sklearn_embed import EmbeddingVectorizer, SequenceIndexer, TextCleaner
    from sklearn_embed.datasets import load_imdb
    from sklearn_embed.sources import load_source
    from sklearn_embed.text._compiled_tokens import python_tokenizer

    data = load_imdb(args.data_home)
    docs = data.X_test[: args.n_docs] if args.n_docs else data.X_test
    train, y_train = data.X_train, data.y_train
    if args.n_docs:
        pick = np.random.default_rng(0).permutation(len(train))[: args.n_docs]
        train, y_train = [train[i] for i in pick], y_train[pick]
    n_tokens = sum(len(t) for t in map(re.compile(r"(?u)\b\w\w+\b").findall, docs))
    print(f"IMDB test split: {len(docs)} reviews, {n_tokens} tokens; best of {args.repeat}\n")

    rows = []
    load_seconds = None if args.only_tokenizer else fresh_process_load_time("glove-6b-50d")
    vectors = load_source("glove-6b-50d")

    count = CountVectorizer().fit(train)
    baseline = best_of(lambda: count.transform(docs), 1 if args.only_tokenizer else args.repeat)
    interleaved, compiled_rows = tokenizer_rows(docs, train, args.repeat, count,
                                                EmbeddingVectorizer, SequenceIndexer,
                                                python_tokenizer)
    baseline = min(baseline, interleaved)
    rows.append(("CountVectorizer.transform (baseline)", baseline))
    rows += compiled_rows
    if args.only_tokenizer:
        print_rows(rows, baseline)
        return
    pattern = re.compile(r"(?u)\b\w\w+\b")
    rows.append(("regex-only tokenising pass",
                 best_of(lambda: [pattern.findall(d.lower()) for d in docs], args.repeat)))
    rows.append(("per-token Python loop, mean",
                 best_of(lambda: per_token_loop(docs, vectors), max(1, args.repeat - 2))))

    vec = EmbeddingVectorizer("glove-6b-50d").fit(train[:100])
    for label, params in [("EmbeddingVectorizer mean", {}),
                          ("EmbeddingVectorizer mean+max", {"pooling": ("mean", "max")}),
                          ("EmbeddingVectorizer mean, n_jobs=2", {"n_jobs": 2})]:
        vec.set_params(**{"pooling": "mean", "n_jobs": None, **params})
        vec.transform(docs[:50])  # start worker processes outside the timing
        rows.append((label, best_of(lambda: vec.transform(docs), args.repeat)))
    reference = per_token_loop(docs[:500], vectors)
    vec.set_params(pooling="mean", n_jobs=None)
    assert np.allclose(vec.transform(docs[:500]), reference, atol=1e-5)

    try:
        from gensim.models import KeyedVectors
        from zeugma.embeddings import EmbeddingTransformer

        kv = KeyedVectors(vector_size=vectors.vector_size)
        kv.add_vectors(vectors.index_to_key, np.asarray(vectors.vectors))
        zeugma = EmbeddingTransformer(kv, aggregation="average")
        rows.append(("zeugma EmbeddingTransformer, average",
                     best_of(lambda: zeugma.transform(docs), 1)))
    except Exception as exc:  # an optional peer: report, do not fail
        print(f"zeugma not measured: {exc!r}")
    try:
        from embetter.text import Word2VecEncoder  # noqa: F401
        print("embetter Word2VecEncoder found but not wired into this benchmark")
    except ImportError:
        try:
            import embetter

            print(f"embetter {getattr(embetter, '__version__', '?')} has no Word2VecEncoder "
                  "(removed upstream); not measured")
        except ImportError:
            print("embetter is not installed; not measured")

    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer("glove-6b-50d"),
                         LogisticRegression(max_iter=1000)).fit(train, y_train)
    buffer = io.BytesIO()
    joblib.dump(pipe, buffer)

    print_rows(rows, baseline)
    print(f"\n{'import sklearn_embed, fresh process':<42}{load_seconds[0]:>9.3f}")
    print(f"{'load glove-6b-50d, fresh process':<42}{load_seconds[1]:>9.3f}")
    print(f"{'fitted clean+embed+LR pipeline, joblib':<42}{len(buffer.getvalue()) / 1024:>8.1f} kB")


if __name__ == "__main__":
    main()
