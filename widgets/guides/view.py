"""Pick a facilitator guide, read it on the page, download it to print or edit."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.guides.model import list_guides, printable, to_html
from widgets.html import render
from widgets.ui import card, download_html, guarded


def guide_reader() -> ipw.VBox:
    guides = list_guides()
    status = ipw.HTML()
    picker = ipw.Dropdown(
        options=[(g.title, g.name) for g in guides],
        description="Guide",
        layout=ipw.Layout(width="min(100%, 32em)"),
    )
    picker.add_class("pap-guide-picker")
    downloads = ipw.HTML()
    body = ipw.HTML()
    body.add_class("pap-guide")
    by_name = {g.name: g for g in guides}

    @guarded(status)
    def _show(_c=None) -> None:
        g = by_name[picker.value]
        body.value = to_html(g.markdown())
        downloads.value = download_html(
            printable(g), f"{g.name}.html", "Printable page", "text/html"
        ) + download_html(g.markdown(), f"{g.name}.md", "Markdown", "text/markdown")

    picker.observe(_show, names="value")
    if guides:
        _show()
    return ipw.VBox([ipw.HTML(render("guides/style.html")), card([picker, downloads]), status, body])
