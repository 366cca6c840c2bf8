"""Meeting modes: in person, by phone or by video.

A family can meet one teacher in the hall and another by phone. Only an in-person meeting uses
a room, so only it counts towards a room's capacity and only between two in-person meetings in
different rooms does anyone need walking time. A video meeting needs a link: the teacher's own,
else the school's pattern with ``{teacher}`` for the teacher's id. Pure functions.
"""

from __future__ import annotations

import re

from widgets.evening.data import Instance, Request, Settings, Teacher

MODES = ("in_person", "phone", "video")
MODE_LABELS = {"in_person": "In person", "phone": "Phone", "video": "Video"}
_WORDS = {
    "": "in_person", "in person": "in_person", "inperson": "in_person", "in_person": "in_person",
    "person": "in_person", "school": "in_person", "face to face": "in_person",
    "phone": "phone", "telephone": "phone", "call": "phone", "tel": "phone",
    "video": "video", "online": "video", "zoom": "video", "teams": "video", "meet": "video",
}  # fmt: skip


def parse_mode(value: object) -> str:
    """'in person' / 'phone' / 'video' as a school's file or the request page writes them."""
    text = re.sub(r"[\s\-]+", " ", str(value if value is not None else "")).strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    raise ValueError(f"must be in person, phone or video; got {str(value)!r}")


def video_link(settings: Settings, teacher: Teacher) -> str:
    """The link for a video meeting with this teacher ('' when the school has set none)."""
    if teacher.video_link:
        return teacher.video_link
    pattern = getattr(settings, "video_link_pattern", "") or ""
    if not pattern:
        return ""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", teacher.id).strip("-") or "teacher"
    return pattern.replace("{teacher}", safe)


def walk_needed(room_a: str | None, room_b: str | None) -> bool:
    """Does going from one meeting to the next mean walking between rooms? Never by phone/video."""
    return room_a is not None and room_b is not None and room_a != room_b


def room_load(inst: Instance, placed: list[tuple[Request, int]]) -> dict[tuple[str, int], int]:
    """In-person meetings per (room, slot) among ``placed`` (phone and video take no room)."""
    out: dict[tuple[str, int], int] = {}
    for r, s in placed:
        room = inst.room_of(r)
        if room is not None:
            out[(room, s)] = out.get((room, s), 0) + 1
    return out


def missing_video_links(inst: Instance) -> list[str]:
    """Teachers with a video meeting and no link: the office must set one before letters go."""
    out = []
    for r in inst.requests:
        t = inst.teachers[r.teacher_id]
        if r.mode == "video" and not video_link(inst.settings, t) and t.name not in out:
            out.append(t.name)
    return out
