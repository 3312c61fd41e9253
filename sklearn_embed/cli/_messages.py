"""How the command line speaks to the user: one-line errors, warnings, counted rows.

Light on purpose (no pandas, no scikit-learn): the parser imports it.
"""

import sys

__all__ = ["CLIError", "has", "rows", "warn", "were"]


class CLIError(Exception):
    """A mistake in what the user asked for, reported without a traceback."""


def warn(message):
    print(f"warning: {message}", file=sys.stderr, flush=True)


def rows(count):
    """``"1 row"``, ``"2 rows"``: every message that counts rows says it this way."""
    return f"{count} row" if count == 1 else f"{count} rows"


def were(count):
    """The verb after ``rows(count)``: ``"1 row was"``, ``"2 rows were"``."""
    return "was" if count == 1 else "were"


def has(count):
    """The verb after ``rows(count)``: ``"1 row has"``, ``"2 rows have"``."""
    return "has" if count == 1 else "have"
