"""Check every internal link of the built HTML documentation, offline.

``sphinx -b linkcheck`` needs the internet and checks external links only; this
checks the links between our own pages: every relative ``href`` and ``src`` of
every built page (``_static/`` aside: theme templates) must name a file that
exists, and every ``#anchor`` must be an ``id`` (or ``name``) in the page it
points to.  External links (``http:``, ``https:``, ``mailto:``) are counted and
skipped.

Usage, after building the HTML::

    python docs/check_links.py docs/_build/html

Exits with status 1 and lists the broken links when there are any.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """The ids and the links of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append((tag, attrs[key]))


def _parse(path, cache):
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def check(root):
    """Return ``(broken, n_internal, n_external)`` for the pages under ``root``."""
    root = Path(root).resolve()
    cache, broken = {}, []
    n_internal = n_external = 0
    for page_path in sorted(root.rglob("*.html")):
        if page_path.relative_to(root).parts[0] == "_static":
            continue  # theme templates (webpack-macros.html), not pages
        for tag, link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                n_external += parts.scheme in ("http", "https")
                continue
            if not link or link.startswith("javascript:"):
                continue
            n_internal += 1
            target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
            if target.is_dir():
                target = target / "index.html"
            where = f"{page_path.relative_to(root)}: <{tag}> {link}"
            if not target.exists():
                broken.append(f"{where} (no file {target})")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target, cache).ids:
                    broken.append(f"{where} (no id {parts.fragment!r} in {target.name})")
    return broken, n_internal, n_external


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else "docs/_build/html")
    if not (root / "index.html").exists():
        print(f"{root}/index.html not found: build the HTML first "
              "(python -m sphinx -W --keep-going -b html docs docs/_build/html).")
        return 2
    broken, n_internal, n_external = check(root)
    for line in broken:
        print(line)
    print(f"{n_internal} internal links checked, {len(broken)} broken; "
          f"{n_external} external links not checked (offline).")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
