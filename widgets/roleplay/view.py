"""The role-play player: pick a scenario, talk it through, get a debrief, compare attempts.

Every attempt is saved as it goes (``roleplay:<scenario>:<attempt>``, see ``attempts``), so a
reload brings back the last conversation, finished (with its debrief) or not, and a facilitator
can show how the group chose at each decision. Options are shown in the attempt's own shuffled
order; everything is saved by choice id.
"""

from __future__ import annotations

from datetime import UTC, datetime

import ipywidgets as ipw

from widgets.datasets import DatasetError
from widgets.identity import Visitor, when_known
from widgets.reflection.model import clean_text, item_key
from widgets.roleplay.attempts import (
    ITEM_PREFIX,
    MODULE,
    attempt_item,
    attempt_number,
    attempt_record,
    attempt_seed,
    last_played,
    latest,
    restore,
)
from widgets.roleplay.engine import (
    Play,
    compare,
    score,
    score_percent,
    tally,
    transcript_csv,
    transcript_html,
    transcript_markdown,
    verdict,
)
from widgets.roleplay.schema import STATE_VARS, Scenario, load_rubric, load_scenario, scenario_names
from widgets.store import get_store
from widgets.ui import card, download_html, esc, esc_multiline, guarded, message, show_message

__all__ = ["ITEM_PREFIX", "MODULE", "attempt_item", "roleplay"]

_CSS = """<style>
.pap-choice.jupyter-button{height:auto;white-space:normal;text-align:left;line-height:1.4;
  padding:8px 12px;margin:4px 0;width:100%;background:#f6f8fa;border:1px solid #d0d7de;
  border-radius:6px;color:#1b1f24}
.pap-choice.jupyter-button:hover{background:#e8f1fb;border-color:#1f5fa8}
.pap-rp-log p{margin:4px 0}
.pap-rp-parent{background:#fff8e6;border-left:4px solid #d4a017;padding:6px 10px;margin:6px 0}
.pap-rp-you{background:#e8f1fb;border-left:4px solid #1f5fa8;padding:6px 10px;margin:6px 0 0 2em}
.pap-rp-fb{color:#444c56;font-style:italic;margin:2px 0 8px 2em;font-size:0.95em}
.pap-chip{display:inline-block;border-radius:10px;padding:0 8px;margin:0 4px 0 0;font-size:0.85em;
  font-style:normal}
.pap-chip-shown{background:#dafbe1;color:#116329}.pap-chip-missed{background:#ffebe9;color:#a40e26}
.pap-chip-mixed{background:#fff8c5;color:#7d4e00}.pap-chip-not{background:#eaeef2;color:#57606a}
.pap-meter{display:flex;align-items:center;gap:8px;margin:2px 0;font-size:0.92em}
.pap-meter .bar{flex:1;background:#eaeef2;border-radius:4px;height:10px;max-width:16em}
.pap-meter .fill{height:10px;border-radius:4px;background:#1f5fa8}
.pap-debrief table{border-collapse:collapse;width:100%}
.pap-debrief td,.pap-debrief th{border-bottom:1px solid #d0d7de;padding:5px 8px;text-align:left;
  vertical-align:top}
.pap-compare table{border-collapse:collapse;width:100%;table-layout:fixed}
.pap-compare td,.pap-compare th{border:1px solid #d0d7de;padding:5px 8px;vertical-align:top}
</style>"""

_STATE_LABELS = {"trust": "Trust", "clarity": "Clarity", "partnership": "Partnership"}
_OUTCOME = {
    "good": ("#dafbe1", "A good ending"),
    "mixed": ("#fff8c5", "A mixed ending"),
    "poor": ("#ffebe9", "A poor ending"),
}
_VERDICT_CHIP = {
    "shown": ("pap-chip-shown", "✓ shown"),
    "missed": ("pap-chip-missed", "✗ missed"),
    "mixed": ("pap-chip-mixed", "± mixed"),
    "not tested": ("pap-chip-not", "not tested here"),
}


