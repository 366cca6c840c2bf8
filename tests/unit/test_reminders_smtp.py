"""Reminders really sent: a local SMTP server (aiosmtpd) receives them, and we read what arrived."""

from __future__ import annotations

from dataclasses import replace

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd")  # in the [test] extras; skipped only outside them
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402
from support.smtp import running_inbox  # noqa: E402
from support.voila import free_port as _free_port  # noqa: E402

from widgets.evening import ingest, reminders  # noqa: E402
from widgets.evening.data import Timetable  # noqa: E402
from widgets.evening.mailer import smtp_settings  # noqa: E402
from widgets.evening.scheduler import solve  # noqa: E402

REFUSED = "refuse-me@example.org"
PASSWORD = "s3cret-Pa55"


@pytest.fixture()
def inbox():
    with running_inbox(refuse={REFUSED}) as box:
        yield box


@pytest.fixture()
def auth_inbox():
    def check(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    with running_inbox(authenticator=check) as box:
        yield box


@pytest.fixture(scope="module")
def solved():
    inst = ingest.load_sample("small").instance
    return inst, solve(inst)


def _settings(port: int, user: str = "", password: str = ""):
    cred = f"{user}:{password}@" if user else ""
    return smtp_settings({"PAP_SMTP_URL": f"smtp://{cred}127.0.0.1:{port}?security=none",
                          "PAP_SMTP_FROM": "office@school.example"})


def _fid(inst, code: str) -> str:
    from widgets.evening.letters import letter_language

    return next(f for f, rs in inst.by_family.items()
                if rs and letter_language(inst.families[f].language) == code)


def test_each_family_gets_its_letter_and_calendar_in_its_language(inbox, solved):
    inst, tt = solved
    fids = [_fid(inst, "pl"), _fid(inst, "ar"), _fid(inst, "en")]
    plan = reminders.plan(inst, tt, fids)
    res = reminders.send(inst, tt, plan, _settings(inbox.port))
    assert res.count("sent") == 3 and res.kind == "success", res.summary()
    assert len(inbox.messages) == 3
    texts = reminders.reminder_texts()
    for (rcpts, msg), r in zip(inbox.messages, plan, strict=True):
        fam = inst.families[r.family_id]
        assert rcpts == [fam.email]
        assert msg["Content-Language"] == r.letter_language
        # the subject and body are the family's language's texts, filled in
        subject_start = texts[r.letter_language].subject.split("{")[0].strip()
        assert msg["Subject"].startswith(subject_start)
        atts = {p.get_filename(): p for p in msg.iter_attachments()}
        letter = atts[f"letter_{r.family_id}_{r.letter_language}.html"]
        assert letter.get_content_type() == "text/html"
        html = letter.get_content()
        assert f'lang="{r.letter_language}"' in html
        cal = atts[f"evening_{r.family_id}.ics"]
        assert cal.get_content_type() == "text/calendar"
        from icalendar import Calendar

        events = [c for c in Calendar.from_ical(cal.get_payload(decode=True)).walk("VEVENT")]
        placed = [q for q in inst.by_family[r.family_id] if q.id in tt.placements]
        assert len(events) == len(placed) >= 1
    ar_body = inbox.messages[1][1].get_body(("plain",)).get_content()
    assert "نذكّركم" in ar_body  # Arabic text, sent as UTF-8


def test_a_family_with_no_time_gets_its_letter_and_no_calendar(inbox, solved):
    inst, tt = solved
    fid = _fid(inst, "fr")
    mine = {q.id for q in inst.by_family[fid]}
    tt2 = Timetable({k: v for k, v in tt.placements.items() if k not in mine})
    plan = reminders.plan(inst, tt2, [fid])
    assert plan[0].has_time is False
    res = reminders.send(inst, tt2, plan, _settings(inbox.port))
    assert res.count("sent") == 1
    (_rcpts, msg), = inbox.messages
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == [f"letter_{fid}_fr.html"]
    assert msg["Subject"].startswith("Réunion parents-professeurs")


def test_refused_address_fails_with_the_servers_reason_and_others_are_sent(inbox, solved):
    inst, tt = solved
    fids = [_fid(inst, "en"), _fid(inst, "es")]
    plan = reminders.plan(inst, tt, fids)
    plan[0] = replace(plan[0], recipient=REFUSED)
    res = reminders.send(inst, tt, plan, _settings(inbox.port))
    assert [o.status for o in res.outcomes] == ["failed", "sent"]
    assert "refused the address" in res.outcomes[0].reason and "550" in res.outcomes[0].reason
    assert res.kind == "warning"
    assert [r for r, _m in inbox.messages] == [[inst.families[fids[1]].email]]


def test_send_to_me_first_goes_only_to_the_office(inbox, solved):
    inst, tt = solved
    plan = reminders.plan(inst, tt, [_fid(inst, "so")])
    res = reminders.send(inst, tt, plan, _settings(inbox.port), to="me@school.example", test=True)
    assert res.count("sent") == 1 and res.test
    (rcpts, msg), = inbox.messages
    assert rcpts == ["me@school.example"]
    assert msg["Subject"].startswith("[Test] Xusuusin")
    assert "Test sent to me@school.example" in res.summary()


def test_sign_in_with_password_and_a_wrong_password_names_the_cause(auth_inbox, solved):
    inst, tt = solved
    plan = reminders.plan(inst, tt, [_fid(inst, "en"), _fid(inst, "zh")])
    ok = reminders.send(inst, tt, plan, _settings(auth_inbox.port, "office", PASSWORD))
    assert ok.count("sent") == 2
    bad = reminders.send(inst, tt, plan, _settings(auth_inbox.port, "office", "wrong-" + PASSWORD))
    assert bad.count("failed") == 2 and bad.kind == "error"
    assert all("user name and password" in o.reason for o in bad.outcomes)
    assert PASSWORD not in bad.summary() + "".join(o.reason for o in bad.outcomes)
    assert len(auth_inbox.messages) == 2


def test_no_server_every_family_fails_with_the_reason(solved):
    inst, tt = solved
    plan = reminders.plan(inst, tt, [_fid(inst, "en"), _fid(inst, "pa")])
    res = reminders.send(inst, tt, plan, _settings(_free_port()))
    assert res.count("failed") == 2 and res.count("sent") == 0 and res.kind == "error"
    assert "refused the connection" in res.outcomes[0].reason


def test_skipped_and_over_the_limit_are_counted_and_logged(inbox, solved, kit_store, monkeypatch):
    inst, tt = solved
    monkeypatch.setattr(reminders, "MAX_REMINDERS_PER_SEND", 2)
    plan = reminders.plan(inst, tt)[:4]
    plan[0] = replace(plan[0], recipient="", skip_reason="no email address in the file")
    res = reminders.send(inst, tt, plan, _settings(inbox.port))
    assert [o.status for o in res.outcomes] == ["skipped", "sent", "sent", "skipped"]
    assert "over the limit of 2" in res.outcomes[3].reason
    assert len(inbox.messages) == 2
    assert res.kind == "warning" and "2 skipped" in res.summary()
    owner = kit_store.issue_personal_link("office").id
    kit_store.log_reminders(owner, res.log_rows(reminders.evening_label(inst)))
    log = kit_store.reminder_log(owner)
    assert sorted(r["status"] for r in log) == ["sent", "sent", "skipped", "skipped"]
    assert {r["batch"] for r in log} == {res.batch}
