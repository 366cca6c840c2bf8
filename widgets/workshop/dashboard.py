"""The facilitator dashboard's service: what one refresh shows and what a deletion does.

Why apart from the view: the view (widgets/workshop/view.py) only places widgets and wires
clicks. Reading the store, counting and checking a deletion request live here, so they are
tested without a kernel (tests/unit/test_dashboard_service.py). The sections' markup is in
``widgets/templates/workshop/`` (people, wall, sorting, header, updated); the view renders them
with this module's :class:`Snapshot`.

Headings: the dashboard notebook has one level-1 heading; every section template is level 2
and a sorting activity inside it level 3, so the page's outline has no skipped level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from widgets.privacy import WORKSHOP_MIN_GROUP
from widgets.store import AnswerRow, ParticipantInfo, Store
from widgets.ui import UserFacingError
from widgets.workshop import model

REFRESH_SECONDS = 15


@dataclass(frozen=True)
class PersonLine:
    id: int
    label: str
    answers: int


@dataclass(frozen=True)
class SortingTable:
    """One sorting activity's group answers: rows of (statement, counts or None, model answer).

    Counts are None when fewer than ``min_group`` people answered (the page says so).
    """

    title: str
    categories: list[str]
    rows: list[tuple[str, dict[str, int] | None, str | None]]
    min_group: int = WORKSHOP_MIN_GROUP


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
