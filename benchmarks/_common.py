"""What the benchmark scripts share: command-line options, subsets, timing,
tables, the data folder and a disk cache of sentence embeddings.

The scripts run as modules from the repository root
(``python -m benchmarks.tutorials.tweets_lstm``) and import this module as
``benchmarks._common``.
"""

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.model_selection import train_test_split

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "results"
SENTENCE_CACHE = RESULTS / "sentence_cache"


# -- command line --------------------------------------------------------------


def vector_pipeline(source, classifier):
    """TextCleaner → EmbeddingVectorizer(source) → classifier."""
    from sklearn.pipeline import Pipeline

    from sklearn_embed import EmbeddingVectorizer, TextCleaner

    return Pipeline([("clean", TextCleaner()),
                     ("features", EmbeddingVectorizer(source, random_state=0)),
                     ("head", classifier)])


def sequence_pipeline(head, maxlen, max_features=50_000):
    """TextCleaner → SequenceIndexer(GloVe, maxlen, max_features) → a neural head."""
    from sklearn.pipeline import Pipeline

    from sklearn_embed import SequenceIndexer, TextCleaner

    return Pipeline([("clean", TextCleaner()),
                     ("features", SequenceIndexer("glove-6b-50d", maxlen=maxlen,
                                                  max_features=max_features)),
                     ("head", head)])


def lexicon_pipeline(classifier):
    """TextCleaner (for VADER) → LexiconSentiment → classifier.

    VADER reads case, punctuation and emojis, so only links, @mentions and #hashtags
    are removed; the text keeps the bytes it was published with (on the coronavirus
    tweets, fixing the mojibake moves the scores away from the labels).
    """
    from sklearn.pipeline import Pipeline

    from sklearn_embed import LexiconSentiment, TextCleaner

    cleaner = TextCleaner(fix_mojibake=False, hashtags="remove", abbreviations=False,
                          emojis="keep", lowercase=False, remove_symbols=False)
    return Pipeline([("clean", cleaner), ("features", LexiconSentiment()),
                     ("head", classifier)])


def make_parser(doc):
    """A parser with the options every seed script takes; ``doc`` is its ``__doc__``."""
    parser = argparse.ArgumentParser(
        description=doc.splitlines()[0],
        epilog="See the module docstring for the tutorial and its published figure.",
    )
    parser.add_argument("--data-home", default=None,
                        help="folder with the Parquet files (default: the loaders' search path)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: a few hundred documents and 1 epoch")
    parser.add_argument("--device", default="auto", help="torch device: auto, cpu, cuda")
    return parser


def announce(args, what):
    """Print the run's set-up (and make every later print flush-friendly)."""
    import torch

    print(f"{what} | seed {args.seed} | device {args.device} | torch threads "
          f"{torch.get_num_threads()} | python {sys.version.split()[0]}"
          + (" | QUICK SMOKE RUN: figures are meaningless" if args.quick else ""),
          flush=True)


def subset(X, y, n, seed, *, stratify=True):
    """``n`` documents of ``(X, y)`` drawn at random (stratified); all of them when
    ``n`` is None or not smaller."""
    if n is None or n >= len(X):
        return list(X), np.asarray(y)
    index = np.arange(len(X))
    try:
        index, _ = train_test_split(index, train_size=n, random_state=seed,
                                    stratify=y if stratify else None)
    except ValueError:  # a class too small for the stratified draw
        index = np.random.default_rng(seed).permutation(len(X))[:n]
    index = np.sort(index)
    return [X[i] for i in index], np.asarray(y)[index]


# -- timing and reporting ----------------------------------------------------------


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start


def epochs_of(estimator):
    """Epochs a skorch head ran (the last step of a pipeline), or None."""
    head = estimator[-1] if hasattr(estimator, "steps") else estimator
    history = getattr(head, "history_", None)
    return None if history is None else len(history)


def fit_timed(model, X_train, y_train, X_test, method="predict"):
    """Fit ``model``, then run ``model.<method>(X_test)``, timing both.

    Returns a namespace with ``output`` (what ``method`` returned), ``fit_seconds``,
    ``predict_seconds``, ``epochs`` (see ``epochs_of``) and ``docs_per_second``:
    training documents seen per second of fit (a skorch head sees 90 % of the
    split per epoch, its validation tenth left out; any other model sees it once).
    """
    with Timer() as fit:
        model.fit(X_train, y_train)
    with Timer() as predict:
        output = getattr(model, method)(X_test)
    epochs = epochs_of(model)
    seen = len(X_train) * (0.9 * epochs if epochs else 1)
    return SimpleNamespace(output=output, fit_seconds=fit.seconds,
                           predict_seconds=predict.seconds, epochs=epochs,
                           docs_per_second=seen / fit.seconds)


def pct(value):
    return "-" if value is None else f"{100 * value:.1f}"


def print_table(header, rows, title=None):
    """Left-align the first column, right-align the others; ``None`` prints ``-``."""
    cells = [[("-" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    if title:
        print(f"\n{title}", flush=True)
    line = "  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i])
                     for i, h in enumerate(header))
    print(line)
    print("-" * len(line))
    for row in cells:
        print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                        for i, c in enumerate(row)), flush=True)


