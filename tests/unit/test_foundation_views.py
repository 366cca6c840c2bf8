"""Shared view pieces, identity, landing catalogue, reflections, sorting and checklists.

ipywidgets can be built without a kernel, so the thin views are exercised here directly: set a
widget's value as a user would, then look in the store.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import ipywidgets as ipw
import pytest
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.checklist import model as cm
from widgets.landing.model import MODULES_DIR, available, load_catalogue
from widgets.sorting.model import check, load_activity
from widgets.ui import download_html, esc, guarded, message_html

HOSTILE = '<img src=x onerror="alert(1)">'


def test_escape_and_messages_never_pass_markup():
    assert "<img" not in esc(HOSTILE) and "&lt;img" in esc(HOSTILE)
    assert "<img" not in message_html(HOSTILE, "error")


def test_download_html_carries_the_bytes():
    html = download_html("héllo", 'a"b.txt', "Get it", "text/plain")
    b64 = re.search(r"base64,([^\"]+)", html).group(1)
    assert base64.b64decode(b64).decode() == "héllo"
    assert 'download="a&#34;b.txt"' in html  # markupsafe's escape


def test_guarded_turns_exceptions_into_plain_words():
    status = ipw.HTML()

    @guarded(status)
    def boom():
        raise ZeroDivisionError("x")

    assert boom() is None
    # an unexpected error cannot know what was saved, so it never claims nothing was lost
    assert "nothing you entered was lost" not in status.value
    assert "went wrong on our side" in status.value and "ZeroDivisionError" in status.value
    assert "Traceback" not in status.value


def test_identity_from_query(kit_store):
    solo = identity.visitor_from_query("")
    assert solo.participant.token.startswith("solo-") and solo.query == ""
    ws, _ = kit_store.open_workshop("W")
    p = kit_store.join_workshop(ws.code, "Sam")
    v = identity.visitor_from_query(f"p={p.token}&x=1")
    assert v.id == p.id and v.workshop.code == ws.code and v.label == "Sam"
    assert identity.page_link("a.ipynb", v) == f"a.ipynb?p={p.token}"


def test_catalogue_is_valid_and_covers_every_notebook():
    cat = load_catalogue()
    listed = {e.notebook for e in cat.entries}
    on_disk = {p.name for p in MODULES_DIR.glob("*.ipynb")} - {"index.ipynb"}
    assert on_disk <= listed, f"notebooks missing from datasets/catalogue.yaml: {on_disk - listed}"
    assert {e.notebook for e in available(cat)} == on_disk


def test_reflection_autosaves_and_reloads(kit_store):
    from widgets.reflection import reflect

    box = reflect("m", "k", "What?")
    area = next(w for w in _walk(box) if isinstance(w, ipw.Textarea))
    area.value = "my thoughts " + HOSTILE
    v = identity.current_visitor()
    assert kit_store.get(v.id, "m", "reflection:k")["text"].startswith("my thoughts")
    again = reflect("m", "k", "What?")
    area2 = next(w for w in _walk(again) if isinstance(w, ipw.Textarea))
    assert area2.value == area.value
    labels = [w.value for w in _walk(again) if isinstance(w, ipw.HTML)]
    assert all("<img" not in x for x in labels)


def test_module_summary_contains_escaped_reflections(kit_store):
    from widgets.reflection import module_summary, reflect

    box = reflect("m2", "k", "Prompt one")
    next(w for w in _walk(box) if isinstance(w, ipw.Textarea)).value = HOSTILE
    summary = module_summary("m2", "Module Two")
    next(w for w in _walk(summary) if isinstance(w, ipw.Button)).click()
    links = [w.value for w in _walk(summary) if isinstance(w, ipw.HTML) and "base64," in w.value]
    assert links
    html_b64 = re.search(r"data:text/html;base64,([^\"]+)", links[0]).group(1)
    doc = base64.b64decode(html_b64).decode()
    assert "Prompt one" in doc and "&lt;img" in doc and "<img" not in doc


@pytest.mark.parametrize("name", ["why_partnership", "four_strategies"])
def test_shipped_sorting_activities(name):
    act = load_activity(name)
    perfect = check(act, {it.id: it.answer for it in act.items})
    assert perfect.score == perfect.total == len(act.items)
    none = check(act, {})
    assert none.score == 0 and none.answered == 0
    # every category is used, so no category is a trick answer
    assert {it.answer for it in act.items} == set(act.categories)


def test_sorting_view_saves_placements(kit_store):
    from widgets.sorting import sorting_activity

    box = sorting_activity("m", "why_partnership")
    dd = next(w for w in _walk(box) if isinstance(w, ipw.Dropdown))
    dd.value = "Engagement"
    saved = kit_store.get(identity.current_visitor().id, "m", "sorting:why_partnership")
    assert "Engagement" in saved.values()


def test_sorting_view_reports_a_broken_file(kit_store, tmp_path, monkeypatch):
    from widgets import datasets
    from widgets.sorting import sorting_activity

    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "bad.yaml").write_text("title: x\ncategories: [a]\n")
    monkeypatch.setattr(datasets, "DATASETS_DIR", tmp_path)
    box = sorting_activity("m", "bad")
    text = " ".join(w.value for w in _walk(box) if isinstance(w, ipw.HTML))
    assert "could not load" in text and "activities/bad.yaml" in text and "Fix:" in text


CHECK_YAML = """
title: Test list
sections:
  - title: Before
    items:
      - {id: a, text: First, kit_guidance: true}
      - {id: b, text: Second, kit_guidance: true}
  - title: After
    items:
      - {id: c, text: "Third <b>", kit_guidance: true}
