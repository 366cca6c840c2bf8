"""The facilitator dashboard's service: what one refresh shows and what a deletion does.

Why apart from the view: the view (widgets/workshop/view.py) only places widgets and wires
clicks. Reading the store, counting, building the sections' HTML and checking a deletion request
live here, so they are tested without a kernel (tests/unit/test_dashboard_service.py).

Headings: the dashboard notebook has one ``<h1>``; every section here is an ``<h2>`` and a
sorting activity inside it an ``<h3>``, so the page's outline has no skipped level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from widgets.privacy import WORKSHOP_MIN_GROUP
from widgets.store import AnswerRow, ParticipantInfo, Store, WorkshopInfo
from widgets.ui import UserFacingError, esc, esc_multiline
from widgets.workshop import model

REFRESH_SECONDS = 15


@dataclass(frozen=True)
class PersonLine:
    id: int
    label: str
    answers: int


@dataclass(frozen=True)
class SortingTable:
    """One sorting activity's group answers: rows of (statement, counts or None, model answer)."""

    title: str
    categories: list[str]
    rows: list[tuple[str, dict[str, int] | None, str | None]]


@dataclass(frozen=True)
class Snapshot:
    """Everything one refresh shows, read from the store at ``taken_at``."""

    people: list[PersonLine]
    wall: list[model.WallCard]
    sorting: list[SortingTable]
    records: list[dict] = field(repr=False)
    taken_at: datetime


@dataclass(frozen=True)
class Deletion:
    label: str
    answers: int

    @property
    def sentence(self) -> str:
        return (
            f"Deleted {self.label} and their {self.answers} "
            f"answer{'s' if self.answers != 1 else ''}."
        )


def _sorting_activities() -> list[str]:
    """Every sorting activity the kit ships: a new one shows with no code change."""
    from widgets.datasets import dataset_path

    return sorted(p.stem for p in dataset_path("activities").glob("*.yaml"))


def sorting_tables(rows: list[AnswerRow]) -> list[SortingTable]:
    """The group's sorting answers per activity; counts of fewer than the minimum are None."""
    from widgets.sorting.model import load_activity

    out = []
    for name in _sorting_activities():
        act = load_activity(name)
        dist = model.sorting_distributions(
            rows, name, [(i.id, i.text) for i in act.items], act.categories
        )
        if not any(d.respondents for d in dist):
            continue
        out.append(
            SortingTable(
                act.title,
                list(act.categories),
                [
                    (d.question, None if d.suppressed else dict(d.counts), item.answer)
                    for d, item in zip(dist, act.items, strict=True)
                ],
            )
        )
    return out


def take_snapshot(store: Store, workshop_id: int, now: datetime | None = None) -> Snapshot:
    """Read the workshop once: who joined (in join order), the wall, the sorting tables."""
    parts: list[ParticipantInfo] = store.participants(workshop_id)
    rows = store.answers(workshop_id=workshop_id)
    labels = model.participant_labels(parts)
    counts = model.activity_counts(rows, parts)
    return Snapshot(
        people=[PersonLine(p.id, labels[p.id], counts[p.id]) for p in parts],
        wall=model.reflection_wall(rows),
        sorting=sorting_tables(rows),
        records=model.export_records(rows, parts),
        taken_at=now or datetime.now(),
    )


def delete_participant(
    store: Store, workshop_id: int, participant_id: int | None, confirmed: bool
) -> Deletion:
    """A facilitator's deletion on a participant's request, checked first.

    Refuses (with the fix) when nobody is chosen, the box is not ticked, or the person is no
    longer in this workshop (deleted from another screen): never deletes someone else.
    """
    if participant_id is None:
        raise UserFacingError("Choose the participant first.")
    if not confirmed:
        raise UserFacingError("Tick the box to confirm they asked for their data to be deleted.")
    parts = store.participants(workshop_id)
    labels = model.participant_labels(parts)
    if participant_id not in labels:
        raise UserFacingError(
            "That participant is no longer in this workshop (perhaps deleted from another "
            "screen). The list has been refreshed: check it and choose again."
        )
    n = store.delete_participant(participant_id)
    return Deletion(labels[participant_id], n)


# -- HTML for the sections (every text escaped) ----------------------------------------------------


def people_html(snap: Snapshot) -> str:
    items = "".join(
        f"<li data-pid='{p.id}'>{esc(p.label)} <small>({p.answers} answers)</small></li>"
        for p in snap.people
    )
    return (
        f"<div class='pap-dash-section'><h2>Who has joined: {len(snap.people)}</h2>"
        f"<ul class='pap-people'>{items}</ul></div>"
    )


