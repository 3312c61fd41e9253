"""Pretrained vectors trained further during ``fit`` on in-domain text: :class:`AdaptedSource`.

Why a value object rather than a name such as ``"glove-6b-50d+adapt"`` with new
estimator parameters: the corpus and the drift belong to the source, not to
every estimator that takes one, and a frozen object is still a plain value.
It is immutable and hashable, ``copy.deepcopy`` returns it unchanged (so
``clone`` and every ``GridSearchCV`` candidate share it, whatever the size of
its corpus), and it names its corpus by a path when that corpus is large, so a
pickled pipeline carries only the path and the learned vectors.
"""

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from numbers import Integral, Real

import numpy as np

from ._trained import _stable_hash, gensim_seed, gensim_sentences
from ._vectors import Vectors


@dataclass(frozen=True, repr=False)
class AdaptedSource:
    """Pretrained word vectors trained further, during ``fit``, on your own text.

    Give it wherever a source is accepted (``EmbeddingVectorizer(source=...)``,
    ``SequenceIndexer(source=...)``).  At ``fit`` a gensim ``Word2Vec`` with the
    dimension of ``base`` builds its vocabulary from the fitted texts and the
    ``unlabelled`` corpus, starts every word that ``base`` knows from its
    ``base`` vector, and trains: the known words drift towards their meaning in
    your domain, by at most ``drift``, and words that ``base`` lacks (names,
    jargon, misspellings) are learned from their contexts.  The learned vectors
    are fitted state: they are pickled with the estimator, not the base.

    Training uses one worker, so that ``random_state`` of the estimator
    reproduces it exactly; it costs about 1 s per million tokens and epoch on
    one core with the defaults.

    Parameters
    ----------
    base : str or path, default="glove-6b-50d"
        The pretrained source to start from: a registered name or a path to a
        vector file (see :mod:`sklearn_embed.sources`).
    unlabelled : str, path or sequence of str, default=None
        More in-domain text to train on, without labels: a sequence of
        documents, or a path to a ``.parquet`` file (its ``text`` column) or a
        text file (UTF-8, one document per line).  It is tokenised by the
        estimator that fits the source, like the fitted texts, so give it in the
        form that estimator receives (cleaned by the same ``TextCleaner``).  Name
        a large corpus by its path: a sequence is pickled with the estimator's
        parameters.
    drift : float in [0, 1], default=1.0
        How freely the words of ``base`` move: the factor of their learning
        rate (gensim's ``vectors_lockf``).  0 keeps them as they are and learns
        only the new words; 1 trains them like the new ones, from their ``base``
        start.  1 beat 0.1 on four of the five benchmark datasets
        (``benchmarks/accuracy/domain_adapted.py``); a smaller value keeps more
        of the base's general meanings, for a small or narrow corpus.
    epochs : int, default=5
        Passes over the training text.
    window : int, default=5
        Words of context on each side.
    min_count : int, default=5
        Words that ``base`` lacks are learned only when seen this often; the
        words of ``base`` are kept at any count.
    skipgram : bool, default=False
        Skip-gram instead of CBOW: often better for rare words, about three
        times slower.
    vector_size : int, default=None
        Dimension of the learned vectors; ``None`` keeps the base's.  A larger
        one gives every word more coordinates to learn the domain in: the base
        vector fills the first coordinates and the others start at gensim's small
        random values.  Training time grows about linearly with it.
    fitted_texts : bool, default=True
        Also train on the texts given to ``fit``.  ``False`` trains on
        ``unlabelled`` alone, so the vectors do not depend on the fitted rows
        and are trained once per process for all folds of a cross-validation
        (give the corpus every text, the held-out ones included, for a
        transductive setting).

    See Also
    --------
    sklearn_embed.sources.available_sources : The named sources.

    Notes
    -----
    The vocabulary is the words of the training text (new words from
    ``min_count`` on), not the 400,000 words of GloVe: a word seen neither in
    the fitted texts nor in ``unlabelled`` has no vector.

    Examples
    --------
    >>> from sklearn_embed import AdaptedSource, EmbeddingVectorizer
    >>> source = AdaptedSource(unlabelled=["the zorbly movie was great",
    ...                                    "a zorbly plot and a great cast"], min_count=1)
    >>> vectorizer = EmbeddingVectorizer(source=source, random_state=0)
    >>> vectorizer.fit_transform(["a zorbly film", "the plot"]).shape
    (2, 50)
    >>> "zorbly" in vectorizer._vectors.key_to_index
    True
    """

    base: object = "glove-6b-50d"
    unlabelled: object = None
    drift: float = 1.0
    epochs: int = 5
    window: int = 5
    min_count: int = 5
    skipgram: bool = False
    vector_size: int = None
    fitted_texts: bool = True

    def __post_init__(self):
        # Checked here, not at fit: the object is a value, and a wrong one
        # should fail where it is written (no file is read here).
        base = os.fspath(self.base) if isinstance(self.base, os.PathLike) else self.base
        if not isinstance(base, str):
            raise TypeError(
                f"AdaptedSource: base must be a registered name or a path to a vector file "
                f"(a plain value, so that the source stays cheap to copy); got "
                f"{type(self.base).__name__}. Give in-memory vectors a name with "
                "register_source(name, vectors) and pass base=name."
            )
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "unlabelled", _check_unlabelled(self.unlabelled))
        if (isinstance(self.drift, bool) or not isinstance(self.drift, Real)
                or not 0 <= self.drift <= 1):
            raise ValueError(
                f"AdaptedSource: drift must be a number from 0 (the base vectors stay fixed) "
                f"to 1 (they train freely); got {self.drift!r}."
            )
        for name, low in (("epochs", 1), ("window", 1), ("min_count", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
                raise ValueError(
                    f"AdaptedSource: {name} must be an int >= {low}; got {value!r}."
                )
        if self.vector_size is not None and (
                isinstance(self.vector_size, bool) or not isinstance(self.vector_size, Integral)
                or self.vector_size < 1):
            raise ValueError(
                f"AdaptedSource: vector_size must be None (the base's dimension) or an int "
                f">= 1; got {self.vector_size!r}."
            )
        for name in ("skipgram", "fitted_texts"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise TypeError(
                    f"AdaptedSource: {name} must be True or False; got "
                    f"{getattr(self, name)!r}."
                )
        if not self.fitted_texts and self.unlabelled is None:
            raise ValueError(
                "AdaptedSource: fitted_texts=False trains on unlabelled alone, but "
                "unlabelled is None; give a corpus or keep fitted_texts=True."
            )

    def __repr__(self):
        shown = []
        for field in fields(self):
            value = getattr(self, field.name)
            if value == field.default:
                continue
            if isinstance(value, tuple):
                value = f"<{len(value)} documents>"
            else:
                value = repr(value)
            shown.append(f"{field.name}={value}")
        return f"AdaptedSource({', '.join(shown)})"

    # Immutable, so a copy is the object itself: clone stays free.
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def _train(self, base, token_lists, random_state, tokenize):
        """Train on the fitted tokens (``token_lists()``) and ``unlabelled``
        (tokenised by ``tokenize``, the fitting estimator's tokenizer)."""
        extra = []
        if self.unlabelled is not None:
            if tokenize is None:
                raise ValueError(
                    f"{self!r} tokenises its unlabelled corpus with the estimator's "
                    "tokenizer; give it as an estimator's source= (or pass tokenize= to "
                    "resolve_source)."
                )
            extra = tokenize(_read_corpus(self.unlabelled))
        seed = gensim_seed(random_state)
        if not self.fitted_texts:
            # Then the vectors depend only on the source, the seed, the base and the
            # corpus's tokens: the folds of a cross-validation share one training, kept
            # with the loaded sources (clear_cache forgets it).  Imported here because
            # _loading imports this module.
            from ._loading import _cache

            return _cache.get((self, seed, base.fingerprint, _digest(extra)),
                              lambda: self._word2vec(base, extra, seed))
        if token_lists is None:
            raise ValueError(f"{self!r} needs the fitted texts to train on.")
        return self._word2vec(base, token_lists() + extra, seed)

    def _word2vec(self, base, token_lists, seed):
        from gensim.models import Word2Vec
        from gensim.utils import RULE_DEFAULT, RULE_KEEP

        sentences = gensim_sentences(token_lists)
        if not sentences:
            raise ValueError(
                f"The embedding source {self!r} trains on the fitted texts and its "
                "unlabelled corpus, but they hold no tokens."
            )
        known = base.key_to_index
        size = base.vector_size if self.vector_size is None else self.vector_size
        if size < base.vector_size:
            raise ValueError(
                f"AdaptedSource: vector_size={size} is smaller than the dimension of "
                f"base={self.base!r} ({base.vector_size}); give at least {base.vector_size}, "
                "or None."
            )
        model = Word2Vec(vector_size=size, window=self.window,
                         min_count=self.min_count, sg=int(self.skipgram), workers=1,
                         epochs=self.epochs, seed=seed, hashfxn=_stable_hash)
        model.build_vocab(
            sentences,
            trim_rule=lambda word, count, min_count: RULE_KEEP if word in known else RULE_DEFAULT,
        )
        kv = model.wv
        rows = np.fromiter((known.get(word, -1) for word in kv.index_to_key),
                           dtype=np.int64, count=len(kv))
        shared = rows >= 0
        kv.vectors[shared, :base.vector_size] = base.take(rows[shared])
        # gensim multiplies each word's update by its entry (0 freezes the word):
        # the one documented way to keep pretrained rows near where they start.
        lockf = np.ones(len(kv), dtype=np.float32)
        lockf[shared] = self.drift
        kv.vectors_lockf = lockf
        model.train(sentences, total_examples=model.corpus_count, epochs=self.epochs)
        return Vectors(np.asarray(kv.vectors, dtype=np.float32), list(kv.index_to_key),
                       repr(self))


def _check_unlabelled(unlabelled):
    if unlabelled is None:
        return None
    if isinstance(unlabelled, os.PathLike):
        return os.fspath(unlabelled)
    if isinstance(unlabelled, str):
        return unlabelled
    if isinstance(unlabelled, bytes) or not isinstance(unlabelled, Sequence | np.ndarray):
        raise TypeError(
            "AdaptedSource: unlabelled must be a path to a .parquet or text file, or a "
            f"sequence of str documents; got {type(unlabelled).__name__}."
        )
    documents = tuple(unlabelled)
    for position, document in enumerate(documents):
        if not isinstance(document, str):
            raise TypeError(
                f"AdaptedSource: unlabelled must hold str documents; the one at position "
                f"{position} is {type(document).__name__} {document!r}. Replace missing "
                "texts with '' (e.g. Series.fillna(''))."
            )
    return documents


def _read_corpus(unlabelled):
    if isinstance(unlabelled, tuple):
        return list(unlabelled)
    if not os.path.isfile(unlabelled):
        raise FileNotFoundError(
            f"AdaptedSource: unlabelled={unlabelled!r} names no file "
            f"({os.path.abspath(unlabelled)!r}); give a .parquet or text file, or a list of "
            "documents."
        )
    if unlabelled.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.ParquetFile(unlabelled).read()
        if "text" not in table.column_names:
            raise ValueError(
                f"AdaptedSource: the parquet file unlabelled={unlabelled!r} has no 'text' "
                f"column (columns: {', '.join(table.column_names)}); rename the column of "
                "documents to 'text'."
            )
        # A missing row is an empty document: unlabelled text has no row to keep aligned.
        return [text or "" for text in table.column("text").to_pylist()]
    with open(unlabelled, encoding="utf-8") as file:
        return file.read().splitlines()


def _digest(token_lists):
    digest = hashlib.blake2b(digest_size=16)
    for tokens in token_lists:
        digest.update("\x00".join(tokens).encode("utf-8", "surrogatepass") + b"\x01")
    return digest.hexdigest()
