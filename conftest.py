"""Collection rules for the whole repository (the tests and the package's doctests).

The package's doctests run under ``--doctest-modules``; a module whose examples
need an optional extra that is not installed (CI's floor job has no ``dask``:
current dask needs pandas >= 2) is skipped with the extra named, not failed.
"""

import importlib.util
from pathlib import Path

import pytest

# Module (relative to this folder) -> the extra its doctests need and the modules it provides.
DOCTESTS_NEED = {
    Path("sklearn_embed/utils/_distributed.py"): ("dask", ("dask", "distributed")),
}

ROOT = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, pytest.DoctestItem):
            continue
        try:
            module = item.path.relative_to(ROOT)
        except ValueError:
            continue
        extra, needed = DOCTESTS_NEED.get(module, (None, ()))
        missing = [name for name in needed if importlib.util.find_spec(name) is None]
        if missing:
            item.add_marker(pytest.mark.skip(
                reason=f"needs {', '.join(missing)}: pip install \"sklearn_embed[{extra}]\""))
