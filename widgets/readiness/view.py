"""Thin view for the volunteer readiness tracker: add roles, mark checks, see status, export."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.identity import Visitor, when_known
from widgets.readiness import model as m
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    esc,
    guarded,
    message,
    plain_error,
    show_message,
)

ITEM = "readiness:roles"
_BADGE = {
    m.READY: ("#e9f7ee", "#1e7b3c", "✅"),
    m.IN_HAND: ("#fff6e0", "#8a5a00", "⏳"),
    m.NOT_STARTED: ("#fdecea", "#a12622", "⛔"),
}

# Wide enough that labels such as "Anything else" are not cut off.
LABEL_STYLE = {"description_width": "100px"}


def _status_html(entry: m.RoleEntry, cfg: m.ReadinessConfig) -> str:
    r = m.readiness(entry, cfg)
    bg, fg, icon = _BADGE[r.status]
    todo = f" Still to do: {esc('; '.join(r.missing))}." if r.missing else ""
    warn = "".join(f"<br>⚠️ {esc(w)}" for w in r.warnings)
    return (
        f"<div class='pap-ready-status' style='background:{bg};color:{fg};padding:4px 10px;"
        f"border-radius:4px'><b>{icon} {esc(r.status)}</b> ({r.done} of {r.required} required "
        f"checks done).{todo}{warn}</div>"
    )


def readiness_tracker(module: str) -> ipw.VBox:
    """Per role: screening and training checks, a readiness status, CSV and printable export."""
    try:
        cfg = m.load_config()
    except Exception as exc:
        return card([message(plain_error(exc), "error")], title="The tracker could not load")
    entries: list[m.RoleEntry] = []
    status, links, counts = ipw.HTML(), ipw.HTML(), ipw.HTML()
    rows_box = ipw.VBox([])
    role_name = ipw.Text(
        placeholder="e.g. Grade 3 reading volunteer, or initials",
        disabled=True,
        description="Role",
        style=LABEL_STYLE,
        layout=ipw.Layout(width="420px"),
    )
    role_name.add_class("pap-ready-name")
    level = ipw.Dropdown(
        options=[(lv.label, lv.id) for lv in cfg.levels],
        value=cfg.levels[0].id,
        description="Contact",
        style=LABEL_STYLE,
        disabled=True,
        layout=ipw.Layout(width="420px"),
    )
    level.add_class("pap-ready-level")
    level_help = ipw.HTML()
    add = ipw.Button(
        description="Add role",
        button_style="primary",
        disabled=True,
        layout=ipw.Layout(width="auto"),
    )
    add.add_class("pap-ready-add")
    export = ipw.Button(description="Export tracker", layout=ipw.Layout(width="auto"))
    export.add_class("pap-ready-export")

    def _level_help(_c: object = None) -> None:
        level_help.value = (
            f"<small style='color:#57606a'>{esc(cfg.level(level.value).explain)}</small>"
        )

    level.observe(_level_help, names="value")
    _level_help()

    def _save() -> bool:
        """Save the tracker and say so; False (with the cause shown) if it was not saved."""
        result = save_answer(
            module,
            ITEM,
            [e.to_json() for e in entries],
            kept="the tracker is still on the page; export it or note it somewhere safe",
        )
        show_save(status, result)
        links.value = ""
        c = m.summary(entries, cfg)
        counts.value = (
            f"<p class='pap-ready-counts'><b>{c[m.READY]} ready</b>, {c[m.IN_HAND]} in progress, "
            f"{c[m.NOT_STARTED]} not started.</p>"
            if entries
            else "<p class='pap-ready-counts'>No roles yet. Add the first one above.</p>"
        )
        return result.ok

    def _row(entry: m.RoleEntry) -> ipw.VBox:
        badge = ipw.HTML(_status_html(entry, cfg))
        required = {c.id for c in cfg.required(entry.level)}
        cells: list[ipw.Widget] = []
        for c in cfg.checks:
            dd = ipw.Dropdown(
                options=m.STATES,
                value=entry.states.get(c.id, m.TODO),
                layout=ipw.Layout(width="150px"),
                description=c.label,  # its name for screen readers; shown beside it already
            )
            dd.add_class(f"pap-ready-{c.id}").add_class("pap-label-sr")
            star = " <b title='required for this role'>*</b>" if c.id in required else ""
            cells += [ipw.HTML(f"<div title='{esc(c.detail)}'>{esc(c.label)}{star}</div>"), dd]

            @guarded(status)
            def _changed(change: dict, cid: str = c.id) -> None:
                entry.states[cid] = change["new"]
                badge.value = _status_html(entry, cfg)
                _save()

            dd.observe(_changed, names="value")
        note = ipw.Text(
            value=entry.note,
            placeholder="note: owner, date, renewal due",
            layout=ipw.Layout(width="auto", flex="1 1 auto"),
        )

        @guarded(status)
        def _note(change: dict) -> None:
            entry.note = str(change["new"])[: m.MAX_TEXT]
            _save()

        note.observe(_note, names="value")
        remove = ipw.Button(
            description="Remove", layout=ipw.Layout(width="110px", flex="0 0 auto")
        )

        @guarded(status)
        def _remove(_b: ipw.Button) -> None:
            entries.remove(entry)
            _render()
            if _save():
                show_message(status, f"Removed {entry.name}.")

        remove.on_click(_remove)
        grid = ipw.GridBox(
            cells,
            layout=ipw.Layout(grid_template_columns="1fr 160px 1fr 160px", grid_gap="2px 10px"),
        )
        head = ipw.HTML(
            f"<div style='font-weight:600'>{esc(entry.name)} "
            f"<small style='color:#57606a'>· {esc(cfg.level(entry.level).label)}</small></div>"
        )
        box = ipw.VBox(
            [head, badge, grid, ipw.HBox([note, remove])],
            layout=ipw.Layout(border="1px solid #e1e4e8", padding="6px 10px", margin="6px 0"),
        )
        box.add_class("pap-ready-row")
        return box

    def _render() -> None:
        rows_box.children = [_row(e) for e in entries]

    @guarded_load(status)
    def _fill(visitor: Visitor) -> None:
        entries[:] = m.parse_entries(get_store().get(visitor.id, module, ITEM, default=[]), cfg)
        _render()
        c = m.summary(entries, cfg)
        counts.value = (
            f"<p class='pap-ready-counts'><b>{c[m.READY]} ready</b>, {c[m.IN_HAND]} in progress, "
            f"{c[m.NOT_STARTED]} not started.</p>"
            if entries
            else "<p class='pap-ready-counts'>No roles yet. Add the first one above.</p>"
        )
        for w in (role_name, level, add):
            w.disabled = False

    @guarded(status)
    def _add(_b: ipw.Button) -> None:
        if len(entries) >= m.MAX_ROLES:
            raise UserFacingError(
                f"The tracker holds {m.MAX_ROLES} roles. Export it and remove finished ones first."
            )
        try:
            entry = m.new_entry(role_name.value, level.value, cfg)
        except ValueError as exc:
            raise UserFacingError(str(exc)) from None
        entries.append(entry)
        _render()
        if _save():
            role_name.value = ""
            show_message(status, f"Added {entry.name}. Mark each check as it is done.", "success")

    @guarded(status)
    def _export(_b: ipw.Button) -> None:
        if not entries:
            raise UserFacingError("Add at least one role before exporting.")
        links.value = download_html(
            m.to_csv(entries, cfg), "volunteer-readiness.csv", "Spreadsheet (CSV)", "text/csv"
        ) + download_html(
            m.to_html(entries, cfg), "volunteer-readiness.html", "Printable page", "text/html"
        )
        show_message(status, "Your tracker is ready to download.", "success")

    add.on_click(_add)
    export.on_click(_export)
    when_known(_fill)
    parts: list[ipw.Widget] = []
    if cfg.intro:
        parts.append(ipw.HTML(f"<p>{esc(cfg.intro)}</p>"))
    parts += [
        role_name,
        level,
        level_help,
        add,
        counts,
        rows_box,
        ipw.HTML(
            "<small>* required for that role's level of contact. Hover a check for what it "
            "involves.</small>"
        ),
        export,
        links,
        status,
    ]
    return card(parts, title="Volunteer readiness tracker")
