"""Thin view for the volunteer readiness tracker: add roles, mark checks, see status, export."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.form import badge_html, button, failed_card, field, sr_label
from widgets.html import render
from widgets.identity import Visitor, when_known
from widgets.readiness import model as m
from widgets.saving import guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import UserFacingError, card, download_html, guarded, plain, show_message, text_html

ITEM = "readiness:roles"
_BADGE = {m.READY: ("ok", "✅"), m.IN_HAND: ("warning", "⏳"), m.NOT_STARTED: ("bad", "⛔")}


def _status_html(entry: m.RoleEntry, cfg: m.ReadinessConfig) -> str:
    r = m.readiness(entry, cfg)
    kind, icon = _BADGE[r.status]
    todo = f" Still to do: {'; '.join(r.missing)}." if r.missing else ""
    return badge_html(
        f"({r.done} of {r.required} required checks done).{todo}",
        kind,
        icon,
        bold=r.status,
        warnings=r.warnings,
        cls="pap-ready-status",
    )


def _counts_html(entries: list[m.RoleEntry], cfg: m.ReadinessConfig) -> str:
    c = m.summary(entries, cfg)
    return render(
        "readiness/counts.html",
        any=bool(entries),
        ready=c[m.READY],
        in_hand=c[m.IN_HAND],
        not_started=c[m.NOT_STARTED],
    )


def readiness_tracker(module: str) -> ipw.VBox:
    """Per role: screening and training checks, a readiness status, CSV and printable export."""
    try:
        cfg = m.load_config()
    except Exception as exc:
        return failed_card(exc, "The tracker could not load")
    entries: list[m.RoleEntry] = []
    status, links, counts = ipw.HTML(), ipw.HTML(), ipw.HTML()
    rows_box = ipw.VBox([])
    role_name = field(
        ipw.Text, "Role", cls="pap-ready-name", width="420px",
        placeholder="e.g. Grade 3 reading volunteer, or initials",
    )  # fmt: skip
    level = field(
        ipw.Dropdown, "Contact", cls="pap-ready-level", width="420px",
        options=[(lv.label, lv.id) for lv in cfg.levels], value=cfg.levels[0].id,
    )  # fmt: skip
    level_help = ipw.HTML()
    add = button("Add role", "pap-ready-add", primary=True, disabled=True)
    export = button("Export tracker", "pap-ready-export")

    def _level_help(_c: object = None) -> None:
        level_help.value = text_html(
            cfg.level(level.value).explain, "small", style="color:#57606a"
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
        counts.value = _counts_html(entries, cfg)
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
            label = render(
                "readiness/check_label.html",
                label=c.label,
                detail=c.detail,
                required=c.id in required,
            )
            cells += [ipw.HTML(label), dd]

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
        sr_label(note, f"Note on {entry.name}")

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
            render(
                "readiness/row_head.html", name=entry.name, level=cfg.level(entry.level).label
            )
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
        counts.value = _counts_html(entries, cfg)
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
        parts.append(plain(cfg.intro))
    parts += [
        role_name,
        level,
        level_help,
        add,
        counts,
        rows_box,
        plain(
            "* required for that role's level of contact. Hover a check for what it involves.",
            "small",
        ),
        export,
        links,
        status,
    ]
    return card(parts, title="Volunteer readiness tracker")
