"""A participant's data-deletion request, done from the facilitator dashboard in Voila + Chromium.

The workshop and its answers are put straight into the server's database (as five participants'
kernels would have saved them); the deletion is done through the page, as a facilitator does it,
and checked in the database: that person and every answer of theirs are gone, nobody else lost
anything, and the page says what happened.
"""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app

from widgets.reflection.model import PREFIX as REFLECTION_PREFIX
from widgets.store import Store

pytestmark = pytest.mark.browser

NAMES = ["Ana", "Ben", "Chloé", "Dev", "Eli", "Farah"]
LEAVER = "Chloé"


@pytest.fixture()
def seeded(voila_server, voila_data_dir):
    """A workshop of six who each saved a reflection, a sorting and (for some) a second sorting."""
    db = Store(f"sqlite:///{voila_data_dir / 'answers.sqlite'}")
    ws, key = db.open_workshop("Deletion request workshop")
    people = {n: db.join_workshop(ws.code, n) for n in NAMES}
    for i, (name, p) in enumerate(people.items()):
        db.save(
            p.id,
            "why-partnership",
            f"{REFLECTION_PREFIX}family-memory",
            {"prompt": "A family you worked with", "text": f"Reflection written by {name}"},
        )
        db.save(p.id, "why-partnership", "sorting:why_partnership", {"s1": "Agree"})
        if i % 2 == 0:
            db.save(p.id, "why-partnership", "sorting:four_strategies", {"s1": "Often"})
    before = {n: len(db.answers(participant_id=p.id)) for n, p in people.items()}
    assert before[LEAVER] == 3 and sum(before.values()) == 15
    yield db, ws, key, people, before
    db.dispose()


def test_delete_their_data_removes_one_participant_and_only_them(voila_server, page, seeded):
    db, ws, key, people, before = seeded
    open_app(page, voila_server, "facilitator_dashboard.ipynb")
    page.get_by_role("tab", name="Reopen a workshop").click()
    page.get_by_label("Join code").fill(ws.code)
    page.get_by_label("Facilitator key").fill(key)
    page.get_by_role("button", name="Open dashboard").click()
    page.wait_for_selector(f"text=Who has joined: {len(NAMES)}")
    assert f"Reflection written by {LEAVER}" in page.inner_text("body")
    assert_no_error_text(page)

    page.get_by_label("Participant").select_option(label=LEAVER)
    # Without the confirmation tick nothing is deleted and the page says why, as an error box.
    page.get_by_role("button", name="Delete their data").click()
    page.wait_for_selector(".pap-msg-error >> text=Tick the box to confirm")
    assert len(db.participants(ws.id)) == len(NAMES)
    with pytest.raises(AssertionError, match="error box visible"):
        assert_no_error_text(page)  # the strict page check sees the box...
    assert_no_error_text(page, allow="Tick the box to confirm")  # ...unless the test expects it

    page.get_by_label("They asked for their data to be deleted").check()
    page.get_by_role("button", name="Delete their data").click()
    # The result appears inside the deletion card, beside the button that caused it.
    page.wait_for_selector(
        f".pap-dash-delete .pap-msg-success >> text=Deleted {LEAVER} and their "
        f"{before[LEAVER]} answers"
    )
    page.wait_for_selector(f"text=Who has joined: {len(NAMES) - 1}")

    # The database: the leaver and all their answers are gone ...
    gone = people[LEAVER]
    remaining = db.participants(ws.id)
    assert gone.id not in {p.id for p in remaining}
    assert db.answers(participant_id=gone.id) == []
    assert all(r.participant_id != gone.id for r in db.answers(workshop_id=ws.id))
    # ... and everyone else still has every answer they saved.
    assert sorted(p.display_name for p in remaining) == sorted(n for n in NAMES if n != LEAVER)
    for name, p in people.items():
        if name != LEAVER:
            assert len(db.answers(participant_id=p.id)) == before[name], name
    assert len(db.answers(workshop_id=ws.id)) == sum(before.values()) - before[LEAVER]

    # The page agrees: the list, the wall and the chooser no longer show them.
    assert LEAVER not in page.inner_text(".pap-people")
    assert "Ana" in page.inner_text(".pap-people")
    body = page.inner_text("body")
    assert f"Reflection written by {LEAVER}" not in body
    assert "Reflection written by Ana" in body
    options = page.get_by_label("Participant").locator("option").all_inner_texts()
    assert LEAVER not in options and len(options) == len(NAMES) - 1
    assert not page.get_by_label("They asked for their data to be deleted").is_checked()
    # Nobody else is chosen for the next deletion: the chooser is left empty.
    assert page.get_by_label("Participant").evaluate("s => s.selectedIndex") == -1
    assert_no_error_text(page)
