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
from widgets.form import sr_label
from widgets.identity import Visitor, when_known
from widgets.reflection.model import clean_text, item_key
from widgets.roleplay.attempts import (
    ITEM_PREFIX,
    MODULE,
    attempt_item,
    attempt_record,
    attempt_seed,
    finished_choices,
    last_played,
    latest,
    numbered_attempts,
    restore,
)
from widgets.roleplay.engine import Play, transcript_csv, transcript_html, transcript_markdown
from widgets.roleplay.pages import (
    compare_html,
    debrief_html,
    downloads_html,
    log_html,
    meters_html,
    persona_html,
    scene_html,
    score_html,
    style_html,
)
from widgets.roleplay.schema import Scenario, load_rubric, load_scenario, scenario_names
from widgets.saving import KEPT_CHOICES, SaveResult, save_answer, show_save
from widgets.store import get_store
from widgets.ui import card, download_html, guarded, message, plain, show_message, text_html

__all__ = ["ITEM_PREFIX", "MODULE", "attempt_item", "roleplay"]

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
    # Sent when the box loses focus, which a click on a choice does before the click itself
    # arrives: typed-as-you-go updates can still be queued in the browser behind a busy kernel
    # while the click overtakes them, and the kernel then reads half the words or none.
    say_box = ipw.Textarea(
        placeholder="Type what you would say, in your own words, before you look at the options.",
        layout=ipw.Layout(width="100%", height="4.5em"),
        continuous_update=False,
    )
    say_box.add_class("pap-rp-say")
    sr_label(say_box, "What you would say")
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
            plain(
                "Pick two of your attempts at this scenario to see "
                "where you chose differently and what it changed.",
                style="margin:0",
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
        [persona, meters, scorebar, log, scene, choices, end_box],
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
        return numbered_attempts([(r.item, r.value) for r in rows])

    def _save() -> SaveResult:
        play: Play = st["play"]
        v: Visitor = st["visitor"]
        result = save_answer(
            module,
            attempt_item(play.scenario.id, st["attempt"]),
            attempt_record(play, datetime.now(UTC).isoformat(timespec="seconds")),
            visitor=v,
            kept=KEPT_CHOICES,
        )
        return result

    def _show_preview(_c: dict | None = None) -> None:
        sc = scenarios.get(picker.value)
        preview.value = persona_html(sc, with_summary=True) if sc else ""

    @guarded(status)
    def _render() -> None:
        play: Play = st["play"]
        persona.value = persona_html(play.scenario)
        meters.value = meters_html(play.state)
        scorebar.value = score_html(play)
        log.value = log_html(play, rubric_names)
        if play.over:
            scene.value = ""
            choices.children = []
            debrief.value = debrief_html(play)
            _offer_downloads(play)
            end_box.layout.display = None
            _refresh_compare()
            return
        end_box.layout.display = "none"
        sc_now = play.scene
        scene.value = scene_html(play)
        if sc_now.reflect:
            say_prompt.value = text_html("", bold=sc_now.reflect, icon="✍️", style="margin:6px 0 2px")
            say_box.value = play.said.get(sc_now.id, "")
        buttons = []
        for c in play.offered():
            b = ipw.Button(description=c.say, tooltip=c.say)
            b.add_class("pap-choice")
            b.on_click(lambda _b, cid=c.id: _choose(cid))
            buttons.append(b)
        # The say box comes and goes in the same update as the scene's buttons, so it is never
        # on screen beside another scene's choices (a separate show/hide could arrive after them).
        choices.children = [
            *([say_area] if sc_now.reflect else []),
            plain("", bold="What do you say?", style="margin:8px 0 2px"),
            *buttons,
        ]

    def _offer_downloads(play: Play) -> None:
        rubric = load_rubric()
        stem = f"roleplay-{play.scenario.id}-attempt-{st['attempt']}"
        downloads.value = downloads_html(
            download_html(
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
            said = save_answer(
                module,
                item_key(f"say-{play.scenario.id}-{sc_now.id}"),
                {"prompt": f"{play.scenario.title}: {sc_now.reflect}", "text": own},
                visitor=st["visitor"],
            )
            if not said.ok:  # keep the words in the box and the conversation where it is
                show_save(status, said)
                return
        play.choose(choice_id, own)
        result = _save()
        status.value = ""
        _render()
        if not result.ok:  # the conversation goes on; the line says it is not being kept
            show_save(status, result)

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
        opts = finished_choices(play.scenario, _attempts(play.scenario.id))
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

    top = [ipw.HTML(style_html())]
    if problems:
        top.append(
            message(
                "Some scenario files could not be used and are left out:\n" + "\n".join(problems),
                "warning",
            )
        )
    pick_card = card([picker, preview, start], title="Choose a conversation")
    return ipw.VBox([*top, pick_card, status, play_box], layout=ipw.Layout(width="100%"))
