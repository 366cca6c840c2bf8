"""What the office prints and sends after solving: sheets, letters, calendar files, a CSV.

Letters come from ``datasets/evening/letters.yaml`` in the family's home language (English when
there is no template yet; ``widgets.evening.letters`` matches the language and tells the office),
with dates in the letter's language on the school's clock (settings.school_locale, Babel), a
salutation that fits the language, and ``dir="rtl"`` for right-to-left scripts. Placeholders are
filled here in one pass, as plain text; the pages are templates (``widgets/templates/evening/``,
printable ones extending ``printable/base.html``) whose autoescape makes every name from an
upload text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from widgets.evening.data import PRIORITY_LABELS, Instance, Request, Timetable, fmt_time
from widgets.evening.letters import (  # noqa: F401  (LetterFile & co. are read from here too)
    LetterFile,
    LetterTemplate,
    family_name,
    fill,
    format_clock,
    format_date,
    letter_file,
    letter_language,
    letter_templates,
    salutation,
)
from widgets.evening.modes import video_link
from widgets.exports import csv_text
from widgets.html import Markup, render, render_markup


def _school_locale(inst: Instance) -> str:
    return getattr(inst.settings, "school_locale", None) or "en_GB"


def _meetings(inst: Instance, tt: Timetable, fid: str) -> tuple[list[Request], list[Request]]:
    reqs = inst.by_family.get(fid, [])
    placed = sorted(
        (r for r in reqs if r.id in tt.placements), key=lambda r: tt.placements[r.id].slot
    )
    return placed, [r for r in reqs if r.id not in tt.placements]


def _family_words(code: str):
    from widgets.evening.family_text import text_for

    return text_for(code)[1]


def meeting_note(inst: Instance, r: Request, fid: str, code: str) -> str:
    """How this household meets, as plain text: by phone (the number), by video (the link),
    together with the child's other household. Empty for an in-person meeting of one household.
    Plain text: the letter's template escapes it, the calendar file takes it as it is."""
    from widgets.evening.family_text import fill_text

    words = _family_words(code)
    fam = inst.families[fid]
    t = inst.teachers[r.teacher_id]
    notes = []
    if r.mode == "phone":
        notes.append(fill_text(words.letter_phone, {"phone": fam.phone}, escape=False)
                     if fam.phone else fill_text(words.letter_phone_no_number, {}, escape=False))
    elif r.mode == "video":
        link = video_link(inst.settings, t)
        notes.append(fill_text(words.letter_video, {"link": link}, escape=False) if link
                     else fill_text(words.letter_video_no_link, {}, escape=False))
    if r.with_households:
        notes.append(fill_text(words.letter_joint, {}, escape=False))
    return " ".join(notes)


def other_households(inst: Instance, fid: str) -> list[str]:
    """The other households of this household's child (none for most families)."""
    link = inst.families[fid].link_id
    if not link:
        return []
    return [f for f, fam in inst.families.items() if f != fid and fam.link_id == link]


def _other_lines(inst: Instance, tt: Timetable, fid: str, code: str, tpl: LetterTemplate) -> list[str]:
    """With the school's setting "both": the other household's own meetings, time and teacher
    only (never its address, phone or link). Plain text."""
    from widgets.evening.family_text import fill_text

    if getattr(inst.settings, "household_letters", "own") != "both":
        return []
    mine = {r.id for r in inst.by_family.get(fid, [])}
    school_locale = _school_locale(inst)
    out = []
    for other in other_households(inst, fid):
        placed, _ = _meetings(inst, tt, other)
        for r in placed:
            if r.id in mine:
                continue
            when = format_clock(inst.settings.slot_start(tt.placements[r.id].slot), tpl.locale,
                                school_locale)
            out.append(fill_text(_family_words(code).letter_other,
                                 {"teachers": inst.teachers[r.teacher_id].name, "time": when},
                                 escape=False))
    return out


def _template_for(inst: Instance, fid: str, lang: str | None) -> tuple[str, LetterTemplate]:
    code = lang or letter_language(inst.families[fid].language)
    return code, letter_templates().get(code) or letter_templates()["en"]


