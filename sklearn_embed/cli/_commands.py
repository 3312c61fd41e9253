"""The work behind ``sklearn-embed demo``, ``fit``, ``evaluate`` and ``predict``.

Each command takes the parsed arguments, prints its progress and report on
stdout, warnings on stderr, and raises :class:`CLIError` for mistakes the user
can fix.
"""

import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .._optional import import_optional
from ._data import CLIError, describe_rows, load_model, read_data, warn
from ._output import PNG, TABLES, check_output, model_output, save_model, write_output
from ._report import (
    final_step,
    history_of,
    print_metrics,
    require_plots,
    save_confusion_matrix,
    save_learning_curves,
    split_model,
)

__all__ = ["HEADS", "NEURAL_DEFAULTS", "demo", "evaluate", "fit", "predict"]

HEADS = ("logreg", "lstm", "cnn")
NEURAL_DEFAULTS = {"freeze": True, "max_epochs": 10, "maxlen": 200}


@contextmanager
def _timed(what):
    start = time.perf_counter()
    yield
    print(f"{what} in {time.perf_counter() - start:.2f} s", flush=True)


def _rows(count):
    return f"{count} row has" if count == 1 else f"{count} rows have"


def _drop_missing(table, *, command):
    """Leave out the rows without a text or a label, and say which they were."""
    missing = table.missing()
    if missing.any():
        warn(f"{_rows(int(missing.sum()))} no text or no label and were left out: "
             f"{describe_rows(table.rows[missing])}")
    table = table.subset(~missing)
    if not len(table):
        raise CLIError(f"no row of {table.where} has both a text and a label to {command}.")
    return table


def _read(args, *, split, labels=True):
    start = time.perf_counter()
    table = read_data(
        args.data, split=split, text_column=args.text_column,
        label_column=args.label_column if labels else None, data_home=args.data_home,
    )
    print(f"Read {table.where} in {time.perf_counter() - start:.2f} s", flush=True)
    return table


def _check_source(source):
    """Load the source now, so that a wrong name fails before any fitting."""
    from ..sources import is_trained_source, load_source

    if is_trained_source(source):
        print(f"Source {source}: trained on the texts during fit", flush=True)
        return
    try:
        with _timed(f"Loaded source {source}"):
            load_source(source)
    except (TypeError, ValueError, OSError) as error:
        raise CLIError(f"--source {source!r}: {error}") from None


def _neural_option(args, name):
    value = getattr(args, name)
    return NEURAL_DEFAULTS[name] if value is None else value


def _build_pipeline(args):
    from sklearn.pipeline import Pipeline

    from ..text import TextCleaner

    steps = [("clean", TextCleaner())]
    if args.head == "logreg":
        from sklearn.linear_model import LogisticRegression

        from ..text import EmbeddingVectorizer

        steps += [
            ("embed", EmbeddingVectorizer(args.source, random_state=args.random_state)),
            ("logreg", LogisticRegression(max_iter=1000, random_state=args.random_state)),
        ]
    else:
        from ..heads import CNNClassifier, LSTMClassifier
        from ..text import SequenceIndexer

        head = {"lstm": LSTMClassifier, "cnn": CNNClassifier}[args.head]
        steps += [
            ("index", SequenceIndexer(args.source, maxlen=_neural_option(args, "maxlen"),
                                      random_state=args.random_state)),
            (args.head, head(freeze=_neural_option(args, "freeze"),
                             max_epochs=_neural_option(args, "max_epochs"),
                             random_state=args.random_state, verbose=1)),
        ]
    # verbose=True prints each step with its time as it finishes.
    return Pipeline(steps, verbose=True)


def _holdout(table, size, random_state):
    if size == 0:
        return table, None
    from sklearn.model_selection import train_test_split

    try:
        fit_index, valid_index = train_test_split(
            np.arange(len(table)), test_size=size, stratify=table.labels,
            random_state=random_state,
        )
    except ValueError as error:
        raise CLIError(
            f"cannot hold out --validation-size {size} of {len(table)} rows stratified by "
            f"label ({error}); give more rows per class or --validation-size 0."
        ) from None
    return table.subset(np.sort(fit_index)), table.subset(np.sort(valid_index))


def _predict(model, texts, *, proba=False):
    """Predictions (and the highest class probability, when asked and available)."""
    features, final = split_model(model)
    try:
        X = list(texts) if features is None else features.transform(list(texts))
        predictions = final.predict(X)
        top = final.predict_proba(X).max(axis=1) if proba else None
    except (ValueError, OSError) as error:
        raise CLIError(f"the model cannot predict these texts: {error}") from None
    return predictions, top


def _require_safe(format, neural):
    """Before any work: the safe format's optional packages, or a one-line error."""
    if format == "safe":
        import_optional("skops", needed_by="--format safe", extra="safe")
        if neural:
            import_optional("safetensors", needed_by="--format safe", extra="safe")