def wall_html(snap: Snapshot) -> str:
    cards = "".join(
        "<li class='pap-wall-card' style='background:#fffbe6;border:1px solid #f0d97a;"
        "border-radius:6px;padding:8px 10px;font-size:1em;list-style:none'>"
        f"<small style='color:#57606a'>{esc(c.prompt)}</small><div>{esc_multiline(c.text)}</div>"
        "</li>"
        for c in snap.wall
    )
    grid = (
        "<ul style='display:grid;grid-template-columns:repeat(auto-fill,minmax(min(260px,100%),1fr));"
        f"gap:10px;padding:0;margin:0'>{cards}</ul>"
        if snap.wall
        else "<p>No reflections yet.</p>"
    )
    return f"<div class='pap-dash-section'><h2>Reflections wall (anonymous)</h2>{grid}</div>"


def distributions_html(snap: Snapshot) -> str:
    """The sorting tables; the model answer's count is bold and marked ✓ (not colour alone)."""
    parts = ["<div class='pap-dash-section'><h2>How the group sorted the statements</h2>"]
    for t in snap.sorting:
        parts.append(
            f"<h3>{esc(t.title)}</h3><div class='pap-table-scroll' role='region' tabindex='0' "
            f"aria-label='{esc(t.title)}: answers'><table style='border-collapse:collapse'>"
            "<thead><tr><th scope='col' style='text-align:left'>Statement</th>"
            + "".join(f"<th scope='col'>{esc(c)}</th>" for c in t.categories)
            + "</tr></thead><tbody>"
        )
        for question, counts, answer in t.rows:
            if counts is None:
                cells = (
                    f"<td colspan='{len(t.categories)}'><small>fewer than "
                    f"{WORKSHOP_MIN_GROUP} answers: not shown</small></td>"
                )
            else:
                cells = "".join(
                    f"<td style='text-align:center'><b>{counts.get(c, 0)} ✓</b>"
                    "<span class='pap-visually-hidden'> (the suggested answer)</span></td>"
                    if c == answer
                    else f"<td style='text-align:center'>{counts.get(c, 0)}</td>"
                    for c in t.categories
                )
            parts.append(
                f"<tr><th scope='row' style='text-align:left;font-weight:normal;"
                f"padding-right:12px'>{esc(question)}</th>{cells}</tr>"
            )
        parts.append("</tbody></table></div>")
    if not snap.sorting:
        parts.append("<p>No answers yet.</p>")
    else:
        parts.append("<p><small>✓ and bold: the activity's suggested answer.</small></p>")
    parts.append("</div>")
    return "".join(parts)


def header_html(ws: WorkshopInfo) -> str:
    when = f" · {esc(ws.date)}" if ws.date else ""
    return (
        "<div class='pap-dash-header' style='text-align:center;padding:10px;background:#f0f5fb;"
        f"border-radius:8px'><h2 style='font-size:1.1em;margin:0'>{esc(ws.title)}{when}</h2>"
        "<div>Join at the landing page with the code</div>"
        "<div class='pap-code' style='font-size:3.2em;font-weight:700;letter-spacing:.15em;"
        f"color:#1f5fa8;overflow-wrap:anywhere'>{esc(ws.code)}</div></div>"
    )


def updated_html(snap: Snapshot, seq: int) -> str:
    """'Updated at 14:05:03' plus a live 'N s ago' the page's script counts from the moment this
    line reached the browser (class pap-updated; see a11y.html.j2). ``seq`` changes on every
    refresh, so the count restarts only when new data really arrived."""
    return (
        f"<p class='pap-updated' data-seq='{seq}' style='margin:4px 0'>"
        f"Updated at {snap.taken_at:%H:%M:%S}<span class='pap-updated-ago'></span></p>"
    )


def refreshed_sentence(snap: Snapshot) -> str:
    n, w = len(snap.people), len(snap.wall)
    return (
        f"Updated at {snap.taken_at:%H:%M:%S}: {n} {'person' if n == 1 else 'people'}, "
        f"{w} reflection{'' if w == 1 else 's'}."
    )


def export_files(snap: Snapshot, code: str) -> list[tuple[bytes | str, str, str, str]]:
    """(data, file name, link text, MIME type) for each export of the snapshot."""
    stamp = snap.taken_at.strftime("%Y%m%d-%H%M")
    return [
        (model.export_csv(snap.records), f"workshop-{code}-{stamp}.csv", "All answers (CSV)",
         "text/csv"),
        (model.export_xlsx(snap.records), f"workshop-{code}-{stamp}.xlsx", "All answers (Excel)",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]