def letter_context(inst: Instance, tt: Timetable, fid: str, lang: str | None = None) -> dict:
    """One family's letter as plain values for ``evening/letter.html``.

    Every {placeholder} is filled here, once and without escaping (a parent named "{school}"
    stays "{school}"); the template escapes each value, so a name from an upload is text.
    """
    st = inst.settings
    fam = inst.families[fid]
    code, tpl = _template_for(inst, fid, lang)
    placed, unplaced = _meetings(inst, tt, fid)
    school_locale = _school_locale(inst)
    values = {
        "parent": fam.name,
        "school": st.school,
        "date": format_date(st.date, tpl.locale, school_locale),
        "venue": st.venue or st.school,
        "contact": st.contact or st.school,
        "minutes": str(st.slot_minutes),
        "family": family_name(fam.name, letter_file().titles) or fam.name,
    }

    def filled(text: str, **more: str) -> str:
        return fill(text, {**values, **more}, escape=False)

    ctx: dict = {
        "has_time": bool(placed),
        "code": code,
        "dir": tpl.dir,
        "salutation": salutation(tpl, fam.name, letter_file().titles),
        "sign_off": tpl.sign_off,
        "school": st.school,
    }
    if not placed:
        # No time at all: no table, no calendar, and what the school will do next (call them to
        # arrange another time, with an interpreter if needed).
        names = ", ".join(dict.fromkeys(inst.teachers[r.teacher_id].name for r in unplaced))
        return {
            **ctx,
            "title": tpl.none_title,
            "none": filled(tpl.none, teachers=names),
            "none_next": filled(tpl.none_next),
            "none_interpreter": filled(tpl.none_interpreter) if fam.needs_interpreter else "",
            "none_contact": filled(tpl.none_contact),
        }
    meetings = []
    for r in placed:
        p = tt.placements[r.id]
        t = inst.teachers[r.teacher_id]
        interpreter = ""
        if p.interpreter_id:
            interpreter = fill(tpl.interpreter, {"interpreter": inst.interpreters[p.interpreter_id].name},
                               escape=False)
        meetings.append({
            "when": f"{format_clock(st.slot_start(p.slot), tpl.locale, school_locale)} – "
                    f"{format_clock(st.slot_end(p.slot), tpl.locale, school_locale)}",
            "teacher": t.name,
            "interpreter": interpreter,
            "note": meeting_note(inst, r, fid, code),
            "mode": r.mode,
            "room": t.room if r.mode == "in_person" else _family_words(code).mode_label(r.mode),
            "children": ", ".join(r.children),
        })
    unplaced_names = ", ".join(inst.teachers[r.teacher_id].name for r in unplaced)
    return {
        **ctx,
        "title": tpl.title,
        "intro": filled(tpl.intro),
        "col_time": tpl.col_time,
        "col_teacher": tpl.col_teacher,
        "col_room": tpl.col_room,
        "col_child": tpl.col_child,
        "meetings": meetings,
        "others": _other_lines(inst, tt, fid, code, tpl),
        "arrive": filled(tpl.arrive),
        "place": filled(tpl.place),
        "unplaced": filled(tpl.unplaced, teachers=unplaced_names) if unplaced else "",
        "change": filled(tpl.change),
    }


def letter_body(inst: Instance, tt: Timetable, fid: str, lang: str | None = None) -> Markup:
    """One family's letter as an HTML section carrying its own lang and dir."""
    return render_markup("evening/letter.html", l=letter_context(inst, tt, fid, lang))


def letter_preview_html(inst: Instance, tt: Timetable, fid: str, lang: str | None = None) -> str:
    """One family's letter in a scrolling box, for the planner's page."""
    return render("evening/letter_preview.html", l=letter_context(inst, tt, fid, lang))


def has_time(inst: Instance, tt: Timetable, fid: str) -> bool:
    """Does this family have at least one meeting time (and so a calendar file)?"""
    return any(r.id in tt.placements for r in inst.by_family.get(fid, []))


def letter_html(inst: Instance, tt: Timetable, fid: str, lang: str | None = None) -> str:
    """A complete HTML page for one family's letter (open it and print)."""
    letter = letter_context(inst, tt, fid, lang)
    return render("evening/print_letters.html", title=letter["title"], lang=letter["code"],
                  dir=letter["dir"], letters=[letter])


