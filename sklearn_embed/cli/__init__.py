"""The ``sklearn-embed`` command line (also ``python -m sklearn_embed``).

``demo`` fits the default pipeline on IMDB; ``fit``, ``evaluate`` and
``predict`` work on CSV/Parquet files or named datasets.  The parser and
``main`` are in ``_parser``, the commands in ``_commands``, reading data and
models in ``_data``, metrics and plots in ``_report``.
"""

from ._parser import build_parser, main

__all__ = ["build_parser", "main"]
