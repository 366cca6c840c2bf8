"""Shared view pieces: the kit's one way to show a message, catch an error and offer a download.

Everything here is thin ipywidgets glue. The rule it enforces: a user never sees a traceback, and
nothing a user typed reaches an HTML widget unescaped (ipywidgets' HTML widget renders markup as
given, so ``<img onerror=...>`` typed into a text box would run in the facilitator's browser).
"""

from __future__ import annotations

import base64
import functools
import html
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as ipw

from widgets.datasets import DatasetError
from widgets.html import render

log = logging.getLogger("parents_as_partners")

Kind = Literal["info", "success", "warning", "error"]

_COLOURS = {
    "info": ("#e8f1fb", "#1f5fa8", "ℹ️"),
    "success": ("#e9f7ee", "#1e7b3c", "✅"),
    "warning": ("#fff6e0", "#8a5a00", "⚠️"),
    "error": ("#fdecea", "#a12622", "⛔"),
}


def esc(text: Any) -> str:
    """Escape any user-supplied text for HTML (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def esc_multiline(text: Any) -> str:
    """Escape text and keep its line breaks visible."""
    return esc(text).replace("\n", "<br>")


STRICT_ERRORS_ENV = "PAP_STRICT_ERRORS"
ERRORS_SHOWN: list[str] = []  # the last few error boxes this process drew (newest last)


class ErrorBoxShown(BaseException):
    """Raised in strict test runs when a page draws an error box while its notebook executes.

    Views turn every failure into a calm box, so a notebook run "passes" even when a page is
    broken; under ``PAP_STRICT_ERRORS=1`` that box fails the cell instead. A BaseException, so
    no view's ``except Exception`` can swallow it.
    """


def _executing_a_cell() -> bool:
    """True while a kernel runs a notebook cell (not a widget callback, not plain Python)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    header = getattr(shell, "parent_header", None) or {}
    return header.get("msg_type") == "execute_request"


def _note_error_box(text: str, title: str | None) -> None:
    ERRORS_SHOWN.append(f"{title}: {text}" if title else text)
    del ERRORS_SHOWN[:-20]
    if os.environ.get(STRICT_ERRORS_ENV) == "1" and _executing_a_cell():
        raise ErrorBoxShown(f"The page shows an error box: {ERRORS_SHOWN[-1]}")


def message_html(
    text: str, kind: Kind = "info", *, title: str | None = None, css_class: str = ""
) -> str:
    """HTML for a message box. ``text`` is escaped: pass plain words, never markup.

    ``css_class`` marks a message for the page template (``pap-saved`` on "Saved at" lines, which
    the page hides when the connection to the server is lost).
    """
    if kind == "error":
        _note_error_box(text, title)
    bg, fg, icon = _COLOURS[kind]
    return render(
        "ui/message.html",
        kind=kind,
        css_class=css_class,
        bg=bg,
        fg=fg,
        icon=icon,
        title=title,
        text=text,
    )


def message(text: str, kind: Kind = "info", *, title: str | None = None) -> ipw.HTML:
    return ipw.HTML(message_html(text, kind, title=title))


def show_message(
    target: ipw.HTML,
    text: str,
    kind: Kind = "info",
    *,
    title: str | None = None,
    css_class: str = "",
) -> None:
    """Put a message in an existing HTML widget (the status line of a view)."""
    target.value = message_html(text, kind, title=title, css_class=css_class)


def show_error(target: ipw.HTML, text: str, *, title: str | None = None) -> None:
    show_message(target, text, "error", title=title)


def plain_error(exc: BaseException) -> str:
    """True words for an exception: the user's own mistake, a failed save, or a calm generic one.

    A failed save (full disk, read-only database, no data folder, database server gone, busy,
    visitor unknown) is named by :func:`widgets.saving.describe_store_error` and says "Not saved".
    Anything else cannot know whether the last action finished, so it never claims nothing was
    lost; it says what is certain: what is on the page is still there.
    """
    if isinstance(exc, DatasetError):
        return exc.plain
    if isinstance(exc, UserFacingError):
        return str(exc)
    from widgets.saving import describe_store_error  # saving imports this module

    saved = describe_store_error(exc)
    if saved is not None:
        return saved
    return (
        "Something went wrong on our side, so this last step may not have finished. "
        "What you typed is still on the page; copy anything long somewhere safe, then try again. "
        "If it keeps happening, tell your facilitator or IT contact "
        f"(technical detail for them: {type(exc).__name__})."
    )


