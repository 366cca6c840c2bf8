"""Thin views over :mod:`widgets.knowledge_check.model`: the case, the check, the self-rating."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.knowledge_check.model import (
    CHECK_ITEM,
    SCALE,
    ModuleDepth,
    Phase,
    check_value,
    clean_ratings,
    load_depth,
    rating_change,
    rating_item,
    score,
    shown_order,
)
from widgets.saving import KEPT_CHOICES, guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import card, guarded, message, plain, plain_error, show_message

_AUTO = ipw.Layout(width="auto")


def _load(module: str, what: str) -> ModuleDepth | ipw.VBox:
    try:
        return load_depth(module)
    except Exception as exc:  # a broken dataset file: say so on the page, not in a traceback
        return card([message(plain_error(exc), "error")], title=f"The {what} could not load")


def _source_note(depth: ModuleDepth) -> str:
    if depth.case.kit_guidance:
        return "A made-up case written for this kit."
    from widgets.sources import load_sources

    known = load_sources()
    names = sorted({known[r.seed].short for r in depth.case.sources if r.seed in known})
    return "A made-up case; the practices in it come from: " + "; ".join(names) + "."


def case_study(module: str) -> ipw.VBox:
    """The module's short case, to read before starting (it saves nothing)."""
    depth = _load(module, "case")
    if not isinstance(depth, ModuleDepth):
        return depth
    html = render("knowledge_check/case.html", case=depth.case, source_note=_source_note(depth))
    return card([ipw.HTML(html)], title="A case to start with")


def knowledge_check(module: str) -> ipw.VBox:
    """Multiple-choice questions with feedback on each option; answers saved and restored."""
    depth = _load(module, "knowledge check")
    if not isinstance(depth, ModuleDepth):
        return depth
    status, result_line = ipw.HTML(), ipw.HTML()
    radios: dict[str, ipw.RadioButtons] = {}
    feedback: dict[str, ipw.HTML] = {}
    rows: list[ipw.Widget] = []
    checked = {"done": False}
    for n, q in enumerate(depth.questions, start=1):
        radio = ipw.RadioButtons(
            options=[(o.text, o.id) for o in shown_order(module, q)],
            value=None,
            description=q.text,  # the group's name for screen readers (label hidden below)
            disabled=True,  # until saved answers are loaded
            layout=ipw.Layout(width="auto"),
        )
        radio.add_class("pap-check-q")
        radio.add_class(f"pap-check-{q.id}")
        radio.add_class("pap-label-sr")
        radios[q.id], feedback[q.id] = radio, ipw.HTML()
        rows += [ipw.HTML(render("knowledge_check/question.html", number=n, text=q.text)), radio, feedback[q.id]]
    button = ipw.Button(
        description="Check my answers", button_style="primary", layout=_AUTO, disabled=True
    )
    button.add_class("pap-check-button")

    def _answers() -> dict[str, str | None]:
        return {k: r.value for k, r in radios.items()}

    def _show_feedback() -> None:
        res = score(depth, _answers())
        for r in res.results:
            feedback[r.question].value = render("knowledge_check/feedback.html", result=r)
        kind = "success" if res.complete and res.score == res.of else "info"
        if not res.complete:
            kind = "warning"
        show_message(result_line, res.summary, kind)

    def _save() -> None:
        value = check_value(depth, _answers(), checked["done"])
        show_save(status, save_answer(module, CHECK_ITEM, value, kept=KEPT_CHOICES))

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        saved = get_store().get(visitor.id, module, CHECK_ITEM, default={}) or {}
        answers = saved.get("answers", {}) if isinstance(saved, dict) else {}
        for qid, radio in radios.items():
            if answers.get(qid) in [v for _, v in radio.options]:
                radio.value = answers[qid]
        checked["done"] = bool(isinstance(saved, dict) and saved.get("checked"))
        if checked["done"]:
            _show_feedback()
            show_message(status, "Your earlier answers were loaded.")

        def _changed(qid: str) -> object:
            @guarded(status)
            def _on(_change: dict) -> None:
                feedback[qid].value = ""  # the old feedback was about the old answer
                result_line.value = ""
                _save()

            return _on

        for qid, radio in radios.items():
            radio.observe(_changed(qid), names="value")
            radio.disabled = False
        button.disabled = False

    @guarded(status)
    def _check(_b: ipw.Button) -> None:
        checked["done"] = True
        _show_feedback()
        _save()

    button.on_click(_check)
    when_known(_fill)
    intro = plain(
        "Choose one answer per question, then check them. Each answer explains why it is right "
        "or not; change any answer and check again as often as you like.",
        style="margin:0",
    )
    box = card([intro, *rows, button, result_line, status], title="Check your understanding")
    box.add_class("pap-knowledge-check")
    return box


_PHASE_WORDS = {
    "before": (
        "Before you start: how confident are you?",
        "Rate each statement now; at the end of the module you rate them again and see the change.",
    ),
    "after": (
        "Now that you have finished: how confident are you?",
        "Rate the same statements again. Your change shows here and on your completion record.",
    ),
}


def self_rating(module: str, phase: Phase) -> ipw.VBox:
    """The module's "I can..." statements rated 1 to 4; saved as chosen, restored on reload."""
    depth = _load(module, "self-rating")
    if not isinstance(depth, ModuleDepth):
        return depth
    if phase not in _PHASE_WORDS:
        return card([message(f"Unknown phase {phase!r}: use 'before' or 'after'.", "error")])
    title, note = _PHASE_WORDS[phase]
    status, change_html = ipw.HTML(), ipw.HTML()
    options = [(f"{k} {v}", k) for k, v in SCALE.items()]
    toggles: dict[str, ipw.ToggleButtons] = {}
    cells: list[ipw.Widget] = []
    for s in depth.self_rating:
        tb = ipw.ToggleButtons(
            options=options,
            value=None,
            description=s.text,
            disabled=True,
            style={"button_width": "auto"},
        )
        tb.add_class("pap-label-sr")
        tb.add_class(f"pap-rate-{phase}-{s.id}")
        toggles[s.id] = tb
        cells += [ipw.HTML(render("knowledge_check/question.html", number="", text=s.text)), tb]

    def _values() -> dict[str, int]:
        return {k: t.value for k, t in toggles.items() if t.value is not None}

    def _show_change(visitor: Visitor) -> None:
        if phase != "after":
            return
        store = get_store()
        before = store.get(visitor.id, module, rating_item("before"), default={})
        ch = rating_change(depth, before, _values())
        change_html.value = render(
            "knowledge_check/rating_change.html",
            change=ch,
            empty_note=(
                "Your change shows once the same statements are rated at the start and here."
            ),
        )

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        saved = clean_ratings(
            depth, get_store().get(visitor.id, module, rating_item(phase), default={})
        )
        for k, t in toggles.items():
            if k in saved:
                t.value = saved[k]
        _show_change(visitor)

        @guarded(status)
        def _save(_change: dict) -> None:
            show_save(status, save_answer(module, rating_item(phase), _values(), kept=KEPT_CHOICES))
            _show_change(visitor)

        for t in toggles.values():
            t.observe(_save, names="value")
            t.disabled = False

    when_known(_fill)
    scale = " · ".join(f"{k} = {v}" for k, v in SCALE.items())
    intro = ipw.VBox([plain(note, style="margin:0"), plain(scale, "small")])
    box = card([intro, *cells, change_html, status], title=title)
    box.add_class(f"pap-self-rating-{phase}")
    return box
