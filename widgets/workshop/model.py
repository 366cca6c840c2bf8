"""Workshop mode without a kernel: the facilitator's views of a group, exports and completion.

Everything here takes rows from the store and returns plain data, so the dashboard view only
draws it. Two rules run through it: participants are anonymous on anything a facilitator shows
(the wall never names anyone), and counts about fewer than ``MIN_GROUP`` people are suppressed.
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from widgets.exports import csv_text, spreadsheet_safe
from widgets.reflection.model import COMPLETED_ITEM
from widgets.reflection.model import PREFIX as REFLECTION_PREFIX
from widgets.store import AnswerRow, ParticipantInfo

MIN_GROUP = 5  # fewer answers than this and a distribution is not shown on the dashboard


@dataclass(frozen=True)
class WallCard:
    module: str
    prompt: str
    text: str


def reflection_wall(rows: list[AnswerRow], module: str | None = None) -> list[WallCard]:
    """Non-empty reflections, newest first, with nothing that identifies who wrote them."""
    cards = [
        (
            r.updated_at,
            WallCard(r.module, str(r.value.get("prompt", "")), str(r.value.get("text", ""))),
        )
        for r in rows
        if r.item.startswith(REFLECTION_PREFIX)
        and isinstance(r.value, dict)
        and str(r.value.get("text", "")).strip()
        and (module is None or r.module == module)
    ]
    return [c for _, c in sorted(cards, key=lambda x: x[0], reverse=True)]


@dataclass(frozen=True)
class Distribution:
    """How a group answered one question; ``counts`` is None when too few answered to show."""

    question: str
    respondents: int
    counts: dict[str, int] | None

    @property
    def suppressed(self) -> bool:
        return self.counts is None


def sorting_distributions(
    rows: list[AnswerRow],
    activity_name: str,
    items: list[tuple[str, str]],
    categories: list[str],
    min_group: int = MIN_GROUP,
) -> list[Distribution]:
    """Per statement of a sorting activity, how many placed it in each category."""
    key = f"sorting:{activity_name}"
    answers = [r.value for r in rows if r.item == key and isinstance(r.value, dict)]
    out = []
    for item_id, text in items:
        chosen = [a.get(item_id) for a in answers if a.get(item_id) in categories]
        n = len(chosen)
        counts = {c: Counter(chosen)[c] for c in categories} if n >= min_group else None
        out.append(Distribution(text, n, counts))
    return out


def participant_labels(participants: list[ParticipantInfo]) -> dict[int, str]:
    """Names for the facilitator's own list: the display name if given, else 'Participant N'."""
    return {
        p.id: (p.display_name or f"Participant {i}") for i, p in enumerate(participants, start=1)
    }


def activity_counts(rows: list[AnswerRow], participants: list[ParticipantInfo]) -> dict[int, int]:
    c = Counter(r.participant_id for r in rows)
    return {p.id: c.get(p.id, 0) for p in participants}


EXPORT_COLUMNS = ["participant", "module", "item", "value", "saved_at"]


def export_records(rows: list[AnswerRow], participants: list[ParticipantInfo]) -> list[dict]:
    labels = participant_labels(participants)
    return [
        {
            "participant": labels.get(r.participant_id, f"Participant #{r.participant_id}"),
            "module": r.module,
            "item": r.item,
            "value": r.value.get("text")
            if r.item.startswith(REFLECTION_PREFIX) and isinstance(r.value, dict)
            else json.dumps(r.value, ensure_ascii=False),
            "saved_at": r.updated_at.strftime("%Y-%m-%d %H:%M"),
        }
        for r in rows
    ]


def export_csv(records: list[dict]) -> str:
    return csv_text(EXPORT_COLUMNS, ([rec.get(c) for c in EXPORT_COLUMNS] for rec in records))


def export_xlsx(records: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "answers"
    ws.append(EXPORT_COLUMNS)
    for rec in records:
        ws.append([spreadsheet_safe(rec[c]) for c in EXPORT_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- completion record ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    title: str
    minutes: int
    answers: int
    completed: bool
    completed_at: str = ""


@dataclass(frozen=True)
class Completion:
    modules: list[ModuleProgress]
    reflections: list[WallCard]

    @property
    def completed(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.completed]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.completed)


def completion(rows: list[AnswerRow], catalogue_modules: list[tuple[str, str, int]]) -> Completion:
    """A participant's record: modules worked on and completed (summary prepared), minutes of PD.

    ``catalogue_modules`` is (module id, title, minutes) for every module in the catalogue.
    """
    by_module: dict[str, list[AnswerRow]] = defaultdict(list)
    for r in rows:
        by_module[r.module].append(r)
    mods = []
    for mid, title, minutes in catalogue_modules:
        mrows = by_module.get(mid, [])
        if not mrows:
            continue
        done = next((r for r in mrows if r.item == COMPLETED_ITEM), None)
        at = done.value.get("at", "") if done and isinstance(done.value, dict) else ""
        mods.append(ModuleProgress(mid, title, minutes, len(mrows), done is not None, at[:10]))
    reflections = list(reversed(reflection_wall(rows)))
    return Completion(mods, reflections)


def certificate_html(name: str, record: Completion, issued: datetime, school: str = "") -> str:
    esc = html.escape
    done_rows = "".join(
        f"<tr><td>{esc(m.title)}</td><td>{m.minutes} min</td><td>{esc(m.completed_at)}</td></tr>"
        for m in record.completed
    )
    refl = "".join(
        f"<h3>{esc(c.prompt)}</h3><blockquote>{esc(c.text)}</blockquote>"
        for c in record.reflections
    )
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Professional learning record</title>"
        "<style>body{font-family:Georgia,serif;max-width:48em;margin:2em auto;color:#1b1f24}"
        ".cert{border:6px double #1f5fa8;padding:2em 3em;text-align:center;margin-bottom:2em}"
        ".cert h1{color:#1f5fa8;margin:.2em 0}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        "blockquote{border-left:4px solid #d0d7de;margin:0;padding:.2em 1em;white-space:pre-wrap}"
        "@media print{.pagebreak{page-break-before:always}}</style>"
        "<div class='cert'><p>Parents as Partners</p><h1>Record of professional learning</h1>"
        f"<p>This records that</p><h2>{esc(name) or 'a participant'}</h2>"
        f"<p>completed {len(record.completed)} module{'s' if len(record.completed) != 1 else ''} "
        f"on working in partnership with parents, about <b>{record.minutes} minutes</b> of "
        f"professional learning{', at ' + esc(school) if school else ''}.</p>"
        f"<p><small>Issued {issued:%d %B %Y}</small></p></div>"
        f"<h2>Modules completed</h2><table><tr><th>Module</th><th>Time</th><th>Completed</th></tr>"
        f"{done_rows or '<tr><td colspan=3>None yet</td></tr>'}</table>"
        f"<div class='pagebreak'></div><h2>My reflections</h2>{refl or '<p>None yet.</p>'}</html>"
    )
