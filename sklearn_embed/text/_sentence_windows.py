"""Long documents for SentenceEncoder: windows of word pieces and their pooling.

A sentence-transformers model reads at most ``max_seq_length`` word pieces,
special tokens included, and truncates the rest.  Here a long document's word
pieces are cut into windows that fill that input exactly, each window is
framed by the tokenizer's own special tokens and run through the model as ids
(never decoded back to text, which would not give the same pieces), and the
window embeddings of each document are pooled into one vector.
"""

import numpy as np


def special_tokens(tokenizer):
    """Return the ids the tokenizer puts before and after the word pieces of one text.

    Read from the tokenizer itself (``[CLS] ... [SEP]`` for BERT, ``<s> ... </s>``
    for RoBERTa) rather than hard-coded, so a window of word pieces is framed
    exactly as the tokenizer frames a whole text.
    """
    framed = tokenizer("a")["input_ids"]
    bare = tokenizer("a", add_special_tokens=False)["input_ids"]
    for start in range(len(framed) - len(bare) + 1):
        if framed[start:start + len(bare)] == bare:
            return framed[:start], framed[start + len(bare):]
    raise ValueError(
        "SentenceEncoder cannot cut long documents into windows with this model: its "
        f"tokenizer frames a text in a way it cannot read ({bare} -> {framed}). "
        "Set chunking=False to truncate long documents instead."
    )


def window_bounds(n_pieces, size, overlap):
    """``(start, stop)`` of each window of a document of ``n_pieces`` word pieces.

    Windows of ``size`` pieces start every ``size - overlap`` pieces; the last
    one stops at the end of the document and may be shorter.  A window is only
    started while it adds pieces the previous one did not cover.
    """
    if n_pieces <= size:
        return [(0, n_pieces)]
    return [(start, min(start + size, n_pieces))
            for start in range(0, n_pieces - overlap, size - overlap)]


def pool_windows(embeddings, lengths, owner, n_owners, how):
    """Pool the window ``embeddings`` of each owner: ``owner[i]`` owns row ``i``."""
    if how == "max":
        pooled = np.full((n_owners, embeddings.shape[1]), -np.inf, dtype=np.float32)
        np.maximum.at(pooled, owner, embeddings)
        return pooled
    weights = (lengths if how == "weighted_mean" else np.ones(len(owner))).astype(np.float64)
    # float64 sums: a document of a hundred windows keeps float32 precision.
    total = np.zeros((n_owners, embeddings.shape[1]), dtype=np.float64)
    np.add.at(total, owner, embeddings * weights[:, None])
    return (total / np.bincount(owner, weights, minlength=n_owners)[:, None]).astype(np.float32)


def encode_windows(model, pieces, *, size, overlap, batch_size):
    """Embed every window of each word-piece list of ``pieces`` with ``model``.

    Parameters
    ----------
    model : SentenceTransformer
    pieces : list of ndarray of int
        Word-piece ids of each document, without special tokens.
    size, overlap : int
        Word pieces in a window and shared by two consecutive windows.
    batch_size : int
        Windows run through the model at once.

    Returns
    -------
    embeddings : ndarray of shape (n_windows, embedding_dim), float32
        The model's output for each window, as the model gives it.
    lengths : ndarray of shape (n_windows,), int64
        Word pieces in each window, special tokens left out.
    owner : ndarray of shape (n_windows,), int64
        Position in ``pieces`` of the document each window comes from.
    """
    import torch  # installed with sentence-transformers; not needed before this runs

    tokenizer = model.tokenizer
    prefix, suffix = (np.asarray(ids, dtype=np.int64) for ids in special_tokens(tokenizer))
    windows, owner = [], []
    for doc, ids in enumerate(pieces):
        for start, stop in window_bounds(len(ids), size, overlap):
            windows.append(np.concatenate([prefix, ids[start:stop], suffix]))
            owner.append(doc)
    lengths = np.array([len(w) for w in windows], dtype=np.int64) - len(prefix) - len(suffix)
    # Longest first, as the model's own encode sorts: batches of windows of
    # similar lengths pad less.
    order = np.argsort(-lengths, kind="stable")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    with_types = "token_type_ids" in tokenizer.model_input_names
    parts = []
    for begin in range(0, len(order), batch_size):
        batch = [windows[i] for i in order[begin:begin + batch_size]]
        ids = torch.full((len(batch), len(batch[0])), pad_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, window in enumerate(batch):
            ids[row, :len(window)] = torch.from_numpy(window)
            mask[row, :len(window)] = 1
        features = {"input_ids": ids, "attention_mask": mask}
        if with_types:
            # One segment, as the tokenizer gives a single text.
            features["token_type_ids"] = torch.zeros_like(ids)
        features = {key: value.to(model.device) for key, value in features.items()}
        with torch.inference_mode():
            parts.append(model(features)["sentence_embedding"].float().cpu().numpy())
    embeddings = np.empty((len(windows), parts[0].shape[1]), dtype=np.float32)
    embeddings[order] = np.concatenate(parts)
    return embeddings, lengths, np.asarray(owner, dtype=np.int64)
