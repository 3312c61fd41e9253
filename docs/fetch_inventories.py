"""Download the intersphinx inventories, once, on a machine with internet.

The documentation links to scikit-learn, skorch, gensim, PyTorch, NumPy and
Python through their ``objects.inv`` files.  ``conf.py`` reads each from
``docs/_intersphinx/<project>.inv`` when present, so that a build without
internet still links them; without the file, references to that project are
shown as code, without a link and without a warning.

Usage::

    python docs/fetch_inventories.py
"""

import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conf import INVENTORIES  # noqa: E402  (the one table of projects)

OUT = Path(__file__).resolve().parent / "_intersphinx"


def main():
    OUT.mkdir(exist_ok=True)
    failed = 0
    for name, url in INVENTORIES.items():
        try:
            with urllib.request.urlopen(f"{url}/objects.inv", timeout=30) as response:
                data = response.read()
        except OSError as error:
            print(f"{name}: {url}/objects.inv could not be fetched ({error})")
            failed += 1
            continue
        (OUT / f"{name}.inv").write_bytes(data)
        print(f"{name}: {len(data):,} bytes -> {OUT / (name + '.inv')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
