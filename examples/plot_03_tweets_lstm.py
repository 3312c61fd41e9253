"""
Coronavirus tweets: cleaning, an LSTM and class weights
=======================================================

The seed tutorial (Kaggle "Coronavirus tweets NLP") cleans the tweets, merges
the five sentiments into three, pads the tokenised tweets and trains an LSTM
with global max pooling over frozen GloVe, with class weights.  Here it is as
one pipeline, on 3,000 tweets and 4 epochs.

The full run (41,157 tweets, 20 epochs, early stopping) is
``python -m benchmarks.tutorials.tweets_lstm``; its results, and why a
lexicon beats word vectors on this dataset, are in ``benchmarks/RESULTS.md``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay, classification_report
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from sklearn_embed import LSTMClassifier, SequenceIndexer, TextCleaner
from sklearn_embed.datasets import load_corona_tweets

# %%
# The tweets and what cleaning does to them
# -----------------------------------------
data = load_corona_tweets(n_classes=3)
X_train, _, y_train, _ = train_test_split(data.X_train, data.y_train, train_size=3000,
                                          stratify=data.y_train, random_state=0)
X_test, _, y_test, _ = train_test_split(data.X_test, data.y_test, train_size=1000,
                                        stratify=data.y_test, random_state=0)
labels, counts = np.unique(y_train, return_counts=True)
print(dict(zip(labels, counts)))

# %%
# Links and ``@mentions`` go, ``#hashtags`` become words, emojis become their
# names, mojibake (the data was decoded as latin-1) is repaired:
cleaner = TextCleaner()
for tweet in X_train[:3]:
    print(repr(tweet[:140]))
    print("  ->", repr(cleaner.fit_transform([tweet])[0][:140]))

# %%
# LSTM → max pooling → dense, over frozen GloVe, with class weights
# -----------------------------------------------------------------
# ``class_weight="balanced"`` weighs the rarer "Neutral" class up in the loss.
# The first 10 % of the training tweets are held out for validation, which
# drives early stopping and the learning-rate schedule.
model = Pipeline([
    ("clean", TextCleaner()),
    ("features", SequenceIndexer("glove-6b-50d", maxlen=64)),
    ("head", LSTMClassifier(hidden_size=64, pooling="max", dense_sizes=(64,), freeze=True,
                            class_weight="balanced", lr=3e-3, max_epochs=4,
                            random_state=0)),
])
model.fit(X_train, y_train)
head = model.named_steps["head"]
weights = {label: f"{weight:.2f}" for label, weight in zip(head.classes_, head.class_weight_)}
print("class weights:", weights)

# %%
# Learning curves
# ---------------
# ``history_`` keeps one row per epoch.
epochs = head.history_[:, "epoch"]
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9, 3.5))
loss_ax.plot(epochs, head.history_[:, "train_loss"], "o-", label="train")
loss_ax.plot(epochs, head.history_[:, "valid_loss"], "o-", label="validation")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("loss")
loss_ax.legend()
acc_ax.plot(epochs, head.history_[:, "valid_acc"], "o-", color="C1")
acc_ax.set_xlabel("epoch")
acc_ax.set_ylabel("validation accuracy")
fig.tight_layout()
plt.show()

# %%
# The test sample
# ---------------
predicted = model.predict(X_test)
print(classification_report(y_test, predicted, digits=3))
ConfusionMatrixDisplay.from_predictions(y_test, predicted, normalize="true",
                                        values_format=".2f", cmap="Blues")
plt.title("Coronavirus tweets, 3 classes, LSTM over frozen GloVe")
plt.show()

# %%
# The tutorial reports about 90 % with 3 classes; on the full data this
# pipeline reaches about 80 %.  The labels of this dataset follow the VADER
# lexicon's compound score, so :class:`~sklearn_embed.LexiconSentiment` plus a
# boosted tree recovers them far better (``benchmarks/RESULTS.md``).
