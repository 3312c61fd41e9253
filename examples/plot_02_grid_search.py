"""
One grid search over source × freezing × head
=============================================

Which vectors, frozen or fine-tuned, and which model on top?  In
sklearn_embed these are parameters of one :class:`~sklearn.pipeline.Pipeline`,
so a single :class:`~sklearn.model_selection.GridSearchCV` compares them on the
same folds.  The source is named once, in the indexer; the head reads the
embedding matrix from the indexer's output, so ``features__source`` changes the
head's starting vectors too.

This runs on 400 IMDB reviews, their first 64 words, with 3 epochs so that it finishes in well under
a minute: the accuracies are noisy and low.  The full comparison (25,000
reviews, 10 epochs) is ``python -m benchmarks.tutorials.tfhub_imdb``, whose
results are in ``benchmarks/RESULTS.md``.
"""

import warnings

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from sklearn_embed import (
    CNNClassifier,
    LSTMClassifier,
    SequenceIndexer,
    TextCleaner,
    TruncationWarning,
)
from sklearn_embed.datasets import load_imdb

# %%
# The data and the pipeline
# -------------------------
data = load_imdb()
texts, _, labels, _ = train_test_split(data.X_train, data.y_train, train_size=400,
                                       stratify=data.y_train, random_state=0)
# We cut the reviews on purpose (maxlen=64): silence the indexer's reminder.
warnings.filterwarnings("ignore", category=TruncationWarning)
# Clean once, outside the search: cleaning has no parameter searched here.
texts = TextCleaner().fit_transform(texts)

small = dict(max_epochs=3, lr=3e-3, batch_size=32, train_split=None, random_state=0)
pipe = Pipeline([
    # The first 64 tokens of each review: enough to show the differences, and fast.
    ("features", SequenceIndexer("glove-6b-50d", maxlen=64)),
    ("head", LSTMClassifier(**small)),
])

# %%
# The grid: 2 sources × 2 freezing modes × 2 heads = 8 candidates, each fitted
# on 2 folds, then the best refitted once: 17 fits.
grid = {
    "features__source": ["glove-6b-50d", "random"],
    "head": [LSTMClassifier(hidden_size=32, pooling="max", **small),
             CNNClassifier(num_filters=32, **small)],
    "head__freeze": [True, False],
}
search = GridSearchCV(pipe, grid, cv=2).fit(texts, labels)
print("best:", search.best_params_, f"cv accuracy {search.best_score_:.3f}")

# %%
# Every candidate
# ---------------
# ``cv_results_`` as a table, one row per candidate.
results = pd.DataFrame(search.cv_results_)
results["source"] = results["param_features__source"]
results["head"] = results["param_head"].map(lambda head: type(head).__name__)
results["embedding"] = results["param_head__freeze"].map({True: "frozen", False: "fine-tuned"})
table = results[["source", "head", "embedding", "mean_test_score", "mean_fit_time"]]
table.sort_values("mean_test_score", ascending=False).round(3)

# %%
# Accuracy by source × freezing, one panel per head
# -------------------------------------------------
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
for ax, (head, rows) in zip(axes, table.groupby("head")):
    pivot = rows.pivot(index="source", columns="embedding", values="mean_test_score")
    pivot.plot.bar(ax=ax, rot=0)
    ax.set_title(head)
    ax.set_ylim(0.4, 1.0)
    ax.axhline(0.5, color="grey", linestyle=":", linewidth=1)
axes[0].set_ylabel("cv accuracy")
fig.suptitle("IMDB, 400 reviews, first 64 words, 3 epochs")
fig.tight_layout()
plt.show()

# %%
# What it costs
# -------------
# The search fitted every candidate on every fold: its cost is the sum of the
# fit times above times the folds, plus the refit.  With 25,000 reviews and
# 10 epochs the same grid of Kim CNNs takes about 25 minutes on 2 CPU cores
# (``benchmarks/RESULTS.md``).
print(f"total fit time over the folds: {(results['mean_fit_time'] * 2).sum():.1f} s")
