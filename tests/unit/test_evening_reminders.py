"""Reminder rules without a mail server: settings, addresses, messages, preview, SMS export."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from pydantic import ValidationError

from widgets.evening import ingest
from widgets.evening import reminders as rm
from widgets.evening.mailer import MailSettingsError, smtp_settings, valid_email
from widgets.evening.scheduler import solve


@pytest.fixture(scope="module")
def solved():
    inst = ingest.load_sample("small").instance
    return inst, solve(inst)


# ----------------------------------------------------------------------------- settings


def test_settings_unset_is_none_and_starttls_is_the_default():
    assert smtp_settings({}) is None
    st = smtp_settings({"PAP_SMTP_URL": "smtp://office%40s.org:p%40ss@mail.s.org"})
    assert (st.host, st.port, st.security, st.user, st.password, st.sender) == (
        "mail.s.org", 587, "starttls", "office@s.org", "p@ss", "office@s.org")
    ssl = smtp_settings({"PAP_SMTP_URL": "smtps://u:pw@mail.s.org", "PAP_SMTP_FROM": "o@s.org"})
    assert (ssl.port, ssl.security) == (465, "ssl")


def test_settings_never_show_the_password():
    st = smtp_settings({"PAP_SMTP_URL": "smtp://u:Hunter2xyz@mail.s.org:2525?from=o@s.org"})
    assert "Hunter2xyz" not in st.describe() and "Hunter2xyz" not in repr(st)
    assert "mail.s.org:2525" in st.describe()
    with pytest.raises(MailSettingsError) as e:
        smtp_settings({"PAP_SMTP_URL": "smtp://u:Hunter2xyz@mail.s.org?security=none"})
    assert "Hunter2xyz" not in str(e.value) and "without encryption" in str(e.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://mail.s.org", "smtp:// or smtps://"),
        ("smtp://:25?from=o@s.org", "no mail server"),
        ("smtp://mail.s.org?security=tls&from=o@s.org", "starttls, ssl or none"),
        ("smtp://mail.s.org?verify=no&from=o@s.org", "options the kit does not know"),
        ("smtp://mail.s.org", "no sender address"),
        ("smtp://mail.s.org:port?from=o@s.org", "port"),
    ],
)
def test_bad_settings_say_what_to_fix(url, words):
    with pytest.raises(MailSettingsError, match=words):
        smtp_settings({"PAP_SMTP_URL": url})


def test_a_password_in_plain_text_is_allowed_only_to_this_machine():
    st = smtp_settings({"PAP_SMTP_URL": "smtp://u:p@127.0.0.1:1025?security=none&from=o@s.org"})
    assert st.security == "none"
    with pytest.raises(MailSettingsError):
        smtp_settings({"PAP_SMTP_URL": "smtp://u:p@10.0.0.5:25?security=none&from=o@s.org"})


@pytest.mark.parametrize(
    ("text", "ok"),
    [("a@b.org", True), ("wiśniewski@example.org", True), ("a@b", False), ("a b@c.org", False),
     ("a@b.org, c@d.org", False), ("Name <a@b.org>", False), ("", False), ("a@b.org\nBcc: x@y.z",
                                                                           False)],
)
def test_valid_email(text, ok):
    assert valid_email(text) is ok


# ----------------------------------------------------------------------------- who gets what


def test_plan_skips_families_without_a_usable_address(solved):
    inst, tt = solved
    fids = [f for f, rs in inst.by_family.items() if rs][:3]
    saved = [inst.families[f].email for f in fids]
    try:
        inst.families[fids[0]].email = ""
        inst.families[fids[1]].email = "not an address"
        plan = rm.plan(inst, tt, fids)
    finally:
        for f, e in zip(fids, saved, strict=True):
            inst.families[f].email = e
    assert [bool(r.skip_reason) for r in plan] == [True, True, False]
    assert "no email" in plan[0].skip_reason and "not one address" in plan[1].skip_reason


def test_a_language_with_no_reminder_text_falls_back_to_english_and_is_counted(solved,
                                                                               monkeypatch):
    inst, tt = solved
    texts = dict(rm.reminder_texts())
    del texts["so"]
    monkeypatch.setattr(rm, "reminder_texts", lambda: texts)
    so = next(r for r in rm.plan(inst, tt) if r.letter_language == "so")
    assert so.fell_back and so.text_language == "en"
    msg = rm.message(inst, tt, so, "o@s.org")
    assert msg["Subject"].startswith("Reminder:")
    # the letter itself stays in Somali
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert f"letter_{so.family_id}_so.html" in names
    res = rm.SendResult("b", [rm.Outcome(so.family_id, so.recipient, "en", "sent")], fell_back=1)
    assert res.kind == "warning" and "1 written in English" in res.summary()


def test_a_school_name_with_a_line_break_cannot_add_a_header(solved):
    inst, tt = solved
    # no calendar here: a line break in the school name is refused by icalendar (the planner's
    # school field is one line)
    r = replace(rm.plan(inst, tt)[0], has_time=False)
    old = inst.settings.school
    try:
        inst.settings.school = "Riverside\r\nBcc: everyone@example.org"
        msg = rm.message(inst, tt, r, "o@s.org")
    finally:
        inst.settings.school = old
    assert msg["Bcc"] is None
    assert "\n" not in msg["Subject"] and "Bcc: everyone" in msg["Subject"]


def test_preview_escapes_names_and_lists_the_attachments(solved):
    inst, tt = solved
    r = rm.plan(inst, tt)[0]
    fam = inst.families[r.family_id]
    old = fam.name
    try:
        fam.name = "Ms <img src=x onerror=alert(1)>"
        html = rm.preview_html(rm.message(inst, tt, r, "o@s.org"), r)
    finally:
        fam.name = old
    assert "<img" not in html and "&lt;img" in html
    assert f"letter_{r.family_id}_en.html" in html and f"evening_{r.family_id}.ics" in html


def test_send_result_colours():
    sent = rm.Outcome("F1", "a@b.org", "en", "sent")
    failed = rm.Outcome("F2", "c@d.org", "en", "failed", "refused")
    skipped = rm.Outcome("F3", "", "en", "skipped", "no email address in the file")
    assert rm.SendResult("b", [sent]).kind == "success"
    assert rm.SendResult("b", [sent, failed]).kind == "warning"
    assert rm.SendResult("b", [sent, skipped]).kind == "warning"
    assert rm.SendResult("b", [failed, skipped]).kind == "error"
    text = rm.SendResult("b", [sent, failed, skipped]).summary()
    assert "1 of 3 reminders sent" in text and "1 failed" in text and "1 skipped" in text
    rows = rm.SendResult("b", [sent, failed], test=True).log_rows("School · 2026-11-12")
    assert [r["status"] for r in rows] == ["sent", "failed"] and all(r["test"] for r in rows)


# ----------------------------------------------------------------------------- text messages


@pytest.mark.parametrize(
    ("raw", "out"),
    [("+44 7700 900123", "447700900123"), ("07700-900123", "07700900123"), ("n/a", ""),
     ("12", ""), ("+44 (0) 77", ""), ("=1+2", ""), ("07700+900123", "")],
)
def test_normal_phone(raw, out):
    assert rm.normal_phone(raw) == out


def test_sms_export_is_formula_safe_counted_and_bounded(solved, monkeypatch):
    inst, tt = solved
    fids = [f for f, rs in inst.by_family.items() if rs]
    phones = {fids[0]: "+44 7700 900001", fids[1]: "07700 900002"}
    old = inst.settings.school
    try:
        inst.settings.school = "=HYPERLINK(\"http://x\")"
        exp = rm.sms_export(inst, tt, lambda f: phones.get(f, ""))
    finally:
        inst.settings.school = old
    rows = list(csv.DictReader(io.StringIO(exp.csv)))
    assert [r["phone"] for r in rows] == ["447700900001", "07700900002"]
    assert all(r["message"].startswith("'=") for r in rows)  # kept as text by a spreadsheet
    assert exp.rows == 2 and len(exp.no_phone) == len(fids) - 2 and exp.kind == "warning"
    assert f"{len(fids) - 2} families have no usable mobile number" in exp.summary()
    monkeypatch.setattr(rm, "MAX_SMS_CHARS", 40)
    short = rm.sms_export(inst, tt, lambda f: phones.get(f, ""))
    assert short.shortened == 2
    assert all(len(r["message"]) <= 40 for r in csv.DictReader(io.StringIO(short.csv)))


def test_sms_uses_the_phone_column_from_the_upload(solved):
    inst, tt = solved
    fid = next(f for f, rs in inst.by_family.items() if rs)
    fam = inst.families[fid]
    try:
        fam.phone = "07700 900777"
        exp = rm.sms_export(inst, tt)
    finally:
        fam.phone = ""
    assert exp.rows == 1 and "07700900777" in exp.csv


# ----------------------------------------------------------------------------- the dataset


def test_every_letter_language_has_reminder_texts_within_the_sms_limit(solved):
    from widgets.evening.letters import letter_templates

    inst, tt = solved
    texts = rm.reminder_texts()
    assert set(letter_templates()) <= set(texts)
    long_values = {"school": "S" * 40, "date": "Wednesday 16 December 2026", "first": "17:40",
                   "contact": "the office on 01234 567890"}
    for code, t in texts.items():
        for text in (t.sms, t.sms_no_time):
            assert len(rm._fill(text, long_values)) <= rm.MAX_SMS_CHARS, code


def test_reminder_file_names_an_unknown_placeholder():
    good = rm.reminder_texts()["en"].model_dump()
    with pytest.raises(ValidationError, match=r"\{teacher\}"):
        rm.ReminderFile.model_validate({"languages": {"en": {**good, "sms": "Hi {teacher}"}}})
    with pytest.raises(ValidationError, match="English block"):
        rm.ReminderFile.model_validate({"languages": {"fr": good}})
    with pytest.raises(ValidationError):
        rm.ReminderFile.model_validate({"languages": {"en": {**good, "colour": "red"}}})


def test_reminder_for_a_family_without_time_has_no_calendar(solved):
    inst, tt = solved
    r = replace(rm.plan(inst, tt)[0], has_time=False)
    msg = rm.message(inst, tt, r, "o@s.org")
    assert [p.get_filename() for p in msg.iter_attachments()] == [f"letter_{r.family_id}_en.html"]
