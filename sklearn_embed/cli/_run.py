"""Running a pipeline on many rows without going silent: a line before each step, chunks.

``Pipeline.fit`` and ``predict`` are single calls that can take minutes on a
large file, and the Pipeline's own log line comes only when a step is done.
The command line therefore runs the steps itself: it says what it is about to
do and on how many rows before each one, and transforms and predicts in
chunks of :data:`CHUNK_ROWS` rows, with a progress bar when ``tqdm`` is
installed and stderr is a terminal.  The fitted pipeline is the one
``Pipeline.fit`` would give: each transformer is fitted on the output of the
one before, then the last step on the result.
"""

import sys
import time
from contextlib import contextmanager

import numpy as np

from ._messages import CLIError, rows

__all__ = ["CHUNK_ROWS", "fit_steps", "predict_rows", "step_names"]

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


def _progress(total, what):
    """A tqdm bar on stderr, or None when tqdm is missing or there is one chunk."""
    if total <= CHUNK_ROWS:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # optional: the line before each step is the progress then
        return None
    # disable=None: no bar when stderr is not a terminal (a log file, a pipe).
    return tqdm(total=total, desc=what, unit="rows", file=sys.stderr, disable=None,
                leave=False)


def _chunks(total, what):
    """``(start, stop)`` of each chunk, advancing a progress bar when there is one."""
    bar = _progress(total, what)
    try:
        for start in range(0, total, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, total)
            yield start, stop
            if bar is not None:
                bar.update(stop - start)
    finally:
        if bar is not None:
            bar.close()


def _transform(step, X, what):
    join = _JOIN.get(type(step).__name__)
    if join is None or len(X) <= CHUNK_ROWS:
        return step.transform(X)
    return join([step.transform(X[start:stop]) for start, stop in _chunks(len(X), what)])


def fit_steps(model, texts, labels, *, head_note=""):
    """Fit ``model`` (a Pipeline or one estimator) on ``texts``, saying what each step does.

    ``head_note`` is added to the line before the last step's fit (the
    neural heads' settings).
    """
    transformers, final = _steps(model)
    X, n = list(texts), len(texts)
    for step in transformers:
        name = type(step).__name__
        with _announced(f"{_DOING.get(name, 'Transforming')} {rows(n)} ({name})"):
            # y too, as Pipeline.fit gives it: a supervised transformer needs it.
            step.fit(X, labels)
            X = _transform(step, X, _DOING.get(name, name))
    with _announced(f"Fitting {type(final).__name__} on {rows(n)}{head_note}"):
        final.fit(X, labels)
    return model


def _known_tokens(step, X, before):
    """Per text, the tokens the features step knows; None when ``step`` is no features step.

    ``before`` is the step's input (cleaned texts), ``X`` its output.
    """
    from ..text import EmbeddingVectorizer, SequenceIndexer
    from ..text._indexed_sequences import OOV_ID

    if isinstance(step, SequenceIndexer):
        # Ids above OOV_ID are words of the fitted vocabulary (within maxlen,
        # which is all the head reads).
        return (np.asarray(X) > OOV_ID).sum(axis=1)
    if isinstance(step, EmbeddingVectorizer):
        analyzer = step.build_analyzer()
        known = step._source_vectors().key_to_index
        return np.array([sum(token in known for token in analyzer(doc)) for doc in before])
    return None


def predict_rows(model, texts, *, proba=False, known=False):
    """Predict ``texts`` chunk by chunk.

    Returns
    -------
    predictions : ndarray
    top : ndarray or None
        The probability of the predicted class, when ``proba``.
    known_tokens : ndarray of int or None
        With ``known``, the tokens of each text that the model's
        SequenceIndexer or EmbeddingVectorizer knows; None when it has neither.
    """
    transformers, final = _steps(model)
    texts = list(texts)
    predictions, tops, knowns = [], [], []
    start_time = time.perf_counter()
    print(f"Predicting {rows(len(texts))} ({step_names(model)})", flush=True)
    try:
        for start, stop in _chunks(len(texts), "Predicting"):
            X, counted = texts[start:stop], None
            for step in transformers:
                before, X = X, step.transform(X)
                if known:
                    counted = _known_tokens(step, X, before) if counted is None else counted
            predictions.append(np.asarray(final.predict(X)))
            if proba:
                tops.append(final.predict_proba(X).max(axis=1))
            knowns.append(counted)
    except (ValueError, OSError) as error:
        raise CLIError(f"the model cannot predict these texts: {error}") from None
    print(f"Predicted {rows(len(texts))} in {time.perf_counter() - start_time:.2f} s",
          flush=True)
    if not texts:
        return np.array([]), (np.array([]) if proba else None), None
    known_tokens = (None if not known or any(part is None for part in knowns)
                    else np.concatenate(knowns))
    return (np.concatenate(predictions), np.concatenate(tops) if proba else None,
            known_tokens)