def all_letters_html(inst: Instance, tt: Timetable) -> str:
    """Every family's letter in one printable file, one letter per page."""
    fids = [f for f, rs in inst.family_requests().items() if rs]
    return render("evening/print_letters.html", title="Parents' evening letters",
                  letters=[letter_context(inst, tt, f) for f in fids])


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "file"


def letters_zip(inst: Instance, tt: Timetable) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fid, rs in inst.family_requests().items():
            if rs:
                z.writestr(f"letter_{safe_name(fid)}.html", letter_html(inst, tt, fid))
    return buf.getvalue()


def timetable_csv(inst: Instance, tt: Timetable, reasons: dict[int, str] | None = None) -> str:
    """The whole timetable, one row per request (unplaced ones at the end, with the reason)."""
    st = inst.settings
    reasons = reasons or {}
    header = (
        ["date", "start", "end", "teacher_id", "teacher", "room", "family_id", "parent",
         "children", "priority", "home_language", "interpreter", "status", "reason",
         "mode", "link", "households"]
    )  # fmt: skip
    rows = []
    for r in inst.requests:
        fam = inst.families[r.family_id]
        t = inst.teachers[r.teacher_id]
        p = tt.placements.get(r.id)
        interp = inst.interpreters[p.interpreter_id].name if p and p.interpreter_id else ""
        rows.append(
            (
                p.slot if p else 10**6,
                [
                    st.date.isoformat(),
                    fmt_time(st.slot_start(p.slot)) if p else "",
                    fmt_time(st.slot_end(p.slot)) if p else "",
                    t.id,
                    t.name,
                    t.room,
                    fam.id,
                    fam.name,
                    "; ".join(r.children),
                    PRIORITY_LABELS.get(r.priority, str(r.priority)),
                    fam.language,
                    interp,
                    "placed" if p else "no time",
                    "" if p else reasons.get(r.id, ""),
                    r.mode,
                    video_link(st, t) if r.mode == "video" else "",
                    "; ".join(r.households),
                ],
            )
        )
    rows.sort(key=lambda x: (x[0], x[1][3]))
    return csv_text(header, [row for _k, row in rows])


def _teacher_how(inst: Instance, r: Request) -> str:
    """For the teacher, as plain text: how this meeting happens (phone: whom to call; video:
    the link)."""
    if r.mode == "phone":
        phones = [inst.families[f].phone for f in r.households if inst.families[f].phone]
        return "Phone: call " + (", ".join(phones) if phones else "(no number yet: ask the office)")
    if r.mode == "video":
        link = video_link(inst.settings, inst.teachers[r.teacher_id])
        return "Video: " + (link or "(no link yet: ask the office)")
    if r.with_households:
        return "Joint meeting: both households"
    return ""


def teacher_sheet_pages(inst: Instance, tt: Timetable) -> list[dict]:
    """Each teacher's page as plain values: every slot of the evening, a meeting, free, a break
    or not here."""
    st = inst.settings
    at: dict[tuple[str, int], Request] = {}
    req = {r.id: r for r in inst.requests}
    for rid, p in tt.placements.items():
        at[(req[rid].teacher_id, p.slot)] = req[rid]
    pages = []
    for t in inst.teachers.values():
        rows = []
        for s in range(st.n_slots):
            when = f"{fmt_time(st.slot_start(s))}–{fmt_time(st.slot_end(s))}"
            r = at.get((t.id, s))
            if r is not None:
                p = tt.placements[r.id]
                notes = [PRIORITY_LABELS[r.priority] if r.priority < 3 else "",
                         _teacher_how(inst, r)]
                rows.append({
                    "kind": "busy",
                    "when": when,
                    "names": " + ".join(inst.families[f].name for f in r.households),
                    "children": ", ".join(r.children),
                    "language": inst.families[r.family_id].language,
                    "interpreter": inst.interpreters[p.interpreter_id].name
                    if p.interpreter_id else "",
                    "notes": [x for x in notes if x],
                })
            elif s in t.slots:
                rows.append({"kind": "free", "when": when, "what": "free"})
            else:
                rows.append({"kind": "off", "when": when,
                             "what": "break" if s in t.breaks else "not here"})
        pages.append({"name": t.name, "room": t.room, "break_text": t.break_text, "rows": rows})
    return pages


