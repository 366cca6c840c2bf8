"""HTML for the family sessions (templates in widgets/templates/family/ and the printable card):
a parent's own words are typed into this page, and an HTML widget runs whatever markup it gets."""

from __future__ import annotations

from widgets.family.model import Answer, FamilySession, known_languages, translation
from widgets.html import render


def _ctx(session: FamilySession, code: str) -> dict:
    lang, tr = translation(session, code)
    return {"lang": lang, "dir": known_languages()[lang].dir, "tr": tr}


def session_html(session: FamilySession, code: str) -> str:
    return render("family/session.html", **_ctx(session, code))


def card_html(session: FamilySession, code: str, answer: Answer) -> str:
    """A printable card of what the parent chose, to take to the meeting or stick on the fridge."""
    ctx = _ctx(session, code)
    picked = [ctx["tr"].options[p] for p in answer.picks]
    return render("printable/family_card.html", picked=picked, own=answer.own, **ctx)


def label_html(session: FamilySession, code: str, text: str, kind: str = "option") -> str:
    """One label of the activity (``prompt``, ``own`` or ``option``) in the page's language."""
    return render("family/label.html", text=text, kind=kind, **_ctx(session, code))
