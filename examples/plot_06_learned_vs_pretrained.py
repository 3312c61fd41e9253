"""
200 labelled reviews: learned vs pretrained embeddings
======================================================

*Deep Learning with Python* (section 6.1.3) trains on only 200 IMDB reviews,
once with frozen GloVe vectors and once with an embedding learned from
scratch: with so few examples the pretrained vectors should win (the book:
56.4 % against about 52 %).  We repeat it on three random draws of 200
reviews, with a Kim CNN, and add the pooled-vector baseline, mean GloVe +
logistic regression.

The full run (5 draws, the book's vocabulary, MiniLM sentence embeddings, the
25,000-review test split) is ``python -m benchmarks.tutorials.dlwp_imdb``;
results in ``benchmarks/RESULTS.md``.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_embed import (
    CNNClassifier,
    EmbeddingVectorizer,
    SequenceIndexer,
    TextCleaner,
    TruncationWarning,
)
from sklearn_embed.datasets import load_imdb

# %%
# Three draws of 200 training reviews
# -----------------------------------
data = load_imdb()
X_test, _, y_test, _ = train_test_split(data.X_test, data.y_test, train_size=1000,
                                        stratify=data.y_test, random_state=0)
cleaner = TextCleaner()
X_test = cleaner.fit_transform(X_test)
draws = []
for seed in range(3):
    X, _, y, _ = train_test_split(data.X_train, data.y_train, train_size=200,
                                  stratify=data.y_train, random_state=seed)
    draws.append((cleaner.transform(X), y))

# %%
# The three models
# ----------------
# As in the book, each review is cut to its *last* 100 words
# (``truncating="pre"``).  ``SequenceIndexer(None)`` builds no embedding
# matrix, and ``pretrained=False`` makes the head learn one from scratch.
warnings.filterwarnings("ignore", category=TruncationWarning)
cnn = dict(architecture="kim", lr=3e-3, max_epochs=10, random_state=0)


def make_models():
    return {
        "Kim CNN, frozen GloVe": make_pipeline(
            SequenceIndexer("glove-6b-50d", maxlen=100, truncating="pre"),
            CNNClassifier(freeze=True, **cnn)),
        "Kim CNN, learned embedding": make_pipeline(
            SequenceIndexer(None, maxlen=100, truncating="pre"),
            CNNClassifier(pretrained=False, embedding_dim=50, **cnn)),
        "mean GloVe + LR": make_pipeline(EmbeddingVectorizer("glove-6b-50d"),
                                         LogisticRegression(max_iter=2000)),
    }


scores = {name: [] for name in make_models()}
for X, y in draws:
    for name, model in make_models().items():
        scores[name].append(model.fit(X, y).score(X_test, y_test))

# %%
table = pd.DataFrame({"mean accuracy": {k: np.mean(v) for k, v in scores.items()},
                      "std": {k: np.std(v) for k, v in scores.items()}})
table.round(3)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.barh(table.index, table["mean accuracy"], xerr=table["std"], color=["C0", "C1", "C2"])
ax.axvline(0.5, color="grey", linestyle=":", linewidth=1)
ax.set_xlim(0.4, 0.85)
ax.set_xlabel("test accuracy (mean ± std over 3 draws of 200 reviews)")
ax.invert_yaxis()
fig.tight_layout()
plt.show()

# %%
# A learned embedding has 200 reviews to learn 50 numbers for each of
# thousands of words; pretrained vectors arrive knowing them.  The pooled
# average, with only 51 parameters to fit, is the strongest of the three here.
