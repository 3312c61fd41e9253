"""Sphinx configuration of the sklearn_embed documentation.

Build (from the repository root, with the ``docs`` extra installed and the
datasets reachable through ``SKLEARN_EMBED_DATA``)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
    python docs/check_links.py docs/_build/html

The build works offline.  Cross-references to scikit-learn, skorch, gensim,
torch and NumPy come from their ``objects.inv`` inventories (intersphinx); a
machine without internet cannot download them, so each inventory is read from
``docs/_intersphinx/<project>.inv`` when that file exists (fetch them once with
``python docs/fetch_inventories.py`` where there is internet), from the web
when ``SKLEARN_EMBED_DOCS_ONLINE=1``, and is otherwise left out: references to
that project then render as plain code instead of links, without a warning
(Sphinx only warns about unresolved references in nitpicky mode, and
``nitpick_ignore_regex`` below names exactly the projects left out).
"""

import os
import sys
from pathlib import Path

from sphinx.errors import ConfigError

import sklearn_embed

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

project = "sklearn_embed"
copyright = "sklearn_embed developers"
release = sklearn_embed.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_intersphinx", "**/backreferences", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.md5",
                    "auto_examples/*.codeobj.json"]
default_role = "py:obj"

# -- API reference ----------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"member-order": "bysource"}
# The heads subclass skorch's NeuralNet; their many inherited methods are
# documented by skorch, so a class page lists only what sklearn_embed defines.
autodoc_inherit_docstrings = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- cross-references to other projects (works offline, see the module docstring)
INVENTORIES = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "sklearn": "https://scikit-learn.org/stable",
    "skorch": "https://skorch.readthedocs.io/en/stable",
    "gensim": "https://radimrehurek.com/gensim",
    "torch": "https://docs.pytorch.org/docs/stable",
}
ONLINE = os.environ.get("SKLEARN_EMBED_DOCS_ONLINE") == "1"
intersphinx_mapping = {}
missing_inventories = []
for name, url in INVENTORIES.items():
    local = DOCS / "_intersphinx" / f"{name}.inv"
    if local.exists():
        intersphinx_mapping[name] = (url, (str(local), *((None,) if ONLINE else ())))
    elif ONLINE:
        intersphinx_mapping[name] = (url, None)
    else:
        missing_inventories.append(name)
intersphinx_timeout = 10
# In nitpicky mode (-n) every unresolved reference warns; those into projects
# whose inventory is absent are expected offline, so they alone are ignored.
_MODULES = {"python": "(builtins|collections|os|pathlib|typing|io|re|zipfile|warnings|html)",
            "numpy": "(numpy|np)", "sklearn": "sklearn", "skorch": "skorch",
            "gensim": "gensim", "torch": "torch"}
nitpick_ignore_regex = [(r"py:.*", rf"{_MODULES[name]}(\..*)?")
                        for name in missing_inventories]
# Projects that publish no inventory we map: always plain code.
nitpick_ignore_regex += [(r"py:.*", r"(ftfy|emoji|dask|distributed)(\..*)?")]

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_embed {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
}
html_show_sourcelink = False

# -- the gallery ---------------------------------------------------------------
# The examples read the real datasets through SKLEARN_EMBED_DATA.  Building the
# gallery without it would fail deep inside the first example; say so here.
_PLOT_OFF = any(arg.replace(" ", "").removeprefix("-D") in ("plot_gallery=0", "plot_gallery=False")
                for arg in sys.argv)
if not _PLOT_OFF and not os.environ.get("SKLEARN_EMBED_DATA"):
    # ConfigError: Sphinx prints its message as is (other errors go to a log file).
    raise ConfigError(
        "SKLEARN_EMBED_DATA is not set: the gallery examples read the datasets "
        "(imdb.parquet, 20newsgroups.parquet, corona_tweets.parquet) from the folder it "
        "names. Set it, e.g. `export SKLEARN_EMBED_DATA=../shared/data`, or build "
        "without running the examples: add `-D plot_gallery=0` to the sphinx command."
    )

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"/_",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sklearn_embed",),
    "backreferences_dir": "api/generated/backreferences",
    "abort_on_example_error": True,
    "remove_config_comments": True,
    "show_memory": False,
    "download_all_examples": False,
    "matplotlib_animations": False,
    "min_reported_time": 1,
    # One torch thread, as the heads default to: on a shared 2-core machine
    # more threads busy-wait and slow every example down.
    "reset_modules": ("matplotlib", "seaborn"),
}
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _write_cli_help(app):
    """The command line's --help texts, generated so that the page never goes stale."""
    from sklearn_embed.cli import build_parser

    parser = build_parser()
    os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal width
    out = DOCS / "user_guide" / "_generated"
    out.mkdir(exist_ok=True)
    texts = {"main": parser.format_help()}
    for action in parser._subparsers._group_actions:  # the documented argparse layout
        for name, sub in action.choices.items():
            texts[name] = sub.format_help()
    for name, text in texts.items():
        path = out / f"cli_{name}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _skip_routing_setters(app, what, name, obj, skip, options):
    # scikit-learn adds set_fit_request & co. to every estimator; they are
    # documented there, and their docstrings use scikit-learn's own glossary.
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("builder-inited", _write_cli_help)
    app.connect("autodoc-skip-member", _skip_routing_setters)
