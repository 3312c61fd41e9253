"""The pipelines that ``fit`` builds, and the neural heads' settings taken from the data.

The reasons for each default are beside its value in ``_defaults``, which
``fit --help`` shows too.
"""

import math

import numpy as np

from ._defaults import (
    BATCH_BOUNDS,
    BATCH_ROWS,
    FREEZE_EPOCHS,
    LR_LARGE,
    LR_SMALL,
    LR_SMALL_ROWS,
    LSTM_POOLING,
    MAX_EPOCHS,
    MAXLEN_BOUNDS,
    MAXLEN_QUANTILE,
)
from ._messages import warn

__all__ = ["build_pipeline", "warn_ignored_options"]

# Options of `fit` that only some heads use: dest -> (option, heads).
_HEAD_OPTIONS = {
    "max_epochs": ("--max-epochs", ("lstm", "cnn")),
    "maxlen": ("--maxlen", ("lstm", "cnn")),
    "freeze": ("--freeze/--fine-tune/--unfreeze-after", ("lstm", "cnn")),
    "batch_size": ("--batch-size", ("lstm", "cnn")),
    "lr": ("--lr", ("lstm", "cnn")),
    "device": ("--device", ("lstm", "cnn")),
    "hidden_size": ("--hidden-size", ("lstm",)),
    "num_filters": ("--num-filters", ("cnn",)),
}

# Texts whose lengths set maxlen: a sample is as good as all, and cleaning all
# of a large file twice would cost minutes.
_MAXLEN_SAMPLE = 2000


def warn_ignored_options(args):
    """Say which given options the chosen head does not use."""
    ignored = {}
    for dest, (option, heads) in _HEAD_OPTIONS.items():
        if getattr(args, dest) is not None and args.head not in heads:
            ignored.setdefault(heads, []).append(option)
    for heads, options in ignored.items():
        which = (f"the {heads[0]} head" if len(heads) == 1
                 else f"the {' and '.join(heads)} heads")
        verb = "only applies" if len(options) == 1 else "only apply"
        warn(f"{', '.join(options)} {verb} to {which}; ignored with --head {args.head}.")


def _maxlen_from(texts, random_state):
    """The MAXLEN_QUANTILE of the cleaned texts' lengths in tokens, within MAXLEN_BOUNDS."""
    from ..text import SequenceIndexer, TextCleaner

    texts = list(texts)
    if len(texts) > _MAXLEN_SAMPLE:
        chosen = np.random.default_rng(random_state).choice(len(texts), _MAXLEN_SAMPLE,
                                                            replace=False)
        texts = [texts[i] for i in chosen]
    analyzer = SequenceIndexer().build_analyzer()
    lengths = [len(analyzer(doc)) for doc in TextCleaner().fit_transform(texts)]
    low, high = MAXLEN_BOUNDS
    return int(np.clip(math.ceil(np.quantile(lengths, MAXLEN_QUANTILE)), low, high))


def _batch_size(n_rows):
    """The power of two nearest to n_rows / BATCH_ROWS, within BATCH_BOUNDS."""
    low, high = BATCH_BOUNDS
    return int(np.clip(2 ** round(math.log2(max(n_rows, 1) / BATCH_ROWS)), low, high))


def _describe_freeze(freeze):
    if freeze is True:
        return "embedding frozen"
    if freeze is False:
        return "embedding fine-tuned"
    return f"embedding frozen for {freeze} epoch{'s' if freeze > 1 else ''}, then fine-tuned"


def _neural_settings(args, texts):
    """``(indexer params, head params, description)``: the options given, else the
    command line's defaults, taken from the rows the head is fitted on."""
    n_rows = len(texts)
    settings = {
        "maxlen": args.maxlen or _maxlen_from(texts, args.random_state),
        "batch_size": args.batch_size or _batch_size(n_rows),
        "lr": args.lr or (LR_SMALL if n_rows < LR_SMALL_ROWS else LR_LARGE),
        "max_epochs": args.max_epochs or MAX_EPOCHS,
        "freeze": FREEZE_EPOCHS if args.freeze is None else args.freeze,
    }
    head = {key: value for key, value in settings.items() if key != "maxlen"}
    head["device"] = args.device or "auto"
    if args.head == "lstm":
        head["pooling"] = LSTM_POOLING
        if args.hidden_size is not None:
            head["hidden_size"] = args.hidden_size
    elif args.num_filters is not None:
        head["num_filters"] = args.num_filters
    chosen = [name for name in ("maxlen", "batch_size", "lr") if getattr(args, name) is None]
    description = (
        f"maxlen {settings['maxlen']}, batch size {settings['batch_size']}, "
        f"lr {settings['lr']:g}, at most {settings['max_epochs']} "
        f"epoch{'' if settings['max_epochs'] == 1 else 's'}, "
        f"{_describe_freeze(settings['freeze'])}"
        + (f"; {', '.join(chosen).replace('_', ' ')} chosen from the data (see fit --help)"
           if chosen else "")
    )
    return {"maxlen": settings["maxlen"]}, head, description


def build_pipeline(args, texts):
    """The pipeline to fit on ``texts``, and a line on the head's settings ("" for logreg)."""
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
        return Pipeline(steps), ""
    from ..heads import CNNClassifier, LSTMClassifier
    from ..text import SequenceIndexer

    indexer, head, description = _neural_settings(args, texts)
    classifier = {"lstm": LSTMClassifier, "cnn": CNNClassifier}[args.head]
    steps += [
        ("index", SequenceIndexer(args.source, random_state=args.random_state, **indexer)),
        # verbose=1: the epoch table, so a long fit shows its progress.
        (args.head, classifier(random_state=args.random_state, verbose=1, **head)),
    ]
    return Pipeline(steps), description
