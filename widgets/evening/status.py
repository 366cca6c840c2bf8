"""What the planner says when it shows a result: green only when nothing was left out.

A school that reads "Timetable ready" in green sends the letters. So the status is green only
when every row was read, every request joined a teacher, every family id was one household and
every meeting has a time. Anything else is counted, named (the first few) and shown in amber
with what to do about it. Pure functions: the view only displays the :class:`Outcome`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from widgets.datasets import Problem
from widgets.evening.data import Conflict, Household
from widgets.html import render

KIND_WORDS = {"families": "families file", "teachers": "teachers file",
              "interpreters": "interpreters file"}
NAMED = 3  # how many examples a line names before "and N more"


@dataclass
class Outcome:
    kind: str  # "success" or "warning" (the kit's message kinds)
    title: str
    lines: list[str] = field(default_factory=list)
    left_out: int = 0  # rows, requests and meetings without a time, all counted

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _examples(problems: list[Problem]) -> str:
    named = "; ".join(f"{p.where}: {p.what}" for p in problems[:NAMED])
    more = len(problems) - NAMED
    return named + (f"; and {more} more" if more > 0 else "")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def intake_lines(loaded: object) -> tuple[list[str], int]:
    """Sentences for everything the uploads lost or guessed, and how many items were lost."""
    lines: list[str] = []
    lost = 0
    for kind, words in KIND_WORDS.items():
        good, total = loaded.counts.get(kind, (0, 0))
        probs = loaded.problems.get(kind, [])
        if total and good < total:
            lost += total - good
            lines.append(
                f"{_plural(total - good, 'row')} of the {words} could not be read and "
                f"{'was' if total - good == 1 else 'were'} left out ({_examples(probs)}). "
                "Fix: correct those cells in the file (or the column chosen in step 2) and "
                "upload it again."
            )
    joined = loaded.problems.get("joined", [])
    requests = [p for p in joined if "request" in p.what]
    others = [p for p in joined if "request" not in p.what]
    if requests:
        lost += len(requests)
        lines.append(
            f"{_plural(len(requests), 'request')} left out because the teacher is not in the "
            f"teachers file ({_examples(requests)}). Fix: check the spelling, or add the "
            "teacher to the teachers file."
        )
    if others:
        lost += len(others)
        lines.append(f"{_plural(len(others), 'row')} ignored: {_examples(others)}.")
    inst = loaded.instance
    uncovered: dict[str, set[str]] = {}
    for r in inst.requests:
        if r.needs_interpreter and not inst.interpreters_for(r.language_key):
            fam = inst.families[r.family_id]
            uncovered.setdefault(fam.language, set()).add(fam.id)
    for lang, fids in sorted(uncovered.items()):
        article = "an" if lang[:1].lower() in "aeiou" else "a"
        verb = "needs" if len(fids) == 1 else "need"
        lines.append(
            f"{_plural(len(fids), 'family', 'families')} {verb} {article} {lang} interpreter and "
            "nobody on "
            "the interpreters list speaks it, so their meetings cannot have a time. Fix: upload "
            "an interpreters file (or add a row) with someone who speaks it."
        )
    for note in loaded.notes:
        lines.append(f"Check: {note}.")
    unsettled = loaded.unsettled
    if unsettled:
        ids = ", ".join(c.family_id for c in unsettled[:NAMED])
        more = len(unsettled) - NAMED
        lines.append(
            f"{_plural(len(unsettled), 'family id')} ({ids}"
            + (f" and {more} more" if more > 0 else "")
            + ") had rows for different households; they are kept as separate families until "
            "you choose. Fix: compare the rows side by side in step 2 and choose for each."
        )
    return lines, lost


def check_outcome(loaded: object) -> Outcome:
    """The row check of step 2."""
    lines, lost = intake_lines(loaded)
    inst = loaded.instance
    summary = (
        f"{len(inst.families)} families, {len(inst.requests)} meetings requested, "
        f"{len(inst.teachers)} teachers, {len(inst.interpreters)} interpreters."
    )
    if lines:
        return Outcome("warning", "Rows read, with things to check", [summary, *lines], lost)
    return Outcome("success", "Every row was read", [summary], 0)


def timetable_outcome(loaded: object, rep: object) -> Outcome:
    """Step 4's status: green only when nothing was left out, guessed or without a time."""
    lines, lost = intake_lines(loaded)
    bound = rep.upper_bound
    head = f"{rep.placed} of {rep.requested} meetings placed ({rep.percent_placed:.1f}%"
    if bound:
        head += (
            f"; no timetable could place more than {bound} under these rules, so this is "
            f"{100 * rep.placed / bound:.1f}% of the best possible"
        )
    head += (
        "). No family, teacher or interpreter is in two places at once, and no meeting falls in "
        f"a break. Longest wait between meetings: {rep.worst_wait} minutes."
    )
    out = [head]
    missing = rep.requested - rep.placed
    if missing:
        lost += missing
        reasons = ", ".join(f"{n} {k}" for k, n in rep.reasons.most_common())
        out.append(
            f"{_plural(missing, 'meeting')} without a time ({reasons}); the fairness report "
            "below names each one and why. Fix: add time (a later end, shorter breaks), "
            "another interpreter, or arrange those meetings another way."
        )
        if rep.families_with_none:
            out.append(
                f"{_plural(rep.families_with_none, 'family', 'families')} "
                f"{'has' if rep.families_with_none == 1 else 'have'} no time at all: "
                "their letter, in their language, says the school will call them to arrange "
                "another time (they get no calendar file)."
            )
    out += lines
    out += letter_lines(loaded.instance)
    if len(out) > 1:
        return Outcome("warning", "Timetable ready, with things to check", out, lost)
    return Outcome("success", "Timetable ready", out, 0)


def letter_lines(inst: object) -> list[str]:
    """Amber lines about the letters' languages: translations not yet checked by a speaker, and
    families who get English because there is no letter in their language (nothing is lost, so
    these do not count as lost rows)."""
    from widgets.evening.letters import language_notes

    langs = [inst.families[f].language for f, rs in inst.family_requests().items() if rs]
    return language_notes(langs).lines()


def conflict_html(c: Conflict) -> str:
    """The rows of one family id side by side (every value from the upload escaped by the
    template ``evening/conflict.html``)."""
    vs: list[Household] = c.versions
    yes_no = {True: "yes", False: "no", None: "–"}
    lines = [
        ("Rows in the file", [", ".join(map(str, v.lines)) or "–" for v in vs]),
        ("Parent or carer", [v.parent_name or "–" for v in vs]),
        ("Children", [", ".join(v.children) for v in vs]),
        ("Email", [v.email or "–" for v in vs]),
        ("Home language", [v.home_language or "–" for v in vs]),
        ("Interpreter", [yes_no[v.interpreter] for v in vs]),
        ("Can come", [v.times for v in vs]),
        ("Teachers", [", ".join(v.teachers) for v in vs]),
    ]
    return render("evening/conflict.html", family_id=c.family_id, versions=vs, lines=lines)
