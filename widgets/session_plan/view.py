"""Thin view for the parent-led session planner: timed agenda, materials, room, printable plan."""

from __future__ import annotations

import ipywidgets as ipw
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from widgets.form import badge_html, button, enable, failed_card, field, section_label, sr_label
from widgets.identity import Visitor, when_known
from widgets.saving import guarded_load, save_answer, show_save
from widgets.session_plan import model as m
from widgets.store import get_store
from widgets.ui import UserFacingError, card, download_html, guarded, show_message, text_html

ITEM = "session-plan:plan"
_UNSET = "— choose —"


def session_planner(module: str) -> ipw.VBox:
    """Plan a parent-led session; the agenda total is checked live and the plan is saved."""
    try:
        opts = m.load_options()
    except Exception as exc:
        return failed_card(exc, "The planner could not load")
    plan = m.parse_plan({}, opts)
    status, total, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    total.add_class("pap-plan-total")
    ready = {"on": False}
    title = field(
        ipw.Text, "Title", cls="pap-plan-title", placeholder="e.g. Reading at home in two languages"
    )
    presenters = field(ipw.Text, "Led by", placeholder="first names of the parent leads")
    audience = field(
        ipw.Dropdown, "For", cls="pap-plan-audience", width="420px",
        options=[_UNSET, *opts.audiences], value=_UNSET,
    )  # fmt: skip
    length = ipw.ToggleButtons(
        options=[(f"{n} minutes", n) for n in opts.lengths], value=opts.lengths[0], disabled=True
    )
    length.add_class("pap-plan-length")
    blocks_box = ipw.VBox([])
    mats = {
        x: ipw.Checkbox(
            description=x, value=False, indent=False, disabled=True, layout=ipw.Layout(width="auto")
        )
        for x in opts.materials
    }
    other_mats = field(ipw.Text, "Other", placeholder="other materials, separated by commas")
    room = field(
        ipw.Dropdown, "Room", cls="pap-plan-room", width="420px",
        options=[(_UNSET, "")] + [(r.label, r.id) for r in opts.rooms], value="",
    )  # fmt: skip
    room_help = ipw.HTML()
    room_notes = ipw.Textarea(
        placeholder="Room notes: where the screen is, access, childcare room",
        disabled=True,
        layout=ipw.Layout(width="100%", height="4em"),
    )
    sr_label(room_notes, "Room notes")

    def _refresh_total() -> None:
        ok, msg = m.timing_message(plan)
        total.value = badge_html(msg, "ok" if ok else "warning", "✅" if ok else "⏱️")
        r = opts.room(room.value)
        room_help.value = (
            text_html(f"Good for {r.good_for}.", "small", style="color:#57606a")
            if r and r.good_for
            else ""
        )

    def _save() -> bool:
        """Save the plan and say so; False (with the cause shown) if it was not saved."""
        _refresh_total()
        if not ready["on"]:
            return False
        links.value = ""
        result = save_answer(module, ITEM, plan.to_json())
        show_save(status, result)
        return result.ok

    # Layout and style models shared by every agenda row: fewer models, faster page.
    lay = {
        "name": ipw.Layout(width="46%"),
        "mins": ipw.Layout(width="80px"),
        "lead": ipw.Layout(width="30%"),
        "drop": ipw.Layout(width="40px"),
        "unit": ipw.Layout(width="30px"),
        "row": ipw.Layout(),
    }
    text_style, num_style, html_style = TextStyle(), DescriptionStyle(), HTMLStyle()
    drop_style = ButtonStyle()

    def _render_blocks() -> None:
        rows = []
        for i, b in enumerate(plan.blocks):
            name = ipw.Text(
                value=b.name, placeholder="what happens", layout=lay["name"], style=text_style
            )
            name.add_class("pap-plan-block-name")
            sr_label(name, f"Block {i + 1}: what happens")
            mins = ipw.BoundedIntText(
                value=b.minutes, min=0, max=600, layout=lay["mins"], style=num_style,
                description=f"Block {i + 1}: minutes",
            )
            mins.add_class("pap-plan-block-min")
            mins.add_class("pap-label-sr")  # "min" is shown after the box
            lead = ipw.Text(
                value=b.lead, placeholder="who leads", layout=lay["lead"], style=text_style
            )
            sr_label(lead, f"Block {i + 1}: who leads")
            # a text mark, not an icon: icon fonts come from a CDN and are missing offline
            drop = ipw.Button(
                description="✕",
                tooltip="Remove this block",
                layout=lay["drop"],
                style=drop_style,
            )

            @guarded(status)
            def _changed(_c: dict, i: int = i, name=name, mins=mins, lead=lead) -> None:
                plan.blocks[i] = m.AgendaItem(
                    name.value[: m.MAX_TEXT], int(mins.value or 0), lead.value[: m.MAX_TEXT]
                )
                _save()

            @guarded(status)
            def _drop(_b: ipw.Button, i: int = i) -> None:
                del plan.blocks[i]
                _render_blocks()
                _save()

            for w in (name, mins, lead):
                w.observe(_changed, names="value")
            drop.on_click(_drop)
            unit = ipw.HTML("min", layout=lay["unit"], style=html_style)
            rows.append(ipw.HBox([name, mins, unit, lead, drop], layout=lay["row"]))
        blocks_box.children = rows

    add = ipw.Button(description="+ Add a block", layout=ipw.Layout(width="auto"))
    starter = ipw.Button(
        description="Start from the suggested agenda", layout=ipw.Layout(width="auto")
    )

    @guarded(status)
    def _add(_b: ipw.Button) -> None:
        if len(plan.blocks) >= m.MAX_BLOCKS:
            raise UserFacingError(f"Keep the agenda to {m.MAX_BLOCKS} blocks or fewer.")
        plan.blocks.append(m.AgendaItem("", 5, ""))
        _render_blocks()
        _save()

    @guarded(status)
    def _starter(_b: ipw.Button) -> None:
        plan.blocks = [m.AgendaItem(b.name, b.minutes, b.lead) for b in opts.starter(plan.length)]
        _render_blocks()
        if _save():
            show_message(
                status, f"The suggested {plan.length}-minute agenda is in. Change any of it."
            )

    add.on_click(_add)
    starter.on_click(_starter)

    def _materials_from_widgets() -> list[str]:
        chosen = [x for x, cb in mats.items() if cb.value]
        extra = [s.strip() for s in other_mats.value.split(",") if s.strip()]
        return (chosen + extra)[:30]

    @guarded(status)
    def _fields(_c: dict) -> None:
        plan.title = title.value[: m.MAX_TEXT]
        plan.presenters = presenters.value[: m.MAX_TEXT]
        plan.audience = "" if audience.value == _UNSET else audience.value
        plan.length = length.value
        plan.materials = _materials_from_widgets()
        plan.room = room.value
        plan.room_notes = room_notes.value[: m.MAX_LONG]
        _save()

    field_widgets = [
        title,
        presenters,
        audience,
        length,
        *mats.values(),
        other_mats,
        room,
        room_notes,
    ]

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        saved = get_store().get(visitor.id, module, ITEM, default=None)
        if saved is not None:
            p = m.parse_plan(saved, opts)
            plan.__dict__.update(p.__dict__)
        title.value, presenters.value = plan.title, plan.presenters
        audience.value = plan.audience or _UNSET
        length.value = plan.length
        for x, cb in mats.items():
            cb.value = x in plan.materials
        other_mats.value = ", ".join(x for x in plan.materials if x not in mats)
        room.value, room_notes.value = plan.room, plan.room_notes
        _render_blocks()
        enable(field_widgets, _fields)
        ready["on"] = True
        _refresh_total()

    make = button("Make the printable plan", "pap-plan-make", primary=True)

    @guarded(status)
    def _make(_b: ipw.Button) -> None:
        found = m.problems(plan, opts)
        if found:
            raise UserFacingError("Before printing:\n• " + "\n• ".join(found))
        slug = "".join(c if c.isalnum() else "-" for c in plan.title.lower()).strip("-")[:40]
        links.value = download_html(
            m.plan_html(plan, opts),
            f"session-plan-{slug or 'plan'}.html",
            "Printable plan",
            "text/html",
        )
        saved = save_answer(
            module,
            ITEM + ":made",
            {"title": plan.title},
            kept="the printable plan can still be downloaded below",
        )
        if saved.ok:
            show_message(status, "Your plan is ready. Share it with your staff partner.", "success")
        else:
            show_message(status, f"Your plan is ready to download.\n{saved.message}", "warning")

    make.on_click(_make)
    _render_blocks()
    _refresh_total()
    when_known(_fill)

    def _label(text: str) -> ipw.HTML:
        return section_label(text, "10px 0 2px")

    mats_grid = ipw.GridBox(
        list(mats.values()),
        layout=ipw.Layout(grid_template_columns="repeat(auto-fill, minmax(320px, 1fr))"),
    )
    return card(
        [
            title,
            presenters,
            audience,
            _label("Session length"),
            length,
            _label("Agenda (minutes must add up to the session length)"),
            blocks_box,
            ipw.HBox([add, starter]),
            total,
            _label("Materials"),
            mats_grid,
            other_mats,
            _label("Room set-up"),
            room,
            room_help,
            room_notes,
            make,
            status,
            links,
        ],
        title="Session planner",
    )
