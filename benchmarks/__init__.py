"""Speed, accuracy and tutorial benchmarks, run as modules from the repository root.

``python -m benchmarks.speed.bench_vectorizer``, ``python -m
benchmarks.accuracy.best_pipelines``, ``python -m benchmarks.tutorials.tweets_lstm``...
Results and the commands that produced them are in ``benchmarks/RESULTS.md``.

The real datasets are read from ``$SKLEARN_EMBED_DATA``.  When it is not set,
this package points it at this project's ``../shared/data``: the benchmarks
know where the project keeps its data, the installed library does not.
"""

import os
from pathlib import Path

_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if not os.environ.get("SKLEARN_EMBED_DATA") and _SHARED_DATA.is_dir():
    os.environ["SKLEARN_EMBED_DATA"] = str(_SHARED_DATA)
