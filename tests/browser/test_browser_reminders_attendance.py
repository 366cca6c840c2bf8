"""Reminders reach a local SMTP server, and a teacher's attendance on a 390 px phone page feeds the
office's "not yet reached" list, in real Voila + Chromium.

This file starts its own Voila server (two notebooks, so few preheated kernels) with
``PAP_SMTP_URL`` pointing at an aiosmtpd server the test runs, so the office's presses of
"Send to me first" and "Send reminders" are checked against what the mail server received.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import assert_no_error_text, open_app

pytestmark = pytest.mark.browser

aiosmtpd = pytest.importorskip("aiosmtpd")
from support.smtp import running_inbox, serving_with_mail  # noqa: E402

NOTEBOOKS = ("app_evening_planner.ipynb", "app_attendance.ipynb")


@pytest.fixture(scope="module")
def inbox():
    with running_inbox() as box:
        yield box


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, inbox):
    """(base URL, data dir) of a Voila serving the planner and the attendance page, with mail."""
    with serving_with_mail(tmp_path_factory, inbox, NOTEBOOKS) as served:
        yield served


def _store(data):
    from widgets.store import Store

    return Store(f"sqlite:///{data / 'answers.sqlite'}")


def test_reminders_sent_then_attendance_feeds_not_yet_reached(mail_server, inbox, browser):
    base, data = mail_server
    db = _store(data)
    office = db.issue_personal_link("Office")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    open_app(page, base, "app_evening_planner.ipynb", f"p={office.token}")
    assert_no_error_text(page)
    # before a timetable, the panels wait for it
    assert "Make the timetable above first" in page.inner_text(".pap-rem-panel")

    page.get_by_role("button", name="Use the small sample school").click()
    page.get_by_role("tab", name="3. The evening").click()
    page.get_by_role("button", name="Next: make the timetable").click()
    page.get_by_role("button", name="Make the timetable", exact=True).click()
    page.wait_for_selector(".pap-ev-summary >> text=Timetable ready", timeout=120_000)

    # ---- reminders: the settings line names the server and never a password
    panel = page.locator(".pap-rem-panel")
    panel.locator(".pap-rem-preview").wait_for()
    assert f"127.0.0.1:{inbox.port}" in panel.inner_text()
    # send to me first: one message, to me only, marked as a test
    panel.get_by_label("Your email").fill("me@school.example")
    panel.get_by_role("button", name="Send to me first").click()
    page.wait_for_selector(".pap-rem-result >> text=Test sent to me@school.example")
    assert len(inbox.messages) == 1
    rcpts, msg = inbox.messages[0]
    assert rcpts == ["me@school.example"] and msg["Subject"].startswith("[Test]")
    # then everyone: the button waits for the tick
    send = panel.locator(".pap-rem-send button, button.pap-rem-send").first
    assert send.is_disabled()
    panel.get_by_text("I have read the preview and my test email").click()
    send.click()
    page.wait_for_selector(".pap-rem-result >> text=reminders sent", timeout=120_000)
    result = page.inner_text(".pap-rem-result")
    sent = inbox.messages[1:]
    assert f"{len(sent)} of {len(sent)} reminders sent" in result
    assert len(sent) == 40  # every sample family with a request has an email address
    polish = [m for _r, m in sent if m["Content-Language"] == "pl"]
    assert polish and polish[0]["Subject"].startswith("Przypomnienie")
    names = [p.get_filename() for p in polish[0].iter_attachments()]
    assert any(n.endswith("_pl.html") for n in names) and any(n.endswith(".ics") for n in names)
    log = db.reminder_log(office.id)
    assert sorted({r["status"] for r in log}) == ["sent"] and len(log) == 41
    assert_no_error_text(page)

    # ---- publish for attendance: one link per teacher
    page.get_by_role("button", name="Publish for attendance and make teachers' links").click()
    page.wait_for_selector(".pap-att-links a.pap-att-link")
    (rid, _title, _at), = db.rosters_of(office.id)
    from widgets.evening import attendance as att

    roster = att.load_roster(db, rid)
    per_family: dict[str, list] = {}
    for m in roster.meetings:
        per_family.setdefault(m.family_id, []).append(m)
    # a family with a single meeting, which its teacher marks "did not come"
    fid, (meeting,) = next((f, ms) for f, ms in per_family.items() if len(ms) == 1)
    links = dict((t, p.token) for t, p in db.teacher_links(rid))
    href = page.locator(f".pap-att-link[data-teacher='{meeting.teacher_id}']").get_attribute("href")
    assert href == f"app_attendance.ipynb?p={links[meeting.teacher_id]}"

    # ---- the teacher's phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    tp = phone.new_page()
    tp.set_default_timeout(180_000)
    open_app(tp, base, "app_attendance.ipynb", f"p={links[meeting.teacher_id]}")
    tp.wait_for_selector(".pap-att-teacher")
    mine = att.meetings_for(roster, meeting.teacher_id)
    assert tp.locator(".pap-att-meeting").count() == len(mine)
    others = {m.family for m in roster.meetings if m.teacher_id != meeting.teacher_id} - {
        m.family for m in mine}
    body = tp.inner_text("body")
    assert not [name for name in others if name in body]  # only their own meetings
    row = tp.locator(f".pap-att-slot-{meeting.slot}")
    row.get_by_role("button", name="Did not come").click()
    row.locator(".pap-att-status >> text=Saved at").wait_for()
    came = next(m for m in mine if m.key != meeting.key)
    crow = tp.locator(f".pap-att-slot-{came.slot}")
    crow.get_by_role("button", name="Came", exact=True).click()
    crow.locator(".pap-att-status >> text=Saved at").wait_for()
    assert tp.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_error_text(tp)
    # a link that is not a teacher's opens nobody's meetings
    open_app(tp, base, "app_attendance.ipynb", f"p={office.token}")
    tp.wait_for_selector("text=this link is not one of them")
    assert tp.locator(".pap-att-meeting").count() == 0
    phone.close()

    # ---- the office: the family is not yet reached; plan a follow-up
    page.locator(".pap-att-refresh").click()
    fam_row = page.locator(".pap-att-followup", has_text=fid)
    fam_row.wait_for()
    assert "Did not come" in fam_row.inner_text()
    summary = page.inner_text(".pap-att-summary")
    assert "1 came, 1 did not come" in summary
    link = page.locator(".pap-att-roleplay a")
    assert link.get_attribute("href").startswith("03_one_to_one_meetings.ipynb")
    fam_row.get_by_label("Who").fill("Head of Year 8")
    fam_row.locator("input[type=date]").fill((roster.date + dt.timedelta(days=7)).isoformat())
    fam_row.get_by_role("button", name="Save plan").click()
    fam_row.locator("text=Saved at").wait_for()
    assert "Phone call by Head of Year 8" in fam_row.inner_text()
    assert_no_error_text(page)
    ctx.close()
    db.dispose()
