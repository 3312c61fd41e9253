"""PyTorch modules behind the neural heads: a recurrent and a convolutional encoder.

Both read padded id sequences (0 = padding) and mask the padding, so a
sequence gives the same output whatever its padding length or side: each
batch is first left-aligned (real tokens first, in their original order) and
cut to its longest real sequence.  A row with no token at all is treated as
one padding token, so its output is defined.

The modules know nothing about freezing: the heads freeze or fine-tune the
``embedding`` attribute (see :class:`~sklearn_embed.heads.callbacks.EmbeddingFreezer`).
"""

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..text._indexed_sequences import PAD_ID

#: Half-width of the uniform draw of randomly initialised vectors (Kim, 2014).
RANDOM_INIT = 0.25

_KIM = {"kernel_sizes": (3, 4, 5), "num_filters": 100, "dropout": 0.5}
_DEEP = {"kernel_sizes": (5, 5, 5), "num_filters": 128, "dropout": 0.0}


def make_embedding(embedding_weights=None, num_embeddings=None, embedding_dim=50):
    """Return an ``nn.Embedding`` with ``padding_idx=0``.

    Parameters
    ----------
    embedding_weights : array-like or tensor of shape (vocab_size, dim), default=None
        Initial vectors; copied, so fine-tuning never writes into the source
        (which may be a read-only memory map).  ``None`` draws random vectors from
        U(-0.25, 0.25) (``RANDOM_INIT``), as Kim (2014).
    num_embeddings : int, default=None
        Number of ids; required when ``embedding_weights`` is None, checked
        against its rows otherwise.
    embedding_dim : int, default=50
        Vector size of a random embedding; ignored when weights are given.

    Returns
    -------
    embedding : torch.nn.Embedding
    """
    if embedding_weights is None:
        if num_embeddings is None:
            raise ValueError(
                "num_embeddings is required when embedding_weights is None; got "
                "num_embeddings=None."
            )
        embedding = nn.Embedding(int(num_embeddings), int(embedding_dim), padding_idx=PAD_ID)
        # Kim (2014) draws random vectors from U(-0.25, 0.25).  torch's N(0, 1)
        # is ~7x larger: with Adam's steps of ~lr per coordinate, vectors that
        # large barely move, and a CNN learning its embedding from scratch
        # ended ~6 points lower on MR.
        with torch.no_grad():
            embedding.weight.uniform_(-RANDOM_INIT, RANDOM_INIT)
            embedding.weight[PAD_ID].zero_()
        return embedding
    if isinstance(embedding_weights, torch.Tensor):
        weights = embedding_weights.detach().to(torch.float32).clone()
    else:
        weights = torch.tensor(np.asarray(embedding_weights), dtype=torch.float32)
    if weights.ndim != 2:
        raise ValueError(
            "embedding_weights must be a 2-d matrix (vocab_size, dim), got shape "
            f"{tuple(weights.shape)}."
        )
    if num_embeddings is not None and int(num_embeddings) != weights.shape[0]:
        raise ValueError(
            f"num_embeddings={num_embeddings} does not match the {weights.shape[0]} rows "
            "of embedding_weights; leave num_embeddings=None to take it from the weights."
        )
    return nn.Embedding.from_pretrained(weights, freeze=False, padding_idx=PAD_ID)


def left_align(X):
    """Move the real tokens of each row to the front and cut the common padding.

    Parameters
    ----------
    X : LongTensor of shape (batch, maxlen)

    Returns
    -------
    ids : LongTensor of shape (batch, longest)
        Post-padded ids, ``longest`` being the longest real sequence (at least 1).
    lengths : LongTensor of shape (batch,)
        Real lengths, raised to 1 for rows that are all padding.
    """
    if X.shape[1] == 0:
        X = X.new_full((X.shape[0], 1), PAD_ID)
    mask = X != PAD_ID
    lengths = mask.sum(dim=1)
    # A token right after a pad means pre-padding (or holes): reorder those rows.
    if bool((mask[:, 1:] & ~mask[:, :-1]).any()):
        order = torch.argsort((~mask).to(torch.uint8), dim=1, stable=True)
        X = X.gather(1, order)
    longest = max(int(lengths.max()), 1)
    return X[:, :longest], lengths.clamp(min=1)


