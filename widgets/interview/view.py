"""Thin view for the interview guide builder: audience, topic, questions to tick and edit."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.form import button, enable, failed_card, field, section_label, sr_label
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.interview import model as m
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import UserFacingError, card, download_html, guarded, plain, show_message

ITEM = "interview:guide"


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
        return failed_card(exc, "The guide builder could not load")
    state = _clean_state({}, bank)
    status, preview, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    preview.add_class("pap-int-preview")
    student = field(
        ipw.Text, "Interviewer", cls="pap-int-student", width="420px",
        placeholder="student's first name (optional)",
    )  # fmt: skip
    audience = ipw.ToggleButtons(
        options=[(a.label, a.id) for a in bank.audiences],
        value=state["audience"],
        disabled=True,
        style={"button_width": "auto"},
    )
    audience.add_class("pap-int-audience")
    topic = field(
        ipw.Dropdown, "Topic", cls="pap-int-topic", width="420px",
        options=[(t.title, t.id) for t in bank.topics], value=state["topic"],
    )  # fmt: skip
    questions_box = ipw.VBox([])
    own = ipw.Textarea(
        placeholder="Add your own questions here, one per line",
        disabled=True,
        layout=ipw.Layout(width="100%", height="5em"),
    )
    own.add_class("pap-int-own")
    sr_label(own, "Your own questions")
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
        enable((audience, topic), _choose)
        enable((student, own), _text)
        ready["on"] = True

    build = button("Build the guide", "pap-int-build", primary=True)

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
        preview.value = render("interview/preview.html", guide=g)
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

    _label = section_label

    return card(
        [
            plain(
                "Build the guide a student takes to an interview. Untick questions you "
                "do not want, reword any of them, and add your own."
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
