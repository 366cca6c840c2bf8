"""The role-play view driven without a kernel: play, save, resume, compare, group panel."""

from __future__ import annotations

import ipywidgets as ipw

from widgets import identity
from widgets.roleplay import roleplay
from widgets.roleplay.group import first_attempts, group_panel, panel_html
from widgets.roleplay.view import MODULE, attempt_item


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def _find(root, cls):
    return [w for w in _walk(root) if cls in getattr(w, "_dom_classes", ())]


def _choices(root):
    return _find(root, "pap-choice")


def _play_to_end(root, pick=0):
    for _ in range(20):
        buttons = _choices(root)
        if not buttons:
            return
        buttons[min(pick, len(buttons) - 1)].click()
    raise AssertionError("the conversation did not end")


def _html(root) -> str:
    return "\n".join(w.value for w in _walk(root) if isinstance(w, ipw.HTML))


def test_play_to_an_ending_saves_the_attempt_and_shows_a_debrief(kit_store):
    view = roleplay()
    visitor = identity.current_visitor()
    _find(view, "pap-rp-start")[0].click()
    say = _find(view, "pap-rp-say")[0]
    _choices(view)[0].click()  # first scene has no "what would you say" prompt
    say.value = '<img src=x onerror="alert(1)"> I would ask about home.'
    _play_to_end(view)
    page = _html(view)
    assert "Debrief, behaviour by behaviour" in page and "A good ending" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "Transcript (web page)" in page and "Choices (CSV)" in page
    saved = kit_store.get(visitor.id, MODULE, attempt_item("positive-first-call", 1))
    assert saved["finished"] is True and saved["outcome"] == "good"
    assert len(saved["choices"]) == 3
    assert "I would ask about home." in next(iter(saved["said"].values()))
    # the typed words also reach the reflection wall and summary
    refl = kit_store.answers(participant_id=visitor.id, item_prefix="reflection:say-")
    assert len(refl) == 1


def test_unfinished_attempt_resumes_and_replays_count_up(kit_store):
    view = roleplay()
    visitor = identity.current_visitor()
    _find(view, "pap-rp-start")[0].click()
    _choices(view)[0].click()
    again = roleplay()  # a reload of the page
    _find(again, "pap-rp-start")[0].click()
    assert "picked up where you left it" in _html(again)
    _play_to_end(again)
    _find(again, "pap-rp-compare-box")  # exists
    replay = [w for w in _walk(again) if isinstance(w, ipw.Button) and "again" in w.description]
    replay[0].click()
    _play_to_end(again, pick=2)
    items = [
        r.item
        for r in kit_store.answers(participant_id=visitor.id, module=MODULE)
        if r.item.startswith("roleplay:")
    ]
    assert items == [attempt_item("positive-first-call", 1), attempt_item("positive-first-call", 2)]
    compare = [
        w for w in _walk(again) if isinstance(w, ipw.Button) and "side by side" in w.description
    ]
    compare[0].click()
    page = _html(again)
    assert (
        "Attempt 1" in page
        and "Attempt 2" in page
        and "did not reach" not in page.split("pap-compare")[0]
    )
    assert "<div class='pap-compare'>" in page


def test_group_panel_counts_first_attempts_and_suppresses_small_groups(kit_store):
    ws, _key = kit_store.open_workshop("Staff meeting")
    for i in range(6):
        p = kit_store.join_workshop(ws.code)
        kit_store.save(
            p.id,
            MODULE,
            attempt_item("positive-first-call", 1),
            {
                "scenario": "positive-first-call",
                "choices": ["reassure-strength", "ask-home"] if i < 4 else ["ask-time", "repair"],
            },
        )
        kit_store.save(
            p.id,
            MODULE,
            attempt_item("positive-first-call", 2),
            {"scenario": "positive-first-call", "choices": ["formal-intro"]},
        )
    p = kit_store.join_workshop(ws.code)
    kit_store.save(
        p.id,
        MODULE,
        attempt_item("homework-worry", 1),
        {"scenario": "homework-worry", "choices": []},
    )
    rows = kit_store.answers(workshop_id=ws.id, module=MODULE)
    firsts = first_attempts(rows)
    assert (
        sorted(map(tuple, firsts["positive-first-call"]))
        == [("ask-time", "repair")] * 2 + [("reassure-strength", "ask-home")] * 4
    )
    html = panel_html(rows)
    assert "6 people" in html
    assert (
        "> 4</td>" in html and "> 2</td>" in html and "> 0</td>" in html
    )  # formal-intro unused in first attempts
    # the scenes after the opening were reached by 4 and 2 people: too few to show
    assert "4 reached this point: fewer than 5, so not shown" in html
    assert "2 reached this point: fewer than 5, so not shown" in html
    assert "(1 person)" in html
    assert isinstance(group_panel(ws.id), ipw.HTML)
