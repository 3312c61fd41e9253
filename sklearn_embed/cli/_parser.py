"""The ``sklearn-embed`` parser and ``main``: options, help texts, one-line errors.

Nothing here imports pandas, scikit-learn or torch: ``--help``, ``--version``
and a mistyped option answer at once, and a command's modules are imported
only when it runs (the parser's choices come from ``_defaults``).
"""

import argparse
import sys

from .. import __version__
from ._defaults import (
    BATCH_BOUNDS,
    BATCH_ROWS,
    DATASETS,
    DOWNLOADABLE,
    FREEZE_EPOCHS,
    HEADS,
    LR_LARGE,
    LR_SMALL,
    LR_SMALL_ROWS,
    LSTM_POOLING,
    MAX_EPOCHS,
    MAXLEN_BOUNDS,
    MAXLEN_QUANTILE,
    NORMALIZE,
    OOV,
    SUFFIX,
)
from ._messages import CLIError

#: Exit status of a command stopped by Ctrl-C: 128 + SIGINT, as the shells report it.
INTERRUPTED = 130

# -- the parser -------------------------------------------------------------

_DATA_HELP = (
    "a .csv, .tsv or .parquet file (optionally compressed), or a named dataset read from "
    "the data home: " + ", ".join(f"{name} ({description})"
                                  for name, description in DATASETS.items())
)
_DATA_HOME_HELP = ("folder with the named datasets' Parquet files (default: "
                   "$SKLEARN_EMBED_DATA, else ~/sklearn_embed_data)")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
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
    parser.add_argument("--data-home", default=None, metavar="DIR", help=_DATA_HOME_HELP)


