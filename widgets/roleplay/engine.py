"""Plays a scenario: state, branching, history and the rubric tally. Deterministic, no widgets."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from widgets.exports import csv_text
from widgets.roleplay.schema import STATE_VARS, Choice, Rubric, Scenario, Scene, holds

STATE_MIN, STATE_MAX = 0, 100


@dataclass(frozen=True)
class Step:
    scene_id: str
    parent_says: str
    choice_id: str
    said: str
    feedback: str
    shows: tuple[str, ...]
    breaks: tuple[str, ...]
    state_after: dict[str, int]


@dataclass
class Play:
    scenario: Scenario
    state: dict[str, int] = field(default_factory=dict)
    scene_id: str = ""
    history: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.state:
            self.state = {v: self.scenario.start_state.get(v, 50) for v in STATE_VARS}
        if not self.scene_id:
            self.scene_id = self.scenario.start

    @property
    def scene(self) -> Scene:
        return self.scenario.scene(self.scene_id)

    @property
    def over(self) -> bool:
        return self.scene.ending is not None

    def choices(self) -> list[Choice]:
        """Choices offered now (some appear only when the state allows them)."""
        return [c for c in self.scene.choices if holds(c.only_if, self.state)]

    def choose(self, choice_id: str) -> Step:
        if self.over:
            raise ValueError("the conversation has ended")
        choice = next((c for c in self.choices() if c.id == choice_id), None)
        if choice is None:
            raise ValueError(f"{choice_id!r} is not a choice in scene {self.scene_id!r}")
        for var, delta in choice.effects.items():
            self.state[var] = max(STATE_MIN, min(STATE_MAX, self.state[var] + delta))
        step = Step(
            self.scene_id,
            self.scene.text,
            choice.id,
            choice.say,
            choice.feedback,
            tuple(choice.shows),
            tuple(choice.breaks),
            dict(self.state),
        )
        self.history.append(step)
        self.scene_id = next(
            (b.goto for b in choice.branches if holds(b.when, self.state)), choice.next
        )
        return step

    @classmethod
    def replay(cls, scenario: Scenario, choice_ids: list[str]) -> Play:
        """Rebuild a play from its saved choices (how attempts are stored and compared)."""
        p = cls(scenario)
        for cid in choice_ids:
            p.choose(cid)
        return p

    @property
    def choice_ids(self) -> list[str]:
        return [s.choice_id for s in self.history]


@dataclass(frozen=True)
class BehaviourResult:
    id: str
    name: str
    look_for: str
    shown: int
    broken: int

    @property
    def verdict(self) -> str:
        if self.shown and not self.broken:
            return "shown"
        if self.broken and not self.shown:
            return "missed"
        if self.shown and self.broken:
            return "mixed"
        return "not tested"


def tally(history: list[Step], rubric: Rubric) -> list[BehaviourResult]:
    return [
        BehaviourResult(
            b.id,
            b.name,
            b.look_for,
            sum(b.id in s.shows for s in history),
            sum(b.id in s.breaks for s in history),
        )
        for b in rubric.behaviours
    ]


def score(history: list[Step]) -> tuple[int, int]:
    """(behaviours shown, behaviours broken) so far: the running score."""
    return sum(len(s.shows) for s in history), sum(len(s.breaks) for s in history)


def score_percent(history: list[Step]) -> int | None:
    shown, broken = score(history)
    return round(100 * shown / (shown + broken)) if shown + broken else None


# -- transcripts -------------------------------------------------------------------------------


def transcript_markdown(play: Play, rubric: Rubric) -> str:
    sc = play.scenario
    lines = [f"# Role-play: {sc.title}", "", f"*{sc.setting}*", ""]
    for i, s in enumerate(play.history, 1):
        lines += [
            f"**{sc.persona.name}:** {s.parent_says.strip()}",
            "",
            f"**You ({i}):** {s.said}",
            "",
            f"> {s.feedback}",
            "",
        ]
    if play.over:
        lines += [f"**Ending:** {play.scene.ending.title}: {play.scene.text.strip()}", ""]
    lines += ["## Debrief", "", "| Behaviour | Shown | Broken | Verdict |", "|---|---|---|---|"]
    lines += [
        f"| {r.name} | {r.shown} | {r.broken} | {r.verdict} |" for r in tally(play.history, rubric)
    ]
    return "\n".join(lines) + "\n"


def transcript_csv(play: Play) -> str:
    return csv_text(
        ["step", "scene", "parent_says", "you_said", "feedback", "shows", "breaks", *STATE_VARS],
        (
            [
                i,
                s.scene_id,
                s.parent_says.strip(),
                s.said,
                s.feedback,
                ";".join(s.shows),
                ";".join(s.breaks),
                *(s.state_after[v] for v in STATE_VARS),
            ]
            for i, s in enumerate(play.history, 1)
        ),
    )


def transcript_html(play: Play, rubric: Rubric) -> str:
    esc = html.escape
    sc = play.scenario
    turns = "".join(
        f"<p class='parent'><b>{esc(sc.persona.name)}:</b> {esc(s.parent_says.strip())}</p>"
        f"<p class='you'><b>You:</b> {esc(s.said)}</p><p class='fb'>{esc(s.feedback)}</p>"
        for s in play.history
    )
    end = (
        f"<h2>Ending: {esc(play.scene.ending.title)}</h2><p>{esc(play.scene.text.strip())}</p>"
        if play.over
        else ""
    )
    rows = "".join(
        f"<tr><td>{esc(r.name)}</td><td>{r.shown}</td><td>{r.broken}</td>"
        f"<td>{esc(r.verdict)}</td></tr>"
        for r in tally(play.history, rubric)
    )
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>{esc(sc.title)}</title><style>body{{font-family:system-ui,sans-serif;max-width:46em;"
        "margin:2em auto}.you{background:#e8f1fb;padding:4px 8px}.fb{color:#57606a;font-style:italic}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}</style>"
        f"<h1>{esc(sc.title)}</h1><p><em>{esc(sc.setting)}</em></p>{turns}{end}"
        f"<h2>Debrief</h2><table><tr><th>Behaviour</th><th>Shown</th><th>Broken</th><th>Verdict</th></tr>"
        f"{rows}</table></html>"
    )


# -- comparing attempts and group distributions ------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    """One decision point, with what each attempt said there (None if it never got there)."""

    scene_id: str
    parent_says: str
    a: Step | None
    b: Step | None


def compare(a: Play, b: Play) -> list[CompareRow]:
    """Line up two attempts by the scenes they passed through, in the scenario's own order.

    Scenes are matched by id, not by step number, so two attempts that branched apart still line
    up where they meet again.
    """
    a_by = {s.scene_id: s for s in a.history}
    b_by = {s.scene_id: s for s in b.history}
    order = [s.id for s in a.scenario.scenes if s.id in a_by or s.id in b_by]
    return [
        CompareRow(sid, a.scenario.scene(sid).text.strip(), a_by.get(sid), b_by.get(sid))
        for sid in order
    ]


@dataclass(frozen=True)
class DecisionCounts:
    """How a group chose at one scene; ``counts`` is None when too few people reached it."""

    scene_id: str
    parent_says: str
    reached: int
    counts: list[tuple[str, int]] | None


def choice_distribution(
    scenario: Scenario, attempts: list[list[str]], min_group: int = 5
) -> list[DecisionCounts]:
    """Counts of each choice at each decision scene over attempts (each a list of choice ids).

    Attempts that no longer replay (the scenario was edited since) are left out rather than
    counted wrongly. Scenes reached by fewer than ``min_group`` attempts are suppressed.
    """
    tallies: dict[str, dict[str, int]] = {}
    for ids in attempts:
        try:
            play = Play.replay(scenario, ids)
        except ValueError:
            continue
        for s in play.history:
            tallies.setdefault(s.scene_id, {})
            tallies[s.scene_id][s.choice_id] = tallies[s.scene_id].get(s.choice_id, 0) + 1
    out = []
    for scene in scenario.scenes:
        if not scene.choices or scene.id not in tallies:
            continue
        t = tallies[scene.id]
        reached = sum(t.values())
        counts = [(c.say, t.get(c.id, 0)) for c in scene.choices]
        out.append(
            DecisionCounts(
                scene.id, scene.text.strip(), reached, counts if reached >= min_group else None
            )
        )
    return out
