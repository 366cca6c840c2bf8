"""Plays a scenario: state, branching, history and the rubric tally. Deterministic, no widgets.

Two things make a play reproducible from what is saved: the choice ids (never their positions on
the page) and the seed that ordered the options. The options are shuffled per attempt so that the
best answer is not simply the first button; the seed is saved with the attempt, so a replay, a
restore after a refresh and the facilitator's group view all see the same conversation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from widgets.exports import csv_text
from widgets.html import render
from widgets.privacy import ROLEPLAY_MIN_GROUP, big_enough
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
    own_words: str = ""  # what the participant typed at a "What would you say?" prompt


@dataclass
class Play:
    scenario: Scenario
    state: dict[str, int] = field(default_factory=dict)
    scene_id: str = ""
    history: list[Step] = field(default_factory=list)
    seed: int | None = None  # orders the options; None keeps the file's order
    said: dict[str, str] = field(default_factory=dict)  # own words, by scene id

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

    def offered(self) -> list[Choice]:
        """The choices in the order this attempt shows them: shuffled by the attempt's seed.

        Seeded per scene, so re-drawing the page never reorders the buttons under the mouse.
        """
        options = self.choices()
        if self.seed is None:
            return options
        rng = random.Random(f"{self.seed}:{self.scenario.id}:{self.scene_id}")
        rng.shuffle(options)
        return options

    def choose(self, choice_id: str, own_words: str = "") -> Step:
        """Take a choice; ``own_words`` is what the participant typed first, kept in the record."""
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
            own_words.strip(),
        )
        if step.own_words:
            self.said[self.scene_id] = step.own_words
        self.history.append(step)
        self.scene_id = next(
            (b.goto for b in choice.branches if holds(b.when, self.state)), choice.next
        )
        return step

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        choice_ids: list[str],
        seed: int | None = None,
        said: dict[str, str] | None = None,
    ) -> Play:
        """Rebuild a play from its saved choices (how attempts are stored and compared).

        ``said`` (own words by scene id) is put back on the steps, and kept for a scene the
        play has reached but not yet answered, so nothing typed is lost on a restore.
        """
        p = cls(scenario, seed=seed)
        said = {str(k): str(v) for k, v in (said or {}).items() if str(v).strip()}
        for cid in choice_ids:
            p.choose(cid, said.get(p.scene_id, ""))
        if not p.over and said.get(p.scene_id):
            p.said[p.scene_id] = said[p.scene_id]
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


# -- the verdict: the score read together with the ending --------------------------------------

HIGH_FROM = 75  # a share of behaviours shown at or above this is a "high" verdict
LOW_BELOW = 50  # below this, a "low" one
_BANDS = ("low", "middle", "high")


def band(percent: int | None) -> str:
    """'high', 'middle' or 'low' for a share of behaviours shown ('low' when nothing was judged)."""
    if percent is None or percent < LOW_BELOW:
        return "low"
    return "high" if percent >= HIGH_FROM else "middle"


def verdict_conflict(outcome: str, percent: int | None) -> str | None:
    """Why a route's score disagrees with its ending, or None when they agree.

    The rule every scenario must keep: a poor ending never scores high (let alone perfect), a good
    ending never scores low, and a mixed ending is never perfect. When a route breaks it, the
    choices on it are missing the ``breaks`` (or ``shows``) that explain the ending.
    """
    b = band(percent)
    if outcome == "poor" and b == "high":
        return f"it ends poorly, yet {percent}% of the behaviours touched were shown"
    if outcome == "good" and b == "low":
        shown = "no behaviour was" if percent is None else f"only {percent}% of the behaviours were"
        return f"it ends well, yet {shown} shown"
    if outcome == "mixed" and percent == 100:
        return "it ends mixed, yet every behaviour touched was shown"
    return None


_VERDICT_TEXT = {
    ("good", "high"): "Your choices show why it went well: you showed the behaviours that build "
    "a partnership.",
    ("good", "middle"): "It went well, though some choices missed behaviours that matter. Look at "
    "the ✗ marks: in a harder conversation they would cost more.",
    ("mixed", "high"): "Many of the right behaviours, but the conversation did not fully land. "
    "Look at where trust dipped and at what was missing at the close.",
    ("mixed", "middle"): "Some choices helped and some missed. The ✗ marks show where the "
    "conversation turned.",
    ("mixed", "low"): "Most choices missed the behaviours below, and the conversation only just "
    "held. Replay it and try a different route at the ✗ marks.",
    ("poor", "middle"): "Some choices helped, but the ✗ marks show where the parent was lost.",
    ("poor", "low"): "Most choices missed the behaviours below. Replay it and try a different "
    "route at the ✗ marks.",
}


@dataclass(frozen=True)
class Verdict:
    """The debrief's headline: the ending first, then the score read in its light."""

    outcome: str
    title: str
    band: str
    shown: int
    broken: int
    percent: int | None

    @property
    def summary(self) -> str:
        return _VERDICT_TEXT[(self.outcome, self.band)]