def persona_html(sc: Scenario) -> str:
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
    body = "".join(
        f"<tr><th style='text-align:left;padding:2px 10px 2px 0;vertical-align:top;"
        f"white-space:nowrap'>{esc(k)}</th><td>{esc(v)}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div class='pap-persona'><p style='margin:0 0 4px'><b>{esc(sc.title)}</b> · "
        f"<i>{esc(sc.setting)}</i></p><table style='font-size:0.95em'>{body}</table></div>"
    )


def meters_html(state: dict[str, int]) -> str:
    return "".join(
        f"<div class='pap-meter'><span style='width:7em'>{_STATE_LABELS[v]}</span>"
        f"<div class='bar'><div class='fill' style='width:{state[v]}%'></div></div>"
        f"<span>{state[v]}</span></div>"
        for v in STATE_VARS
    )


def _chips(step_shows: tuple[str, ...], step_breaks: tuple[str, ...], names: dict[str, str]) -> str:
    return "".join(
        f"<span class='pap-chip pap-chip-shown'>✓ {esc(names.get(b, b))}</span>" for b in step_shows
    ) + "".join(
        f"<span class='pap-chip pap-chip-missed'>✗ {esc(names.get(b, b))}</span>"
        for b in step_breaks
    )


def log_html(play: Play, names: dict[str, str]) -> str:
    who = esc(play.scenario.persona.name)
    parts = []
    for s in play.history:
        parts.append(
            f"<div class='pap-rp-parent'><b>{who}:</b> {esc_multiline(s.parent_says.strip())}</div>"
        )
        if s.own_words:
            parts.append(
                f"<div class='pap-rp-fb pap-rp-own'>Your own words first: "
                f"“{esc_multiline(s.own_words)}”</div>"
            )
        parts.append(f"<div class='pap-rp-you'><b>You:</b> {esc(s.said)}</div>")
        parts.append(
            f"<div class='pap-rp-fb'>{esc(s.feedback)}<br>{_chips(s.shows, s.breaks, names)}</div>"
        )
    return f"<div class='pap-rp-log'>{''.join(parts)}</div>"


def score_html(play: Play) -> str:
    """The running score while talking; once it has ended, the verdict (read with the ending)."""
    shown, broken = score(play.history)
    if play.over:
        v = verdict(play)
        return (
            f"<p class='pap-rp-score' style='margin:4px 0'><b>{_OUTCOME[v.outcome][1]}.</b> "
            f"<span class='pap-chip pap-chip-shown'>{shown} shown</span>"
            f"<span class='pap-chip pap-chip-missed'>{broken} missed</span></p>"
        )
    pct = score_percent(play.history)
    pct_txt = f" · {pct}% of the behaviours you touched were shown" if pct is not None else ""
    return (
        f"<p class='pap-rp-score' style='margin:4px 0'><b>Running score:</b> "
        f"<span class='pap-chip pap-chip-shown'>{shown} shown</span>"
        f"<span class='pap-chip pap-chip-missed'>{broken} missed</span>{esc(pct_txt)}</p>"
    )


def debrief_html(play: Play) -> str:
    rubric = load_rubric()
    end = play.scene.ending
    v = verdict(play)
    colour, label = _OUTCOME[end.outcome]
    rows = "".join(
        f"<tr><td><b>{esc(r.name)}</b><br><span style='color:#57606a;font-size:0.9em'>"
        f"{esc(r.look_for)}</span></td><td><span class='pap-chip {_VERDICT_CHIP[r.verdict][0]}'>"
        f"{_VERDICT_CHIP[r.verdict][1]}</span></td><td>{r.shown}</td><td>{r.broken}</td></tr>"
        for r in tally(play.history, rubric)
    )
    return (
        f"<div class='pap-debrief'><div style='background:{colour};padding:8px 12px;"
        f"border-radius:6px;margin:6px 0'><b>{label}: {esc(end.title)}</b><br>"
        f"{esc_multiline(play.scene.text.strip())}"
        f"<p class='pap-rp-verdict' style='margin:6px 0 0'>{esc(v.summary)} "
        f"<span class='pap-chip pap-chip-shown'>{v.shown} shown</span>"
        f"<span class='pap-chip pap-chip-missed'>{v.broken} missed</span></p></div>"
        "<h4 style='margin:10px 0 4px'>Debrief, behaviour by behaviour</h4>"
        "<table><tr><th>Behaviour and what to look for</th><th>Verdict</th><th>Shown</th>"
        f"<th>Missed</th></tr>{rows}</table></div>"
    )