def _dense_stack(in_features, dense_sizes, output_size, dropout):
    layers = []
    for size in dense_sizes:
        if dropout:
            layers.append(nn.Dropout(dropout))
        layers += [nn.Linear(in_features, int(size)), nn.ReLU()]
        in_features = int(size)
    if dropout:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(in_features, output_size))
    return nn.Sequential(*layers)


def _check_choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, got {value!r}.")


class RNNModule(nn.Module):
    """Embedding, LSTM or GRU, pooling over time, then dense layers.

    Parameters
    ----------
    num_embeddings : int, default=None
        Vocabulary size (padding and OOV ids included); taken from
        ``embedding_weights`` when those are given.
    embedding_dim : int, default=50
        Size of a randomly initialised embedding.
    output_size : int, default=2
        Number of outputs (classes for a classifier).
    embedding_weights : ndarray or tensor of shape (vocab_size, dim), default=None
        Pretrained vectors, copied into the embedding.
    cell : {"lstm", "gru"}, default="lstm"
    hidden_size : int, default=64
    num_layers : int, default=1
    bidirectional : bool, default=False
    dropout : float, default=0.0
        Between stacked recurrent layers and before every dense layer.
    pooling : {"last", "max", "mean"}, default="last"
        ``"last"``: final hidden state at the last real step (both directions
        when bidirectional); ``"max"`` / ``"mean"``: over real steps only.
    dense_sizes : tuple of int, default=()
        Hidden dense layers (ReLU) before the output layer.

    Examples
    --------
    >>> import torch
    >>> from sklearn_embed import RNNModule
    >>> module = RNNModule(num_embeddings=10, embedding_dim=4, hidden_size=3, pooling="max")
    >>> module(torch.tensor([[2, 3, 0, 0], [0, 0, 2, 3]])).shape
    torch.Size([2, 2])
    """

    def __init__(self, num_embeddings=None, embedding_dim=50, output_size=2,
                 embedding_weights=None, cell="lstm", hidden_size=64, num_layers=1,
                 bidirectional=False, dropout=0.0, pooling="last", dense_sizes=()):
        super().__init__()
        _check_choice("cell", cell, {"lstm", "gru"})
        _check_choice("pooling", pooling, {"last", "max", "mean"})
        self.cell = cell
        self.pooling = pooling
        self.bidirectional = bool(bidirectional)
        self.embedding = make_embedding(embedding_weights, num_embeddings, embedding_dim)
        rnn_class = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn_class(
            self.embedding.embedding_dim, hidden_size, num_layers=num_layers,
            batch_first=True, bidirectional=self.bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        features = hidden_size * (2 if self.bidirectional else 1)
        self.head = _dense_stack(features, dense_sizes, output_size, dropout)

    def forward(self, X):
        ids, lengths = left_align(X)
        packed = pack_padded_sequence(
            self.embedding(ids), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        outputs, hidden = self.rnn(packed)
        if self.pooling == "last":
            h_n = hidden[0] if self.cell == "lstm" else hidden
            # h_n is back in batch order; its last layer holds the forward state
            # at the last real step and the backward state after the whole row.
            features = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.bidirectional else h_n[-1]
        else:
            outputs, _ = pad_packed_sequence(
                outputs, batch_first=True, total_length=ids.shape[1]
            )
            steps = torch.arange(ids.shape[1], device=outputs.device)
            padding = (steps[None, :] >= lengths.to(outputs.device)[:, None])[:, :, None]
            if self.pooling == "max":
                features = outputs.masked_fill(padding, float("-inf")).amax(dim=1)
            else:
                total = outputs.masked_fill(padding, 0.0).sum(dim=1)
                features = total / lengths.to(outputs.device, outputs.dtype)[:, None]
        return self.head(features)


class CNNModule(nn.Module):
    """Embedding, 1-d convolutions with max over time, then dense layers.

    ``"kim"`` convolves as Kim (2014) does: ``kernel_size - 1`` zero vectors
    on each side of the sequence, so every window that holds at least one real
    token counts (a "wide" convolution: the first and last words are seen at
    every offset of a filter, which matters for phrases of a few words).
    ``"deep"`` starts a window at every real token and lets it run
    ``kernel_size - 1`` positions past the end.  Windows of padding only are
    masked before each max.  There is therefore no minimum input length, and
    the output does not depend on how much padding the input carries.

    Parameters
    ----------
    num_embeddings : int, default=None
        Vocabulary size; taken from ``embedding_weights`` when given.
    embedding_dim : int, default=50
        Size of a randomly initialised embedding.
    output_size : int, default=2
        Number of outputs.
    embedding_weights : ndarray or tensor of shape (vocab_size, dim), default=None
        Pretrained vectors, copied into the embedding.
    architecture : {"kim", "deep"}, default="kim"
        ``"kim"`` (Kim, 2014): parallel convolutions, ReLU, max over time,
        concatenation, dropout, output layer.  ``"deep"`` (the Keras
        20-Newsgroups example): Conv(128, 5) + MaxPool(5), Conv(128, 5) +
        MaxPool(5), Conv(128, 5) + global max, Dense(128), output layer.
    num_filters : int, default=None
        Filters per convolution; None means 100 for "kim", 128 for "deep".
    kernel_sizes : tuple of int, default=None
        "kim": one parallel convolution per size, default (3, 4, 5); "deep":
        one stacked convolution per size, default (5, 5, 5).
    dropout : float, default=None
        Before the output layer(s); None means 0.5 for "kim", 0.0 for "deep".
    pool_size : int, default=5
        Intermediate max-pool size of "deep" (partial last windows kept).
    dense_size : int, default=128
        Hidden dense layer of "deep".

    Examples
    --------
    >>> import torch
    >>> from sklearn_embed import CNNModule
    >>> module = CNNModule(num_embeddings=10, embedding_dim=4, num_filters=3)
    >>> module(torch.tensor([[2, 3, 0, 0], [0, 0, 2, 3]])).shape
    torch.Size([2, 2])
    """

    def __init__(self, num_embeddings=None, embedding_dim=50, output_size=2,
                 embedding_weights=None, architecture="kim", num_filters=None,
                 kernel_sizes=None, dropout=None, pool_size=5, dense_size=128):
        super().__init__()
        _check_choice("architecture", architecture, {"kim", "deep"})
        defaults = _KIM if architecture == "kim" else _DEEP
        self.architecture = architecture
        self.kernel_sizes = tuple(
            int(k) for k in (defaults["kernel_sizes"] if kernel_sizes is None else kernel_sizes)
        )
        if not self.kernel_sizes or min(self.kernel_sizes) < 1:
            raise ValueError(f"kernel_sizes must be positive ints, got {kernel_sizes!r}.")
        num_filters = defaults["num_filters"] if num_filters is None else int(num_filters)
        dropout = defaults["dropout"] if dropout is None else dropout
        self.pool_size = int(pool_size)
        self.embedding = make_embedding(embedding_weights, num_embeddings, embedding_dim)
        dim = self.embedding.embedding_dim
        if architecture == "kim":
            self.convs = nn.ModuleList(nn.Conv1d(dim, num_filters, k) for k in self.kernel_sizes)
            self.head = _dense_stack(
                num_filters * len(self.kernel_sizes), (), output_size, dropout
            )
        else:
            in_channels = [dim] + [num_filters] * (len(self.kernel_sizes) - 1)
            self.convs = nn.ModuleList(
                nn.Conv1d(c, num_filters, k) for c, k in zip(in_channels, self.kernel_sizes)
            )
            self.head = _dense_stack(num_filters, (dense_size,), output_size, dropout)

    def forward(self, X):
        ids, lengths = left_align(X)
        if self.architecture == "kim":
            return self._forward_kim(ids, lengths)
        return self._forward_deep(ids, lengths)

    @staticmethod
    def _starts_on_padding(length_out, lengths):
        starts = torch.arange(length_out, device=lengths.device)
        return (starts[None, :] >= lengths[:, None])[:, None, :]

    def _forward_kim(self, ids, lengths):
        # Kim pads both sides with (widest kernel - 1) zero vectors.  On short
        # sentences this "wide" convolution scored +0.9 (CR, MPQA, 10 folds,
        # CNN-rand) over windows that may only start on a real token.
        side = max(self.kernel_sizes) - 1
        ids = F.pad(ids, (side, side), value=PAD_ID)
        embedded = self.embedding(ids).transpose(1, 2)
        starts = torch.arange(ids.shape[1], device=lengths.device)[None, :]
        pooled = []
        for conv, size in zip(self.convs, self.kernel_sizes):
            out = conv(embedded)
            # Window j covers padded positions j .. j + size - 1; the real
            # tokens sit at side .. side + length - 1.
            starts_out = starts[:, :out.shape[2]]
            padding_only = (starts_out < side - size + 1) | (starts_out >= side + lengths[:, None])
            out = out.masked_fill(padding_only[:, None, :], float("-inf"))
            pooled.append(out.amax(dim=2))
        # max-then-ReLU equals ReLU-then-max and touches far fewer values.
        return self.head(torch.relu(torch.cat(pooled, dim=1)))

    def _forward_deep(self, ids, lengths):
        ids = F.pad(ids, (0, self.kernel_sizes[0] - 1), value=PAD_ID)
        hidden = self.embedding(ids).transpose(1, 2)
        last = len(self.convs) - 1
        for i, conv in enumerate(self.convs):
            if i > 0:
                hidden = F.pad(hidden, (0, conv.kernel_size[0] - 1))
            out = conv(hidden)
            padding = self._starts_on_padding(out.shape[2], lengths)
            if i == last:
                hidden = torch.relu(out.masked_fill(padding, float("-inf")).amax(dim=2))
            else:
                # ReLU outputs are >= 0, so zeros at masked steps never win a max
                # and act as padding for the next convolution.
                out = torch.relu(out).masked_fill(padding, 0.0)
                hidden = F.max_pool1d(out, self.pool_size, ceil_mode=True)
                lengths = torch.div(lengths + self.pool_size - 1, self.pool_size,
                                    rounding_mode="floor")
        return self.head(hidden)


_LOW_32_BITS = 0xFFFFFFFF
# The multiplier of a well-tested 32-bit integer hash ("hash32", two rounds of
# xor-shift-multiply).  A value below 2**32 times it stays below 2**59: int64
# never overflows, on any device.
_MIX = 0x45D9F3B


def _mix32(x):
    x = (((x >> 16) ^ x) * _MIX) & _LOW_32_BITS
    x = (((x >> 16) ^ x) * _MIX) & _LOW_32_BITS
    return (x >> 16) ^ x


def hash_bigrams(first, second, buckets):
    """Hash pairs of word ids into ``buckets`` rows, as fastText hashes its n-grams.

    The first id is mixed by a 32-bit integer hash, combined with the second
    and mixed again, so neighbouring ids land in unrelated rows, like a random
    function's.  The one-round linear hash used before,
    ``(first * 1_000_003 + second) % buckets``, is ``3 * first + second`` for
    200,000 or 1,000,000 buckets: the bigrams of the frequent words (small
    ids) crowded into a few hundred rows and bigrams cost accuracy.

    Parameters
    ----------
    first, second : int64 tensors of broadcastable shapes
        Ids of the first and second word of each pair, below ``2**32``.
    buckets : int
        Number of rows to hash into.

    Returns
    -------
    rows : int64 tensor, in ``[0, buckets)``

    Examples
    --------
    The 10,000 ordered pairs of 100 ids fill 9,516 of 100,000 rows on average
    when thrown at random:

    >>> import torch
    >>> from sklearn_embed.heads.modules import hash_bigrams
    >>> ids = torch.arange(1, 101)
    >>> rows = hash_bigrams(ids[:, None], ids[None, :], 100_000)
    >>> len(torch.unique(rows))
    9512
    """
    return _mix32(_mix32(first) ^ second) % buckets


class EmbeddingBagModule(nn.Module):
    """Mean and/or max of the word (and hashed word-bigram) vectors, then dense layers.

    The fastText / SWEM model: the order of the words is ignored except through
    the bigrams.  Each pair of consecutive real tokens is hashed into one of
    ``bigram_buckets`` extra rows of a second embedding (``bigrams``), learned
    from scratch, so the input stays the padded ids of ``SequenceIndexer``.
    Only real tokens and pairs of real tokens are pooled: the output does not
    depend on padding length or side.

    Parameters
    ----------
    num_embeddings : int, default=None
        Vocabulary size; taken from ``embedding_weights`` when given.
    embedding_dim : int, default=50
        Size of a randomly initialised embedding.
    output_size : int, default=2
        Number of outputs.
    embedding_weights : ndarray or tensor of shape (vocab_size, dim), default=None
        Pretrained vectors, copied into the word embedding.
    pooling : {"mean", "max", "mean_max"}, default="mean"
        Over the word and bigram vectors of a sequence together;
        ``"mean_max"`` concatenates both (SWEM-concat).
    bigram_buckets : int, default=0
        Rows of the hashed bigram embedding; 0 uses words only.
    hidden_size : int, default=0
        A hidden dense layer (ReLU) before the output layer; 0 gives a
        linear classifier on the pooled vector, as fastText.
    dropout : float, default=0.0
        Before every dense layer.
    sparse : bool, default=False
        Sparse gradients for both embeddings: a step then costs the rows a
        batch uses, not the whole (large) tables.  Needs an optimizer that
        takes sparse gradients (``torch.optim.Adagrad``, ``SGD``,
        ``SparseAdam``); ``Adam`` refuses them.

    Examples
    --------
    >>> import torch
    >>> from sklearn_embed import EmbeddingBagModule
    >>> module = EmbeddingBagModule(num_embeddings=10, embedding_dim=4, bigram_buckets=16)
    >>> module(torch.tensor([[2, 3, 0, 0], [0, 0, 2, 3]])).shape
    torch.Size([2, 2])
    """

    def __init__(self, num_embeddings=None, embedding_dim=50, output_size=2,
                 embedding_weights=None, pooling="mean", bigram_buckets=0, hidden_size=0,
                 dropout=0.0, sparse=False):
        super().__init__()
        _check_choice("pooling", pooling, {"mean", "max", "mean_max"})
        if int(bigram_buckets) < 0 or int(hidden_size) < 0:
            raise ValueError(
                f"bigram_buckets and hidden_size must be >= 0 (0 turns them off), got "
                f"bigram_buckets={bigram_buckets!r}, hidden_size={hidden_size!r}."
            )
        self.pooling = pooling
        self.bigram_buckets = int(bigram_buckets)
        self.embedding = make_embedding(embedding_weights, num_embeddings, embedding_dim)
        self.embedding.sparse = bool(sparse)
        dim = self.embedding.embedding_dim
        self.bigrams = None
        if self.bigram_buckets:
            self.bigrams = nn.Embedding(self.bigram_buckets, dim, sparse=bool(sparse))
            # Small, like fastText's (+-1/dim) n-gram vectors: a bigram starts
            # near zero and moves only where the data says so.
            nn.init.uniform_(self.bigrams.weight, -1.0 / dim, 1.0 / dim)
        features = dim * (2 if pooling == "mean_max" else 1)
        self.head = _dense_stack(
            features, (int(hidden_size),) if hidden_size else (), output_size, dropout
        )

    def forward(self, X):
        ids, lengths = left_align(X)
        steps = torch.arange(ids.shape[1], device=ids.device)
        real = steps[None, :] < lengths[:, None]
        vectors = self.embedding(ids)
        if self.bigrams is not None and ids.shape[1] > 1:
            pairs = hash_bigrams(ids[:, :-1], ids[:, 1:], self.bigram_buckets)
            vectors = torch.cat([vectors, self.bigrams(pairs)], dim=1)
            real = torch.cat([real, steps[None, 1:] < lengths[:, None]], dim=1)
        real = real[:, :, None]
        pooled = []
        if self.pooling in ("mean", "mean_max"):
            total = vectors.masked_fill(~real, 0.0).sum(dim=1)
            pooled.append(total / real.sum(dim=1).to(total.dtype))
        if self.pooling in ("max", "mean_max"):
            pooled.append(vectors.masked_fill(~real, float("-inf")).amax(dim=1))
        return self.head(torch.cat(pooled, dim=1) if len(pooled) > 1 else pooled[0])
