"""Thin view for the skills and capacity poster: tick what a parent offers, get matched roles."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.form import button, enable, failed_card, field, section_label, tick_grid
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.saving import guarded_load, save_answer, show_save
from widgets.skills import model as m
from widgets.skills.model import POSTER_ITEM, PROFILE_ITEM
from widgets.store import get_store
from widgets.ui import card, download_html, guarded, plain, show_message


def _ticks(choices: list[m.Choice], prefix: str) -> tuple[dict[str, ipw.Checkbox], ipw.GridBox]:
    return tick_grid([(c.label, c.id) for c in choices], f"pap-{prefix}")


def _ladder_html(matches: m.Matches, lib: m.RoleLibrary) -> str:
    ladder = [
        {"name": rung.name, "summary": rung.summary, "suggestions": sugg}
        for rung, sugg in m.by_rung(matches.suggestions, lib)
    ]
    return render("skills/ladder.html", ladder=ladder)


def skills_poster(module: str) -> ipw.VBox:
    """The capacity poster activity; the profile is saved as it changes, the poster on request."""
    try:
        lib = m.load_library()
    except Exception as exc:  # a broken role library: say so on the page
        return failed_card(exc, "The skills poster could not load")
    status, result, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    name = field(
        ipw.Text, "First name", cls="pap-skills-name", width="380px",
        placeholder="optional, or leave blank",
    )  # fmt: skip
    skills, skills_grid = _ticks(lib.skills, "skill")
    interests, interests_grid = _ticks(lib.interests, "interest")
    places, places_grid = _ticks(lib.places, "place")
    time = ipw.RadioButtons(
        options=[(t.label, t.id) for t in lib.times],
        value=None,
        disabled=True,
        layout=ipw.Layout(width="auto"),
    )
    time.add_class("pap-skills-time")
    other = field(
        ipw.Text, "Anything else", cls="pap-skills-other", placeholder="e.g. speaks Tamil, keeps bees"
    )
    inputs: list[ipw.ValueWidget] = [
        name,
        time,
        other,
        *skills.values(),
        *interests.values(),
        *places.values(),
    ]

    def _profile() -> m.Profile:
        return m.clean(
            {
                "name": name.value,
                "skills": [k for k, b in skills.items() if b.value],
                "interests": [k for k, b in interests.items() if b.value],
                "places": [k for k, b in places.items() if b.value],
                "time": time.value,
                "other": other.value,
            },
            lib,
        )

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        saved = m.clean(get_store().get(visitor.id, module, PROFILE_ITEM, default={}), lib)
        name.value, other.value = saved.name, saved.other
        time.value = saved.time or None
        for ids, boxes in (
            (saved.skills, skills),
            (saved.interests, interests),
            (saved.places, places),
        ):
            for k, b in boxes.items():
                b.value = k in ids

        @guarded(status)
        def _save(_c: dict) -> None:
            links.value = ""
            kept = "what you ticked and typed is still on the page; copy it somewhere safe"
            show_save(status, save_answer(module, PROFILE_ITEM, _profile().to_json(), kept=kept))

        enable(inputs, _save)

    go = button("Suggest roles and make the poster", "pap-skills-go", primary=True)

    @guarded(status)
    def _go(_b: ipw.Button) -> None:
        profile = _profile()
        matches = m.match(profile, lib)
        if not matches.ok:
            result.value = ""
            links.value = ""
            show_message(status, "\n".join(matches.problems), "warning")
            return
        result.value = _ladder_html(matches, lib)
        slug = (profile.name or "parent").lower().replace(" ", "-")
        links.value = download_html(
            m.poster_html(profile, matches, lib),
            f"skills-poster-{slug}.html",
            "Printable poster (web page)",
            "text/html",
        )
        saved = save_answer(
            module,
            POSTER_ITEM,
            {"profile": profile.to_json(), "roles": [s.role.id for s in matches.suggestions]},
            kept="the poster can still be downloaded below",
        )
        if saved.ok:
            show_save(
                status,
                saved,
                saved_text=f"{len(matches.suggestions)} roles suggested and the poster is saved "
                f"(at {saved.at:%H:%M:%S}). Open it and print it, or save it as a PDF from the "
                "browser.",
            )
        else:
            show_message(
                status,
                f"{len(matches.suggestions)} roles suggested.\n{saved.message}",
                "warning",
            )

    go.on_click(_go)
    result.add_class("pap-skills-result")
    when_known(_fill)

    _label = section_label

    return card(
        [
            plain(
                "Fill this in with a parent, or for yourself to try it. Tick what they can "
                "offer; the suggestions come from the school's role library."
            ),
            name,
            _label("Skills"),
            skills_grid,
            _label("Interests"),
            interests_grid,
            _label("Time available"),
            time,
            _label("Where they can help"),
            places_grid,
            other,
            go,
            status,
            result,
            links,
        ],
        title="Skills and capacity poster",
    )
