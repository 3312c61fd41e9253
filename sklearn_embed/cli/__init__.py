"""The ``sklearn-embed`` command line (also ``python -m sklearn_embed``).

``demo`` fits the default pipeline on IMDB, ``download`` fetches a named
dataset; ``fit``, ``evaluate`` and ``predict`` work on CSV/Parquet files or
named datasets.  The parser and ``main`` are in ``_parser`` (which imports
nothing heavy: its choices come from ``_defaults``), the commands in
``_commands``, the pipelines ``fit`` builds in ``_pipelines``, running them
step by step and chunk by chunk in ``_run``, reading data and models in
``_data``, output paths in ``_output``, metrics and plots in ``_report``,
errors and counted rows in ``_messages``.
"""

from ._parser import build_parser, main

__all__ = ["build_parser", "main"]
