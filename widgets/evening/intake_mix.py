"""Build the evening from families' requests, the office's uploads, or both.

The upload path (:func:`widgets.evening.ingest.load_all`) stays as it was. Here the families'
replies are mixed in (:func:`widgets.evening.requests.mix_rows`): a reply replaces that
household's uploaded rows, teacher-requested meetings are kept, households without a reply keep
their uploaded rows. The teachers and interpreters come from this page's uploads when there are
any, else from the copies the request window kept when it opened. Every merge and guess is a
note the page shows in amber. Pure, tested without a kernel.
"""

from __future__ import annotations

from widgets.datasets import Problem
from widgets.evening.data import (
    FamilyRow,
    InterpreterRow,
    Settings,
    TeacherRow,
    build_instance,
    find_conflicts,
)
from widgets.evening.ingest import Loaded, Table, apply_mapping, guess_mapping
from widgets.evening.modes import missing_video_links
from widgets.evening.requests import Mixed, RequestWindow, mix_rows


def _rows(kind: str, tables: dict[str, Table], mappings: dict, problems: dict, counts: dict,
          model: type) -> list | None:
    table = tables.get(kind)
    if table is None:
        return None
    mapping = (mappings or {}).get(kind) or guess_mapping(table.columns, kind)
    res = apply_mapping(table, mapping, kind)
    problems[kind] = res.problems
    counts[kind] = (len(res.rows), res.total)
    return res.rows


def load_with_requests(
    settings: Settings,
    tables: dict[str, Table],
    mappings: dict[str, dict[str, str | None]] | None,
    choices: dict[str, str] | None,
    window: RequestWindow,
    replies: list,  # widgets.evening.request_store.Reply (those with reply None are skipped)
) -> tuple[Loaded, Mixed]:
    """The instance to plan from, with the mix's counts (for the office's amber lines)."""
    problems: dict[str, list[Problem]] = {}
    counts: dict[str, tuple[int, int]] = {}
    fam = _rows("families", tables, mappings or {}, problems, counts, FamilyRow) or []
    teachers = _rows("teachers", tables, mappings or {}, problems, counts, TeacherRow)
    if teachers is None:
        teachers = [TeacherRow.model_validate(t) for t in window.teacher_rows]
    interps = _rows("interpreters", tables, mappings or {}, problems, counts, InterpreterRow)
    if interps is None:
        interps = [InterpreterRow.model_validate(i) for i in window.interpreter_rows]
    answered = [(window, r.invite.details, r.reply) for r in replies if r.reply is not None]
    mixed = mix_rows(fam, answered, teachers)
    conflicts = find_conflicts(fam)
    inst, join_problems = build_instance(settings, mixed.rows, teachers, interps, choices)
    problems["joined"] = join_problems
    notes = list(mixed.notes) + list(inst.notes)
    missing = missing_video_links(inst)
    if missing:
        notes.append(
            f"video meetings with {', '.join(missing[:5])} have no link: set a video link "
            "pattern in step 3 or a link per teacher in the teachers file"
        )
    loaded = Loaded(inst, problems, counts, conflicts, notes, dict(choices or {}))
    return loaded, mixed