def _subcommand(commands, name, help, description, epilog):
    # The command is named, not imported: main imports _commands when one runs.
    parser = commands.add_parser(
        name, help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


_MAXLEN_SPAN = "{}..{}".format(*MAXLEN_BOUNDS)
_BATCH_SPAN = "{}..{}".format(*BATCH_BOUNDS)
_NEURAL_DEFAULTS_HELP = f"""\
lstm/cnn defaults: the heads' own defaults suit tens of thousands of rows and
leave a small file at chance, so each setting not given is taken from the rows
the head is fitted on (the line 'Head settings' shows the values used):
  --maxlen       the {MAXLEN_QUANTILE:.0%} quantile of the texts' lengths in tokens, within
                 {_MAXLEN_SPAN}: most texts are read whole, and few are padded far
  --batch-size   the power of two nearest to rows/{BATCH_ROWS}, within {_BATCH_SPAN}: small
                 data needs many small steps per epoch
  --lr           {LR_SMALL:g} below {LR_SMALL_ROWS:,} rows, else {LR_LARGE:g}: few steps must go far
  --max-epochs   {MAX_EPOCHS}; early stopping ends the fit when the head's valid loss
                 has not improved for 3 epochs, and keeps the best epoch's weights
  --unfreeze-after {FREEZE_EPOCHS}  the embedding is frozen for {FREEZE_EPOCHS} epoch, then
                 fine-tuned: the new layers settle before the pretrained vectors move
  lstm pooling   '{LSTM_POOLING}' over time, not the last state, which forgets the
                 beginning of a long text
On 600 IMDB reviews (480 fitted) these give the cnn about 0.75 validation
accuracy in under a minute on 2 CPU cores, where the heads' own defaults gave
0.68-0.75 (cnn) and 0.51-0.61 (lstm).
"""


def _add_fit(commands):
    fit = _subcommand(
        commands, "fit", "fit a pipeline on labelled texts and save it",
        "Fit TextCleaner -> EmbeddingVectorizer -> LogisticRegression (--head logreg) or\n"
        "TextCleaner -> SequenceIndexer -> LSTM/CNN classifier (--head lstm|cnn) on the\n"
        "training rows of DATA: a named dataset's train split, a file's rows with\n"
        "split == 'train' when it has a split column with such rows, else all its rows.\n"
        "Rows without a text or a label are left out (stderr names them). A stratified\n"
        "--validation-size share is held out, the rest fitted on, the held-out rows\n"
        "scored (accuracy, macro-F1, classification report) and the pipeline saved:\n"
        f"in the safe format to a {SUFFIX} file (needs the 'safe' extra; read back without\n"
        "unpickling), or with joblib to a .joblib file (a pickle). --out is checked before\n"
        "any work: its folder must exist and be writable. A digest of the rows fitted on\n"
        "is saved with the model, so that 'evaluate' can warn when it scores them.",
        _NEURAL_DEFAULTS_HELP + "\n"
        "examples:\n"
        "  sklearn-embed fit reviews.csv --text-column review --label-column stars\n"
        f"  sklearn-embed fit tweets3 --head cnn --max-epochs 5 --out cnn{SUFFIX}",
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
                        help="lstm/cnn: keep the pretrained embedding fixed throughout")
    freeze.add_argument("--fine-tune", dest="freeze", action="store_const", const=False,
                        help="lstm/cnn: train the pretrained embedding with the rest from "
                             "the first epoch")
    freeze.add_argument("--unfreeze-after", dest="freeze", type=_positive_int, metavar="N",
                        help="lstm/cnn: keep the embedding fixed for N epochs, then "
                             f"fine-tune it (default: {FREEZE_EPOCHS})")
    fit.add_argument("--max-epochs", type=_positive_int, metavar="N",
                     help=f"lstm/cnn: most training epochs; early stopping may end sooner "
                          f"(default: {MAX_EPOCHS})")
    fit.add_argument("--maxlen", type=_positive_int, metavar="N",
                     help="lstm/cnn: words kept per text, the rest cut off (default: from "
                          "the texts' lengths, see below)")
    fit.add_argument("--batch-size", type=_positive_int, metavar="N",
                     help="lstm/cnn: rows per training step (default: from the row count, "
                          "see below)")
    fit.add_argument("--lr", type=_positive_float, metavar="RATE",
                     help="lstm/cnn: learning rate of the Adam optimizer (default: from the "
                          "row count, see below)")
    fit.add_argument("--hidden-size", type=_positive_int, metavar="N",
                     help="lstm: units of the LSTM (default: 64)")
    fit.add_argument("--num-filters", type=_positive_int, metavar="N",
                     help="cnn: filters per kernel size (default: 100)")
    fit.add_argument("--device", metavar="DEVICE",
                     help="lstm/cnn: torch device, e.g. cpu, cuda or cuda:1 (default: auto, "
                          "the GPU when there is one)")
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
        commands, "evaluate", "score a saved model on labelled texts",
        "Print accuracy, macro-F1 and the classification report of MODEL on the test rows\n"
        "of DATA: a named dataset's test split, a file's rows with split == 'test' when\n"
        "it has a split column with such rows, else all its rows. Rows without a text or\n"
        "a label are left out (stderr names them). A model in the safe format is loaded\n"
        "without unpickling; a joblib (pickle) file only with --trust-pickle, since\n"
        "unpickling runs code. The PNG paths are checked before any work.\n"
        "When the rows scored are the very rows 'fit' fitted the model on, or all the\n"
        "training rows it read (those plus the ones it held out for validation),\n"
        "stderr warns that the scores are training scores: 'fit' saves a digest of\n"
        "those rows (texts and labels, in any order). Other overlaps, such as a file\n"
        "that holds the training rows and more, are not detected.",
        "example:\n"
        f"  sklearn-embed evaluate cnn{SUFFIX} tweets3 --confusion-matrix cm.png "
        "--normalize true --learning-curves curves.png",
    )
    evaluate.add_argument("model", metavar="MODEL", help="a model saved by 'sklearn-embed fit'")
    _add_trust_pickle(evaluate)
    evaluate.add_argument("data", metavar="DATA", help=_DATA_HELP)
    _add_data_options(evaluate)
    evaluate.add_argument("--confusion-matrix", metavar="PNG",
                          help="save a confusion matrix plot of the test rows to this file "
                               "(counts)")
    evaluate.add_argument("--normalize", choices=tuple(NORMALIZE),
                          help="--confusion-matrix shows shares instead of counts: of each "
                               "true label (rows sum to 1), of each prediction (columns), or "
                               "of all rows")
    evaluate.add_argument("--learning-curves", metavar="PNG",
                          help="save train/valid loss (and valid accuracy) per epoch, from "
                               "the training history; needs an lstm or cnn head")