def verdict(play: Play) -> Verdict:
    """The verdict of a finished play.

    The band comes from the score, held inside what the ending allows: a poor ending is never
    called high and a good one never low, even for a scenario whose choices disagree with its
    endings (``analysis.explore`` reports such a scenario as a problem to fix).
    """
    if not play.over:
        raise ValueError("the conversation has not ended yet")
    end = play.scene.ending
    shown, broken = score(play.history)
    pct = score_percent(play.history)
    b = band(pct)
    if end.outcome == "poor" and b == "high":
        b = "middle"
    if end.outcome == "good" and b == "low":
        b = "middle"
    return Verdict(end.outcome, end.title, b, shown, broken, pct)


# -- transcripts -------------------------------------------------------------------------------


def _md_quote(text: str) -> str:
    """Own words as a Markdown block quote, every line of it (a typed newline stays inside)."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def transcript_markdown(play: Play, rubric: Rubric) -> str:
    sc = play.scenario
    lines = [f"# Role-play: {sc.title}", "", f"*{sc.setting}*", ""]
    for i, s in enumerate(play.history, 1):
        lines += [f"**{sc.persona.name}:** {s.parent_says.strip()}", ""]
        if s.own_words:
            lines += [f"**Your own words ({i}):**", "", _md_quote(s.own_words), ""]
        lines += [f"**You ({i}):** {s.said}", "", f"*{s.feedback}*", ""]
    if play.over:
        v = verdict(play)
        lines += [
            f"**Ending ({v.outcome}):** {play.scene.ending.title}: {play.scene.text.strip()}",
            "",
            f"**Verdict:** {v.summary} ({v.shown} shown, {v.broken} missed)",
            "",
        ]
    lines += ["## Debrief", "", "| Behaviour | Shown | Broken | Verdict |", "|---|---|---|---|"]
    lines += [
        f"| {r.name} | {r.shown} | {r.broken} | {r.verdict} |" for r in tally(play.history, rubric)
    ]
    return "\n".join(lines) + "\n"


def transcript_csv(play: Play) -> str:
    return csv_text(
        [
            "step",
            "scene",
            "parent_says",
            "own_words",
            "choice",
            "you_said",
            "feedback",
            "shows",
            "breaks",
            *STATE_VARS,
        ],
        (
            [
                i,
                s.scene_id,
                s.parent_says.strip(),
                s.own_words,
                s.choice_id,
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
    """The conversation and its debrief as a printable page (the template escapes it)."""
    ending = verdict_ = None
    if play.over:
        verdict_ = verdict(play)
        ending = {"title": play.scene.ending.title, "text": play.scene.text.strip()}
    return render(
        "printable/roleplay_transcript.html",
        scenario=play.scenario,
        steps=play.history,
        ending=ending,
        verdict=verdict_,
        tally=tally(play.history, rubric),
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
class ChoiceCount:
    """How many chose one option, named by its id (its position differs between attempts)."""

    choice_id: str
    say: str
    n: int


@dataclass(frozen=True)
class DecisionCounts:
    """How a group chose at one scene; ``counts`` is None when too few people reached it."""

    scene_id: str
    parent_says: str
    reached: int
    counts: list[ChoiceCount] | None


def choice_distribution(
    scenario: Scenario, attempts: list[list[str]], min_group: int = ROLEPLAY_MIN_GROUP
) -> list[DecisionCounts]:
    """Counts of each choice at each decision scene over attempts (each a list of choice ids).

    Choices are counted by id and listed in the scenario file's order, whatever order each
    participant saw them in, so shuffled attempts add up. Attempts that no longer replay (the scenario was edited since) are left out rather than
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
        counts = [ChoiceCount(c.id, c.say, t.get(c.id, 0)) for c in scene.choices]
        out.append(
            DecisionCounts(
                scene.id, scene.text.strip(), reached, counts if big_enough(reached, min_group) else None
            )
        )
    return out


# -- what the page says about a scenario and an attempt (plain data; templates draw it) ---------


def persona_rows(sc: Scenario) -> list[tuple[str, str]]:
    """The persona card's rows: who, home language, context, concerns, own school days."""
    p = sc.persona
    rows = [
        ("Who", f"{p.name}, {p.relationship} of {p.child}"),
        (
            "Home language",
            p.home_language + (" (interpreter needed)" if p.interpreter_needed else ""),
        ),
        ("Context", p.context),
        ("Concerns", p.concerns),
    ]
    if p.past_school_experience:
        rows.append(("Their own school days", p.past_school_experience))
    return rows


def ending_text(p: Play) -> str:
    """How an attempt ended, for a comparison: its ending and outcome, or "not finished"."""
    if not p.over:
        return "not finished"
    return f"{p.scene.ending.title} ({p.scene.ending.outcome})"


def score_text(p: Play) -> str:
    shown, broken = score(p.history)
    return f"{shown} shown, {broken} missed"
