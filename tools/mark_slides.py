"""Give every module notebook the slide marks Voila's reveal template needs.

Each markdown cell that opens with a heading starts a new slide; everything else continues the
slide before it. Run after editing a notebook: ``.venv/bin/python tools/mark_slides.py``. The
test suite checks the marks are in place, so a new module cannot ship without a slides view.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MODULES = Path(__file__).resolve().parents[1] / "modules"


def slide_type(cell: dict) -> str:
    src = "".join(cell.get("source", "")).lstrip()
    return "slide" if cell["cell_type"] == "markdown" and src.startswith("#") else "-"


def mark(path: Path) -> bool:
    """Set the marks; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb["cells"]:
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": slide_type(cell)}
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = [p.name for p in sorted(MODULES.glob("*.ipynb")) if mark(p)]
    print("marked:", ", ".join(changed) or "nothing to change")
    sys.exit(0)
