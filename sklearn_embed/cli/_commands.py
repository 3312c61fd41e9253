"""The work behind ``sklearn-embed demo``, ``download``, ``fit``, ``evaluate``, ``predict``
and ``coverage``.

Each command takes the parsed arguments, prints its progress and report on
stdout, warnings on stderr, and raises :class:`CLIError` for mistakes the user
can fix.
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd

from .._optional import import_optional
from ._data import describe_rows, fingerprint, load_model, load_named, read_data
from ._messages import CLIError, has, rows, warn, were
from ._output import PNG, TABLES, check_output, model_output, save_model, write_output
from ._pipelines import build_pipeline, warn_ignored_options
from ._report import (
    final_step,
    history_of,
    print_metrics,
    require_plots,
    save_confusion_matrix,
    save_learning_curves,
)
from ._run import fit_steps, predict_rows, step_names

__all__ = ["coverage", "demo", "download", "evaluate", "fit", "predict"]

#: The columns ``predict`` writes besides the id column.
OUTPUT_COLUMNS = ("prediction", "probability", "known_tokens")

def _warn_no_known_word(mask, row_numbers, *, column=""):
    """Name the rows whose prediction rests on no word: the model's bias decides them."""
    if mask is None or not mask.any():
        return
    count = int(mask.sum())
    theirs = "its prediction rests" if count == 1 else "their predictions rest"
    warn(f"{rows(count)} {has(count)} no word that the model knows{column}: {theirs} on "
         f"nothing but the model's bias: {describe_rows(row_numbers[mask])}")


def _warn_fitted_on_no_known_word(mask, row_numbers):
    if mask is None or not mask.any():
        return
    count = int(mask.sum())
    theirs, teach = ("its", "it teaches") if count == 1 else ("their", "they teach")
    warn(f"{rows(count)} fitted on {has(count)} no word that the model knows: {theirs} "
         f"features are empty, so {teach} the model nothing: "
         f"{describe_rows(row_numbers[mask])}")


def _drop_missing(table, *, command):
    """Leave out the rows without a text or a label, and say which they were."""
    missing = table.missing()
    if missing.any():
        count = int(missing.sum())
        warn(f"{rows(count)} {has(count)} no text or no label and {were(count)} left out: "
             f"{describe_rows(table.rows[missing])}")
    table = table.subset(~missing)
    if not len(table):
        raise CLIError(f"no row of {table.where} has both a text and a label to {command}.")
    return table


def _read(args, *, split, labels=True, id_column=None):
    print(f"Reading {args.data}", flush=True)
    start = time.perf_counter()
    table = read_data(
        args.data, split=split, text_column=args.text_column,
        label_column=args.label_column if labels else None, data_home=args.data_home,
        id_column=id_column,
    )
    print(f"Read {table.where} in {time.perf_counter() - start:.2f} s", flush=True)
    return table


def _load_source(source):
    """Load the source now, so that a wrong name fails before any fitting."""
    from ..sources import is_trained_source, load_source

    if is_trained_source(source):
        print(f"Source {source}: trained on the texts during fit", flush=True)
        return
    print(f"Loading the embedding source {source}", flush=True)
    start = time.perf_counter()
    try:
        load_source(source)
    except (TypeError, ValueError, OSError) as error:
        raise CLIError(f"--source {source!r}: {error}") from None
    print(f"Loaded source {source} in {time.perf_counter() - start:.2f} s", flush=True)


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
            f"cannot hold out --validation-size {size} of {rows(len(table))} stratified by "
            f"label ({error}); give more rows per class or --validation-size 0."
        ) from None
    return table.subset(np.sort(fit_index)), table.subset(np.sort(valid_index))


def _require_safe(format, neural):
    """Before any work: the safe format's optional packages, or a one-line error."""
    if format == "safe":
        import_optional("skops", needed_by="--format safe", extra="safe")
        if neural:
            import_optional("safetensors", needed_by="--format safe", extra="safe")


def _check_device(device):
    from .._device import resolve_device

    try:
        resolve_device(device)
    except ValueError as error:
        raise CLIError(f"--device {device!r}: {error}") from None


def _training_fingerprint(fitted_texts, fitted_labels, train_texts, train_labels):
    """What ``evaluate`` compares its rows with: the rows fitted on, and the training
    rows of DATA that ``fit`` read (those plus the ones held out for validation)."""
    return {
        "fitted": {"rows": len(fitted_texts),
                   "blake2b": fingerprint(fitted_texts, fitted_labels)},
        "train": {"rows": len(train_texts), "blake2b": fingerprint(train_texts, train_labels)},
    }


def _warn_if_training_rows(model, table):
    """Warn when ``evaluate`` scores the very rows the model was fitted on."""
    recorded = getattr(model, "training_data_fingerprint_", None)
    if not isinstance(recorded, dict):  # not fitted by this command line
        return
    digest = fingerprint(table.texts, table.labels)
    fitted, train = recorded.get("fitted", {}), recorded.get("train", {})
    advice = ("Evaluate on rows that fit did not read (a test split, another file) for "
              "a test.")
    if digest == fitted.get("blake2b"):
        warn("these are the rows the model was fitted on: the scores are training scores, "
             f"not a test. {advice}")
    elif digest == train.get("blake2b"):
        warn(f"these are the {rows(train.get('rows'))} that fit read for this model, and it "
             f"was fitted on {fitted.get('rows')} of them (the rest held out for its "
             f"validation report): the scores are mostly training scores, not a test. "
             f"{advice}")


