"""
Pretrained or random, frozen or fine-tuned
==========================================

The TF-Hub tutorial's transfer-learning analysis compares a pretrained text
embedding with the same network with random weights, each frozen or trained
further (fine-tuned).  Here the embedding is GloVe or seeded random vectors
(``SequenceIndexer("random")``), under a Kim CNN, with ``freeze`` True or
False: four cells of one table, the tutorial's figures beside ours.

1,000 training reviews, their first 100 words, 4 epochs.  The full run
(``python -m benchmarks.tutorials.tfhub_imdb``, one ``GridSearchCV`` with
cv=3 plus MiniLM sentence embeddings) is in ``benchmarks/RESULTS.md``.
"""

import warnings

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from sklearn_embed import CNNClassifier, SequenceIndexer, TextCleaner, TruncationWarning
from sklearn_embed.datasets import load_imdb

# %%
data = load_imdb()
X_train, _, y_train, _ = train_test_split(data.X_train, data.y_train, train_size=1000,
                                          stratify=data.y_train, random_state=0)
X_test, _, y_test, _ = train_test_split(data.X_test, data.y_test, train_size=1000,
                                        stratify=data.y_test, random_state=0)
cleaner = TextCleaner()
X_train, X_test = cleaner.fit_transform(X_train), cleaner.transform(X_test)
warnings.filterwarnings("ignore", category=TruncationWarning)

pipe = Pipeline([
    ("features", SequenceIndexer("glove-6b-50d", maxlen=100)),
    ("head", CNNClassifier(architecture="kim", lr=3e-3, max_epochs=4, random_state=0)),
])

# %%
# The four cells
# --------------
# ``set_params`` on a ``clone`` per cell, as a grid search would.

# nnlm-en-dim128 (pretrained) and random-nnlm-en-dim128, frozen / trained.
tutorial = {("GloVe", "frozen"): 79.4, ("GloVe", "fine-tuned"): 86.8,
            ("random", "frozen"): 67.7, ("random", "fine-tuned"): 71.9}
rows = []
for source, source_name in (("glove-6b-50d", "GloVe"), ("random", "random")):
    for freeze, mode in ((True, "frozen"), (False, "fine-tuned")):
        model = clone(pipe).set_params(features__source=source, features__random_state=0,
                                       head__freeze=freeze)
        accuracy = model.fit(X_train, y_train).score(X_test, y_test)
        rows.append({"embedding": source_name, "mode": mode,
                     "ours, 1,000 reviews %": round(100 * accuracy, 1),
                     "tutorial %": tutorial[(source_name, mode)],
                     "epochs run": len(model[-1].history_)})
table = pd.DataFrame(rows)
table  # noqa: B018 (the gallery shows a cell's last value as a table)

# %%
pivot = table.pivot(index="embedding", columns="mode", values="ours, 1,000 reviews %")
ax = pivot[["frozen", "fine-tuned"]].plot.bar(rot=0, figsize=(6, 3.5), ylim=(40, 90))
ax.set_ylabel("test accuracy %")
ax.set_title("IMDB, Kim CNN: embedding × freezing")
plt.tight_layout()
plt.show()

# %%
# Frozen, pretrained vectors beat random ones by a wide margin: that gap is
# what pretraining buys.  Fine-tuning needs more data and epochs to pay off:
# on all 25,000 reviews (``benchmarks/RESULTS.md``, 10 epochs) it lifts GloVe
# from 82.0 % to 85.0 % and random vectors from 80.6 % to 84.1 %.