"""


def test_checklist_progress_and_exports():
    from widgets.datasets import load_yaml_text

    cl = load_yaml_text(CHECK_YAML, cm.Checklist)
    states = cm.parse_states(
        {
            "a": {"status": "Done"},
            "b": {"status": "Not needed"},
            "zzz": {"status": "Done"},
            "c": {"status": "bogus"},
        },
        cl,
    )
    assert set(states) == {"a", "b", "c"} and states["c"].status == "Not started"
    p = cm.progress(states)
    assert (p.done, p.needed, p.percent) == (1, 2, 50)
    assert "Third &lt;b&gt;" in cm.to_html(cl, states)
    assert cm.to_csv(cl, states).splitlines()[1] == "Before,First,Done,"


def test_checklist_rejects_duplicate_ids():
    from widgets.datasets import DatasetError, load_yaml_text

    with pytest.raises(DatasetError, match="used twice"):
        load_yaml_text(CHECK_YAML.replace("id: b", "id: a"), cm.Checklist, "dup.yaml")


def test_notebooks_are_thin():
    """Modules hold prose; code cells are a line or two per widget."""
    for nb_path in Path(MODULES_DIR).glob("*.ipynb"):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"]).strip().splitlines()
                assert len(src) <= 6, f"{nb_path.name}: a code cell of {len(src)} lines"


def test_preheated_page_fills_in_once_the_request_arrives(kit_store, monkeypatch):
    """Under a preheated kernel, widgets build at once and saved answers arrive with the request."""
    import threading

    from widgets.reflection import reflect

    arrived = threading.Event()
    p = kit_store.issue_personal_link()
    kit_store.save(p.id, "m", "reflection:k", {"prompt": "P", "text": "saved before"})
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    calls = []

    def fake_request_info(_timeout: float) -> dict:
        calls.append(1)
        arrived.wait(10)
        return {"QUERY_STRING": f"p={p.token}"}

    monkeypatch.setattr(identity, "_fetch_request_info", fake_request_info)
    box = reflect("m", "k", "P")  # must not block
    area = next(w for w in _walk(box) if isinstance(w, ipw.Textarea))
    assert area.disabled and area.value == ""
    seen = []
    identity.when_known(lambda v: seen.append(v.participant.token))
    resolver = identity._resolver
    arrived.set()
    assert identity.current_visitor().participant.token == p.token
    resolver.join(5)
    assert area.value == "saved before" and not area.disabled
    assert seen == [p.token] and len(calls) == 1  # one request-info listener only
    area.value = "changed"
    assert kit_store.get(p.id, "m", "reflection:k")["text"] == "changed"


def test_on_demand_builds_the_tool_only_when_asked(kit_store):
    from widgets.ui import on_demand

    built = []

    def build():
        built.append(1)
        return ipw.HTML("the tool")

    box = on_demand("Open the tool", build, note="Less used")
    assert built == []
    button = next(w for w in _walk(box) if isinstance(w, ipw.Button))
    button.click()
    assert built == [1] and box.children[0].value == "the tool"
