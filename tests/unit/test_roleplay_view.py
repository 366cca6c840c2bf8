"""The role-play view driven without a kernel: play, save, restore, compare, group panel."""

from __future__ import annotations

import base64
import re

import ipywidgets as ipw
from support.widget_tree import html_text as _html
from support.widget_tree import walk as _walk

from widgets import identity
from widgets.roleplay import roleplay
from widgets.roleplay.attempts import restore
from widgets.roleplay.group import first_attempts, group_panel, panel_html
from widgets.roleplay.schema import load_scenario
from widgets.roleplay.view import MODULE, attempt_item

FIRST_CALL = load_scenario("01_positive_first_call")


def _find(root, cls):
    return [w for w in _walk(root) if cls in getattr(w, "_dom_classes", ())]


def _choices(root):
    return _find(root, "pap-choice")


def _merit(say: str) -> int:
    """How good an option is, read from the scenario file (the buttons come shuffled)."""
    c = next(c for s in FIRST_CALL.scenes for c in s.choices if c.say == say)
    return len(c.shows) - len(c.breaks)


def _play_to_end(root, best: bool = True):
    for _ in range(20):
        buttons = _choices(root)
        if not buttons:
            return
        pick = max if best else min
        pick(buttons, key=lambda b: _merit(b.description)).click()
    raise AssertionError("the conversation did not end")


def _downloads(root) -> dict[str, str]:
    """Every download offered on the page, decoded: file name -> text."""
    return {
        name: base64.b64decode(data).decode("utf-8")
        for name, data in re.findall(
            r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', _html(root)
        )
    }


def test_play_to_an_ending_saves_the_attempt_and_shows_a_debrief(kit_store):
    view = roleplay()
    visitor = identity.current_visitor()
    _find(view, "pap-rp-start")[0].click()
    # the opening asks for no words of one's own: no say box beside its choices
    assert not _find(view, "pap-rp-say")
    first_seen = [b.description for b in _choices(view)]
    _choices(view)[[_merit(d) for d in first_seen].index(1)].click()  # the strength-first opening
    # the next scene asks for them: the box is among the choices, in the same widget update
    choices_box = _choices(view)[0]
    say = _find(view, "pap-rp-say")[0]
    assert say.continuous_update is False  # sent on leaving the box, before a click arrives
    holder = next(w for w in _walk(view) if choices_box in getattr(w, "children", ()))
    assert say in list(_walk(holder))
    say.value = '<img src=x onerror="alert(1)"> I would ask about home.'
    _play_to_end(view)
    page = _html(view)
    assert "Debrief, behaviour by behaviour" in page and "A good ending" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "Transcript (web page)" in page and "Choices (CSV)" in page
    saved = kit_store.get(visitor.id, MODULE, attempt_item("positive-first-call", 1))
    assert saved["finished"] is True and saved["outcome"] == "good"
    assert len(saved["choices"]) == 3 and isinstance(saved["seed"], int)
    assert "I would ask about home." in next(iter(saved["said"].values()))
    # the seed saved with the attempt reproduces the order the buttons were shown in
    shown_then = [c.say for c in restore(FIRST_CALL, {**saved, "choices": []}).offered()]
    assert shown_then == first_seen
    # the typed words also reach the reflection wall and summary, and every transcript
    refl = kit_store.answers(participant_id=visitor.id, item_prefix="reflection:say-")
    assert len(refl) == 1
    files = _downloads(view)
    assert sorted(files) == [
        "roleplay-positive-first-call-attempt-1.csv",
        "roleplay-positive-first-call-attempt-1.html",
        "roleplay-positive-first-call-attempt-1.md",
    ]
    for name, text in files.items():
        assert "I would ask about home." in text, name
    assert "&lt;img src=x" in files["roleplay-positive-first-call-attempt-1.html"]


def test_a_finished_conversation_is_still_there_after_a_refresh(kit_store):
    view = roleplay()
    _find(view, "pap-rp-start")[0].click()
    max(_choices(view), key=lambda b: _merit(b.description)).click()  # on to a "say" prompt
    say = _find(view, "pap-rp-say")[0]
    say.value = "Tell me about her evenings."
    _play_to_end(view, best=False)
    before = _html(view)
    assert "Debrief, behaviour by behaviour" in before
    again = roleplay()  # the same visitor reloads the page and presses nothing
    page = _html(again)
    assert "Debrief, behaviour by behaviour" in page
    assert "as you left it" in page
    assert "Tell me about her evenings." in page
    play_box = _find(again, "pap-rp-play")[0]
    assert play_box.layout.display is None  # the conversation is on screen, not hidden
    assert not _choices(again)
    ending = re.search(r"A (good|mixed|poor) ending: [^<]+", before).group(0)
    assert ending in page


def test_unfinished_attempt_resumes_and_replays_count_up(kit_store):
    view = roleplay()
    visitor = identity.current_visitor()
    _find(view, "pap-rp-start")[0].click()
    _choices(view)[0].click()
    again = roleplay()  # a reload of the page
    assert "picked up where you left it" in _html(again)
    _play_to_end(again)
    _find(again, "pap-rp-compare-box")  # exists
    replay = [w for w in _walk(again) if isinstance(w, ipw.Button) and "again" in w.description]
    replay[0].click()
    assert _choices(again), "a new attempt starts at the first scene"
    _play_to_end(again, best=False)
    records = {
        r.item: r.value
        for r in kit_store.answers(participant_id=visitor.id, module=MODULE)
        if r.item.startswith("roleplay:")
    }
    assert sorted(records) == [
        attempt_item("positive-first-call", 1),
        attempt_item("positive-first-call", 2),
    ]
    seeds = {v["seed"] for v in records.values()}
    assert len(seeds) == 2, "each attempt has its own option order"
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
    assert '<div class="pap-compare">' in page


def test_group_panel_counts_first_attempts_by_choice_and_suppresses_small_groups(kit_store):
    ws, _key = kit_store.open_workshop("Staff meeting")
    for i in range(6):
        p = kit_store.join_workshop(ws.code)
        kit_store.save(
            p.id,
            MODULE,
            attempt_item("positive-first-call", 1),
            {
                "scenario": "positive-first-call",
                "seed": 1000 + i,  # everyone saw the options in a different order
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
    # counted by choice id, listed in the file's order whatever order each person saw
    opening = re.findall(r'<tr data-choice="([\w-]+)">.*?</div> (\d+)</td></tr>', html)[:3]
    assert opening == [("reassure-strength", "4"), ("formal-intro", "0"), ("ask-time", "2")]
    # the scenes after the opening were reached by 4 and 2 people: too few to show
    assert "4 reached this point: fewer than 5, so not shown" in html
    assert "2 reached this point: fewer than 5, so not shown" in html
    assert "(1 person)" in html
    assert isinstance(group_panel(ws.id), ipw.HTML)


def test_an_attempt_the_scenario_no_longer_fits_is_kept_and_a_new_one_starts(kit_store):
    visitor = identity.current_visitor()
    stale = {"scenario": "positive-first-call", "choices": ["since-deleted"], "seed": 1}
    kit_store.save(visitor.id, MODULE, attempt_item("positive-first-call", 1), stale)
    view = roleplay()
    assert _find(view, "pap-rp-play")[0].layout.display == "none"  # nothing half-shown on load
    _find(view, "pap-rp-start")[0].click()
    assert "no longer fits it" in _html(view)
    _choices(view)[0].click()
    assert kit_store.get(visitor.id, MODULE, attempt_item("positive-first-call", 1)) == stale
    assert kit_store.get(visitor.id, MODULE, attempt_item("positive-first-call", 2))["choices"]
