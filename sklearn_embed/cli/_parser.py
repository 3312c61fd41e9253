"""The ``sklearn-embed`` parser and ``main``: options, help texts, one-line errors."""

import argparse
import sys

from ..datasets import available_datasets
from ..persistence import SUFFIX
from . import _commands
from ._commands import HEADS, NEURAL_DEFAULTS
from ._data import CLIError

# -- the parser -------------------------------------------------------------

_DATA_HELP = (
    "a .csv, .tsv or .parquet file (optionally compressed), or a named dataset read from "
    "the data home: " + ", ".join(f"{name} ({description})"
                                  for name, description in available_datasets().items())
)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    return value


def _add_data_options(parser, *, labels=True):
    parser.add_argument("--text-column", default="text", metavar="NAME",
                        help="column of a DATA file that holds the texts; named datasets "
                             "have their own (default: %(default)s)")
    if labels:
        parser.add_argument("--label-column", default="label", metavar="NAME",
                            help="column of a DATA file that holds the labels; named "
                                 "datasets have their own (default: %(default)s)")
    parser.add_argument("--data-home", default=None, metavar="DIR",
                        help="folder with the named datasets' Parquet files (default: "
                             "$SKLEARN_EMBED_DATA, else ~/sklearn_embed_data)")


def _subcommand(commands, name, func, help, description, epilog):
    parser = commands.add_parser(
        name, help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def _add_fit(commands):
    fit = _subcommand(
        commands, "fit", _commands.fit, "fit a pipeline on labelled texts and save it",
        "Fit TextCleaner -> EmbeddingVectorizer -> LogisticRegression (--head logreg) or\n"
        "TextCleaner -> SequenceIndexer -> LSTM/CNN classifier (--head lstm|cnn) on the\n"
        "training rows of DATA: a named dataset's train split, a file's rows with\n"
        "split == 'train' when it has a split column with such rows, else all its rows.\n"
        "Rows without a text or a label are left out (stderr names them). A stratified\n"
        "--validation-size share is held out, the rest fitted on, the held-out rows\n"
        "scored (accuracy, macro-F1, classification report) and the pipeline saved:\n"
        f"in the safe format to a {SUFFIX} file (needs the 'safe' extra; read back without\n"
        "unpickling), or with joblib to a .joblib file (a pickle). --out is checked before\n"
        "any work: its folder must exist and be writable.",
        "examples:\n"
        "  sklearn-embed fit reviews.csv --text-column review --label-column stars\n"
        f"  sklearn-embed fit tweets3 --head cnn --fine-tune --max-epochs 5 --out cnn{SUFFIX}",
    )
    fit.add_argument("data", metavar="DATA", help=_DATA_HELP)
    _add_data_options(fit)
    fit.add_argument("--source", default="glove-6b-50d",
                     help="embedding source: a registered name (glove-6b-50d), 'random' or "
                          "'word2vec' (learned from the texts), or a path to a word2vec, "
                          "GloVe, fastText or gensim file (default: %(default)s)")
    fit.add_argument("--head", choices=HEADS, default="logreg",
                     help="classifier on top of the embeddings: logistic regression on "
                          "pooled vectors, or a neural net (skorch) on word sequences "
                          "(default: %(default)s)")
    freeze = fit.add_mutually_exclusive_group()
    freeze.add_argument("--freeze", dest="freeze", action="store_const", const=True,
                        help="lstm/cnn: keep the pretrained embedding fixed (the default)")
    freeze.add_argument("--fine-tune", dest="freeze", action="store_const", const=False,
                        help="lstm/cnn: train the pretrained embedding with the rest")
    freeze.add_argument("--unfreeze-after", dest="freeze", type=_positive_int, metavar="N",
                        help="lstm/cnn: keep the embedding fixed for N epochs, then "
                             "fine-tune it")
    fit.add_argument("--max-epochs", type=_positive_int, metavar="N",
                     help=f"lstm/cnn: most training epochs; early stopping may end sooner "
                          f"(default: {NEURAL_DEFAULTS['max_epochs']})")
    fit.add_argument("--maxlen", type=_positive_int, metavar="N",
                     help=f"lstm/cnn: words kept per text, the rest cut off "
                          f"(default: {NEURAL_DEFAULTS['maxlen']})")
    fit.add_argument("--validation-size", type=_fraction, default=0.2, metavar="FRACTION",
                     help="share of the training rows held out for the validation report; "
                          "0 fits on all and reports nothing (default: %(default)s)")
    fit.add_argument("--random-state", type=int, default=0, metavar="SEED",
                     help="seed of the validation split, the neural heads and random "
                          "sources (default: %(default)s)")
    fit.add_argument("--out", metavar="PATH",
                     help=f"where to save the fitted pipeline: a {SUFFIX} file (safe format) "
                          "or a .joblib file (pickle); its folder must exist (default: "
                          f"model.joblib, or model{SUFFIX} with --format safe)")
    fit.add_argument("--format", choices=("joblib", "safe"),
                     help=f"how to save: 'safe' ({SUFFIX}, loaded without unpickling) or "
                          "'joblib' (a pickle: evaluate and predict then need --trust-pickle); "
                          "must match the --out extension (default: taken from --out, else "
                          "joblib)")


def _add_evaluate(commands):
    evaluate = _subcommand(
        commands, "evaluate", _commands.evaluate, "score a saved model on labelled texts",
        "Print accuracy, macro-F1 and the classification report of MODEL on the test rows\n"
        "of DATA: a named dataset's test split, a file's rows with split == 'test' when\n"
        "it has a split column with such rows, else all its rows. Rows without a text or\n"
        "a label are left out (stderr names them). A model in the safe format is loaded\n"
        "without unpickling; a joblib (pickle) file only with --trust-pickle, since\n"
        "unpickling runs code. The PNG paths are checked before any work.",
        "example:\n"
        f"  sklearn-embed evaluate cnn{SUFFIX} tweets3 --confusion-matrix cm.png "
        "--learning-curves curves.png",
    )
    evaluate.add_argument("model", metavar="MODEL", help="a model saved by 'sklearn-embed fit'")
    _add_trust_pickle(evaluate)
    evaluate.add_argument("data", metavar="DATA", help=_DATA_HELP)
    _add_data_options(evaluate)
    evaluate.add_argument("--confusion-matrix", metavar="PNG",
                          help="save a confusion matrix plot of the test rows to this file")
    evaluate.add_argument("--learning-curves", metavar="PNG",
                          help="save train/valid loss (and valid accuracy) per epoch, from "
                               "the training history; needs an lstm or cnn head")


def _add_predict(commands):
    predict = _subcommand(
        commands, "predict", _commands.predict, "predict labels of texts with a saved model",
        "Write one row per row of DATA (all rows of a file; a named dataset's test split):\n"
        "row (its 0-based number in DATA), prediction and, when the model gives\n"
        "probabilities, probability (that of the predicted class). Rows without a text\n"
        "(an empty CSV cell, NaN, None) are not predicted: their prediction is left empty\n"
        "and stderr names them. A model in the safe format is loaded without unpickling;\n"
        "a joblib (pickle) file only with --trust-pickle, since unpickling runs code.\n"
        "--out is checked before any work: its folder must exist and be writable.",
        "example:\n"
        f"  sklearn-embed predict model{SUFFIX} new_reviews.csv --out predictions.csv",
    )
    predict.add_argument("model", metavar="MODEL", help="a model saved by 'sklearn-embed fit'")
    _add_trust_pickle(predict)
    predict.add_argument("data", metavar="DATA", help=_DATA_HELP)
    _add_data_options(predict, labels=False)
    predict.add_argument("--out", required=True, metavar="PATH",
                         help="where to write the predictions: a .csv or .parquet file in an "
                              "existing folder")


def _add_trust_pickle(parser):
    parser.add_argument("--trust-pickle", action="store_true",
                        help="allow MODEL to be a joblib/pickle file: unpickling runs code, "
                             "so only for files you trust (the safe format needs no flag)")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sklearn-embed",
        description="Transfer learning with word embeddings, as scikit-learn pipelines.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="fit TextCleaner -> EmbeddingVectorizer -> LogisticRegression on IMDB",
    )
    demo.add_argument("--data-home", default=None,
                      help="folder with imdb.parquet (default: $SKLEARN_EMBED_DATA, "
                           "else ~/sklearn_embed_data)")
    demo.add_argument("--source", default="glove-6b-50d", help="embedding source")
    demo.add_argument("--out", default="sklearn_embed_demo.joblib",
                      help=f"where to save the model: .joblib (pickle) or {SUFFIX} (safe "
                           "format); its folder must exist (default: %(default)s)")
    demo.set_defaults(func=_commands.demo)
    _add_fit(commands)
    _add_evaluate(commands)
    _add_predict(commands)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except CLIError as error:
        # One line, even when the message quotes a multi-line error from pandas.
        message = " ".join(str(error).split())
    except ModuleNotFoundError as error:
        if "sklearn_embed[" not in str(error):  # not a missing extra: a real bug
            raise
        message = str(error)
    else:
        return 0 if result is None else result
    print(f"{parser.prog} {args.command}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
