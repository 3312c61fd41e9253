"""The ``sklearn-embed`` command line (also ``python -m sklearn_embed``)."""

import argparse
import sys
import time


def _demo(args):
    """Fit the default pipeline on IMDB and report test accuracy and timings."""
    import joblib
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from . import EmbeddingVectorizer, TextCleaner
    from .datasets import load_imdb
    from .sources import load_source

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

    joblib.dump(pipe, args.out)
    print(f"\n{'step':<45}{'seconds':>10}")
    for step, seconds in timings.items():
        print(f"{step:<45}{seconds:>10.2f}")
    print(f"\nTest accuracy (IMDB test split, {len(data.X_test)} reviews): {accuracy:.4f}")
    print(f"Model saved to {args.out}")
    return 0


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
                           "~/sklearn_embed_data, then ../shared/data)")
    demo.add_argument("--source", default="glove-6b-50d", help="embedding source")
    demo.add_argument("--out", default="sklearn_embed_demo.joblib", help="where to save the model")
    demo.set_defaults(func=_demo)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
