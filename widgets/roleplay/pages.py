"""The role-play page's HTML pieces, each from a template in ``widgets/templates/roleplay/``.

Why apart from the view: the view only lays out widgets and wires clicks; what a persona card,
the conversation log, the score, the debrief and a comparison show is decided here from the
engine's plain data and drawn by templates (which escape every word a scenario or a participant
wrote). Tested without a kernel.
"""

from __future__ import annotations

from widgets.html import Markup, render
from widgets.roleplay.engine import (
    Play,
    compare,
    ending_text,
    persona_rows,
    score,
    score_percent,
    score_text,
    tally,
    verdict,
)
from widgets.roleplay.schema import STATE_VARS, Scenario, load_rubric

STATE_LABELS = {"trust": "Trust", "clarity": "Clarity", "partnership": "Partnership"}
OUTCOME = {
    "good": ("#dafbe1", "A good ending"),
    "mixed": ("#fff8c5", "A mixed ending"),
    "poor": ("#ffebe9", "A poor ending"),
}
VERDICT_CHIP = {
    "shown": ("pap-chip-shown", "✓ shown"),
    "missed": ("pap-chip-missed", "✗ missed"),
    "mixed": ("pap-chip-mixed", "± mixed"),
    "not tested": ("pap-chip-not", "not tested here"),
}


def style_html() -> str:
    return render("roleplay/style.html")


def persona_html(sc: Scenario, *, with_summary: bool = False) -> str:
    return render(
        "roleplay/persona.html",
        summary=sc.summary if with_summary else "",
        title=sc.title,
        setting=sc.setting,
        rows=persona_rows(sc),
    )


def meters_html(state: dict[str, int]) -> str:
    return render(
        "roleplay/meters.html", meters=[(STATE_LABELS[v], state[v]) for v in STATE_VARS]
    )


def log_html(play: Play, names: dict[str, str]) -> str:
    return render(
        "roleplay/log.html", who=play.scenario.persona.name, steps=play.history, names=names
    )


def scene_html(play: Play) -> str:
    return render(
        "roleplay/scene.html", who=play.scenario.persona.name, text=play.scene.text.strip()
    )


def score_html(play: Play) -> str:
    """The running score while talking; once it has ended, the verdict (read with the ending)."""
    shown, broken = score(play.history)
    outcome = OUTCOME[verdict(play).outcome][1] if play.over else ""
    pct = None if play.over else score_percent(play.history)
    return render("roleplay/score.html", outcome=outcome, shown=shown, broken=broken, pct=pct)


def debrief_html(play: Play) -> str:
    end = play.scene.ending
    colour, label = OUTCOME[end.outcome]
    return render(
        "roleplay/debrief.html",
        colour=colour,
        label=label,
        ending=end,
        text=play.scene.text.strip(),
        verdict=verdict(play),
        rows=tally(play.history, load_rubric()),
        chip=VERDICT_CHIP,
    )


def compare_html(a: Play, b: Play, label_a: str, label_b: str) -> str:
    return render(
        "roleplay/compare.html",
        names={x.id: x.name for x in load_rubric().behaviours},
        rows=compare(a, b),
        label_a=label_a,
        label_b=label_b,
        ending_a=ending_text(a),
        ending_b=ending_text(b),
        score_a=score_text(a),
        score_b=score_text(b),
    )


def downloads_html(links: str) -> str:
    """The download buttons (HTML the kit made) under "Keep a copy of this conversation"."""
    return render("roleplay/downloads_intro.html", links=Markup(links))
