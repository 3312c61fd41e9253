"""The data line: raw text -> cleaned text -> tokens -> ids or pooled vectors.

One private module per estimator, named after it; this package re-exports
them (and ``sklearn_embed`` re-exports them again).  :class:`SentenceEncoder`
is imported on first use, since it needs the optional ``sbert`` extra.
"""

import importlib

from ._embedding_vectorizer import EmbeddingVectorizer
from ._indexed_sequences import IndexedSequences
from ._lexicon_sentiment import LexiconSentiment
from ._nb_feature_weighter import NBFeatureWeighter
from ._sequence_indexer import SequenceIndexer
from ._text_cleaner import TextCleaner

__all__ = [
    "EmbeddingVectorizer",
    "IndexedSequences",
    "LexiconSentiment",
    "NBFeatureWeighter",
    "SentenceEncoder",
    "SequenceIndexer",
    "TextCleaner",
]


def __getattr__(name):
    if name == "SentenceEncoder":
        value = importlib.import_module("._sentence_encoder", __name__).SentenceEncoder
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