# -- sentence embeddings, cached on disk -----------------------------------------------

# text digest -> embedding, filled by ``encode_split``; read by CachedSentenceEncoder.
_BY_TEXT = {}


def _digest(text):
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


def _cache_path(dataset, split, texts, model):
    whole = hashlib.sha1()
    for text in texts:
        whole.update(_digest(text))
    slug = Path(model).name.replace("/", "_")
    return SENTENCE_CACHE / f"{dataset}_{split}_{slug}_{whole.hexdigest()[:10]}.npy"


def encode_split(dataset, split, texts, indices=None, *, model="all-MiniLM-L6-v2",
                 device="auto", chunk=2000):
    """Sentence embeddings of ``texts[indices]`` (all when None), from the cache.

    ``texts`` is a whole split; its embeddings live in one ``.npy`` under
    ``results/sentence_cache/`` named by dataset, split, model and a digest of
    the texts, with NaN rows for documents not encoded yet.  Only missing rows
    are encoded (saved every ``chunk`` documents, so an interrupted run keeps
    its progress), and a quick run's rows are reused by a full run.

    Returns
    -------
    embeddings : ndarray of shape (len(indices), dim)
    seconds : float
        Time spent encoding in this call (0 when everything was cached).
    n_encoded : int
    """
    from sklearn_embed import SentenceEncoder

    index = np.arange(len(texts)) if indices is None else np.asarray(indices, dtype=np.int64)
    path = _cache_path(dataset, split, texts, model)
    cache = np.load(path) if path.is_file() else None
    missing = index if cache is None else index[np.isnan(cache[index, 0])]
    missing = np.unique(missing)
    seconds = 0.0
    if len(missing):
        encoder = SentenceEncoder(model=model, device=device).fit(["warm-up"])
        if cache is None:
            cache = np.full((len(texts), encoder.embedding_dim_), np.nan, dtype=np.float32)
        print(f"  sentence encoder: {len(missing)} {dataset}/{split} documents to encode "
              f"({len(index) - len(missing)} cached) -> {path}", flush=True)
        for start in range(0, len(missing), chunk):
            rows = missing[start:start + chunk]
            with Timer() as t:
                cache[rows] = encoder.transform([texts[i] for i in rows])
            seconds += t.seconds
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.stem + ".part.npy")
            np.save(partial, cache)
            os.replace(partial, path)
            done = start + len(rows)
            print(f"    {done}/{len(missing)} encoded, {done / seconds:.1f} docs/s", flush=True)
    for i in index:
        _BY_TEXT[_digest(texts[i])] = cache[i]
    return cache[index], seconds, len(missing)


class CachedSentenceEncoder(TransformerMixin, BaseEstimator):
    """``SentenceEncoder`` for a grid search: vectors come from ``encode_split``'s
    cache when the text was encoded there; other texts are encoded now (and
    not cached).

    Parameters
    ----------
    model : str, default="all-MiniLM-L6-v2"
    device : str, default="auto"
    """

    def __init__(self, model="all-MiniLM-L6-v2", device="auto"):
        self.model = model
        self.device = device

    def fit(self, X, y=None):
        self.n_uncached_ = 0
        return self

    def transform(self, X):
        from sklearn_embed import SentenceEncoder

        X = list(X)
        found = [_BY_TEXT.get(_digest(text)) for text in X]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            encoder = SentenceEncoder(model=self.model, device=self.device).fit(["warm-up"])
            vectors = encoder.transform([X[i] for i in missing])
            for i, vector in zip(missing, vectors):
                found[i] = vector
            self.n_uncached_ = getattr(self, "n_uncached_", 0) + len(missing)
        return np.vstack(found).astype(np.float32, copy=False)


# -- word2vec learned without labels -------------------------------------------

W2V_PARAMS = {"vector_size": 300, "min_count": 40, "window": 10, "sample": 1e-3, "sg": 0}


def train_unsup_word2vec(texts, seed, quick):
    """Train (or reuse) the tutorial's word2vec on ``texts``; return its path."""
    from gensim.models import Word2Vec

    from sklearn_embed import EmbeddingVectorizer, TextCleaner
    from sklearn_embed.sources._trained import _stable_hash

    suffix = "-quick" if quick else ""
    path = RESULTS / f"word2vec_imdb_{len(texts)}reviews_300d_seed{seed}{suffix}.kv"
    if path.is_file():
        print(f"  reusing {path}", flush=True)
        return path, None
    # min_count 40 would leave a quick run's few hundred reviews almost no words.
    params = dict(W2V_PARAMS, min_count=2) if quick else W2V_PARAMS
    print(f"  gensim Word2Vec({params}, workers=1)", flush=True)
    with Timer() as t:
        cleaned = TextCleaner().fit_transform(texts)
        analyzer = EmbeddingVectorizer().build_analyzer()
        sentences = [tokens for tokens in map(analyzer, cleaned) if tokens]
        model = Word2Vec(sentences, workers=1, seed=seed, hashfxn=_stable_hash, **params)
    print(f"  word2vec on {len(sentences)} reviews ({sum(map(len, sentences))} tokens): "
          f"{len(model.wv)} words, {t.seconds:.0f} s", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save(str(path))
    return path, t.seconds