def compare_html(a: Play, b: Play, label_a: str, label_b: str) -> str:
    names = {x.id: x.name for x in load_rubric().behaviours}

    def cell(step) -> str:
        if step is None:
            return "<td style='color:#8c959f'>did not reach this point</td>"
        return f"<td>{esc(step.said)}<br>{_chips(step.shows, step.breaks, names)}</td>"

    rows = "".join(
        f"<tr><td style='color:#57606a'>{esc(r.parent_says[:160])}</td>{cell(r.a)}{cell(r.b)}</tr>"
        for r in compare(a, b)
    )

    def ending(p: Play) -> str:
        if not p.over:
            return "not finished"
        return f"{p.scene.ending.title} ({p.scene.ending.outcome})"

    def sc(p: Play) -> str:
        s, br = score(p.history)
        return f"{s} shown, {br} missed"

    return (
        "<div class='pap-compare'><table><tr><th>The parent said</th>"
        f"<th>{esc(label_a)}</th><th>{esc(label_b)}</th></tr>{rows}"
        f"<tr><th>Ending</th><td>{esc(ending(a))}</td><td>{esc(ending(b))}</td></tr>"
        f"<tr><th>Score</th><td>{sc(a)}</td><td>{sc(b)}</td></tr></table></div>"
    )


