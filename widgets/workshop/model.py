"""Workshop mode without a kernel: the facilitator's views of a group, exports and completion.

Everything here takes rows from the store and returns plain data, so the dashboard view only
draws it. Two rules run through it: participants are anonymous on anything a facilitator shows
(the wall never names anyone), and counts about fewer than
:data:`~widgets.privacy.WORKSHOP_MIN_GROUP` people are suppressed.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from widgets.exports import csv_text, spreadsheet_safe
from widgets.privacy import WORKSHOP_MIN_GROUP, big_enough
from widgets.reflection.model import COMPLETED_ITEM
from widgets.reflection.model import PREFIX as REFLECTION_PREFIX
from widgets.store import AnswerRow, ParticipantInfo


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
    min_group: int = WORKSHOP_MIN_GROUP,
) -> list[Distribution]:
    """Per statement of a sorting activity, how many placed it in each category."""
    key = f"sorting:{activity_name}"
    answers = [r.value for r in rows if r.item == key and isinstance(r.value, dict)]
    out = []
    for item_id, text in items:
        chosen = [a.get(item_id) for a in answers if a.get(item_id) in categories]
        n = len(chosen)
        counts = {c: Counter(chosen)[c] for c in categories} if big_enough(n, min_group) else None
        out.append(Distribution(text, n, counts))
    return out


def participant_code(token: str, length: int = 4) -> str:
    """A short code for a participant who gave no name, taken from their (secret) link token.

    Why not "Participant 2", "Participant 3"? Numbers by place in the list change when someone
    is deleted, so the facilitator's "Participant 3" silently becomes somebody else. The code
    is a hash of the token: it never changes, and tells nothing about the token itself.
    """
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:length]


def participant_labels(participants: list[ParticipantInfo]) -> dict[int, str]:
    """Names for the facilitator's own list: the display name if given, else a stable code
    ("Participant K7QX") that does not change when someone else is deleted."""
    labels = {
        p.id: p.display_name or f"Participant {participant_code(p.token)}" for p in participants
    }
    # Two unnamed people whose four-letter codes collide get a longer one each (rare).
    seen = Counter(labels.values())
    for p in participants:
        if not p.display_name and seen[labels[p.id]] > 1:
            labels[p.id] = f"Participant {participant_code(p.token, 8)}"
    return labels


def activity_counts(rows: list[AnswerRow], participants: list[ParticipantInfo]) -> dict[int, int]:
    c = Counter(r.participant_id for r in rows)
    return {p.id: c.get(p.id, 0) for p in participants}


EXPORT_COLUMNS = ["participant", "module", "item", "value", "saved_at"]


def export_records(rows: list[AnswerRow], participants: list[ParticipantInfo]) -> list[dict]:
    labels = participant_labels(participants)
    return [
        {
            "participant": labels.get(
                r.participant_id, f"Participant {participant_code(r.participant_token)}"
            ),
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
#
# A module is done when every activity and reflection its notebook offers has a saved answer, and
# in progress as soon as anything in it has been saved. What a module offers is read from its
# notebook: each widget call below names the store item its answer is saved under. This table is
# the one place that knows it; a test checks every widget the module notebooks call is listed
# here or in NOT_ANSWERS, so a new activity cannot silently count for nothing.


@dataclass(frozen=True)
class Saves:
    """Where a widget saves its answer: ``prefix`` plus, if ``arg`` is set, that call argument.

    With ``arg`` the item is exact (sub-items such as ``sorting:x:score`` count too); without
    it any item starting with ``prefix`` counts.
    """

    kind: str
    prefix: str
    arg: int | None = None
    kwarg: str | None = None
    default: str | None = None


ACTIVITY_SAVES: dict[str, Saves] = {
    "reflection.reflect": Saves("reflection", REFLECTION_PREFIX, 1, "key"),
    "sorting.sorting_activity": Saves("sorting activity", "sorting:", 1, "name"),
    "checklist.checklist": Saves("checklist", "checklist:", 1, "name"),
    "roleplay.roleplay": Saves("role-play", "roleplay:"),
    "messages.rewrite_activity": Saves("rewrite", "rewrite:", 1, "key", "rewrite"),
    "messages.template_writer": Saves("letter template", "template:"),
    "messages.message_checker": Saves("message check", "checker:last"),
    "audit.audit_rater": Saves("barrier ratings", "ratings:"),
    "audit.plan_builder": Saves("action plan", "plan:"),
    "skills.skills_poster": Saves("skills poster", "skills:"),
    "readiness.readiness_tracker": Saves("readiness tracker", "readiness:roles"),
    "interview.interview_builder": Saves("interview guide", "interview:guide"),
    "session_plan.session_planner": Saves("session plan", "session-plan:plan"),
    "family.family_module": Saves("choices", "family:"),
}
# Widgets a module calls that save no answer of the participant's own (views and downloads).
NOT_ANSWERS = frozenset(
    {
        "reflection.module_summary",
        "audit.team_view",
        "audit.framework_view",  # reads the ratings again by framework; saves nothing
        "audit.parent_questionnaire",
        "evening.booking_comparison",
        "record_bar.record_bar",  # says whose record the page saves to; asks for nothing
        "record_bar.module_start",  # the record bar and the module's length, from the catalogue
    }
)
# Widgets that save answers a module does not require to count as done: the case is reading, the
# self-ratings are the participant's own view of their confidence, and the knowledge check is
# practice with unlimited tries. The PD record shows their results beside each module instead
# (pd_record), and the time they took is counted in the time measured.
OPTIONAL_ACTIVITIES = frozenset(
    {
        "knowledge_check.case_study",
        "knowledge_check.knowledge_check",
        "knowledge_check.self_rating",
    }
)

COMPLETION_RULE = (
    "A module counts as done once every activity and reflection in it has a saved answer "
    "(for a role-play, a finished conversation); its minutes are counted then."
)


@dataclass(frozen=True)
class Expected:
    """One thing a module asks a participant to do, and the store item(s) that show it."""

    kind: str
    item: str  # the exact item, or a prefix ending in ":"
    label: str
    exact: bool = True

    def matches(self, item: str) -> bool:
        if self.exact:
            return item == self.item or item.startswith(self.item + ":")
        return item.startswith(self.item)


def answered(row: AnswerRow) -> bool:
    """Whether a saved row is an answer: text typed, a finished role-play, anything chosen."""
    v = row.value
    if row.item.startswith(REFLECTION_PREFIX):
        return isinstance(v, dict) and bool(str(v.get("text", "")).strip())
    if row.item.startswith(ACTIVITY_SAVES["roleplay.roleplay"].prefix):
        return isinstance(v, dict) and v.get("finished") is True
    return v not in (None, "", [], {})


def _widget_name(call: ast.Call, imported: dict[str, str]) -> str | None:
    if isinstance(call.func, ast.Name):
        return imported.get(call.func.id)
    return None


def _const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def notebook_calls(code: str) -> list[tuple[str, list[str | None], dict[str, str | None]]]:
    """The kit's widget calls in a notebook's code, as (package.function, args, kwargs).

    Only names imported ``from widgets.<package>...`` count; arguments that are not plain text
    come back as None.
    """
    tree = ast.parse(code)
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets."):
            package = node.module.split(".")[1]
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{package}.{alias.name}"
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (name := _widget_name(node, imported)):
            args = [_const(a) for a in node.args]
            kwargs = {k.arg: _const(k.value) for k in node.keywords if k.arg}
            calls.append(((node.lineno, node.col_offset), name, args, kwargs))
    return [c[1:] for c in sorted(calls, key=lambda c: c[0])]  # in the order the page shows them


def expected_from_code(code: str) -> list[Expected]:
    """What a module notebook asks a participant to do, read from its widget calls."""
    out: list[Expected] = []
    for name, args, kwargs in notebook_calls(code):
        saves = ACTIVITY_SAVES.get(name)
        if saves is None:
            continue
        if saves.arg is None:
            out.append(Expected(saves.kind, saves.prefix, saves.kind, exact=False))
            continue
        key = args[saves.arg] if len(args) > saves.arg else kwargs.get(saves.kwarg or "")
        key = key or saves.default
        if not key:
            continue  # a key built at run time cannot be checked; leave it out, not guessed
        label = saves.kind
        if saves.kind == "reflection":
            prompt = (args[2] if len(args) > 2 else kwargs.get("prompt")) or key
            short = prompt if len(prompt) <= 70 else prompt[:70].rsplit(" ", 1)[0] + " …"
            label = f"reflection: {short}"
        elif saves.kind != "rewrite":
            label = f"{saves.kind}: {key.replace('_', ' ')}"
        out.append(Expected(saves.kind, saves.prefix + key, label))
    seen: set[str] = set()
    return [e for e in out if not (e.item in seen or seen.add(e.item))]


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined (markdown and outputs left out)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join(
        "".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"
    )
    # IPython magics and shell lines are not Python; they never hold a widget call
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )


@lru_cache(maxsize=64)
def _expected_cached(path: Path, mtime: float) -> tuple[Expected, ...]:
    return tuple(expected_from_code(notebook_code(path)))


def module_expectations(
    notebooks: dict[str, str], modules_dir: Path | None = None
) -> dict[str, list[Expected]]:
    """Per module id, what its notebook asks of a participant (``notebooks``: id -> file name).

    A notebook that is missing or cannot be read gives an empty list: that module is then judged
    by its prepared summary instead (see ``completion``).
    """
    if modules_dir is None:
        from widgets.landing.model import MODULES_DIR

        modules_dir = MODULES_DIR
    out: dict[str, list[Expected]] = {}
    for mid, nb in notebooks.items():
        path = modules_dir / nb
        try:
            out[mid] = list(_expected_cached(path, path.stat().st_mtime))
        except (OSError, ValueError, SyntaxError):
            out[mid] = []
    return out


def catalogue_expectations() -> dict[str, list[Expected]]:
    """What every module in the catalogue asks of a participant, read from the notebooks."""
    from widgets.landing.model import LEARNING_KINDS, load_catalogue

    return module_expectations(
        {e.id: e.notebook for e in load_catalogue().entries if e.kind in LEARNING_KINDS}
    )


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    title: str
    minutes: int  # the catalogue's minutes for the module, earned when it is done
    answers: int
    completed: bool
    completed_at: str = ""  # date of the last answer that completed it
    done: int = 0  # activities and reflections answered
    expected: int = 0  # activities and reflections the module offers
    missing: tuple[str, ...] = ()  # labels of those still without an answer

    @property
    def status(self) -> str:
        return "done" if self.completed else "in progress"

    @property
    def status_text(self) -> str:
        """The status as a record shows it, e.g. 'done 2026-11-25' or 'in progress (2 of 3)'."""
        if self.completed:
            return f"done {self.completed_at}".strip()
        return f"in progress ({self.done} of {self.expected})" if self.expected else "in progress"

    @property
    def minutes_earned(self) -> int:
        return self.minutes if self.completed else 0


@dataclass(frozen=True)
class Completion:
    modules: list[ModuleProgress]
    reflections: list[WallCard]

    @property
    def completed(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.completed]

    @property
    def in_progress(self) -> list[ModuleProgress]:
        return [m for m in self.modules if not m.completed]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.completed)


def completion(
    rows: list[AnswerRow],
    catalogue_modules: list[tuple[str, str, int]],
    expected: dict[str, list[Expected]] | None = None,
) -> Completion:
    """A participant's record: every module touched, done or in progress, and minutes of PD.

    ``catalogue_modules`` is (module id, title, minutes) for every module in the catalogue;
    ``expected`` is what each module asks (default: read from the module notebooks). A module is
    done when each expected activity and reflection has an answer; one whose activities are not
    known falls back to its prepared summary.
    """
    if expected is None:
        expected = catalogue_expectations()
    by_module: dict[str, list[AnswerRow]] = defaultdict(list)
    for r in rows:
        by_module[r.module].append(r)
    mods = []
    for mid, title, minutes in catalogue_modules:
        mrows = by_module.get(mid, [])
        if not mrows:
            continue
        wanted = expected.get(mid, [])
        answers = [r for r in mrows if answered(r)]
        have = [e for e in wanted if any(e.matches(r.item) for r in answers)]
        if wanted:
            done = len(have) == len(wanted)
            proof = [r for r in answers if any(e.matches(r.item) for e in wanted)]
        else:
            proof = [r for r in mrows if r.item == COMPLETED_ITEM]
            done = bool(proof)
        at = max((r.updated_at for r in proof), default=None) if done else None
        day = at.strftime("%Y-%m-%d") if at else ""
        if done and not wanted and isinstance(proof[0].value, dict):
            day = str(proof[0].value.get("at", ""))[:10] or day  # when the summary was prepared
        mods.append(
            ModuleProgress(
                mid,
                title,
                minutes,
                len(mrows),
                done,
                day,
                len(have),
                len(wanted),
                tuple(e.label for e in wanted if e not in have),
            )
        )
    reflections = list(reversed(reflection_wall(rows)))
    return Completion(mods, reflections)


def record_sentence(record: Completion) -> str:
    """The certificate's claim, in the same words on the web page and in the PDF.

    The web page is ``printable/pd_record.html``, rendered by
    :func:`widgets.workshop.pd_record.record_html`; this model returns words, never markup.
    """
    n, more = len(record.completed), len(record.in_progress)
    text = (
        f"completed {n} module{'s' if n != 1 else ''} on working in partnership with parents, "
        f"about {record.minutes} minutes of professional learning"
    )
    if more:
        text += f", and has {more} more module{'s' if more != 1 else ''} in progress"
    return text
