"""Fail if any notebook in the repository was committed with outputs or execution counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dirty_cells(path: Path) -> list[int]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        i
        for i, c in enumerate(nb.get("cells", []))
        if c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count"))
    ]


def main() -> int:
    try:
        files = subprocess.run(
            ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError):
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.ipynb") if ".venv" not in p.parts]
    bad = {f: dirty_cells(ROOT / f) for f in files if (ROOT / f).exists()}
    bad = {f: cells for f, cells in bad.items() if cells}
    for f, cells in bad.items():
        print(f"{f}: outputs in code cells {cells}. Clear outputs before committing.")
    print(
        f"checked {len(files)} notebooks: {'all clean' if not bad else f'{len(bad)} with outputs'}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