def fit(args):
    """``sklearn-embed fit``: fit, validate and save a pipeline."""
    neural = args.head != "logreg"
    # Before reading any data: a bad output path or a missing extra is a
    # one-line error at once, not after the fit.
    out, format = model_output(args.out, args.format)
    if neural:
        import_optional("skorch", needed_by=f"--head {args.head}", extra="nn")
        if args.device is not None:
            _check_device(args.device)
    _require_safe(format, neural)
    warn_ignored_options(args)
    table = _drop_missing(_read(args, split="train"), command="fit on")
    _load_source(args.source)
    fit_part, valid_part = _holdout(table, args.validation_size, args.random_state)
    pipe, settings = build_pipeline(args, fit_part.texts)
    held = (f", {len(valid_part)} held out for validation (stratified, random state "
            f"{args.random_state})" if valid_part is not None else "")
    print(f"\nFitting {step_names(pipe)} on {rows(len(fit_part))}{held}", flush=True)
    if neural:
        print(f"Head settings: {settings}", flush=True)
        head_split = pipe[-1].train_split
        if isinstance(head_split, float):
            print(f"The head keeps {head_split:.0%} of those rows for its per-epoch "
                  "valid_loss, valid_acc and early stopping.", flush=True)
    try:
        no_known_word = fit_steps(pipe, fit_part.texts, fit_part.labels)
    except (ValueError, OSError) as error:
        raise CLIError(f"fitting failed: {error}") from None
    _warn_fitted_on_no_known_word(no_known_word, fit_part.rows)
    pipe.training_data_fingerprint_ = _training_fingerprint(
        fit_part.texts, fit_part.labels, table.texts, table.labels)
    if valid_part is not None:
        predicted = predict_rows(pipe, valid_part.texts)
        _warn_no_known_word(predicted.no_known_word, valid_part.rows)
        print_metrics(valid_part.labels, predicted.labels,
                      f"Validation ({rows(len(valid_part))} held out of {table.where})")
    print(f"Saving the model to {out}", flush=True)
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
    if args.normalize is not None and matrix_path is None:
        warn("--normalize only applies to --confusion-matrix; ignored without it.")
    model = load_model(args.model, trust_pickle=args.trust_pickle)
    history = history_of(model)
    if args.learning_curves and history is None:
        raise CLIError(
            f"--learning-curves needs a neural head (--head lstm or cnn): the last step of "
            f"{args.model!r} is a {type(final_step(model)).__name__}, which keeps no "
            "per-epoch history."
        )
    table = _drop_missing(_read(args, split="test"), command="evaluate on")
    _warn_if_training_rows(model, table)
    predicted = predict_rows(model, table.texts)
    _warn_no_known_word(predicted.no_known_word, table.rows)
    title = f"Evaluation of {args.model} on {table.where}"
    print_metrics(table.labels, predicted.labels, title)
    if matrix_path is not None:
        save_confusion_matrix(table.labels, predicted.labels, matrix_path,
                              f"{Path(args.model).name} on {args.data}", args.normalize)
        print(f"Confusion matrix saved to {matrix_path}")
    if curves_path is not None:
        save_learning_curves(history, curves_path, f"{Path(args.model).name}: loss per epoch")
        print(f"Learning curves saved to {curves_path}")
    return 0


def predict(args):
    """``sklearn-embed predict``: one prediction per row, missing texts left empty."""
    out = check_output(args.out, "--out", TABLES)
    if args.id_column in OUTPUT_COLUMNS:
        raise CLIError(
            f"--id-column {args.id_column!r} would clash with an output column "
            f"({', '.join(OUTPUT_COLUMNS)}); rename that column of DATA first."
        )
    model = load_model(args.model, trust_pickle=args.trust_pickle)
    table = _read(args, split=None, labels=False, id_column=args.id_column)
    missing = table.missing()
    if missing.any():
        count = int(missing.sum())
        warn(f"{rows(count)} {has(count)} no text and {were(count)} not predicted: "
             f"{describe_rows(table.rows[missing])}")
    present = table.subset(~missing)
    has_proba = hasattr(final_step(model), "predict_proba")
    predictions = np.full(len(table), None, dtype=object)
    top = np.full(len(table), np.nan)
    known = None
    if len(present):
        predicted = predict_rows(model, present.texts, proba=has_proba, known=True)
        predictions[~missing] = predicted.labels.tolist()
        if has_proba:
            top[~missing] = predicted.top
        if predicted.known_tokens is not None:
            known = pd.array(np.zeros(len(table), dtype=np.int64), dtype="Int64")
            known[missing] = pd.NA
            known[~missing] = predicted.known_tokens
            _warn_no_known_word(predicted.known_tokens == 0, present.rows,
                                column=" (known_tokens 0)")
    if args.id_column is None:
        frame = pd.DataFrame({"row": table.rows})
    else:
        frame = pd.DataFrame({args.id_column: table.ids})
    frame["prediction"] = predictions
    if has_proba:
        frame["probability"] = top
    if known is not None:
        frame["known_tokens"] = known
    if out.suffix.lower() == ".csv":
        write_output(out, lambda temporary: frame.to_csv(temporary, index=False), "--out")
    else:
        write_output(out, lambda temporary: frame.to_parquet(temporary, index=False), "--out")
    print(f"Predictions for {rows(len(table))} saved to {out}")
    return 0