def teacher_sheets_html(inst: Instance, tt: Timetable) -> str:
    """One printable page per teacher: every slot of the evening, with breaks and free times.
    In English (for staff), with the date written the school's way, as in the letters."""
    date = format_date(inst.settings.date, "en", _school_locale(inst))
    return render("evening/print_teacher_sheets.html", school=inst.settings.school,
                  date=date, pages=teacher_sheet_pages(inst, tt))


# ----------------------------------------------------------------------------- calendars


def _calendar(name: str):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Parents as Partners//Evening planner//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(inst: Instance, tt: Timetable, r: Request, for_teacher: bool,
           household: str | None = None):
    from icalendar import Event

    st = inst.settings
    p = tt.placements[r.id]
    t = inst.teachers[r.teacher_id]
    start = dt.datetime.combine(st.date, dt.time()) + dt.timedelta(minutes=st.slot_start(p.slot))
    ev = Event()
    if for_teacher:
        names = " + ".join(inst.families[f].name for f in r.households)
        ev.add("summary", f"{names}: {', '.join(r.children)}")
    else:
        ev.add("summary", f"{t.name} about {', '.join(r.children)}")
    ev.add("dtstart", start)  # floating local time: the evening happens where the school is
    ev.add("dtend", start + dt.timedelta(minutes=st.slot_minutes))
    ev.add("dtstamp", dt.datetime.now(dt.UTC))
    who = "teacher" if for_teacher else safe_name(household or r.family_id)
    ev.add("uid", f"pap-evening-{st.date.isoformat()}-{who}-{r.id}-{safe_name(t.id)}")
    link = video_link(st, t) if r.mode == "video" else ""
    if r.mode == "in_person":
        ev.add("location", f"{t.room}, {st.venue or st.school}")
    elif link:
        ev.add("location", link)
        ev.add("url", link)
    else:
        ev.add("location", "Phone" if r.mode == "phone" else "Video call")
    desc = [st.school]
    if for_teacher:
        how = _teacher_how(inst, r)
        if how:
            desc.append(how)
    else:
        code = letter_language(inst.families[household or r.family_id].language)
        note = meeting_note(inst, r, household or r.family_id, code)
        if note:
            desc.append(note)
    if p.interpreter_id:
        desc.append(f"Interpreter: {inst.interpreters[p.interpreter_id].name}")
    ev.add("description", "\n".join(desc))
    return ev


def family_ics(inst: Instance, tt: Timetable, fid: str) -> bytes | None:
    """The family's calendar file; None when they have no time (never an empty calendar)."""
    placed, _ = _meetings(inst, tt, fid)
    if not placed:
        return None
    cal = _calendar(f"{inst.settings.school} parents' evening")
    for r in placed:
        cal.add_component(_event(inst, tt, r, for_teacher=False, household=fid))
    return cal.to_ical()


def teacher_ics(inst: Instance, tt: Timetable, tid: str) -> bytes | None:
    """The teacher's calendar file; None when they have no meeting."""
    mine = [r for r in inst.requests if r.teacher_id == tid and r.id in tt.placements]
    if not mine:
        return None
    cal = _calendar(f"Parents' evening: {inst.teachers[tid].name}")
    for r in sorted(mine, key=lambda r: tt.placements[r.id].slot):
        cal.add_component(_event(inst, tt, r, for_teacher=True))
    return cal.to_ical()


def ics_zip(inst: Instance, tt: Timetable, who: str) -> bytes:
    """A zip of .ics files: one per family (who='families') or per teacher (who='teachers')."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if who == "families":
            placed_f = {f for r in inst.requests if r.id in tt.placements for f in r.households}
            for fid in sorted(placed_f):
                ics = family_ics(inst, tt, fid)
                if ics:
                    z.writestr(f"family_{safe_name(fid)}.ics", ics)
        else:
            for tid in inst.teachers:
                ics = teacher_ics(inst, tt, tid)
                if ics:
                    z.writestr(f"teacher_{safe_name(tid)}.ics", ics)
    return buf.getvalue()