class UserFacingError(Exception):
    """An error whose message is already written for a teacher or parent to read."""


def guarded(status: ipw.HTML) -> Callable:
    """Decorate a widget callback: any exception becomes a plain message in ``status``.

    Voila hides callback output, so without this an error in a click handler would simply do
    nothing; the full traceback still goes to the server log for the IT person.
    """

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the whole point is to catch everything
                traceback.print_exc(file=sys.__stderr__)
                show_error(status, plain_error(exc))
                return None

        return wrapper

    return deco


def download_html(
    data: bytes | str, filename: str, label: str, mime: str = "application/octet-stream"
) -> str:
    """An anchor that downloads ``data`` as ``filename``; a data: URL works in Voila and Lab."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    b64 = base64.b64encode(raw).decode("ascii")
    return render("ui/download.html", filename=filename, mime=mime, b64=b64, label=label)


def download_link(
    data: bytes | str, filename: str, label: str, mime: str = "application/octet-stream"
) -> ipw.HTML:
    """The kit's one way to offer a download from a page."""
    return ipw.HTML(download_html(data, filename, label, mime))


_TEXT_TAGS = frozenset({"p", "div", "span", "small", "b", "h2", "h3", "h4", "h5", "li"})


def text_html(
    text: Any,
    tag: str = "p",
    *,
    style: str = "",
    cls: str = "",
    icon: str = "",
    bold: str = "",
    multiline: bool = False,
) -> str:
    """One element holding plain text (escaped by the template): a note, label or heading.

    ``bold`` is a bold lead-in before the text; ``multiline`` keeps line breaks visible.
    """
    if tag not in _TEXT_TAGS:
        raise ValueError(f"text_html: tag {tag!r} is not one of {sorted(_TEXT_TAGS)}")
    return render(
        "ui/text.html",
        tag=tag,
        text="" if text is None else text,
        style=style,
        cls=cls,
        icon=icon,
        bold=bold,
        multiline=multiline,
    )


def plain(text: Any, tag: str = "p", **kw: Any) -> ipw.HTML:
    """:func:`text_html` in an HTML widget."""
    return ipw.HTML(text_html(text, tag, **kw))


def source_note(source: str) -> ipw.HTML:
    """"Based on: ..." under an activity, naming where its content comes from."""
    return ipw.HTML(render("ui/source.html", source=source))


def heading(text: str, level: int = 3) -> ipw.HTML:
    return ipw.HTML(text_html(text, f"h{level}", style="margin:8px 0 4px"))


def card(children: list[ipw.Widget], *, title: str | None = None, level: int = 3) -> ipw.VBox:
    """A bordered panel that groups one activity on a page.

    Its title is an ``<h3>``: module pages put cards under a notebook ``##`` section, so the
    outline does not skip a level (axe-core's heading-order). A page with only a ``#`` title
    passes ``level=2``.
    """
    # A VBox stretches its children; a lone button stretched across the page looks broken.
    kids = ([heading(title, level)] if title else []) + [
        ipw.HBox([c]) if isinstance(c, ipw.Button) else c for c in children
    ]
    box = ipw.VBox(kids)
    box.layout = ipw.Layout(
        border="1px solid #d0d7de", padding="10px 14px", margin="8px 0", width="100%"
    )
    box.add_class("pap-card")
    return box


def on_demand(label: str, build: Callable[[], ipw.Widget], *, note: str = "") -> ipw.VBox:
    """A button that builds a secondary tool when asked for.

    Every widget model on a page is loaded before the first one shows, so a long page opens
    faster when its less-used tools are built on request.
    """
    status = ipw.HTML()
    button = ipw.Button(description=label, layout=ipw.Layout(width="auto"))
    button.add_class("pap-on-demand")
    intro = [plain(note, style="margin:2px 0")] if note else []
    box = ipw.VBox([*intro, ipw.HBox([button]), status])

    @guarded(status)
    def _open(_b: ipw.Button) -> None:
        button.disabled = True
        button.description = "Opening…"
        box.children = [build()]

    button.on_click(_open)
    return box
