"""The facilitator dashboard's service (widgets/workshop/dashboard.py) on a real SQLite store:
what a refresh shows, and that a deletion request removes exactly the chosen person."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

import pytest

from widgets.html import render
from widgets.privacy import WORKSHOP_MIN_GROUP
from widgets.ui import UserFacingError
from widgets.workshop import dashboard, model

HOSTILE = "<img src=x onerror=alert(1)>"


def _workshop(store, names):
    ws, _ = store.open_workshop("W")
    return ws, [store.join_workshop(ws.code, n) for n in names]


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def test_snapshot_lists_people_in_join_order_with_their_answer_counts(kit_store):
    ws, ps = _workshop(kit_store, ["Ana", None, "Ben"])
    kit_store.save(ps[1].id, "m", "reflection:a", {"prompt": "P", "text": "one"})
    kit_store.save(ps[1].id, "m", "reflection:b", {"prompt": "P", "text": "two"})
    snap = dashboard.take_snapshot(kit_store, ws.id, now=datetime(2026, 11, 26, 14, 5, 3))
    code = model.participant_code(ps[1].token)
    assert [(p.label, p.answers) for p in snap.people] == [
        ("Ana", 0), (f"Participant {code}", 2), ("Ben", 0)
    ]
    assert "Who has joined: 3" in render("workshop/people.html", people=snap.people)
    updated = render("workshop/updated.html", taken_at=snap.taken_at, seq=7)
    assert "Updated at 14:05:03" in updated and 'data-seq="7"' in updated
    assert sorted(c.text for c in snap.wall) == ["one", "two"]


def test_a_deletion_removes_only_the_chosen_person_and_renames_nobody(kit_store):
    ws, ps = _workshop(kit_store, [None, None, None])
    for p in ps:
        kit_store.save(p.id, "m", "reflection:a", {"prompt": "P", "text": f"by {p.id}"})
    before = {p.id: p.label for p in dashboard.take_snapshot(kit_store, ws.id).people}
    done = dashboard.delete_participant(kit_store, ws.id, ps[0].id, confirmed=True)
    assert done.answers == 1 and done.label == before[ps[0].id]
    assert done.sentence == f"Deleted {before[ps[0].id]} and their 1 answer."
    after = {p.id: p.label for p in dashboard.take_snapshot(kit_store, ws.id).people}
    assert after == {pid: lab for pid, lab in before.items() if pid != ps[0].id}


def test_a_deletion_is_refused_without_a_choice_a_tick_or_a_member(kit_store):
    ws, ps = _workshop(kit_store, ["Ana"])
    other, _ = kit_store.open_workshop("Other")
    stranger = kit_store.join_workshop(other.code, "Zed")
    with pytest.raises(UserFacingError, match="Choose the participant"):
        dashboard.delete_participant(kit_store, ws.id, None, confirmed=True)
    with pytest.raises(UserFacingError, match="Tick the box"):
        dashboard.delete_participant(kit_store, ws.id, ps[0].id, confirmed=False)
    with pytest.raises(UserFacingError, match="no longer in this workshop"):
        dashboard.delete_participant(kit_store, ws.id, stranger.id, confirmed=True)
    assert [p.display_name for p in kit_store.participants(other.id)] == ["Zed"]
    assert [p.display_name for p in kit_store.participants(ws.id)] == ["Ana"]


def test_sections_escape_text_and_keep_heading_levels_in_order(kit_store):
    ws, ps = _workshop(kit_store, ["<script>x</script>"] + [f"P{i}" for i in range(5)])
    kit_store.save(ps[0].id, "m", "reflection:a", {"prompt": "<b>P</b>", "text": "<img src=x>"})
    act = next(iter(dashboard._sorting_activities()))
    from widgets.sorting.model import load_activity

    item = load_activity(act).items[0]
    for p in ps:
        kit_store.save(p.id, "m", f"sorting:{act}", {item.id: item.answer})
    snap = dashboard.take_snapshot(kit_store, ws.id)
    sorting = render("workshop/sorting.html", tables=snap.sorting)
    html = (
        render("workshop/people.html", people=snap.people)
        + render("workshop/wall.html", wall=snap.wall)
        + sorting
    )
    assert "<script>" not in html and "<img" not in html and "<b>P</b>" not in html
    p = _Headings()
    p.feed(html)
    assert p.levels and p.levels[0] == 2
    assert all(b <= a + 1 for a, b in zip(p.levels, p.levels[1:], strict=False)), p.levels
    # the suggested answer's count is marked by a tick and bold, not by colour alone
    assert f"<b>{len(ps)} ✓</b>" in sorting
    files = dashboard.export_files(snap, ws.code)
    assert [f[1].rsplit(".", 1)[1] for f in files] == ["csv", "xlsx"]


def test_refreshed_sentence_counts_people_and_reflections(kit_store):
    ws, ps = _workshop(kit_store, ["Ana"])
    kit_store.save(ps[0].id, "m", "reflection:a", {"prompt": "P", "text": "one"})
    snap = dashboard.take_snapshot(kit_store, ws.id, now=datetime(2026, 11, 26, 9, 0, 1))
    assert dashboard.refreshed_sentence(snap) == "Updated at 09:00:01: 1 person, 1 reflection."


def test_too_few_answers_are_withheld_and_the_page_says_why(kit_store):
    ws, ps = _workshop(kit_store, [f"P{i}" for i in range(WORKSHOP_MIN_GROUP - 1)])
    act = next(iter(dashboard._sorting_activities()))
    from widgets.sorting.model import load_activity

    item = load_activity(act).items[0]
    for p in ps:
        kit_store.save(p.id, "m", f"sorting:{act}", {item.id: item.answer})
    snap = dashboard.take_snapshot(kit_store, ws.id)
    assert snap.sorting and snap.sorting[0].rows[0][1] is None
    sorting = render("workshop/sorting.html", tables=snap.sorting)
    assert f"fewer than {WORKSHOP_MIN_GROUP} answers: not shown" in sorting
    assert "✓</b>" not in sorting
    empty = render("workshop/sorting.html", tables=[])
    assert "No answers yet." in empty and "suggested answer" not in empty


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def test_a_hostile_name_and_reflection_reach_the_live_dashboard_escaped(kit_store):
    """The dashboard view itself (not only its templates): a participant's name, a reflection
    and a workshop title typed as markup come out as text in every HTML widget."""
    import ipywidgets as ipw

    from widgets.workshop.view import facilitator_dashboard

    ws, key = kit_store.open_workshop(HOSTILE, HOSTILE)
    p = kit_store.join_workshop(ws.code, HOSTILE)
    kit_store.save(p.id, "m", "reflection:a", {"prompt": HOSTILE, "text": HOSTILE + "\nline 2"})
    page = facilitator_dashboard()
    fields = {w.description: w for w in _walk(page) if isinstance(w, (ipw.Text, ipw.Password))}
    fields["Join code"].value, fields["Facilitator key"].value = ws.code, key
    next(w for w in _walk(page) if getattr(w, "description", "") == "Open dashboard").click()
    html = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    assert "Who has joined: 1" in html and "Reflections wall" in html
    assert "<img" not in html
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    # the title and date in the header, the name in the list, prompt and text on the wall
    assert html.count(escaped) >= 5, html
    assert escaped + "<br>line 2" in html  # line breaks kept, markup not