def download(args):
    """``sklearn-embed download``: fetch a named dataset into the data home."""
    from ..datasets import get_data_home

    home = get_data_home(args.data_home)
    print(f"Fetching the {args.name} dataset into {home} (not downloaded again when it is "
          "already there)", flush=True)
    start = time.perf_counter()
    data = load_named(args.name, args.data_home, download=True)
    print(f"{args.name}: {rows(len(data.X_train))} in the train split and "
          f"{rows(len(data.X_test))} in the test split, in {home} "
          f"({time.perf_counter() - start:.2f} s)")
    return 0


def demo(args):
    """``sklearn-embed demo``: fit the default pipeline on IMDB, report accuracy and timings."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from ..datasets import get_data_home
    from ..text import EmbeddingVectorizer, TextCleaner

    out, format = model_output(args.out, None)
    _require_safe(format, neural=False)
    timings = {}
    print(f"Reading IMDB from {get_data_home(args.data_home)}", flush=True)
    start = time.perf_counter()
    data = load_named("imdb", args.data_home)
    timings["load IMDB"] = time.perf_counter() - start
    print(f"IMDB: {len(data.X_train)} train / {len(data.X_test)} test reviews", flush=True)

    start = time.perf_counter()
    _load_source(args.source)
    timings[f"load source {args.source}"] = time.perf_counter() - start

    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer(args.source),
                         LogisticRegression(max_iter=1000))
    start = time.perf_counter()
    no_known_word = fit_steps(pipe, data.X_train, data.y_train)
    timings["fit (clean + embed + logistic regression)"] = time.perf_counter() - start
    _warn_fitted_on_no_known_word(no_known_word, np.arange(1, len(data.X_train) + 1))
    pipe.training_data_fingerprint_ = _training_fingerprint(
        data.X_train, data.y_train, data.X_train, data.y_train)

    start = time.perf_counter()
    predicted = predict_rows(pipe, data.X_test)
    accuracy = float(np.mean(predicted.labels == np.asarray(data.y_test)))
    timings["predict test split"] = time.perf_counter() - start
    _warn_no_known_word(predicted.no_known_word, np.arange(1, len(data.X_test) + 1))

    save_model(pipe, out, format)
    print(f"\n{'step':<45}{'seconds':>10}")
    for step, seconds in timings.items():
        print(f"{step:<45}{seconds:>10.2f}")
    print(f"\nTest accuracy (IMDB test split, {len(data.X_test)} reviews): {accuracy:.4f}")
    print(f"Model saved to {out}")
    return 0


def coverage(args):
    """``sklearn-embed coverage``: token and type coverage of DATA by a source, unknown words."""
    from ..sources import is_trained_source
    from ..text import EmbeddingVectorizer, TextCleaner

    if is_trained_source(args.source):
        raise CLIError(
            f"--source {args.source!r} is trained on the texts themselves, so it knows every "
            "one of their tokens; give a pretrained source (a registered name or a vector "
            "file) to measure coverage."
        )
    # A named dataset comes with its labels whatever --label-column says.
    table = _read(args, split=args.split, labels=args.label_column is not None)
    missing = np.array([text is None for text in table.texts], dtype=bool)
    if missing.any():
        count = int(missing.sum())
        warn(f"{rows(count)} {has(count)} no text and {were(count)} left out: "
             f"{describe_rows(table.rows[missing])}")
    texts = table.texts[~missing].tolist()
    if not texts:
        raise CLIError(f"no row of {table.where} has a text to measure coverage on.")
    labels = None if table.labels is None else table.labels[~missing]
    if labels is not None and pd.isna(labels).any():
        labels = np.where(pd.isna(labels), "(no label)", labels.astype(str))
    _load_source(args.source)
    if args.clean:
        texts = TextCleaner().fit_transform(texts)
    vectorizer = EmbeddingVectorizer(args.source, oov=args.oov).fit(texts)
    summary, unknown = vectorizer.coverage_report(texts, labels, top=args.top)
    steps = "TextCleaner, then " if args.clean else ""
    print(f"\nCoverage of {table.where} by the source {args.source} ({steps}the tokens "
          f"EmbeddingVectorizer reads; oov={args.oov!r})")
    print(summary.to_string(float_format=lambda share: f"{share:.4f}"))
    print(f"\nThe {len(unknown)} most frequent unknown tokens:" if len(unknown)
          else "\nEvery token is known to the source.")
    if len(unknown):
        print(unknown.to_string(index=False, float_format=lambda share: f"{share:.4f}"))
    return 0
