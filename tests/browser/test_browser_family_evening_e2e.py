"""Parents' evening from the families' side, end to end, in real Voila + Chromium (issue 15).

Two households answer on a 390 px phone through the links the office issued, one in Polish and one
in Arabic; the office builds the timetable from their requests; reminders go to a local SMTP
server (aiosmtpd, ``PAP_SMTP_URL`` for the Voila server) and each of the two households gets one
email in its language with its letter and its calendar file; a teacher's attendance page marks
the Polish household "did not come", and the office's "not yet reached" list then names it.

The server serves only the three pages the flow needs, so few kernels start. Screenshots of the
two family pages at 390 px are written to /tmp/pap-family-*.png.
"""

from __future__ import annotations

import pytest
from conftest import assert_no_error_text, open_app
from test_browser_family_request import _answer, _link_for, open_requests_for_the_sample_school

pytestmark = pytest.mark.browser

pytest.importorskip("aiosmtpd")
from support.smtp import running_inbox, serving_with_mail  # noqa: E402

NOTEBOOKS = ("app_evening_planner.ipynb", "app_family_request.ipynb", "app_attendance.ipynb")


@pytest.fixture(scope="module")
def inbox():
    with running_inbox() as box:
        yield box


@pytest.fixture(scope="module")
def evening_server(tmp_path_factory, inbox):
    with serving_with_mail(tmp_path_factory, inbox, NOTEBOOKS, name="e2e") as served:
        yield served


def test_families_request_office_plans_reminds_and_follows_up(evening_server, inbox, browser):
    from widgets.evening import attendance as att
    from widgets.evening import request_store as rs
    from widgets.store import Store

    base, data = evening_server
    db = Store(f"sqlite:///{data / 'answers.sqlite'}")
    office = db.issue_personal_link("Office")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    try:
        # ---- the office opens requests for the sample school
        open_app(page, base, "app_evening_planner.ipynb", f"p={office.token}")
        open_requests_for_the_sample_school(page)
        assert_no_error_text(page)
        polish, arabic = _link_for(page, "Polish"), _link_for(page, "Arabic")

        # ---- two households answer on their phones, in their languages
        assert _answer(base, browser, polish, "Wywiadówka", phone_meeting=True,
                       shot="/tmp/pap-family-pl.png") == "ltr"
        assert _answer(base, browser, arabic, "أمسية أولياء الأمور", phone_meeting=False,
                       shot="/tmp/pap-family-ar.png") == "rtl"
        (wid, _w), = rs.windows_of(office.id, db)
        by_token = {i.token: i for i in rs.invites_of(wid, db)}
        pl = by_token[polish.split("?p=", 1)[1]]
        ar = by_token[arabic.split("?p=", 1)[1]]
        replies = {r.invite.id: r.reply for r in rs.replies(wid, db)}
        assert replies[pl.id] is not None and replies[ar.id] is not None
        assert [c.mode for c in replies[pl.id].choices] == ["phone"]

        # ---- the office builds the timetable from the requests
        page.get_by_role("button", name="Who has replied?").click()
        page.wait_for_selector(".pap-ev-req-replied >> text=2 of 40 households have replied")
        page.locator(".pap-ev-req-use input").check()
        page.get_by_role("tab", name="4. Timetable").click()
        page.get_by_role("button", name="Make the timetable", exact=True).click()
        page.wait_for_selector(".pap-ev-summary >> text=Timetable ready", timeout=120_000)
        assert "own requests" in page.inner_text(".pap-ev-summary")
        assert_no_error_text(page)

        # ---- reminders reach the local SMTP server, each in the household's language
        panel = page.locator(".pap-rem-panel")
        panel.locator(".pap-rem-preview").wait_for()
        panel.get_by_label("Your email").fill("me@school.example")
        panel.get_by_role("button", name="Send to me first").click()
        page.wait_for_selector(".pap-rem-result >> text=Test sent to me@school.example")
        panel.get_by_text("I have read the preview and my test email").click()
        panel.locator(".pap-rem-send button, button.pap-rem-send").first.click()
        page.wait_for_selector(".pap-rem-result >> text=reminders sent", timeout=120_000)
        assert_no_error_text(page)
        for inv, code, subject in ((pl, "pl", "Przypomnienie"), (ar, "ar", None)):
            assert inv.details.email, inv.details
            mine = inbox.to(inv.details.email)
            assert len(mine) == 1, (inv.details.email, len(mine))
            msg = mine[0]
            assert msg["Content-Language"] == code
            if subject:
                assert msg["Subject"].startswith(subject)
            atts = {p.get_filename(): p for p in msg.iter_attachments()}
            letter = atts[f"letter_{inv.details.family_id}_{code}.html"]
            assert f'lang="{code}"' in letter.get_content()
            cal = atts[f"evening_{inv.details.family_id}.ics"]
            assert cal.get_content_type() == "text/calendar"
            assert b"BEGIN:VEVENT" in cal.get_payload(decode=True)
        ar_body = inbox.to(ar.details.email)[0].get_body(("plain",)).get_content()
        assert any("\u0600" <= ch <= "\u06ff" for ch in ar_body)  # written in Arabic

        # ---- attendance: the Polish household's teacher marks it "did not come"
        page.get_by_role("button",
                         name="Publish for attendance and make teachers' links").click()
        page.wait_for_selector(".pap-att-links a.pap-att-link")
        (rid, _title, _at), = db.rosters_of(office.id)
        roster = att.load_roster(db, rid)
        meeting = next(m for m in roster.meetings if m.family_id == pl.details.family_id)
        links = {t: p.token for t, p in db.teacher_links(rid)}
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True)
        try:
            tp = phone.new_page()
            tp.set_default_timeout(180_000)
            open_app(tp, base, "app_attendance.ipynb", f"p={links[meeting.teacher_id]}")
            tp.wait_for_selector(".pap-att-teacher")
            row = tp.locator(f".pap-att-slot-{meeting.slot}")
            assert meeting.family in row.inner_text()
            row.get_by_role("button", name="Did not come").click()
            row.locator(".pap-att-status >> text=Saved at").wait_for()
            assert_no_error_text(tp)
        finally:
            phone.close()

        # ---- the office: the household is not yet reached
        page.locator(".pap-att-refresh").click()
        fam_row = page.locator(".pap-att-followup", has_text=pl.details.family_id)
        fam_row.wait_for()
        assert "Did not come" in fam_row.inner_text()
        assert "1 did not come" in page.inner_text(".pap-att-summary")
        assert page.locator(".pap-att-followup", has_text=ar.details.family_id).count() == 0 \
            or "Did not come" not in page.locator(
                ".pap-att-followup", has_text=ar.details.family_id).inner_text()
        assert_no_error_text(page)
    finally:
        ctx.close()
        db.dispose()
