"""Thin view for the skills and capacity poster: tick what a parent offers, get matched roles."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.identity import Visitor, when_known
from widgets.saving import guarded_load, save_answer, show_save
from widgets.skills import model as m
from widgets.store import get_store
from widgets.ui import card, download_html, esc, guarded, message, plain_error, show_message

PROFILE_ITEM = "skills:profile"
POSTER_ITEM = "skills:poster"

# Wide enough that labels such as "Anything else" are not cut off.
LABEL_STYLE = {"description_width": "100px"}


def _ticks(choices: list[m.Choice], prefix: str) -> tuple[dict[str, ipw.Checkbox], ipw.GridBox]:
    boxes = {}
    for c in choices:
        cb = ipw.Checkbox(
            value=False,
            description=c.label,
            indent=False,
            disabled=True,
            layout=ipw.Layout(width="auto"),
        )
        cb.add_class(f"pap-{prefix}-{c.id}")
        boxes[c.id] = cb
    grid = ipw.GridBox(
        list(boxes.values()),
        layout=ipw.Layout(grid_template_columns="repeat(auto-fill, minmax(230px, 1fr))"),
    )
    return boxes, grid


def _ladder_html(matches: m.Matches, lib: m.RoleLibrary) -> str:
    rows = []
    for rung, sugg in m.by_rung(matches.suggestions, lib):
        on = bool(sugg)
        roles = "".join(
            f"<div style='margin:2px 0 4px'><b>{esc(s.role.title)}</b>: {esc(s.role.what)}"
            f"{' 🛡️ <i>screening and training first</i>' if s.role.check else ''}"
            f"<br><small style='color:#57606a'>{esc(s.reason)}</small></div>"
            for s in sugg
        )
        border = "#1e7b3c" if on else "#d0d7de"
        rows.append(
            f"<div style='border-left:6px solid {border};padding:2px 10px;margin:6px 0;"
            f"background:{'#f3faf5' if on else 'transparent'}'>"
            f"<b>{esc(rung.name)}</b> <small style='color:#57606a'>{esc(rung.summary)}</small>"
            f"{roles}</div>"
        )
    return "<div class='pap-ladder'>" + "".join(rows) + "</div>"


def skills_poster(module: str) -> ipw.VBox:
    """The capacity poster activity; the profile is saved as it changes, the poster on request."""
    try:
        lib = m.load_library()
    except Exception as exc:  # a broken role library: say so on the page
        return card([message(plain_error(exc), "error")], title="The skills poster could not load")
    status, result, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    name = ipw.Text(
        description="First name",
        style=LABEL_STYLE,
        placeholder="optional, or leave blank",
        disabled=True,
        layout=ipw.Layout(width="380px"),
    )
    name.add_class("pap-skills-name")
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
    other = ipw.Text(
        description="Anything else",
        style=LABEL_STYLE,
        placeholder="e.g. speaks Tamil, keeps bees",
        disabled=True,
        layout=ipw.Layout(width="100%"),
    )
    other.add_class("pap-skills-other")
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

        for w in inputs:
            w.observe(_save, names="value")
            w.disabled = False

    button = ipw.Button(
        description="Suggest roles and make the poster",
        button_style="primary",
        layout=ipw.Layout(width="auto"),
    )
    button.add_class("pap-skills-go")

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

    button.on_click(_go)
    result.add_class("pap-skills-result")
    when_known(_fill)

    def _label(text: str) -> ipw.HTML:
        return ipw.HTML(f"<div style='font-weight:600;margin:8px 0 2px'>{esc(text)}</div>")

    return card(
        [
            ipw.HTML(
                "<p>Fill this in with a parent, or for yourself to try it. Tick what they can "
                "offer; the suggestions come from the school's role library.</p>"
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
            button,
            status,
            result,
            links,
        ],
        title="Skills and capacity poster",
    )