def _add_predict(commands):
    predict = _subcommand(
        commands, "predict", "predict labels of texts with a saved model",
        "Write one row per row of DATA (all rows of a file; a named dataset's test split):\n"
        "  row            its number in DATA, from 1 (the header not counted), as in the\n"
        "                 warnings; with --id-column, that column of DATA instead\n"
        "  prediction     the predicted label\n"
        "  probability    that of the predicted label, when the model gives probabilities\n"
        "  known_tokens   the words of the text that the model knows (in the vocabulary\n"
        "                 of an lstm/cnn model, within the maxlen words it reads; in the\n"
        "                 embedding source of a logreg model); stderr names the rows\n"
        "                 with none, whose prediction rests on the model's bias alone\n"
        "Rows without a text (an empty CSV cell, NaN, None) are not predicted: their\n"
        "prediction is left empty and stderr names them. A model in the safe format is\n"
        "loaded without unpickling; a joblib (pickle) file only with --trust-pickle,\n"
        "since unpickling runs code. --out is checked before any work: its folder must\n"
        "exist and be writable.",
        "examples:\n"
        f"  sklearn-embed predict model{SUFFIX} new_reviews.csv --out predictions.csv\n"
        f"  sklearn-embed predict model{SUFFIX} new_reviews.csv --id-column review_id "
        "--out predictions.parquet",
    )
    predict.add_argument("model", metavar="MODEL", help="a model saved by 'sklearn-embed fit'")
    _add_trust_pickle(predict)
    predict.add_argument("data", metavar="DATA", help=_DATA_HELP)
    _add_data_options(predict, labels=False)
    predict.add_argument("--id-column", metavar="NAME",
                         help="column of a DATA file copied to the output, to join the "
                              "predictions back to DATA (default: the row numbers, in a "
                              "column named row)")
    predict.add_argument("--out", required=True, metavar="PATH",
                         help="where to write the predictions: a .csv or .parquet file in an "
                              "existing folder")


def _add_coverage(commands):
    coverage = _subcommand(
        commands, "coverage", "how much of the texts an embedding source knows",
        "Report the share of tokens (occurrences) and of types (distinct tokens) of DATA\n"
        "that the embedding source knows, overall and per label, and list the most\n"
        "frequent unknown tokens with their counts. The texts are those 'fit' reads: a\n"
        "named dataset's --split (default train), a file's rows with split == --split\n"
        "when it has a split column with such rows, else all its rows; rows without a\n"
        "text are left out. They are cleaned by TextCleaner (unless --no-clean) and\n"
        "tokenised as EmbeddingVectorizer tokenises them, so the counts are the tokens\n"
        "a model sees. With --oov, 'repaired' counts the unknown tokens that repair\n"
        "gives a vector, and the list shows the known parts each one gets.",
        "examples:\n"
        "  sklearn-embed coverage tweets --oov split\n"
        "  sklearn-embed coverage reviews.csv --text-column review --label-column stars",
    )
    coverage.add_argument("data", metavar="DATA", help=_DATA_HELP)
    coverage.add_argument("--text-column", default="text", metavar="NAME",
                          help="column of a DATA file that holds the texts; named datasets "
                               "have their own (default: %(default)s)")
    coverage.add_argument("--label-column", default=None, metavar="NAME",
                          help="column of a DATA file whose labels split the report by "
                               "class (default: none; named datasets use their labels)")
    coverage.add_argument("--data-home", default=None, metavar="DIR", help=_DATA_HOME_HELP)
    coverage.add_argument("--split", choices=("train", "test"), default="train",
                          help="which rows to read (default: %(default)s)")
    coverage.add_argument("--source", default="glove-6b-50d",
                          help="embedding source: a registered name or a path to a vector "
                               "file (default: %(default)s)")
    coverage.add_argument("--oov", choices=OOV, default="ignore",
                          help="the EmbeddingVectorizer oov= repair of unknown tokens to "
                               "report on (default: %(default)s)")
    coverage.add_argument("--top", type=_positive_int, default=20, metavar="N",
                          help="unknown tokens listed, most frequent first (default: "
                               "%(default)s)")
    coverage.add_argument("--no-clean", dest="clean", action="store_false",
                          help="count the raw texts' tokens, without TextCleaner")


