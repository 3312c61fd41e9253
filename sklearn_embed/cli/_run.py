"""Running a pipeline on many rows without going silent: a line before each step, chunks.

``Pipeline.fit`` and ``predict`` are single calls that can take minutes on a
large file, and the Pipeline's own log line comes only when a step is done.
The command line therefore runs the steps itself: it says what it is about to
do and on how many rows before each one, and transforms and predicts in
chunks of :data:`CHUNK_ROWS` rows, with a progress bar (``sklearn_embed._progress``) when
stderr is a terminal.  The fitted pipeline is the one
``Pipeline.fit`` would give: each transformer is fitted on the output of the
one before, then the last step on the result.

The features step's :class:`~sklearn_embed.NoKnownTokenWarning` is silenced
here: it numbers documents within one chunk, which is no row number the user
can find.  Instead :func:`fit_steps` and :func:`predict_rows` return which
rows have no known word, and the commands name them by row.
"""

import sys
import time
import warnings
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from .._progress import progress
from ._messages import CLIError, rows

__all__ = ["CHUNK_ROWS", "Predicted", "fit_steps", "predict_rows", "step_names"]

#: Rows per chunk: small enough for a progress bar to move every few seconds,
#: large enough that the per-call overhead of a step does not count.
CHUNK_ROWS = 2000

_DOING = {"TextCleaner": "Cleaning", "SequenceIndexer": "Indexing",
          "EmbeddingVectorizer": "Embedding"}

# Steps whose output the command line knows how to join chunk by chunk: a list
# of str, or a float array.  Any other step (a SequenceIndexer, whose output
# carries the embedding matrix to the head; an unknown transformer) is called
# once on all rows.
_JOIN = {"TextCleaner": lambda parts: [doc for part in parts for doc in part],
         "EmbeddingVectorizer": np.vstack}


def _steps(model):
    """``(transformers, final)`` of a Pipeline; ``([], model)`` for a bare estimator."""
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        return [step for _, step in model.steps[:-1]], model.steps[-1][1]
    return [], model


def step_names(model):
    """``"TextCleaner -> SequenceIndexer -> CNNClassifier"``."""
    transformers, final = _steps(model)
    return " -> ".join(type(step).__name__ for step in [*transformers, final])


@contextmanager
def _announced(doing):
    """Print ``doing`` now and how long it took when it is done."""
    print(doing, flush=True)
    start = time.perf_counter()
    yield
    print(f"  done in {time.perf_counter() - start:.2f} s", flush=True)


def _chunks(total, what):
    """``(start, stop)`` of each chunk, behind a progress bar when stderr is a terminal.

    No bar in a log file or a pipe: the line printed before each step is the
    progress there.
    """
    bounds = [(start, min(start + CHUNK_ROWS, total)) for start in range(0, total, CHUNK_ROWS)]
    return progress(bounds, total=total, enabled=len(bounds) > 1 and sys.stderr.isatty(),
                    desc=what, size=lambda bound: bound[1] - bound[0], unit="rows")


def _transform(step, X, what):
    join = _JOIN.get(type(step).__name__)
    if join is None or len(X) <= CHUNK_ROWS:
        return step.transform(X)
    return join([step.transform(X[start:stop]) for start, stop in _chunks(len(X), what)])


@contextmanager
def _rows_named_by_the_command():
    from ..exceptions import NoKnownTokenWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoKnownTokenWarning)
        yield


def _features_step(step):
    """``"indexer"``, ``"vectorizer"`` or None: how ``step`` turns words into features."""
    from ..text import EmbeddingVectorizer, SequenceIndexer

    if isinstance(step, SequenceIndexer):
        return "indexer"
    if isinstance(step, EmbeddingVectorizer):
        return "vectorizer"
    return None


