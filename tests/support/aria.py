"""What a screen reader is given: the accessibility tree Chromium builds for a page.

Why: no screen-reader session (NVDA, JAWS, VoiceOver) can run on this machine, but a screen
reader reads the browser's accessibility tree, not the pixels. Chromium's own tree (DevTools
protocol ``Accessibility.getFullAXTree``) is that tree: role, name and where the name came from,
heading level (with the page template's ``aria-level`` corrections, which Playwright's
``aria_snapshot`` does not apply to native headings), pressed and checked states.

axe-core accepts a placeholder as a text box's name; this check does not, since the words vanish
once someone types and the box is then unlabelled on screen. It wants one main region, headings
that start at level 1 and never skip one, and a name for every control. Each tree is written out
as indented text for a person to read through.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

TREES = Path(os.environ.get("PAP_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="pap-aria-"))

CONTROLS = {
    "button", "textbox", "searchbox", "combobox", "checkbox", "radio", "slider", "spinbutton",
    "link", "switch", "tab", "menuitem", "listbox", "ToggleButton", "PopUpButton",
}  # fmt: skip
TEXT_ENTRY = {"textbox", "searchbox", "combobox"}
QUIET = {"generic", "none", "InlineTextBox", "LineBreak", "RootWebArea", "LayoutTable"}


@dataclass(frozen=True)
class AXNode:
    depth: int
    role: str
    name: str
    name_from: str  # the attribute or kind the name came from ("placeholder", "contents", ...)
    level: int | None
    states: tuple[str, ...]

    def line(self) -> str:
        bits = [self.role]
        if self.name:
            bits.append(repr(self.name[:100]))
        if self.level:
            bits.append(f"level={self.level}")
        bits += list(self.states)
        if self.name_from == "placeholder":
            bits.append("(named by placeholder)")
        return "  " * self.depth + "- " + " ".join(bits)


def _name_from(name: dict) -> str:
    for s in name.get("sources", []):
        if s.get("value") and not s.get("superseded"):
            return s.get("attribute") or s.get("type", "")
    return ""


def read_tree(page) -> list[AXNode]:
    """Chromium's accessibility tree of ``page`` in document order, ignored nodes left out."""
    cdp = page.context.new_cdp_session(page)
    try:
        raw = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in raw}
    out: list[AXNode] = []

    def walk(node_id: str, depth: int) -> None:
        n = by_id.get(node_id)
        if n is None:
            return
        role = (n.get("role") or {}).get("value", "")
        shown = not n.get("ignored") and role not in QUIET
        if shown:
            props = {p["name"]: p["value"].get("value") for p in n.get("properties", [])}
            states = tuple(
                k if props[k] in (True, "true") else f"{k}={props[k]}"
                for k in ("pressed", "checked", "selected", "disabled", "expanded")
                if k in props and props[k] not in (False, "false", None)
            )
            name = n.get("name") or {}
            out.append(
                AXNode(
                    depth=depth,
                    role=role,
                    name=str(name.get("value", "") or "").strip(),
                    name_from=_name_from(name),
                    level=props.get("level") if role == "heading" else None,
                    states=states,
                )
            )
        for c in n.get("childIds", []):
            walk(c, depth + 1 if shown else depth)

    walk(raw[0]["nodeId"], 0)
    return out


def save_tree(page, name: str) -> list[AXNode]:
    """:func:`read_tree`, also written to ``TREES/<name>.aria.txt`` for a person to read."""
    nodes = read_tree(page)
    TREES.mkdir(parents=True, exist_ok=True)
    text = "\n".join(n.line() for n in nodes if n.role != "StaticText" or n.name)
    (TREES / f"{name}.aria.txt").write_text(text + "\n", encoding="utf-8")
    return nodes


def reading_problems(nodes: list[AXNode]) -> list[str]:
    """What a screen-reader user would trip over (empty when the page reads well)."""
    problems = []
    mains = sum(1 for n in nodes if n.role == "main")
    if mains != 1:
        problems.append(f"{mains} main regions (one expected)")
    heads = [n for n in nodes if n.role == "heading"]
    if not heads:
        problems.append("no headings to move by")
    elif heads[0].level != 1:
        problems.append(f"the first heading is level {heads[0].level}: {heads[0].name!r}")
    for a, b in zip(heads, heads[1:], strict=False):
        if a.level and b.level and b.level > a.level + 1:
            problems.append(f"heading level {a.level} then {b.level}: {b.name!r}")
    for n in nodes:
        if n.role in CONTROLS and not n.name:
            problems.append(f"a {n.role} without a name")
        elif n.role in TEXT_ENTRY and n.name_from == "placeholder":
            problems.append(f"a {n.role} named only by its placeholder: {n.name[:60]!r}")
    return problems
