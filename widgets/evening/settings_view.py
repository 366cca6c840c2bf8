"""The planner's evening settings as widgets: the choices a school makes before any family books.

Shared by the planner's step 3 and the request window (which offers the same evening). Values
are validated by :class:`widgets.evening.data.Settings`; a wrong value gets a plain message that
names the box.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as ipw

from widgets.html import render
from widgets.ui import UserFacingError

FULL = ipw.Layout(width="100%")
AUTO = ipw.Layout(width="auto")
NONE_COL = "(not in this file)"

STYLE = render("evening/style.html")  # the planner's table and grid styles

KIND_TITLES = {
    "families": "Families and their requests (one row per child and teacher)",
    "teachers": "Teachers and rooms",
    "interpreters": "Interpreters and signers (optional)",
}


def settings_widgets() -> dict[str, ipw.Widget]:
    s = {"description_width": "170px"}
    lay = ipw.Layout(width="420px")
    return {
        "school": ipw.Text(description="School", value="Our school", style=s, layout=lay),
        "date": ipw.DatePicker(
            description="Date", value=dt.date.today() + dt.timedelta(days=21), style=s
        ),
        "start": ipw.Text(description="Evening starts", value="16:00", style=s, layout=lay),
        "end": ipw.Text(description="Evening ends", value="19:00", style=s, layout=lay),
        "slot_minutes": ipw.Dropdown(
            description="Minutes per meeting",
            options=[5, 8, 10, 12, 15, 20],
            value=10,
            style=s,
            layout=lay,
        ),
        "break_pattern": ipw.Dropdown(
            description="Teachers' breaks",
            options=[
                ("Staggered (each teacher at a different time)", "staggered"),
                ("Fixed (everyone at the same time)", "fixed"),
                ("None", "none"),
            ],
            value="staggered",
            style=s,
            layout=lay,
        ),
        "break_minutes": ipw.BoundedIntText(
            description="Break length (minutes)", value=10, min=0, max=120, style=s, layout=lay
        ),
        "break_at": ipw.Text(description="Fixed break at", value="18:00", style=s, layout=lay),
        "max_consecutive": ipw.BoundedIntText(
            description="Most meetings in a row", value=8, min=1, max=100, style=s, layout=lay
        ),
        "gap_minutes": ipw.BoundedIntText(
            description="Walking time between rooms", value=0, min=0, max=30, style=s, layout=lay
        ),
        "venue": ipw.Text(description="Where", value="", style=s, layout=lay),
        "contact": ipw.Text(description="Contact for changes", value="", style=s, layout=lay),
        "school_locale": ipw.Dropdown(
            description="Dates and times as in",
            options=SCHOOL_LOCALES,
            value="en_GB",
            style=s,
            layout=lay,
        ),
        "time_zone": ipw.Text(
            description="Time zone", value="", placeholder="from the country above, e.g. "
            "Europe/London", style=s, layout=lay,
        ),
        "video_link_pattern": ipw.Text(
            description="Video link pattern", value="",
            placeholder="https://meet.example.org/pap-{teacher}", style=s, layout=lay,
        ),
        "room_capacity": ipw.Text(
            description="Rooms with a limit", value="", placeholder="B12=1; Library=2",
            style=s, layout=lay,
        ),
        "household_letters": ipw.Dropdown(
            description="Two households are told",
            options=[("Only their own meetings", "own"),
                     ("Their own, and the other household's times", "both")],
            value="own", style=s, layout=lay,
        ),
    }


# How a school writes dates and times in its letters (a Babel locale; en_GB is 24-hour).
SCHOOL_LOCALES = [
    ("United Kingdom (Wednesday 16 December 2026, 17:40)", "en_GB"),
    ("Ireland", "en_IE"),
    ("United States (12-hour clock)", "en_US"),
    ("Canada, English (12-hour clock)", "en_CA"),
    ("Canada, French", "fr_CA"),
    ("Australia", "en_AU"),
    ("New Zealand", "en_NZ"),
]


def letter_language_options() -> list[tuple[str, str]]:
    from widgets.evening.letters import letter_templates

    return [(f"{t.name} ({t.english_name})" if t.name != t.english_name else t.name, code)
            for code, t in letter_templates().items()]


def settings_from(ws: dict[str, ipw.Widget]):
    from pydantic import ValidationError

    from widgets.evening.data import Settings

    raw = {k: w.value for k, w in ws.items()}
    if "room_capacity" in raw:
        raw["room_capacity"] = parse_room_capacity(raw["room_capacity"])
    if raw["date"] is None:
        raise UserFacingError("Choose the date of the evening.")
    try:
        return Settings.model_validate(raw)
    except ValidationError as e:
        words = []
        for err in e.errors():
            field = ".".join(str(x) for x in err.get("loc", ())) or "settings"
            label = ws[field].description if field in ws else "The settings"
            words.append(f"{label}: {err.get('msg', '').removeprefix('Value error, ')}")
        raise UserFacingError("; ".join(words)) from None


def parse_room_capacity(text: object) -> dict[str, int]:
    """'B12=1; Library=2' as {room: meetings at once}; a dict passes through."""
    if isinstance(text, dict):
        return {str(k): int(v) for k, v in text.items()}
    out: dict[str, int] = {}
    for part in str(text or "").replace(",", ";").split(";"):
        if not part.strip():
            continue
        room, _sep, n = part.partition("=")
        if not room.strip() or not n.strip().isdigit() or int(n) < 1:
            raise UserFacingError(
                f"Rooms with a limit: write each room as name=number, e.g. B12=1; got {part.strip()!r}."
            )
        out[room.strip()] = int(n)
    return out


def settings_to_json(ws: dict[str, ipw.Widget]) -> dict:
    out = {}
    for k, w in ws.items():
        v = w.value
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def fill_settings(ws: dict[str, ipw.Widget], saved: dict) -> list[str]:
    """Put saved settings into the boxes. Returns the labels of the boxes whose saved value no
    longer fits (an option since removed, a date that is not one): they keep their default, and
    the caller says so rather than dropping the value silently."""
    from widgets.evening.data import fmt_time

    kept_default: list[str] = []
    for k, v in (saved or {}).items():
        if k not in ws or v is None:
            continue
        w = ws[k]
        try:
            if k == "date":
                w.value = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
            elif k == "room_capacity" and isinstance(v, dict):
                w.value = "; ".join(f"{room}={n}" for room, n in v.items())
            elif isinstance(w, ipw.Text) and isinstance(v, int):
                w.value = fmt_time(v)
            elif isinstance(w, ipw.Text):
                w.value = str(v)
            elif isinstance(w, ipw.Dropdown):
                values = [o[1] if isinstance(o, tuple) else o for o in w.options]
                if v not in values:
                    raise ValueError(f"{v!r} is no longer a choice")
                w.value = v
            else:
                w.value = v
        except Exception:  # noqa: BLE001 - an old saved value that no longer fits: the default
            kept_default.append(w.description or k)
    return kept_default