def roleplay(module: str = MODULE) -> ipw.VBox:
    """The whole role-play activity: picker, conversation, debrief, downloads and comparison."""
    status = ipw.HTML()
    names = scenario_names()
    scenarios: dict[str, Scenario] = {}
    problems: list[str] = []
    for n in names:
        try:
            scenarios[n] = load_scenario(n)
        except DatasetError as exc:
            problems.append(exc.plain())
    rubric_names = {b.id: b.name for b in load_rubric().behaviours}

    picker = ipw.Dropdown(
        options=[(sc.title, n) for n, sc in scenarios.items()],
        description="Scenario",
        layout=ipw.Layout(width="min(100%, 34em)"),
        style={"description_width": "5em"},
    )
    picker.add_class("pap-rp-picker")
    start = ipw.Button(description="Start this conversation", button_style="primary", disabled=True)
    start.layout = ipw.Layout(width="auto")
    start.add_class("pap-rp-start")
    preview = ipw.HTML()

    persona = ipw.HTML()
    meters = ipw.HTML()
    scorebar = ipw.HTML()
    log = ipw.HTML()
    scene = ipw.HTML()
    say_prompt = ipw.HTML()
    say_box = ipw.Textarea(
        placeholder="Type what you would say, in your own words, before you look at the options.",
        layout=ipw.Layout(width="100%", height="4.5em"),
    )
    say_box.add_class("pap-rp-say")
    say_area = ipw.VBox([say_prompt, say_box])
    choices = ipw.VBox(layout=ipw.Layout(width="100%"))
    debrief = ipw.HTML()
    downloads = ipw.HTML()
    again = ipw.Button(description="Play this scenario again", layout=ipw.Layout(width="auto"))
    compare_a = ipw.Dropdown(description="Attempt A", layout=ipw.Layout(width="min(100%, 30em)"))
    compare_b = ipw.Dropdown(description="Attempt B", layout=ipw.Layout(width="min(100%, 30em)"))
    compare_btn = ipw.Button(description="Compare side by side", layout=ipw.Layout(width="auto"))
    compare_out = ipw.HTML()
    compare_box = card(
        [
            ipw.HTML(
                "<p style='margin:0'>Pick two of your attempts at this scenario to see "
                "where you chose differently and what it changed.</p>"
            ),
            compare_a,
            compare_b,
            compare_btn,
            compare_out,
        ],
        title="Compare two attempts",
    )
    compare_box.add_class("pap-rp-compare-box")
    end_box = ipw.VBox([debrief, downloads, ipw.HBox([again]), compare_box])
    play_box = ipw.VBox(
        [persona, meters, scorebar, log, scene, say_area, choices, end_box],
        layout=ipw.Layout(display="none", width="100%"),
    )
    play_box.add_class("pap-rp-play")

    st: dict = {"visitor": None, "play": None, "attempt": 0}

    def _attempts(scenario_id: str) -> list[tuple[int, dict]]:
        v: Visitor | None = st["visitor"]
        if v is None:
            return []
        rows = get_store().answers(
            participant_id=v.id, module=module, item_prefix=f"{ITEM_PREFIX}{scenario_id}:"
        )
        out = []
        for r in rows:
            n = attempt_number(r.item)
            if n is not None and isinstance(r.value, dict):
                out.append((n, r.value))
        return sorted(out, key=lambda x: x[0])

    def _save() -> None:
        play: Play = st["play"]
        v: Visitor = st["visitor"]
        get_store().save(
            v.id,
            module,
            attempt_item(play.scenario.id, st["attempt"]),
            attempt_record(play, datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def _show_preview(_c: dict | None = None) -> None:
        sc = scenarios.get(picker.value)
        preview.value = (
            f"<p style='margin:6px 0'>{esc(sc.summary)}</p>{persona_html(sc)}" if sc else ""
        )

    @guarded(status)
    def _render() -> None:
        play: Play = st["play"]
        persona.value = persona_html(play.scenario)
        meters.value = meters_html(play.state)
        scorebar.value = score_html(play)
        log.value = log_html(play, rubric_names)
        if play.over:
            scene.value = ""
            say_area.layout.display = "none"
            choices.children = []
            debrief.value = debrief_html(play)
            _offer_downloads(play)
            end_box.layout.display = None
            _refresh_compare()
            return
        end_box.layout.display = "none"
        sc_now = play.scene
        scene.value = (
            f"<div class='pap-rp-parent pap-rp-now'><b>{esc(play.scenario.persona.name)}:</b> "
            f"{esc_multiline(sc_now.text.strip())}</div>"
        )
        if sc_now.reflect:
            say_prompt.value = f"<p style='margin:6px 0 2px'>✍️ <b>{esc(sc_now.reflect)}</b></p>"
            say_box.value = play.said.get(sc_now.id, "")
            say_area.layout.display = None
        else:
            say_area.layout.display = "none"
        buttons = []
        for c in play.offered():
            b = ipw.Button(description=c.say, tooltip=c.say)
            b.add_class("pap-choice")
            b.on_click(lambda _b, cid=c.id: _choose(cid))
            buttons.append(b)
        choices.children = [
            ipw.HTML("<p style='margin:8px 0 2px'><b>What do you say?</b></p>"),
            *buttons,
        ]

    def _offer_downloads(play: Play) -> None:
        rubric = load_rubric()
        stem = f"roleplay-{play.scenario.id}-attempt-{st['attempt']}"
        downloads.value = (
            "<p style='margin:8px 0 2px'>Keep a copy of this conversation:</p>"
            + download_html(
                transcript_html(play, rubric), f"{stem}.html", "Transcript (web page)", "text/html"
            )
            + download_html(
                transcript_markdown(play, rubric),
                f"{stem}.md",
                "Transcript (Markdown)",
                "text/markdown",
            )
            + download_html(transcript_csv(play), f"{stem}.csv", "Choices (CSV)", "text/csv")
        )

    @guarded(status)
    def _choose(choice_id: str) -> None:
        play: Play = st["play"]
        sc_now = play.scene
        own = clean_text(say_box.value).strip() if sc_now.reflect else ""
        if own:
            get_store().save(
                st["visitor"].id,
                module,
                item_key(f"say-{play.scenario.id}-{sc_now.id}"),
                {"prompt": f"{play.scenario.title}: {sc_now.reflect}", "text": own},
            )
        play.choose(choice_id, own)
        _save()
        status.value = ""
        _render()

    @guarded(status)
    def _start(_b=None, resume: bool = True, auto: bool = False) -> None:
        """Open the picked scenario: its last attempt as it was left, or a new attempt.

        ``auto`` is the reopen after a refresh: it shows a saved attempt or nothing at all.
        """
        sc = scenarios[picker.value]
        last = latest(_attempts(sc.id))
        restored = None
        if resume and last:
            try:
                restored = restore(sc, last[1])
            except ValueError:
                if auto:
                    return
                show_message(
                    status,
                    "Your last attempt at this scenario no longer fits it (the scenario has been "
                    "edited since), so a new attempt starts. The old one is still saved.",
                    "warning",
                )
        if restored is not None:
            st["play"], st["attempt"] = restored, last[0]
            show_message(
                status,
                "Your last conversation in this scenario, as you left it, with its debrief. "
                "Press “Play this scenario again” for a new attempt."
                if restored.over
                else "Your unfinished conversation was picked up where you left it.",
            )
        else:
            n = (last[0] + 1) if last else 1
            st["play"] = Play(sc, seed=attempt_seed(st["visitor"].id, sc.id, n))
            st["attempt"] = n
            if not (resume and last):
                status.value = ""
        play_box.layout.display = None
        _render()

    def _again(_b) -> None:
        _start(resume=False)

    def _refresh_compare() -> None:
        play: Play = st["play"]
        opts = []
        for n, rec in _attempts(play.scenario.id):
            if not rec.get("finished"):
                continue
            try:
                p = restore(play.scenario, rec)
            except ValueError:
                continue
            shown, broken = score(p.history)
            opts.append(
                (f"Attempt {n}: {p.scene.ending.title} ({shown} shown, {broken} missed)", n)
            )
        compare_a.options = opts
        compare_b.options = opts
        compare_box.layout.display = None if len(opts) >= 2 else "none"
        if len(opts) >= 2:
            compare_a.value = opts[-2][1]
            compare_b.value = opts[-1][1]
        compare_out.value = ""

    @guarded(status)
    def _compare(_b) -> None:
        play: Play = st["play"]
        recs = dict(_attempts(play.scenario.id))
        a = restore(play.scenario, recs[compare_a.value])
        b = restore(play.scenario, recs[compare_b.value])
        compare_out.value = compare_html(
            a, b, f"Attempt {compare_a.value}", f"Attempt {compare_b.value}"
        )

    def _fill(visitor: Visitor) -> None:
        st["visitor"] = visitor
        start.disabled = not scenarios
        # After a refresh, reopen the conversation this visitor last had, finished or not.
        rows = get_store().answers(
            participant_id=visitor.id, module=module, item_prefix=ITEM_PREFIX
        )
        last = last_played([(r.item, r.value) for r in rows])
        by_id = {sc.id: name for name, sc in scenarios.items()}
        if last in by_id and st["play"] is None:
            picker.value = by_id[last]
            _start(auto=True)

    picker.observe(_show_preview, names="value")
    start.on_click(_start)
    again.on_click(_again)
    compare_btn.on_click(_compare)
    _show_preview()
    when_known(_fill)

    top = [ipw.HTML(_CSS)]
    if problems:
        top.append(
            message(
                "Some scenario files could not be used and are left out:\n" + "\n".join(problems),
                "warning",
            )
        )
    pick_card = card([picker, preview, start], title="Choose a conversation")
    return ipw.VBox([*top, pick_card, status, play_box], layout=ipw.Layout(width="100%"))
