"""HTML for the family sessions, from Jinja2 templates with autoescape (a parent's own words are
typed into this page, and an HTML widget runs whatever markup it is given)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from widgets.family.model import Answer, FamilySession, known_languages, translation

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _ctx(session: FamilySession, code: str) -> dict:
    lang, tr = translation(session, code)
    return {"lang": lang, "dir": known_languages()[lang].dir, "tr": tr}


def session_html(session: FamilySession, code: str) -> str:
    return _ENV.get_template("session.html.j2").render(**_ctx(session, code))


def card_html(session: FamilySession, code: str, answer: Answer) -> str:
    """A printable card of what the parent chose, to take to the meeting or stick on the fridge."""
    ctx = _ctx(session, code)
    picked = [ctx["tr"].options[p] for p in answer.picks]
    return _ENV.get_template("card.html.j2").render(picked=picked, own=answer.own, **ctx)


def label_html(session: FamilySession, code: str, text: str, kind: str = "option") -> str:
    """One label of the activity (``prompt``, ``own`` or ``option``) in the page's language."""
    return _ENV.get_template("label.html.j2").render(text=text, kind=kind, **_ctx(session, code))
