"""Vocabulary repair on the coronavirus tweets: coverage and accuracy for each ``oov=``.

Usage::

    python -m benchmarks.accuracy.coverage_repair            # the four oov strategies
    python -m benchmarks.accuracy.coverage_repair --top 15   # and a longer unknown-word list

For each ``oov`` of EmbeddingVectorizer (``"ignore"``, today's behaviour, is the
baseline), on the train split after ``TextCleaner()`` (hashtags kept as words):
the share of tokens GloVe 6B-50d knows or the repair reaches, the same for hashtag
uses (``#\\w+`` in the raw tweets), and the test accuracy and macro-F1 of
TextCleaner -> EmbeddingVectorizer(glove-6b-50d, mean) -> LogisticRegression on the
5-class task and on the 3-class merge; then the transform time of the train split
relative to ``"ignore"`` (best of ``--repeat``), and the most frequent unknown
tokens with what each repair makes of them.
"""

import argparse
import re
import time
import warnings

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from sklearn_embed import EmbeddingVectorizer, NoKnownTokenWarning, TextCleaner
from sklearn_embed.datasets import load_corona_tweets
from sklearn_embed.sources import load_source
from sklearn_embed.text._oov import OOV_STRATEGIES, repair_parts

_HASHTAG = re.compile(r"#(\w+)")


def hashtag_coverage(raw_texts, key_to_index, strategy):
    """Shares of hashtag uses whose (lower-cased) word is known, and known or repaired."""
    uses = [tag.lower() for text in raw_texts for tag in _HASHTAG.findall(text)]
    distinct = set(uses)
    known = {tag for tag in distinct if tag in key_to_index}
    repaired = {tag for tag in distinct - known if repair_parts(tag, key_to_index, strategy)}
    n_known = sum(tag in known for tag in uses)
    n_repaired = sum(tag in repaired for tag in uses)
    return len(uses), n_known / len(uses), (n_known + n_repaired) / len(uses)


def scores(X_train, X_test, y_train, y_test, seed):
    model = LogisticRegression(max_iter=2000, random_state=seed).fit(X_train, y_train)
    predicted = model.predict(X_test)
    return accuracy_score(y_test, predicted), f1_score(y_test, predicted, average="macro")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--top", type=int, default=10,
                        help="unknown tokens listed at the end (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="transform timings per strategy, best kept (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    # A few dozen tweets hold only links or unknown words: their warnings would bury the table.
    warnings.simplefilter("ignore", NoKnownTokenWarning)

    five = load_corona_tweets(args.data_home, n_classes=5)
    three = load_corona_tweets(args.data_home, n_classes=3)
    cleaner = TextCleaner().fit(five.X_train)
    train, test = cleaner.transform(five.X_train), cleaner.transform(five.X_test)
    key_to_index = load_source("glove-6b-50d").key_to_index
    print(f"coronavirus tweets: {len(train)} train / {len(test)} test, GloVe 6B-50d, "
          "TextCleaner() -> EmbeddingVectorizer(mean) -> LogisticRegression", flush=True)

    rows, unknown, baseline_time = [], None, None
    for strategy in OOV_STRATEGIES:
        vectorizer = EmbeddingVectorizer("glove-6b-50d", oov=strategy).fit(train)
        summary, top = vectorizer.coverage_report(train, top=args.top)
        if unknown is None:
            unknown = top[["word", "count"]].copy()
        unknown[strategy] = top["repaired_as"].fillna("-").to_numpy()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            X_train = vectorizer.transform(train)
            times.append(time.perf_counter() - start)
        X_test = vectorizer.transform(test)
        baseline_time = baseline_time or min(times)
        n_tags, tags_known, tags_covered = hashtag_coverage(five.X_train, key_to_index, strategy)
        acc5, f5 = scores(X_train, X_test, five.y_train, five.y_test, args.seed)
        acc3, f3 = scores(X_train, X_test, three.y_train, three.y_test, args.seed)
        total = summary.loc["(all)"]
        rows.append((strategy, total["token_coverage"], total["token_coverage_repaired"],
                     tags_covered, acc5, f5, acc3, f3, min(times), min(times) / baseline_time))
        print(f"  {strategy}: done", flush=True)

    print(f"\ntrain tokens: {int(total['tokens'])}, known to GloVe: "
          f"{total['token_coverage']:.4f}; hashtag uses: {n_tags}, known: {tags_known:.4f}\n")
    header = ("oov", "tokens known", "tokens covered", "hashtags covered", "acc 5", "F1 5",
              "acc 3", "F1 3", "transform s", "x ignore")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for strategy, *values in rows:
        cells = [f"{v:.4f}" for v in values[:7]] + [f"{values[7]:.2f}", f"{values[8]:.2f}"]
        print(f"| {strategy} | " + " | ".join(cells) + " |")
    print(f"\nthe {args.top} most frequent unknown train tokens and what each repair makes "
          "of them:\n")
    print(unknown.to_markdown(index=False) if _has_tabulate() else unknown.to_string(index=False))


def _has_tabulate():
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