def _add_trust_pickle(parser):
    parser.add_argument("--trust-pickle", action="store_true",
                        help="allow MODEL to be a joblib/pickle file: unpickling runs code, "
                             "so only for files you trust (the safe format needs no flag)")


def _add_demo(commands):
    demo = _subcommand(
        commands, "demo", "fit TextCleaner -> EmbeddingVectorizer -> LogisticRegression on IMDB",
        "Fit TextCleaner -> EmbeddingVectorizer -> LogisticRegression on the 25,000\n"
        "reviews of IMDB's train split, score it on the 25,000 of its test split, print\n"
        "the time each step took and the test accuracy, and save the model. IMDB is\n"
        "read from imdb.parquet in the data home; 'sklearn-embed download imdb' fetches\n"
        "it there.",
        "example:\n"
        "  sklearn-embed download imdb --data-home ~/data\n"
        f"  sklearn-embed demo --data-home ~/data --out demo{SUFFIX}",
    )
    demo.add_argument("--data-home", default=None, metavar="DIR",
                      help="folder with imdb.parquet (default: $SKLEARN_EMBED_DATA, "
                           "else ~/sklearn_embed_data)")
    demo.add_argument("--source", default="glove-6b-50d",
                      help="embedding source: a registered name, 'random', 'word2vec' or a "
                           "path to a vector file (default: %(default)s)")
    demo.add_argument("--out", default="sklearn_embed_demo.joblib", metavar="PATH",
                      help=f"where to save the model: .joblib (pickle) or {SUFFIX} (safe "
                           "format); its folder must exist (default: %(default)s)")


def _add_download(commands):
    download = _subcommand(
        commands, "download", "fetch a named dataset into the data home",
        "Download the public archive of a named dataset and build its Parquet file in\n"
        "the data home, where 'demo', 'fit', 'evaluate' and 'predict' find it by name.\n"
        "Nothing is downloaded when the file is already there. The coronavirus tweets\n"
        "(tweets, tweets3) come from Kaggle, which needs an account: download them by\n"
        "hand and use sklearn_embed.datasets.load_corona_tweets(source=...).",
        "example:\n"
        "  sklearn-embed download imdb --data-home ~/data",
    )
    download.add_argument("name", choices=DOWNLOADABLE, metavar="NAME",
                          help=f"the dataset: {', '.join(DOWNLOADABLE)}")
    download.add_argument("--data-home", default=None, metavar="DIR", help=_DATA_HOME_HELP)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="sklearn-embed",
        description="Transfer learning with word embeddings, as scikit-learn pipelines.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_demo(commands)
    _add_download(commands)
    _add_fit(commands)
    _add_evaluate(commands)
    _add_predict(commands)
    _add_coverage(commands)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # Imported here: the commands need pandas and scikit-learn, --help does not.
        from . import _commands

        result = getattr(_commands, args.command)(args)
    except CLIError as error:
        # One line, even when the message quotes a multi-line error from pandas.
        message = " ".join(str(error).split())
    except ModuleNotFoundError as error:
        if "sklearn_embed[" not in str(error):  # not a missing extra: a real bug
            raise
        message = str(error)
    except KeyboardInterrupt:
        # Ctrl-C is an answer, not a crash: no traceback. Outputs are written
        # atomically, so nothing half-written is left behind.
        print(f"{parser.prog} {args.command}: interrupted", file=sys.stderr, flush=True)
        return INTERRUPTED
    else:
        return 0 if result is None else result
    print(f"{parser.prog} {args.command}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
