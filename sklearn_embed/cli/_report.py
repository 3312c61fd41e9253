"""What the command line prints and draws: metrics, confusion matrix, learning curves.

Figures are drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas,
so nothing here touches pyplot's global backend or opens a window.
"""

import numpy as np

from .._optional import import_optional
from ._defaults import NORMALIZE
from ._messages import CLIError
from ._output import write_output

__all__ = ["confusion_matrix_display", "final_step", "history_of",
           "print_metrics", "require_plots", "save_confusion_matrix", "save_learning_curves",
           "split_model"]


def split_model(model):
    """``(features, final)``: the steps before the last one (or None) and the last one."""
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline) and len(model.steps) > 1:
        return model[:-1], model[-1]
    return None, final_step(model)


def final_step(model):
    from sklearn.pipeline import Pipeline

    return model[-1] if isinstance(model, Pipeline) else model


def history_of(model):
    """The skorch History of the model's last step, or None when it has none."""
    history = getattr(final_step(model), "history_", None)
    return history if history is not None and len(history) else None


def print_metrics(y_true, y_pred, title):
    from sklearn.metrics import accuracy_score, classification_report, f1_score

    try:
        accuracy = accuracy_score(y_true, y_pred)
        macro_f1 = f1_score(y_true, y_pred, average="macro", zero_division=0)
        report = classification_report(y_true, y_pred, digits=3, zero_division=0)
    except (TypeError, ValueError) as error:
        raise CLIError(f"cannot compare the labels with the predictions: {error}") from None
    print(f"\n{title}")
    print(f"accuracy  {accuracy:.4f}")
    print(f"macro-F1  {macro_f1:.4f}\n")
    print(report, flush=True)


def require_plots():
    """Fail before any work when the ``plots`` extra (matplotlib) is missing."""
    import_optional("matplotlib", needed_by="--confusion-matrix and --learning-curves",
                    extra="plots")


def _figure(width, height):
    require_plots()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure, path, option):
    write_output(path, lambda temporary: figure.savefig(temporary, dpi=100, format="png"),
                 option)
    return path


def confusion_matrix_display(y_true, y_pred, title, normalize=None):
    """The ``ConfusionMatrixDisplay`` of the predictions, drawn on a new figure.

    Counts are written as integers (the default format turns 10000 into
    ``1e+04``); with ``normalize`` ("true", "pred" or "all") the cells are
    shares, with two decimals.
    """
    from sklearn.metrics import ConfusionMatrixDisplay
    from sklearn.utils.multiclass import unique_labels

    try:
        labels = unique_labels(y_true, y_pred)
    except ValueError as error:
        raise CLIError(f"cannot compare the labels with the predictions: {error}") from None
    size = max(5.0, 0.5 * len(labels) + 2.5)
    figure = _figure(size, size)
    axes = figure.add_subplot()
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, ax=axes, colorbar=False, normalize=normalize,
        values_format="d" if normalize is None else ".2f",
        xticks_rotation="vertical" if len(labels) > 5 else "horizontal",
    )
    axes.set_title(title if normalize is None else f"{title}\n(share {NORMALIZE[normalize]})")
    return display


def save_confusion_matrix(y_true, y_pred, path, title, normalize=None,
                          option="--confusion-matrix"):
    """Draw the confusion matrix into the PNG file ``path`` (already checked)."""
    display = confusion_matrix_display(y_true, y_pred, title, normalize)
    return _save(display.figure_, path, option)


def save_learning_curves(history, path, title, option="--learning-curves"):
    """Train and valid loss per epoch, and valid accuracy beside them when recorded."""
    def column(name):
        values = [row.get(name) for row in history]
        return None if all(v is None for v in values) else np.array(values, dtype=float)

    epochs = np.array([row["epoch"] for row in history])
    valid_loss, valid_acc = column("valid_loss"), column("valid_acc")
    figure = _figure(11 if valid_acc is not None else 6, 4.5)
    loss_axes = figure.add_subplot(1, 2 if valid_acc is not None else 1, 1)
    loss_axes.plot(epochs, column("train_loss"), "o-", label="train loss")
    # Early stopping restores the weights of the epoch it monitors as best:
    # validation accuracy for the classifiers, validation loss otherwise.
    best = (epochs[int(np.nanargmax(valid_acc))] if valid_acc is not None
            else None if valid_loss is None else epochs[int(np.nanargmin(valid_loss))])
    if valid_loss is not None:
        loss_axes.plot(epochs, valid_loss, "o-", label="valid loss")
    if best is not None:
        loss_axes.axvline(best, color="grey", linestyle=":", label=f"best epoch ({best})")
    loss_axes.set(xlabel="epoch", ylabel="loss", title=title)
    loss_axes.legend()
    if valid_acc is not None:
        acc_axes = figure.add_subplot(1, 2, 2)
        acc_axes.plot(epochs, valid_acc, "o-", color="tab:green", label="valid accuracy")
        acc_axes.axvline(best, color="grey", linestyle=":")
        acc_axes.set(xlabel="epoch", ylabel="accuracy", title="validation accuracy")
        acc_axes.legend()
    for axes in figure.axes:
        axes.xaxis.get_major_locator().set_params(integer=True)
    return _save(figure, path, option)
