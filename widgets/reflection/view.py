"""Reflection text areas that autosave, and the module summary download."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as ipw

from widgets.form import sr_label
from widgets.identity import Visitor, current_visitor, when_known
from widgets.reflection.model import (
    COMPLETED_ITEM,
    SummaryEntry,
    clean_text,
    item_key,
    summary_html,
    summary_markdown,
)
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import card, download_html, guarded, plain, show_message

# Prompts shown on this page, remembered so the summary lists them in order.
_PROMPTS: dict[str, dict[str, str]] = {}


def reflect(module: str, key: str, prompt: str, *, rows: int = 5) -> ipw.VBox:
    """A prompt and a text box whose text is saved on every change and shown again on reload."""
    _PROMPTS.setdefault(module, {})[key] = prompt
    text = ipw.Textarea(
        placeholder="Loading your saved answer…",
        disabled=True,  # until the saved answer is in, so nothing typed can be overwritten
        continuous_update=True,
        layout=ipw.Layout(width="100%", height=f"{rows * 1.6 + 1:.0f}em"),
    )
    text.add_class("pap-reflection")
    sr_label(text, "Your answer")
    status = ipw.HTML()

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        store = get_store()
        saved = store.get(visitor.id, module, item_key(key), default=None)
        if isinstance(saved, dict) and saved.get("text"):
            text.value = saved["text"]
            show_message(status, "Your earlier answer was loaded. Changes save as you type.")

        @guarded(status)
        def _save(_change: dict) -> None:
            value = {"prompt": prompt, "text": clean_text(text.value)}
            show_save(status, save_answer(module, item_key(key), value))

        text.observe(_save, names="value")
        text.placeholder = "Type your thoughts here. They are saved as you type."
        text.disabled = False

    when_known(_fill)
    label = plain(prompt, icon="✍️", style="margin:0 0 4px;font-weight:600")
    return card([label, text, status])


def module_summary(module: str, title: str | None = None) -> ipw.VBox:
    """A button that builds the participant's reflections for this module into downloads.

    ``title`` defaults to the module's title in the catalogue (its one owner).
    """
    if title is None:
        from widgets.catalogue import title_of

        title = title_of(module)
    status, links = ipw.HTML(), ipw.HTML()
    button = ipw.Button(
        description="Prepare my summary", button_style="primary", layout=ipw.Layout(width="auto")
    )

    @guarded(status)
    def _build(_b: ipw.Button) -> None:
        visitor = current_visitor()
        rows = get_store().answers(
            participant_id=visitor.id, module=module, item_prefix="reflection:"
        )
        by_key = {r.item.removeprefix("reflection:"): r.value for r in rows}
        prompts = dict(_PROMPTS.get(module, {}))
        for k, v in by_key.items():
            if k not in prompts and isinstance(v, dict):
                prompts[k] = v.get("prompt", k)
        entries = [
            SummaryEntry(p, (by_key.get(k) or {}).get("text", "")) for k, p in prompts.items()
        ]
        now = datetime.now()
        slug = module.replace(" ", "-")
        links.value = download_html(
            summary_html(title, entries, now),
            f"{slug}-summary.html",
            "Summary (web page)",
            "text/html",
        ) + download_html(
            summary_markdown(title, entries, now),
            f"{slug}-summary.md",
            "Summary (Markdown)",
            "text/markdown",
        )
        answered = sum(1 for e in entries if e.answer.strip())
        # Preparing the summary is what marks a module as completed in the completion record.
        saved = save_answer(
            module,
            COMPLETED_ITEM,
            {"at": now.isoformat(timespec="seconds"), "answered": answered, "of": len(entries)},
            kept="your summary can still be downloaded above",
        )
        ready = f"Your summary is ready: {answered} of {len(entries)} reflections answered."
        if saved.ok:
            done = f"{ready} Module marked complete; saved at {saved.at:%H:%M:%S}."
            show_save(status, saved, saved_text=done)
        else:
            show_message(status, f"{ready}\n{saved.message}", "warning")

    button.on_click(_build)
    return card(
        [ipw.HTML("Keep a copy of your reflections for your PD portfolio."), button, links, status],
        title="Your summary",
    )
