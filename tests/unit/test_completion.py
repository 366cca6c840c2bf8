"""The completion record counts what a participant did in each module, read from its notebook."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import ipywidgets as ipw
import pytest
from pypdf import PdfReader
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.landing.model import LEARNING_KINDS, MODULES_DIR, load_catalogue
from widgets.reflection.model import COMPLETED_ITEM
from widgets.workshop import model
from widgets.workshop.certificate_pdf import certificate_pdf

ROOT = Path(__file__).resolve().parents[2]
MODULES = [e for e in load_catalogue().entries if e.kind in LEARNING_KINDS]
CAT = [(e.id, e.title, e.minutes or 0) for e in MODULES]


def _record(store, pid: int) -> model.Completion:
    return model.completion(store.answers(participant_id=pid), CAT)


def _mod(rec: model.Completion, mid: str) -> model.ModuleProgress:
    return next(m for m in rec.modules if m.module_id == mid)


# -- what a module asks, read from its notebook -------------------------------------------------


def test_expected_items_come_from_the_widget_calls_in_the_code():
    code = """
from widgets.reflection import module_summary, reflect as ask
from widgets.sorting import sorting_activity
from widgets.roleplay import roleplay
from widgets.messages.view import rewrite_activity
%matplotlib inline
sorting_activity("m", "four_strategies")
ask("m", "first", "What changed for the child?")
ask("m", key="second", prompt="And next?")
ask("m", some_variable, "built at run time: left out, not guessed")
roleplay()
rewrite_activity("m")
ask("m", "first", "the same item twice counts once")
module_summary("m", "M")
print("not a widget")
"""
    code = "\n".join(line for line in code.splitlines() if not line.startswith("%"))
    got = [(e.kind, e.item, e.exact) for e in model.expected_from_code(code)]
    assert got == [
        ("sorting activity", "sorting:four_strategies", True),
        ("reflection", "reflection:first", True),
        ("reflection", "reflection:second", True),
        ("role-play", "roleplay:", False),
        ("rewrite", "rewrite:rewrite", True),
    ]
    first = model.expected_from_code(code)[1]
    assert first.label == "reflection: What changed for the child?"
    assert first.matches("reflection:first") and not first.matches("reflection:firstly")
    sort = model.expected_from_code(code)[0]
    assert sort.matches("sorting:four_strategies:score")


def test_every_widget_a_module_calls_is_known_to_the_completion_record():
    """A new activity in a module must say which item it saves, or that it saves none."""
    for e in MODULES:
        calls = model.notebook_calls(model.notebook_code(MODULES_DIR / e.notebook))
        assert calls, e.notebook
        for name, args, _kw in calls:
            known = model.ACTIVITY_SAVES.keys() | model.NOT_ANSWERS | model.OPTIONAL_ACTIVITIES
            assert name in known, (e.notebook, name)
            if name == "record_bar.module_start":  # MODULE comes from the catalogue entry
                assert args == [e.notebook], f"{e.notebook}: module_start({args})"
            elif name != "roleplay.roleplay" and args and name != "audit.parent_questionnaire":
                # the module id is MODULE (not a literal: test_catalogue_ties), never another text
                assert args[0] is None, f"{e.notebook}: {name} saves under {args[0]!r}"


def test_every_saved_item_prefix_is_one_the_widget_really_writes():
    for name, saves in model.ACTIVITY_SAVES.items():
        package = name.split(".")[0]
        source = "".join(p.read_text() for p in (ROOT / "widgets" / package).glob("*.py"))
        assert saves.prefix in source or saves.prefix.rstrip(":") + ":{" in source, name


def test_each_module_expects_its_activities_and_reflections():
    plans = model.catalogue_expectations()
    assert set(plans) == {e.id for e in MODULES}
    assert all(plans[e.id] for e in MODULES), "every module offers something to do"
    one = plans["one-to-one"]
    assert [(x.kind, x.item) for x in one] == [
        ("role-play", "roleplay:"),
        ("reflection", "reflection:review-meeting"),
        ("reflection", "reflection:hardest-moment"),
        ("reflection", "reflection:next-meeting"),
    ]


# -- the rule ---------------------------------------------------------------------------------


def test_module_three_is_done_after_a_full_role_play_and_both_reflections(kit_store):
    """The issue's case, driven through the real widgets: no summary button pressed."""
    from widgets.reflection import reflect
    from widgets.roleplay import roleplay

    view = roleplay()
    pid = identity.current_visitor().id
    next(w for w in _walk(view) if "pap-rp-start" in w._dom_classes).click()
    rec = _record(kit_store, pid)
    assert rec.modules == []  # opening a conversation saves nothing yet
    for _ in range(20):
        buttons = [w for w in _walk(view) if "pap-choice" in getattr(w, "_dom_classes", ())]
        if not buttons:
            break
        buttons[0].click()
        m = _mod(_record(kit_store, pid), "one-to-one")
        assert m.status == "in progress" or not buttons
    m = _mod(_record(kit_store, pid), "one-to-one")
    assert (m.status, m.done, m.expected) == ("in progress", 1, 4)
    assert m.status_text == "in progress (1 of 4)" and m.minutes_earned == 0
    for key in ("review-meeting", "hardest-moment", "next-meeting"):
        box = next(w for w in _walk(reflect("one-to-one", key, "P")) if isinstance(w, ipw.Textarea))
        box.value = f"My answer to {key}"
    rec = _record(kit_store, pid)
    m = _mod(rec, "one-to-one")
    assert (m.status, m.done, m.expected, m.missing) == ("done", 4, 4, ())
    assert m.minutes == m.minutes_earned == 45 and rec.minutes == 45
    assert m.completed_at == datetime.now().strftime("%Y-%m-%d")
    assert not any(r.item == COMPLETED_ITEM for r in kit_store.answers(participant_id=pid))


