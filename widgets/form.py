"""The form pieces every activity view builds the same way: labelled fields, tick grids, labels.

Why: the session planner, skills poster, readiness tracker and interview builder each built the
same text boxes, dropdowns, tick grids and section labels by hand (the duplicate-code scan found
them in pairs). One component keeps their look and behaviour alike: every field starts disabled
and is enabled once the page knows whose record it saves to (``enable``), so nothing typed
before then can be lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import ipywidgets as ipw

from widgets.html import render
from widgets.ui import card, message, plain, plain_error

#: Wide enough that labels such as "Anything else" are not cut off.
LABEL_STYLE = {"description_width": "100px"}

_BADGE = {
    "ok": ("#e9f7ee", "#1e7b3c"),
    "warning": ("#fff6e0", "#8a5a00"),
    "bad": ("#fdecea", "#a12622"),
}


def field(
    kind: type[ipw.ValueWidget],
    description: str = "",
    *,
    cls: str = "",
    width: str = "100%",
    **kw: Any,
) -> Any:
    """A labelled input (Text, Dropdown, ...), disabled until :func:`enable` turns it on."""
    w = kind(
        description=description,
        style=LABEL_STYLE,
        disabled=True,
        layout=ipw.Layout(width=width),
        **kw,
    )
    if cls:
        w.add_class(cls)
    return w


def tick_grid(
    options: Iterable[tuple[str, str]], cls_prefix: str = "", *, min_width: str = "230px"
) -> tuple[dict[str, ipw.Checkbox], ipw.GridBox]:
    """Checkboxes for (label, id) pairs in a grid; returns them by id and the grid."""
    boxes: dict[str, ipw.Checkbox] = {}
    for label, key in options:
        cb = ipw.Checkbox(
            value=False, description=label, indent=False, disabled=True,
            layout=ipw.Layout(width="auto"),
        )  # fmt: skip
        if cls_prefix:
            cb.add_class(f"{cls_prefix}-{key}")
        boxes[key] = cb
    grid = ipw.GridBox(
        list(boxes.values()),
        layout=ipw.Layout(grid_template_columns=f"repeat(auto-fill, minmax({min_width}, 1fr))"),
    )
    return boxes, grid


def button(
    description: str, cls: str = "", *, primary: bool = False, disabled: bool = False
) -> ipw.Button:
    """A button sized to its words (a VBox would stretch it across the page)."""
    b = ipw.Button(
        description=description,
        button_style="primary" if primary else "",
        disabled=disabled,
        layout=ipw.Layout(width="auto"),
    )
    if cls:
        b.add_class(cls)
    return b


def sr_label(widget: ipw.Widget, text: str) -> ipw.Widget:
    """Give a control a name a screen reader announces, without drawing it a second time.

    Why: a text box whose only words are its placeholder has no label once someone types, and
    its question is already shown just above it; the description is kept for assistive
    technology and hidden on screen by the page template (class ``pap-label-sr``).
    """
    widget.description = text
    widget.add_class("pap-label-sr")
    return widget


def section_label(text: str, margin: str = "8px 0 2px") -> ipw.HTML:
    """A bold label above a group of inputs."""
    return plain(text, "div", style=f"font-weight:600;margin:{margin}")


def badge_html(
    text: str,
    kind: Literal["ok", "warning", "bad"],
    icon: str,
    *,
    bold: str = "",
    warnings: Sequence[str] = (),
    cls: str = "",
) -> str:
    """A coloured status line: an icon, an optional bold status, the text and any warnings."""
    bg, fg = _BADGE[kind]
    return render(
        "ui/badge.html",
        bg=bg,
        fg=fg,
        icon=icon,
        bold=bold,
        text=text,
        warnings=list(warnings),
        cls=cls,
    )


def failed_card(exc: BaseException, title: str) -> ipw.VBox:
    """What an activity shows instead of itself when its dataset cannot load."""
    return card([message(plain_error(exc), "error")], title=title)


def enable(inputs: Iterable[ipw.ValueWidget], on_change: Callable[[dict], None]) -> None:
    """Wire every input to ``on_change`` and turn it on (once the visitor is known)."""
    for w in inputs:
        w.observe(on_change, names="value")
        w.disabled = False
