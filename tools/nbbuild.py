"""Write a clean notebook (no outputs) from a list of ("md"|"markdown"|"code", source) pairs.

Used by kit authors to keep notebooks tidy: ``python tools/nbbuild.py`` is not needed at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def write_notebook(path: str | Path, cells: list[tuple[str, str]], title: str = "") -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    if title:
        nb.metadata["title"] = title
    for kind, src in cells:
        src = src.strip("\n")
        if kind in ("md", "markdown"):
            cell = nbformat.v4.new_markdown_cell(src)
        elif kind == "code":
            cell = nbformat.v4.new_code_cell(src)
        else:
            raise ValueError(f"cell kind must be 'md', 'markdown' or 'code', not {kind!r}")
        nb.cells.append(cell)
    nbformat.write(nb, str(path))


if __name__ == "__main__":
    sys.exit("import write_notebook from this file in an authoring script")