def test_in_progress_counts_answers_not_opened_pages(kit_store):
    p = kit_store.participant("solo-progress")
    save = lambda item, value: kit_store.save(p.id, "one-to-one", item, value)  # noqa: E731
    save("roleplay:homework-worry:001", {"scenario": "homework-worry", "finished": False})
    save("reflection:hardest-moment", {"prompt": "P", "text": "   "})  # cleared: no answer
    save(COMPLETED_ITEM, {"at": "2026-11-24T10:00:00"})  # the old "completed" press
    m = _mod(_record(kit_store, p.id), "one-to-one")
    assert (m.status, m.done, m.expected) == ("in progress", 0, 4)
    assert len(m.missing) == 4 and set(m.missing) >= {
        "role-play",
        "reflection: Which moment in the role-plays felt most like a real conversation you …",
        "reflection: Think of your next meeting with a parent. Which one behaviour will …",
    }
    save("roleplay:homework-worry:002", {"scenario": "homework-worry", "finished": True})
    save("reflection:hardest-moment", {"prompt": "P", "text": "The homework one."})
    m = _mod(_record(kit_store, p.id), "one-to-one")
    assert (m.status, m.done) == ("in progress", 2) and len(m.missing) == 2
    assert _record(kit_store, p.id).minutes == 0


def test_other_modules_count_their_own_activities(kit_store):
    p = kit_store.participant("solo-other")
    plans = model.catalogue_expectations()
    for x in plans["why-partnership"]:
        value = {"prompt": "P", "text": "yes"} if x.kind == "reflection" else {"s1": "A"}
        kit_store.save(p.id, "why-partnership", x.item, value)
    kit_store.save(p.id, "communicating", "reflection:jargon", {"prompt": "P", "text": "y"})
    kit_store.save(p.id, "communicating", "rewrite:rewrite", {"text": "plain words"})
    rec = _record(kit_store, p.id)
    assert [(m.module_id, m.status, m.done, m.expected) for m in rec.modules] == [
        ("why-partnership", "done", 8, 8),
        ("communicating", "in progress", 2, 7),
    ]
    assert rec.minutes == 30 and [m.module_id for m in rec.in_progress] == ["communicating"]


def test_a_module_whose_activities_are_unknown_falls_back_to_its_summary(kit_store):
    p = kit_store.participant("solo-fallback")
    kit_store.save(p.id, "why-partnership", "reflection:a", {"prompt": "P1", "text": "x"})
    kit_store.save(p.id, "why-partnership", COMPLETED_ITEM, {"at": "2026-11-24T10:00:00"})
    rows = kit_store.answers(participant_id=p.id)
    assert _mod(model.completion(rows, CAT, expected={}), "why-partnership").status == "done"
    assert _mod(model.completion(rows, CAT), "why-partnership").status == "in progress"
    missing = model.module_expectations({"x": "no_such_notebook.ipynb"})
    assert missing == {"x": []}


# -- the record and the PDF list every module touched ---------------------------------------------


@pytest.fixture
def mixed_record() -> model.Completion:
    done = model.ModuleProgress(
        "one-to-one", "One-to-one meetings", 45, 6, True, "2026-11-25", 3, 3
    )
    doing = model.ModuleProgress(
        "communicating", "Communicating with parents", 40, 2, False, "", 2, 5, ("reflection: x",)
    )
    wall = [model.WallCard("one-to-one", "Which moment?", "The homework one.")]
    return model.Completion([done, doing], wall)


def _cells(page: str) -> list[list[str]]:
    """The text of each table row's cells, markup and surrounding spaces dropped."""
    import re

    def text(cell: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", cell).split())

    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [[text(c) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in rows]


def test_certificate_page_lists_every_touched_module_with_status(mixed_record):
    """The web page the record view issues (printable/pd_record.html), like the PDF below."""
    from widgets.workshop import pd_record

    rec = pd_record.build_record(
        [], mixed_record, name="Sam", school="", issued=datetime(2026, 11, 25), objectives={}
    )
    page = pd_record.record_html(rec, mixed_record.reflections)
    cells = _cells(page)
    done = ["One-to-one meetings", "done 2026-11-25", "", "0 min measured; 45 of 45 planned"]
    doing = ["Communicating with parents", "in progress (2 of 5)", ""]
    assert [*done, "–", "–"] in cells
    assert [*doing, "0 min measured; 0 of 40 planned", "–", "–"] in cells
    assert "completed 1 module on working in partnership with parents, about 45 minutes" in page
    assert "and has 1 more module in progress" in page
    assert "The homework one." in page


def test_pdf_lists_every_touched_module_with_status(mixed_record):
    pdf = certificate_pdf("Zofia Zając", mixed_record, datetime(2026, 11, 25), "École")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Zofia Zając" in text and "École" in text
    assert "completed 1 module" in text and "about 45 minutes" in text
    assert "1 more module in progress" in text
    for title, status in [
        ("One-to-one meetings", "done 2026-11-25"),
        ("Communicating with parents", "in progress (2 of 5)"),
    ]:
        assert title in text and status in text, (title, text)
    assert "0 of 40 min" in text and "45 of 45 min" in text
    assert "The homework one." in text
    # a record with only work in progress still lists it, and claims no minutes
    only = model.Completion([mixed_record.modules[1]], [])
    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(certificate_pdf("", only, datetime(2026, 11, 25)))).pages
    )
    assert "Communicating with parents" in text and "completed 0 modules" in text
    assert "about 0 minutes" in " ".join(text.split())
    assert replace(mixed_record.modules[0], completed=False).minutes_earned == 0
