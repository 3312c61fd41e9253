"""What the parser shows without importing the library: names, choices and training defaults.

``sklearn-embed --help`` must answer at once, and importing pandas,
scikit-learn or torch takes seconds; so the parser reads its choices from
these constants instead of from the modules that own them.  Tests check that
each copy equals its owner (``available_datasets()``, ``persistence.SUFFIX``,
the loaders that take ``download=``).  The neural heads' defaults of the
command line live here too, beside their reasons, since ``fit --help`` shows
them and ``_commands`` applies them.
"""

__all__ = ["BATCH_BOUNDS", "BATCH_ROWS", "DATASETS", "DOWNLOADABLE", "FREEZE_EPOCHS", "HEADS",
           "LR_LARGE", "LR_SMALL", "LR_SMALL_ROWS", "LSTM_POOLING", "MAXLEN_BOUNDS",
           "MAXLEN_QUANTILE", "MAX_EPOCHS", "NORMALIZE", "OOV", "SUFFIX"]

#: ``sklearn_embed.persistence.SUFFIX``: the extension of the safe model format.
SUFFIX = ".sklembed"

#: ``sklearn_embed.datasets.available_datasets()``: name -> description.
DATASETS = {
    "imdb": "IMDB movie reviews, neg/pos",
    "20newsgroups": "20 Newsgroups posts, 20 topics",
    "tweets": "coronavirus tweets, 5 sentiments",
    "tweets3": "coronavirus tweets, 3 sentiments",
}

#: The named datasets whose loader can fetch them (``download=True``); the
#: coronavirus tweets come from Kaggle, which needs an account.
DOWNLOADABLE = ("imdb", "20newsgroups")

HEADS = ("logreg", "lstm", "cnn")

#: ``sklearn_embed.text._oov.OOV_STRATEGIES``: the ``oov`` repairs ``coverage --oov`` shows.
OOV = ("ignore", "split", "subword", "split+subword")

#: ``evaluate --normalize`` value -> what a cell is a share of (for the plot's title).
NORMALIZE = {"true": "of each true label", "pred": "of each prediction", "all": "of all rows"}

# -- the neural heads on the command line -------------------------------------
# The heads' own defaults (frozen embedding, lr 1e-3, batch 64, 25 epochs,
# maxlen 200) suit tens of thousands of rows; on 600 IMDB reviews they left an
# LSTM at chance.  The command line instead scales the settings with the data
# it is given (measured on 480 IMDB rows, CNN: 0.68-0.75 -> 0.74-0.77 valid
# accuracy; LSTM: 0.51-0.61 -> 0.73-0.79).

#: Most epochs; early stopping (5 epochs without a better validation score) ends
#: most fits sooner.
MAX_EPOCHS = 30
#: The embedding is frozen this many epochs, then fine-tuned: the new layers
#: settle first, so their early, large gradients do not wreck the pretrained vectors.
FREEZE_EPOCHS = 1
#: maxlen is this quantile of the fitted texts' lengths in tokens, within the bounds:
#: long enough for most texts, without padding every batch to the longest one.
MAXLEN_QUANTILE = 0.95
MAXLEN_BOUNDS = (20, 400)
#: The batch is the power of two nearest to rows / BATCH_ROWS, within the bounds:
#: few rows need many small steps per epoch, many rows fast large ones.
BATCH_ROWS = 32
BATCH_BOUNDS = (16, 128)
#: Below LR_SMALL_ROWS rows the larger learning rate: few epochs of few steps
#: must go far.  With more rows the heads' own rate did a little better
#: (6,000 IMDB rows: 0.84 vs 0.83), if in twice the epochs.
LR_SMALL_ROWS = 5000
LR_SMALL = 3e-3
LR_LARGE = 1e-3
#: The LSTM pools over time by max, not its last state: on long texts the last
#: state forgets the beginning (480 IMDB rows: 0.73-0.79 vs 0.58-0.68 valid accuracy).
LSTM_POOLING = "max"