def fit(args):
    """``sklearn-embed fit``: fit, validate and save a pipeline."""
    neural = args.head != "logreg"
    # Before reading any data: a bad output path or a missing extra is a
    # one-line error at once, not after the fit.
    out, format = model_output(args.out, args.format)
    if neural:
        import_optional("skorch", needed_by=f"--head {args.head}", extra="nn")
    _require_safe(format, neural)
    given = [f"--{name.replace('_', '-')}" for name in ("max_epochs", "maxlen")
             if getattr(args, name) is not None]
    if args.freeze is not None:
        given.append("--freeze/--fine-tune/--unfreeze-after")
    if given and not neural:
        warn(f"{', '.join(given)} only apply to the lstm and cnn heads; ignored with "
             "--head logreg.")
    table = _drop_missing(_read(args, split="train"), command="fit on")
    _check_source(args.source)
    fit_part, valid_part = _holdout(table, args.validation_size, args.random_state)
    pipe = _build_pipeline(args)
    held = (f", {len(valid_part)} held out for validation (stratified, random state "
            f"{args.random_state})" if valid_part is not None else "")
    print(f"\nFitting {' -> '.join(type(step).__name__ for _, step in pipe.steps)} "
          f"on {len(fit_part)} rows{held}", flush=True)
    head_split = pipe[-1].train_split if neural else None
    if isinstance(head_split, float):
        print(f"The head keeps {head_split:.0%} of those rows for its per-epoch valid_loss, "
              "valid_acc and early stopping.", flush=True)
    try:
        pipe.fit(list(fit_part.texts), fit_part.labels)
    except (ValueError, OSError) as error:
        raise CLIError(f"fitting failed: {error}") from None
    if valid_part is not None:
        with _timed("Predicted the validation rows"):
            predictions, _ = _predict(pipe, valid_part.texts)
        print_metrics(valid_part.labels, predictions,
                      f"Validation ({len(valid_part)} rows held out of {table.where})")
    save_model(pipe, out, format)
    print(f"Model saved to {out} ({'safe format' if format == 'safe' else 'joblib, a pickle'})")
    return 0


def evaluate(args):
    """``sklearn-embed evaluate``: metrics and plots of a saved model on test rows."""
    if args.confusion_matrix or args.learning_curves:
        require_plots()
    matrix_path, curves_path = (
        None if value is None else check_output(value, option, PNG)
        for value, option in ((args.confusion_matrix, "--confusion-matrix"),
                              (args.learning_curves, "--learning-curves"))
    )
    model = load_model(args.model, trust_pickle=args.trust_pickle)
    history = history_of(model)
    if args.learning_curves and history is None:
        raise CLIError(
            f"--learning-curves needs a neural head (--head lstm or cnn): the last step of "
            f"{args.model!r} is a {type(final_step(model)).__name__}, which keeps no "
            "per-epoch history."
        )
    table = _drop_missing(_read(args, split="test"), command="evaluate on")
    with _timed(f"Predicted {len(table)} rows"):
        predictions, _ = _predict(model, table.texts)
    title = f"Evaluation of {args.model} on {table.where}"
    print_metrics(table.labels, predictions, title)
    if matrix_path is not None:
        save_confusion_matrix(table.labels, predictions, matrix_path,
                              f"{Path(args.model).name} on {args.data}")
        print(f"Confusion matrix saved to {matrix_path}")
    if curves_path is not None:
        save_learning_curves(history, curves_path, f"{Path(args.model).name}: loss per epoch")
        print(f"Learning curves saved to {curves_path}")
    return 0


def predict(args):
    """``sklearn-embed predict``: one prediction per row, missing texts left empty."""
    out = check_output(args.out, "--out", TABLES)
    model = load_model(args.model, trust_pickle=args.trust_pickle)
    table = _read(args, split=None, labels=False)
    missing = table.missing()
    if missing.any():
        warn(f"{_rows(int(missing.sum()))} no text and were not predicted: "
             f"{describe_rows(table.rows[missing])}")
    present = table.subset(~missing)
    has_proba = hasattr(final_step(model), "predict_proba")
    predictions = np.full(len(table), None, dtype=object)
    top = np.full(len(table), np.nan)
    if len(present):
        with _timed(f"Predicted {len(present)} rows"):
            predicted, probability = _predict(model, present.texts, proba=has_proba)
        predictions[~missing] = predicted.tolist()
        if has_proba:
            top[~missing] = probability
    frame = pd.DataFrame({"row": table.rows, "prediction": predictions})
    if has_proba:
        frame["probability"] = top
    if out.suffix.lower() == ".csv":
        write_output(out, lambda temporary: frame.to_csv(temporary, index=False), "--out")
    else:
        write_output(out, lambda temporary: frame.to_parquet(temporary, index=False), "--out")
    print(f"Predictions for {len(table)} rows saved to {out}")
    return 0


def demo(args):
    """``sklearn-embed demo``: fit the default pipeline on IMDB, report accuracy and timings."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from ..datasets import load_imdb
    from ..sources import load_source
    from ..text import EmbeddingVectorizer, TextCleaner

    out, format = model_output(args.out, None)
    _require_safe(format, neural=False)
    timings = {}
    start = time.perf_counter()
    data = load_imdb(args.data_home)
    timings["load IMDB"] = time.perf_counter() - start
    print(f"IMDB: {len(data.X_train)} train / {len(data.X_test)} test reviews", flush=True)

    start = time.perf_counter()
    load_source(args.source)
    timings[f"load source {args.source}"] = time.perf_counter() - start

    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer(args.source),
                         LogisticRegression(max_iter=1000))
    start = time.perf_counter()
    pipe.fit(data.X_train, data.y_train)
    timings["fit (clean + embed + logistic regression)"] = time.perf_counter() - start

    start = time.perf_counter()
    accuracy = pipe.score(data.X_test, data.y_test)
    timings["predict test split"] = time.perf_counter() - start

    save_model(pipe, out, format)
    print(f"\n{'step':<45}{'seconds':>10}")
    for step, seconds in timings.items():
        print(f"{step:<45}{seconds:>10.2f}")
    print(f"\nTest accuracy (IMDB test split, {len(data.X_test)} reviews): {accuracy:.4f}")
    print(f"Model saved to {out}")
    return 0
