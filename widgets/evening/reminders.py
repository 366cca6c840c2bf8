"""Reminders before a parents' evening: emails really sent, and a text-message file for the SMS provider.

Each family gets one email in its letter language (``datasets/evening/reminders.yaml``; English
when there is no block for it, counted), with its letter (HTML) and, when it has a time, its
calendar file (.ics) attached: the same files the planner offers for download, from
:mod:`widgets.evening.outputs`. Sending goes through :mod:`widgets.evening.mailer`; every family is
accounted for in the result: sent, failed with the server's reason, or skipped with why (no email,
an address that is not one, over the per-send limit). Nothing is counted as sent that the mail
server did not accept.

The text-message export is a CSV for the school's SMS provider (the kit sends no texts), one row
per family with a mobile number, written through :func:`widgets.exports.csv_text` so no cell can
run as a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any, Literal

from pydantic import field_validator

from widgets.datasets import load_yaml
from widgets.evening.data import Instance, Timetable
from widgets.evening.mailer import Connector, SmtpSettings, connect, mail_error_words, valid_email
from widgets.exports import csv_text
from widgets.html import render
from widgets.limits import MAX_REMINDERS_PER_SEND, MAX_SMS_CHARS
from widgets.schema_base import StrictModel

PLACEHOLDERS = frozenset({"school", "date", "first", "contact"})
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
_TEXT_FIELDS = ("subject", "body", "subject_no_time", "body_no_time", "sms", "sms_no_time")


class ReminderText(StrictModel):
    """One language's reminder texts (see the comment at the top of reminders.yaml)."""

    checked_by_speaker: bool
    subject: str
    body: str
    subject_no_time: str
    body_no_time: str
    sms: str
    sms_no_time: str

    @field_validator(*_TEXT_FIELDS)
    @classmethod
    def _known_placeholders(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        unknown = sorted(set(_PLACEHOLDER_RE.findall(v)) - PLACEHOLDERS)
        if unknown:
            raise ValueError(
                f"uses {{{unknown[0]}}}, which the kit does not fill in; use one of "
                + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
            )
        return v


class ReminderFile(StrictModel):
    languages: dict[str, ReminderText]

    @field_validator("languages")
    @classmethod
    def _has_english(cls, v: dict[str, ReminderText]) -> dict[str, ReminderText]:
        if "en" not in v:
            raise ValueError("needs an English block (en): it is used when a language has none")
        return v


def reminder_texts() -> dict[str, ReminderText]:
    return load_yaml("evening/reminders.yaml", ReminderFile).languages


def _fill(text: str, values: dict[str, str]) -> str:
    """Fill {placeholders} in one pass (a value containing "{school}" is not filled again)."""
    return _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _one_line(text: str) -> str:
    """Header-safe text: a school name with a line break cannot add a header to the email."""
    return re.sub(r"[\r\n\t]+", " ", text).strip()


# ----------------------------------------------------------------------------- one family


@dataclass(frozen=True)
class Reminder:
    """What one family is sent (or why not): the message itself is built by :func:`message`."""

    family_id: str
    family: str
    recipient: str
    letter_language: str  # the letter's code (en, fr, ...)
    text_language: str  # the reminder text's code: the letter's, or en when it has none
    has_time: bool
    skip_reason: str = ""

    @property
    def fell_back(self) -> bool:
        return self.text_language != self.letter_language


def _values(inst: Instance, tt: Timetable, fid: str, code: str) -> dict[str, str]:
    from widgets.evening.letters import format_clock, format_date, letter_templates

    st = inst.settings
    tpl = letter_templates().get(code) or letter_templates()["en"]
    school_locale = getattr(st, "school_locale", None) or "en_GB"
    slots = sorted(tt.placements[r.id].slot for r in inst.by_family.get(fid, [])
                   if r.id in tt.placements)
    first = format_clock(st.slot_start(slots[0]), tpl.locale, school_locale) if slots else ""
    return {
        "school": _one_line(st.school),
        "date": format_date(st.date, tpl.locale, school_locale),
        "first": first,
        "contact": _one_line(st.contact or st.school),
    }


def plan(inst: Instance, tt: Timetable, family_ids: Iterable[str] | None = None) -> list[Reminder]:
    """One :class:`Reminder` per family with a request, in the file's order."""
    from widgets.evening.letters import letter_language
    from widgets.evening.outputs import has_time

    texts = reminder_texts()
    wanted = None if family_ids is None else set(family_ids)
    out = []
    for fid, reqs in inst.by_family.items():
        if not reqs or (wanted is not None and fid not in wanted):
            continue
        fam = inst.families[fid]
        code = letter_language(fam.language)
        address = (fam.email or "").strip()
        if not address:
            skip = "no email address in the file"
        elif not valid_email(address):
            skip = "the email address is not one address (check it in the file)"
        else:
            skip = ""
        out.append(Reminder(fid, fam.name, address, code, code if code in texts else "en",
                            has_time(inst, tt, fid), skip))
    return out


def message(
    inst: Instance, tt: Timetable, r: Reminder, sender: str, *, to: str | None = None,
    test: bool = False,
) -> EmailMessage:
    """The email for one family: text in its language, letter and calendar file attached.

    ``to`` sends it elsewhere (the office's "send to me first"); ``test`` marks the subject.
    """
    from widgets.evening import outputs
    from widgets.evening.letters import letter_templates, salutation

    tpl = letter_templates().get(r.letter_language) or letter_templates()["en"]
    text = reminder_texts()[r.text_language]
    values = _values(inst, tt, r.family_id, r.text_language)
    fam = inst.families[r.family_id]
    subject = _fill(text.subject if r.has_time else text.subject_no_time, values)
    body = _fill(text.body if r.has_time else text.body_no_time, values)
    greeting = salutation(tpl, fam.name) if r.text_language == r.letter_language else (
        salutation(letter_templates()["en"], fam.name))
    sign_off = tpl.sign_off if r.text_language == r.letter_language else (
        letter_templates()["en"].sign_off)
    msg = EmailMessage()
    msg["Subject"] = _one_line(("[Test] " if test else "") + subject)
    msg["From"] = formataddr((_one_line(inst.settings.school)[:120], sender))
    msg["To"] = to or r.recipient
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(f"{greeting}\n\n{body}\n\n{sign_off}\n{_one_line(inst.settings.school)}\n")
    base = outputs.safe_name(r.family_id)
    letter = outputs.letter_html(inst, tt, r.family_id, r.letter_language)
    msg.add_attachment(letter.encode("utf-8"), maintype="text", subtype="html",
                       filename=f"letter_{base}_{r.letter_language}.html")
    ics = outputs.family_ics(inst, tt, r.family_id) if r.has_time else None
    if ics:
        msg.add_attachment(ics, maintype="text", subtype="calendar",
                           filename=f"evening_{base}.ics")
    # Last: set_content and add_attachment move Content-* headers into the parts.
    msg["Content-Language"] = r.text_language
    return msg


# ----------------------------------------------------------------------------- preview

def preview_html(msg: EmailMessage, r: Reminder) -> str:
    """The email as the family will see it, escaped (a parent's name cannot add markup)."""
    from widgets.evening.letters import letter_templates

    tpl = letter_templates().get(r.text_language) or letter_templates()["en"]
    body = msg.get_body(("plain",))
    attachments = [
        f"{p.get_filename()} ({len(p.get_payload(decode=True) or b'') // 1024 + 1} KB)"
        for p in msg.iter_attachments()
    ]
    return render(
        "evening/reminder_preview.html",
        to=msg["To"] or "(no email address)", subject=msg["Subject"],
        language=f"{tpl.name} ({tpl.english_name})", fell_back=r.fell_back,
        attachments=attachments, lang=r.text_language, dir=tpl.dir,
        body=body.get_content() if body is not None else "",
    )


# ----------------------------------------------------------------------------- sending

Status = Literal["sent", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    family_id: str
    recipient: str
    language: str
    status: Status
    reason: str = ""


@dataclass
class SendResult:
    """Every family of one press of Send, accounted for."""

    batch: str
    outcomes: list[Outcome] = field(default_factory=list)
    fell_back: int = 0  # reminders written in English because the language has no text yet
    test: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def kind(self) -> Literal["success", "warning", "error"]:
        """Green only when every message was accepted in the family's own language."""
        if self.outcomes and self.count("sent") == 0:
            return "error"
        if self.count("failed") or self.count("skipped") or self.fell_back:
            return "warning"
        return "success"

    def summary(self) -> str:
        sent, failed, skipped = self.count("sent"), self.count("failed"), self.count("skipped")
        if self.test:
            head = (f"Test sent to {self.outcomes[0].recipient}." if sent
                    else "The test was not sent.")
        else:
            head = f"{sent} of {len(self.outcomes)} reminders sent."
        lines = [head]
        if failed:
            lines.append(f"{failed} failed: see the reasons below; nothing was sent to them.")
        if skipped:
            lines.append(f"{skipped} skipped (no usable email address or over the limit of "
                         f"{MAX_REMINDERS_PER_SEND} per send): give them a text or a letter.")
        if self.fell_back:
            lines.append(f"{self.fell_back} written in English: no reminder text in their "
                         "language yet (their letter is in their language when there is one).")
        return "\n".join(lines)

    def log_rows(self, evening: str) -> list[dict[str, Any]]:
        """Rows for :meth:`widgets.store.Store.log_reminders`."""
        return [
            {"batch": self.batch, "evening": evening[:200], "family_id": o.family_id[:80],
             "recipient": o.recipient[:320], "language": o.language[:16], "status": o.status,
             "reason": o.reason[:500], "test": self.test}
            for o in self.outcomes
        ]


def send(
    inst: Instance, tt: Timetable, reminders: list[Reminder], settings: SmtpSettings, *,
    to: str | None = None, test: bool = False, connector: Connector = connect,
) -> SendResult:
    """Send ``reminders`` over one connection; every family ends sent, failed or skipped.

    At most :data:`MAX_REMINDERS_PER_SEND` are sent; the rest are skipped with that reason. A
    connection that breaks is opened again once; if that fails, every family left fails with the
    reason. ``to`` (with ``test``) sends the first reminder to the office instead.
    """
    result = SendResult(batch=secrets.token_hex(6), test=test)
    queue: list[Reminder] = []
    for r in reminders:
        if r.skip_reason and not to:
            result.outcomes.append(Outcome(r.family_id, r.recipient, r.text_language, "skipped",
                                           r.skip_reason))
        elif len(queue) >= MAX_REMINDERS_PER_SEND:
            result.outcomes.append(Outcome(r.family_id, r.recipient, r.text_language, "skipped",
                                           f"over the limit of {MAX_REMINDERS_PER_SEND} per send; "
                                           "press Send again for the rest"))
        else:
            queue.append(r)
    result.fell_back = sum(1 for r in queue if r.fell_back)
    pending = list(queue)
    reopened = False
    while pending:
        try:
            with connector(settings) as transport:
                while pending:
                    r = pending[0]
                    address = to or r.recipient
                    try:
                        transport.send(message(inst, tt, r, settings.sender, to=to, test=test))
                    except (ConnectionError, TimeoutError) as exc:
                        raise _Broken(exc) from exc
                    except Exception as exc:  # noqa: BLE001 - one family's failure, named
                        if _connection_lost(exc):
                            raise _Broken(exc) from exc
                        result.outcomes.append(Outcome(r.family_id, address, r.text_language,
                                                       "failed", mail_error_words(exc, settings)))
                    else:
                        result.outcomes.append(Outcome(r.family_id, address, r.text_language,
                                                       "sent"))
                    pending.pop(0)
        except Exception as exc:  # noqa: BLE001 - could not connect, or the connection broke
            cause = exc.cause if isinstance(exc, _Broken) else exc
            if isinstance(exc, _Broken) and not reopened:
                reopened = True
                continue
            words = mail_error_words(cause, settings)
            for r in pending:
                result.outcomes.append(Outcome(r.family_id, to or r.recipient, r.text_language,
                                               "failed", words))
            pending = []
    order = {r.family_id: n for n, r in enumerate(reminders)}
    result.outcomes.sort(key=lambda o: order.get(o.family_id, 0))
    return result


class _Broken(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _connection_lost(exc: BaseException) -> bool:
    import smtplib

    return isinstance(exc, smtplib.SMTPServerDisconnected)


# ----------------------------------------------------------------------------- text messages

_PHONE_KEEP = re.compile(r"[^\d+]")


def normal_phone(text: str) -> str:
    """A mobile number as digits only; empty when it is not a number.

    "+44 7700 900123" becomes "447700900123" and "07700 900123" stays "07700900123": SMS
    providers take international numbers without the "+", and a cell starting with "+" is one a
    spreadsheet could run as a formula (the export would have to prefix it with an apostrophe,
    which breaks the number).
    """
    t = _PHONE_KEEP.sub("", (text or "").strip())
    if t.count("+") > 1 or ("+" in t and not t.startswith("+")):
        return ""
    digits = t.lstrip("+")
    if t.startswith("+") and digits.startswith("0"):
        return ""
    return digits if 7 <= len(digits) <= 15 else ""


@dataclass
class SmsExport:
    csv: str
    rows: int
    no_phone: list[str]  # family ids
    shortened: int
    fell_back: int

    @property
    def kind(self) -> Literal["success", "warning"]:
        return "warning" if self.no_phone or self.shortened or self.fell_back else "success"

    def summary(self) -> str:
        lines = [f"{self.rows} text messages in the file."]
        if self.no_phone:
            lines.append(f"{len(self.no_phone)} families have no usable mobile number and are not "
                         "in it: send them the email or the letter.")
        if self.shortened:
            lines.append(f"{self.shortened} messages were longer than {MAX_SMS_CHARS} characters "
                         "and were shortened (ending in …).")
        if self.fell_back:
            lines.append(f"{self.fell_back} are in English: no text in their language yet.")
        return "\n".join(lines)


def sms_export(inst: Instance, tt: Timetable,
               phone_of: Callable[[str], str] | None = None) -> SmsExport:
    """The CSV for the SMS provider: phone, message, family id, language (formula-safe)."""
    from widgets.evening.letters import letter_language
    from widgets.evening.outputs import has_time

    texts = reminder_texts()
    rows, no_phone, shortened, fell_back = [], [], 0, 0
    for fid, reqs in inst.by_family.items():
        if not reqs:
            continue
        fam = inst.families[fid]
        raw = phone_of(fid) if phone_of else getattr(fam, "phone", "")
        phone = normal_phone(raw or "")
        if not phone:
            no_phone.append(fid)
            continue
        code = letter_language(fam.language)
        text_code = code if code in texts else "en"
        fell_back += text_code != code
        t = texts[text_code]
        body = _fill(t.sms if has_time(inst, tt, fid) else t.sms_no_time,
                     _values(inst, tt, fid, text_code))
        if len(body) > MAX_SMS_CHARS:
            body = body[: MAX_SMS_CHARS - 1] + "…"
            shortened += 1
        rows.append([phone, body, fid, text_code])
    return SmsExport(csv_text(["phone", "message", "family_id", "language"], rows), len(rows),
                     no_phone, shortened, fell_back)


def evening_label(inst: Instance) -> str:
    st = inst.settings
    date = st.date.isoformat() if isinstance(st.date, dt.date) else str(st.date)
    return f"{_one_line(st.school)} · {date}"
