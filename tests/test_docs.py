"""The documentation: every public name is in the API reference exactly once, and
every code snippet of the user guide runs as written.

The API pages (``docs/api/*.rst``) are written by hand, to group names by role;
these tests are what keeps them complete when a public name is added.
"""

import doctest
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import sklearn_embed
from tests.conftest import require_data

DOCS = Path(__file__).resolve().parents[1] / "docs"
API_PAGES = sorted((DOCS / "api").glob("*.rst"))
GUIDE_PAGES = [DOCS / "index.rst", *sorted((DOCS / "user_guide").glob("*.rst"))]


def public_modules():
    """sklearn_embed and every submodule whose dotted name has no part starting with '_'."""
    found = [sklearn_embed]
    for info in pkgutil.walk_packages(sklearn_embed.__path__, "sklearn_embed."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(importlib.import_module(info.name))
    return found


def public_names(module):
    """``__all__``, else the classes and functions the module defines without a '_'."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [name for name, obj in vars(module).items()
            if not name.startswith("_") and (inspect.isclass(obj) or inspect.isfunction(obj))
            and obj.__module__ == module.__name__]


def resolve(dotted):
    """The object a dotted name points to: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(dotted)


def documented_entries():
    """(dotted name, page) of every name the API pages document.

    Reads ``automodule`` (a module), ``autosummary`` entries and ``data``
    directives, resolving each entry against the ``currentmodule`` in force
    as Sphinx does (``current.entry``, else ``entry``).
    """
    entries = []
    directive = re.compile(r"^\.\. (currentmodule|automodule|autosummary|data)::\s*(\S*)")
    for page in API_PAGES:
        current, in_summary = None, False
        for line in page.read_text(encoding="utf-8").splitlines():
            match = directive.match(line)
            if match:
                kind, argument = match.groups()
                in_summary = kind == "autosummary"
                if kind in ("currentmodule", "automodule"):
                    current = argument
                if kind == "automodule":
                    entries.append((argument, page.name))
                if kind == "data":
                    entries.append((f"{current}.{argument}", page.name))
                continue
            if in_summary:
                if line and not line.startswith(" "):
                    in_summary = False
                elif line.strip() and not line.strip().startswith(":"):
                    name = line.strip().lstrip("~")
                    try:
                        resolve(f"{current}.{name}")
                        name = f"{current}.{name}"
                    except (ImportError, AttributeError):
                        pass
                    entries.append((name, page.name))
    return entries


def test_the_api_pages_document_something():
    assert len(API_PAGES) >= 5
    assert len(documented_entries()) > 40


def test_every_documented_name_exists():
    for name, page in documented_entries():
        try:
            resolve(name)
        except (ImportError, AttributeError):
            pytest.fail(f"docs/api/{page} documents {name!r}, which does not exist")


def test_every_public_name_is_documented_exactly_once():
    documented = [(name, resolve(name)) for name, _ in documented_entries()]
    problems = []
    for module in public_modules():
        wanted = [(module.__name__, module)]
        wanted += [(f"{module.__name__}.{name}", getattr(module, name))
                   for name in public_names(module)]
        for name, obj in wanted:
            where = [entry for entry, found in documented if found is obj]
            if len(where) != 1:
                problems.append(f"{name}: documented {len(where)} times {where}")
    assert not problems, (
        "Each public name must appear once in docs/api/*.rst (add it to the page of its "
        "role; a re-export is documented under one name only):\n" + "\n".join(problems)
    )


def test_the_checker_notices_a_missing_name(monkeypatch):
    # The check above must be able to fail: a public name nobody documented.
    monkeypatch.setattr(sklearn_embed.utils, "__all__", [*sklearn_embed.utils.__all__,
                                                         "_undocumented"], raising=True)
    monkeypatch.setattr(sklearn_embed.utils, "_undocumented", lambda: None, raising=False)
    with pytest.raises(AssertionError, match=r"sklearn_embed\.utils\._undocumented: "
                                             r"documented 0 times"):
        test_every_public_name_is_documented_exactly_once()


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=lambda page: page.name)
def test_guide_snippets_run(page, tmp_path, monkeypatch):
    text = page.read_text(encoding="utf-8")
    if "sklearn_embed.datasets import" in text:
        require_data("imdb.parquet")
    # The scaling-out page runs a dask cluster: without the dask extra (CI's
    # floor job cannot install it) the page is skipped, naming the extra.
    for name in ("dask", "distributed"):
        if re.search(rf"^\s*>>> (from|import) {name}\b", text, re.MULTILINE):
            pytest.importorskip(name, reason='pip install "sklearn_embed[dask]"')
    # register_source writes to the per-user cache folder: keep it out of $HOME.
    monkeypatch.setenv("SKLEARN_EMBED_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(page), module_relative=False, verbose=False, report=True,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0, f"{result.failed} snippet(s) of {page.name} failed (see above)"


def _check_links_module():
    spec = importlib.util.spec_from_file_location("check_links", DOCS / "check_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_link_checker_finds_missing_pages_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="page.html#here">ok</a> <a href="page.html#gone">bad anchor</a> '
        '<a href="missing.html">bad file</a> <a href="https://example.org">external</a> '
        '<img src="img/plot.png">', encoding="utf-8")
    (tmp_path / "page.html").write_text('<h1 id="here">Here</h1>', encoding="utf-8")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "plot.png").write_bytes(b"")
    broken, n_internal, n_external = _check_links_module().check(tmp_path)
    assert (n_internal, n_external) == (4, 1)
    assert len(broken) == 2
    assert "no id 'gone' in page.html" in broken[0]
    assert "missing.html" in broken[1]
