"""
Quick start: pretrained word vectors for sentiment
==================================================

Classify IMDB movie reviews with pooled GloVe vectors and a logistic
regression: the three-step pipeline most transfer-learning comparisons start
from.  We fit on 2,000 reviews so that the example runs in seconds; the full
training split, and the stronger pipelines, are in ``benchmarks/RESULTS.md``.
"""

import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from sklearn_embed import EmbeddingVectorizer, TextCleaner
from sklearn_embed.datasets import load_imdb

# %%
# Load a sample of the data
# -------------------------
# :func:`~sklearn_embed.datasets.load_imdb` reads the reviews from the data
# home (``SKLEARN_EMBED_DATA``) and returns the official train and test splits.
data = load_imdb()
X_train, _, y_train, _ = train_test_split(
    data.X_train, data.y_train, train_size=2000, stratify=data.y_train, random_state=0
)
X_test, _, y_test, _ = train_test_split(
    data.X_test, data.y_test, train_size=1000, stratify=data.y_test, random_state=0
)
print(f"{len(X_train)} training reviews, {len(X_test)} test reviews")
print(X_train[0][:300], "...")

# %%
# Clean, pool, classify
# ---------------------
# :class:`~sklearn_embed.TextCleaner` strips the ``<br />`` tags of the reviews,
# :class:`~sklearn_embed.EmbeddingVectorizer` averages the GloVe vectors of
# each review's words, and a logistic regression learns from 50 numbers per
# review.
model = Pipeline([
    ("clean", TextCleaner()),
    ("embed", EmbeddingVectorizer("glove-6b-50d")),
    ("clf", LogisticRegression(max_iter=1000)),
])
model.fit(X_train, y_train)
print(f"test accuracy: {model.score(X_test, y_test):.3f}")

# %%
# What the cleaner did to a review:
print(TextCleaner().fit_transform([X_train[0][:300]])[0])

# %%
# Where it goes wrong
# -------------------
# The confusion matrix of the test sample: the errors are spread over both
# classes, as expected from a model that only sees the average meaning of the
# words.
ConfusionMatrixDisplay.from_estimator(model, X_test, y_test, normalize="true",
                                      values_format=".2f", cmap="Blues")
plt.title("IMDB, mean GloVe + logistic regression")
plt.show()

# %%
# Mean and max pooling
# --------------------
# Pooling is a parameter: concatenating the mean and the max of the vectors
# gives the classifier 100 features instead of 50.
model.set_params(embed__pooling=("mean", "max")).fit(X_train, y_train)
print(f"mean + max pooling, test accuracy: {model.score(X_test, y_test):.3f}")

# %%
# On the full 25,000-review training split the mean-GloVe pipeline reaches
# 75.6 % test accuracy, a fine-tuned CNN 86.9 % and tf-idf n-grams with NB
# weighting 92.0 % (``benchmarks/RESULTS.md``).
