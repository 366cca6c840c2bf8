"""Thin view for the interview guide builder: audience, topic, questions to tick and edit."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.identity import Visitor, when_known
from widgets.interview import model as m
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    esc,
    guarded,
    message,
    plain_error,
    show_message,
)

ITEM = "interview:guide"

# Wide enough that labels such as "Anything else" are not cut off.
LABEL_STYLE = {"description_width": "100px"}


def _clean_state(raw: object, bank: m.QuestionBank) -> dict:
    raw = raw if isinstance(raw, dict) else {}
    auds = [a.id for a in bank.audiences]
    topics = [t.id for t in bank.topics]
    ids = {q.id for q in bank.questions}
    picked = raw.get("picked") if isinstance(raw.get("picked"), dict) else {}
    edits = raw.get("edits") if isinstance(raw.get("edits"), dict) else {}
    return {
        "student": str(raw.get("student") or "")[: m.MAX_NAME],
        "audience": raw.get("audience") if raw.get("audience") in auds else auds[0],
        "topic": raw.get("topic") if raw.get("topic") in topics else topics[0],
        "picked": {k: bool(v) for k, v in picked.items() if k in ids},
        "edits": {k: str(v)[: m.MAX_QUESTION_CHARS * 2] for k, v in edits.items() if k in ids},
        "own": str(raw.get("own") or "")[:2000],
    }


def interview_builder(module: str) -> ipw.VBox:
    """Build a printable interview guide for a student; choices and edits are saved."""
    try:
        bank = m.load_bank()
    except Exception as exc:
        return card([message(plain_error(exc), "error")], title="The guide builder could not load")
    state = _clean_state({}, bank)
    status, preview, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    preview.add_class("pap-int-preview")
    student = ipw.Text(
        description="Interviewer",
        style=LABEL_STYLE,
        placeholder="student's first name (optional)",
        disabled=True,
        layout=ipw.Layout(width="420px"),
    )
    student.add_class("pap-int-student")
    audience = ipw.ToggleButtons(
        options=[(a.label, a.id) for a in bank.audiences],
        value=state["audience"],
        disabled=True,
        style={"button_width": "auto"},
    )
    audience.add_class("pap-int-audience")
    topic = ipw.Dropdown(
        options=[(t.title, t.id) for t in bank.topics],
        value=state["topic"],
        description="Topic",
        style=LABEL_STYLE,
        disabled=True,
        layout=ipw.Layout(width="420px"),
    )
    topic.add_class("pap-int-topic")
    questions_box = ipw.VBox([])
    own = ipw.Textarea(
        placeholder="Add your own questions here, one per line",
        disabled=True,
        layout=ipw.Layout(width="100%", height="5em"),
    )
    own.add_class("pap-int-own")
    ready = {"on": False}

    def _save() -> None:
        if ready["on"]:
            links.value = ""
            show_save(status, save_answer(module, ITEM, state))

    def _render_questions() -> None:
        rows = []
        for q in m.questions_for(bank, state["audience"], state["topic"]):
            cb = ipw.Checkbox(
                value=state["picked"].get(q.id, True),
                indent=False,
                layout=ipw.Layout(width="28px"),
                description=f"Ask: {q.text}",  # names the box for screen readers; shown beside
            )
            cb.add_class(f"pap-int-pick-{q.id}")
            cb.add_class("pap-label-sr")
            tx = ipw.Text(
                value=state["edits"].get(q.id, q.text),
                layout=ipw.Layout(width="100%"),
                description="Question wording",
            )
            tx.add_class(f"pap-int-q-{q.id}")
            tx.add_class("pap-label-sr")

            @guarded(status)
            def _pick(change: dict, qid: str = q.id) -> None:
                state["picked"][qid] = bool(change["new"])
                _save()

            @guarded(status)
            def _edit(change: dict, qid: str = q.id) -> None:
                state["edits"][qid] = str(change["new"])[: m.MAX_QUESTION_CHARS * 2]
                _save()

            cb.observe(_pick, names="value")
            tx.observe(_edit, names="value")
            rows.append(ipw.HBox([cb, tx], layout=ipw.Layout(width="100%")))
        questions_box.children = rows

    @guarded(status)
    def _choose(_c: dict) -> None:
        state["audience"], state["topic"] = audience.value, topic.value
        _render_questions()
        _save()

    @guarded(status)
    def _text(_c: dict) -> None:
        state["student"] = student.value[: m.MAX_NAME]
        state["own"] = own.value[:2000]
        _save()

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        state.update(_clean_state(get_store().get(visitor.id, module, ITEM, default={}), bank))
        student.value, own.value = state["student"], state["own"]
        audience.value, topic.value = state["audience"], state["topic"]
        _render_questions()
        audience.observe(_choose, names="value")
        topic.observe(_choose, names="value")
        student.observe(_text, names="value")
        own.observe(_text, names="value")
        for w in (student, audience, topic, own):
            w.disabled = False
        ready["on"] = True

    build = ipw.Button(
        description="Build the guide", button_style="primary", layout=ipw.Layout(width="auto")
    )
    build.add_class("pap-int-build")

    @guarded(status)
    def _build(_b: ipw.Button) -> None:
        chosen = [
            state["edits"].get(q.id, q.text)
            for q in m.questions_for(bank, state["audience"], state["topic"])
            if state["picked"].get(q.id, True)
        ] + own.value.splitlines()
        res = m.build_guide(bank, state["audience"], state["topic"], chosen, student.value)
        if res.guide is None:
            preview.value = ""
            raise UserFacingError("\n".join(res.problems))
        g = res.guide
        preview.value = (
            f"<div style='border:1px dashed #c0c7d0;padding:8px 14px;border-radius:6px'>"
            f"<b>Interview guide: {esc(g.topic.title)}</b> · with {esc(g.audience.label)}"
            f"<p style='background:#e8f1fb;padding:4px 8px'>{esc(g.audience.opening)}</p><ol>"
            + "".join(f"<li>{esc(q)}</li>" for q in g.questions)
            + f"</ol><p style='background:#e8f1fb;padding:4px 8px'>{esc(g.audience.closing)}</p>"
            "</div>"
        )
        slug = g.topic.id
        links.value = download_html(
            m.guide_html(g), f"interview-guide-{slug}.html", "Printable guide", "text/html"
        ) + download_html(
            m.guide_markdown(g), f"interview-guide-{slug}.md", "Guide (Markdown)", "text/markdown"
        )
        show_message(status, f"Your guide has {len(g.questions)} questions.", "success")

    build.on_click(_build)
    _render_questions()
    when_known(_fill)

    def _label(text: str) -> ipw.HTML:
        return ipw.HTML(f"<div style='font-weight:600;margin:8px 0 2px'>{esc(text)}</div>")

    return card(
        [
            ipw.HTML(
                "<p>Build the guide a student takes to an interview. Untick questions you "
                "do not want, reword any of them, and add your own.</p>"
            ),
            student,
            _label("Who will the student interview?"),
            audience,
            topic,
            _label("Questions (tick to include, click to edit)"),
            questions_box,
            own,
            build,
            status,
            preview,
            links,
        ],
        title="Interview guide builder",
    )
