"""What the office sends to ask families for their requests: a short letter per household in its
language with its personal link, and a CSV of the links (for a mail merge or the SMS provider).

HTML from the template ``evening/print_invitations.html`` (autoescape on, the one printable
layout), so a name from an upload cannot become markup.
Pure functions.
"""

from __future__ import annotations

import datetime as dt

from widgets.evening.family_text import direction, fill_text, text_for
from widgets.evening.letters import format_date, format_when, letter_language, letter_templates
from widgets.evening.requests import RequestWindow
from widgets.exports import csv_text
from widgets.html import render

PAGE = "app_family_request.ipynb"

def family_link(base: str, token: str) -> str:
    """The personal link to the request page ('' base: a link relative to the kit's pages)."""
    base = (base or "").strip()
    if base and not base.endswith("/"):
        base += "/"
    return f"{base}{PAGE}?p={token}"


def closes_text(window: RequestWindow, code: str) -> str:
    """The closing time in the letter's language, on the school's clock (its time zone,
    ``Settings.zone``): the window keeps it in UTC, a family reads it as the school's time."""
    st = window.evening()
    tpl = letter_templates().get(code) or letter_templates()["en"]
    c = st.local(window.closes_at)
    return format_when(c.date(), c.hour * 60 + c.minute, tpl.locale, st.school_locale)


def invitation_letters(window: RequestWindow, invites: list, base: str) -> str:
    """Every household's invitation, one per page, each in its home language."""
    from widgets.evening.letters import letter_file, salutation

    st = window.evening()
    letters = []
    for inv in invites:
        code, words = text_for(letter_language(inv.details.home_language))
        tpl = letter_templates().get(code) or letter_templates()["en"]
        values = {
            "school": st.school,
            "date": format_date(st.date, tpl.locale, st.school_locale),
            "closes": closes_text(window, code),
            "link": family_link(base, inv.token),
        }
        letters.append({
            "code": code,
            "dir": direction(code),
            "title": words.page_title,
            "salutation": salutation(tpl, inv.details.parent_name, letter_file().titles),
            "intro": fill_text(words.intro, values, escape=False),
            "invite": fill_text(words.invite, {**values, "link": ""}, escape=False).rstrip(" :："),
            "link": values["link"],
            "sign_off": tpl.sign_off,
        })
    return render("evening/print_invitations.html", title="Parents' evening requests",
                  letters=letters, school=st.school)


def links_csv(window: RequestWindow, invites: list, base: str, replied: set[int] | None = None) -> str:
    """One row per household: who, how to reach them, the language, the link, replied or not."""
    replied = replied or set()
    rows = []
    for inv in invites:
        d = inv.details
        rows.append([d.family_id, d.parent_name, "; ".join(d.children), d.home_language,
                     letter_language(d.home_language), d.email, d.phone, d.linked_to,
                     family_link(base, inv.token), "yes" if inv.id in replied else "no"])
    return csv_text(
        ["family_id", "parent", "children", "home_language", "letter_language", "email", "phone",
         "household_of", "link", "replied"],
        rows,
    )


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