def _no_known_word(kind, step, X, before):
    """Mask of the texts that reach the model without a word the features step knows.

    The steps' own rules, which their ``NoKnownTokenWarning`` reports: for an
    indexer, sequences without a word id (words cut by maxlen do not count);
    for a vectorizer, documents with no token known to its source (a row of
    zeros from known tokens is not one).  ``before`` is the step's input.
    """
    from ..text._indexed_sequences import without_words

    if kind == "indexer":
        return without_words(X)
    zero_rows = np.flatnonzero(~np.asarray(X).any(axis=1))
    mask = np.zeros(len(before), dtype=bool)
    mask[step._without_known_token(before, zero_rows, step._source_vectors())] = True
    return mask


def _known_tokens(kind, step, X, before):
    """Per text, the tokens that the features step knows.

    ``before`` is the step's input (cleaned texts), ``X`` its output.
    """
    if kind == "indexer":
        from ..text._indexed_sequences import FIRST_WORD_ID

        return (np.asarray(X) >= FIRST_WORD_ID).sum(axis=1)
    analyzer = step.build_analyzer()
    vectors = step._source_vectors()
    if vectors.oov is not None:  # fastText builds a vector for any token
        return np.array([len(analyzer(doc)) for doc in before], dtype=np.int64)
    known = vectors.key_to_index
    return np.array([sum(token in known for token in analyzer(doc)) for doc in before],
                    dtype=np.int64)


def fit_steps(model, texts, labels):
    """Fit ``model`` (a Pipeline or one estimator) on ``texts``, saying what each step does.

    Returns
    -------
    no_known_word : ndarray of bool or None
        The texts that reached the last step without a word the features step
        (SequenceIndexer, EmbeddingVectorizer) knows; None without such a step.
    """
    transformers, final = _steps(model)
    X, n = list(texts), len(texts)
    no_known_word = None
    with _rows_named_by_the_command():
        for step in transformers:
            name = type(step).__name__
            with _announced(f"{_DOING.get(name, 'Transforming')} {rows(n)} ({name})"):
                # y too, as Pipeline.fit gives it: a supervised transformer needs it.
                step.fit(X, labels)
                before, X = X, _transform(step, X, _DOING.get(name, name))
            kind = _features_step(step)
            if kind is not None and no_known_word is None:
                no_known_word = _no_known_word(kind, step, X, before)
        with _announced(f"Fitting {type(final).__name__} on {rows(n)}"):
            final.fit(X, labels)
    return no_known_word


class Predicted(NamedTuple):
    """What :func:`predict_rows` returns."""

    #: The predicted labels.
    labels: np.ndarray
    #: The probability of the predicted label; None unless asked for.
    top: np.ndarray | None
    #: The tokens of each text the features step knows; None unless asked for
    #: or without such a step.
    known_tokens: np.ndarray | None
    #: The texts with no word the features step knows; None without such a step.
    no_known_word: np.ndarray | None


def predict_rows(model, texts, *, proba=False, known=False):
    """Predict ``texts`` chunk by chunk: a :class:`Predicted`.

    ``proba`` asks for the top probability, ``known`` for the known tokens per text.
    """
    transformers, final = _steps(model)
    texts = list(texts)
    parts = {"labels": [], "top": [], "known_tokens": [], "no_known_word": []}
    start_time = time.perf_counter()
    print(f"Predicting {rows(len(texts))} ({step_names(model)})", flush=True)
    try:
        with _rows_named_by_the_command():
            for start, stop in _chunks(len(texts), "Predicting"):
                X, found = texts[start:stop], False
                for step in transformers:
                    before, X = X, step.transform(X)
                    kind = _features_step(step)
                    if kind is not None and not found:
                        found = True
                        parts["no_known_word"].append(_no_known_word(kind, step, X, before))
                        if known:
                            parts["known_tokens"].append(_known_tokens(kind, step, X, before))
                parts["labels"].append(np.asarray(final.predict(X)))
                if proba:
                    parts["top"].append(final.predict_proba(X).max(axis=1))
    except (ValueError, OSError) as error:
        raise CLIError(f"the model cannot predict these texts: {error}") from None
    print(f"Predicted {rows(len(texts))} in {time.perf_counter() - start_time:.2f} s",
          flush=True)
    return Predicted(**{
        name: np.concatenate(values) if values and len(values) == len(parts["labels"])
        else None
        for name, values in parts.items()
    })
