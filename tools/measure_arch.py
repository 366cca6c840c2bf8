"""Architecture measures for issue 13, printed so a before/after can be compared.

Why: the issue asks for lines per view file, f-string HTML interpolations, duplicate-code
pairs and repeated ``ConfigDict(extra="forbid")``; one script keeps the measure defined once.

f-string HTML measure: an f-string (``ast.JoinedStr``) whose literal parts contain an HTML
tag (``<`` followed by a letter, ``/`` or ``!``) counts as one HTML f-string; each ``{...}``
inside it counts as one interpolation. Implicitly concatenated f-strings are one node. A regular
expression's look-behind ``(?<!`` or named group ``(?P<name>`` is not a tag.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

TAG = re.compile(r"(?<!\(\?)(?<!\?P)<[a-zA-Z/!]")


def html_fstrings(path: Path) -> tuple[int, int]:
    """Return (HTML f-strings, interpolations in them) for one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = interps = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        if TAG.search(literal):
            strings += 1
            interps += sum(1 for v in node.values if isinstance(v, ast.FormattedValue))
    return strings, interps


def main(root: str = ".") -> None:
    """Print the measures for the tree at ``root``."""
    base = Path(root)
    print("## lines per view file")
    views = sorted(p for p in base.glob("widgets/**/*.py") if "view" in p.name)
    for p in views:
        print(f"{sum(1 for _ in p.open(encoding='utf-8')):5d} {p.relative_to(base)}")
    print("## f-string HTML (f-strings containing a tag; interpolations inside them)")
    files = total_s = total_i = 0
    for p in sorted(base.glob("widgets/**/*.py")):
        s, i = html_fstrings(p)
        if s:
            files += 1
            total_s += s
            total_i += i
            print(f"{i:4d} interps in {s:3d} f-strings  {p.relative_to(base)}")
    print(f"TOTAL: {total_i} interpolations in {total_s} HTML f-strings in {files} files")
    print("## ConfigDict(extra=\"forbid\")")
    hits = [
        (p, line)
        for p in sorted(base.glob("widgets/**/*.py"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if 'extra="forbid"' in line and "ConfigDict" in line
    ]
    print(f"TOTAL: {len(hits)} in {len({p for p, _ in hits})} files")
    ids = [
        p
        for p in sorted(base.glob("widgets/**/*.py"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s+id: str = Field\(", line)
    ]
    print(f"## repeated id Field (`id: str = Field(`): {len(ids)} in {len(set(ids))} files")
    print("## duplicate-code pairs (duplicates --most 200)")
    out = subprocess.run(["duplicates", "--most", "200"], cwd=base, capture_output=True, text=True)
    print(out.stdout.splitlines()[0] if out.stdout else out.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
