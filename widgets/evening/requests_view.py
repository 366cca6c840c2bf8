"""The planner's step 5: open a request window, hand out the families' links, see who replied.

Only lays out widgets and wires their events; the window, invites and replies are
:mod:`widgets.evening.requests` (rules) and :mod:`widgets.evening.request_store` (the store).
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as ipw

from widgets.evening.settings_view import AUTO, settings_from
from widgets.html import Markup, render
from widgets.ui import UserFacingError, download_html, guarded, message_html, show_message

_MODE_LABELS = {"in_person": "In person", "phone": "Phone", "video": "Video"}


def _intro(part: str) -> ipw.HTML:
    """The panel's introduction and headings (``evening/requests_intro.html``)."""
    return ipw.HTML(render("evening/requests_intro.html", part=part))


def school_time(settings, moment: dt.datetime) -> str:  # noqa: ANN001
    """A moment kept in UTC as the office reads it: the school's clock and zone
    ('2026-07-01 18:00 BST'); the zone comes from the settings (``Settings.zone``)."""
    t = settings.local(moment)
    return f"{t:%Y-%m-%d %H:%M} {t.tzname()}"


class RequestsPanel:
    """Step 5 of the planner. ``state`` is the planner's (uploaded tables, household choices)."""

    def __init__(self, status: ipw.HTML, sw: dict, state: dict, module: str,
                 mappings=None) -> None:
        self.status, self.sw, self.state, self.module = status, sw, state, module
        self.mappings = mappings or (lambda: {})
        self.visitor_id: int | None = None
        self.teacher_boxes: dict[str, ipw.Checkbox] = {}
        self.prepare_btn = ipw.Button(description="Prepare from the uploaded files", layout=AUTO)
        self.prepare_btn.add_class("pap-ev-req-prepare")
        self.prepared = ipw.VBox()
        self.mode_boxes = {m: ipw.Checkbox(value=m == "in_person", description=label, indent=False)
                           for m, label in _MODE_LABELS.items()}
        for m, b in self.mode_boxes.items():
            b.add_class(f"pap-ev-req-mode-{m}")
        s = {"description_width": "170px"}
        lay = ipw.Layout(width="420px")
        self.closes_date = ipw.DatePicker(description="Requests close on", style=s,
                                          value=dt.date.today() + dt.timedelta(days=7))
        self.closes_time = ipw.Text(description="at (school time)", value="18:00", style=s,
                                    layout=lay)
        self.block = ipw.Dropdown(description="Families tick times in", style=s, layout=lay,
                                  options=[("15-minute blocks", 15), ("30-minute blocks", 30),
                                           ("1-hour blocks", 60)], value=30)
        self.sign_language = ipw.Text(description="Signers' language", style=s, layout=lay,
                                      value="British Sign Language")
        self.base = ipw.Text(description="Kit address for links", style=s, layout=lay,
                             placeholder="https://pd.school.example/voila/render/modules/")
        self.open_btn = ipw.Button(description="Open requests and make the links",
                                   button_style="primary", layout=AUTO)
        self.open_btn.add_class("pap-ev-req-open")
        self.links = ipw.HTML()
        self.links.add_class("pap-ev-req-links")
        self.window_pick = ipw.Dropdown(description="Request window", options=[],
                                        layout=ipw.Layout(width="520px"), style=s)
        self.window_pick.add_class("pap-ev-req-window")
        self.refresh_btn = ipw.Button(description="Who has replied?", layout=AUTO)
        self.refresh_btn.add_class("pap-ev-req-refresh")
        self.close_btn = ipw.Button(description="Close requests now", layout=AUTO)
        self.close_btn.add_class("pap-ev-req-close")
        self.delete_btn = ipw.Button(description="Delete this window and its replies",
                                     button_style="danger", layout=AUTO)
        self.delete_btn.add_class("pap-ev-req-delete")
        self.replied = ipw.HTML()
        self.replied.add_class("pap-ev-req-replied")
        self.use = ipw.Checkbox(value=False, indent=False,
                                description="Make the timetable (step 4) from these requests, "
                                            "mixed with any uploaded families file")
        self.use.add_class("pap-ev-req-use")
        self.box = ipw.VBox([
            _intro("intro"),
            _intro("open"),
            ipw.HBox([self.prepare_btn]),
            self.prepared,
            _intro("modes"),
            ipw.HBox(list(self.mode_boxes.values())),
            self.closes_date, self.closes_time, self.block, self.sign_language, self.base,
            ipw.HBox([self.open_btn]),
            self.links,
            _intro("replies"),
            self.window_pick,
            ipw.HBox([self.refresh_btn, self.close_btn, self.delete_btn]),
            self.replied,
            self.use,
        ])
        self.prepare_btn.on_click(guarded(status)(lambda _b: self._prepare()))
        self.open_btn.on_click(guarded(status)(lambda _b: self._open()))
        self.refresh_btn.on_click(guarded(status)(lambda _b: self._show_replies()))
        self.close_btn.on_click(guarded(status)(lambda _b: self._close()))
        self.delete_btn.on_click(guarded(status)(lambda _b: self._delete()))
        self.window_pick.observe(guarded(status)(lambda _c: self._show_replies()), names="value")

    # ---- reading the uploads ------------------------------------------------------------
    def _rows(self, kind: str) -> list:
        from widgets.evening import ingest

        table = self.state["tables"].get(kind)
        if table is None:
            return []
        mapping = self.mappings().get(kind) or ingest.guess_mapping(table.columns, kind)
        return ingest.apply_mapping(table, mapping, kind).rows

    def _prepare(self) -> None:
        teachers = self._rows("teachers")
        families = self._rows("families")
        if not teachers or not families:
            raise UserFacingError(
                "Upload the families and teachers files in step 1 (or use a sample school) "
                "first: every household in the families file gets a link, and families choose "
                "among the teachers in the teachers file."
            )
        self.teacher_boxes = {
            t.teacher_id: ipw.Checkbox(value=True, description=f"{t.name} ({t.teacher_id})",
                                       indent=False)
            for t in teachers
        }
        from widgets.evening.requests import invites_from_rows

        n = len(invites_from_rows(families, self.state.get("choices")))
        self.prepared.children = [
            ipw.HTML(render("evening/requests_prepared.html", n=n)),
            ipw.VBox(list(self.teacher_boxes.values()),
                     layout=ipw.Layout(max_height="220px", overflow="auto")),
        ]
        self.status.value = ""

    # ---- opening a window ---------------------------------------------------------------
    def _closes_at(self) -> dt.datetime:
        from widgets.evening.data import parse_time

        if self.closes_date.value is None:
            raise UserFacingError("Choose the day the requests close.")
        try:
            minutes = parse_time(self.closes_time.value)
        except ValueError as e:
            raise UserFacingError(f"Requests close at: {e}.") from None
        return settings_from(self.sw).moment(self.closes_date.value, minutes)

    def _open(self) -> None:
        from widgets.evening import request_store as rs
        from widgets.evening.requests import OfferedTeacher, RequestWindow, invites_from_rows
        from widgets.identity import current_visitor

        if not self.teacher_boxes:
            self._prepare()
        settings = settings_from(self.sw)
        offered = [tid for tid, b in self.teacher_boxes.items() if b.value]
        modes = [m for m, b in self.mode_boxes.items() if b.value]
        if not offered:
            raise UserFacingError("Tick at least one teacher families may ask for.")
        if not modes:
            raise UserFacingError("Tick at least one way to meet (in person, phone, video).")
        closes = self._closes_at()
        if closes <= dt.datetime.now(dt.UTC):
            raise UserFacingError("The closing time has already passed: choose a later one.")
        teachers = self._rows("teachers")
        names = {t.teacher_id: t.name for t in teachers}
        window = RequestWindow(
            settings=settings.model_dump(mode="json"),
            teachers=[OfferedTeacher(id=t, name=names[t]) for t in offered],
            modes=modes, closes_at=closes, block_minutes=self.block.value,
            sign_language=self.sign_language.value.strip() or "Sign language",
            teacher_rows=[t.model_dump(mode="json") for t in teachers],
            interpreter_rows=[i.model_dump(mode="json") for i in self._rows("interpreters")],
        )
        invites = invites_from_rows(self._rows("families"), self.state.get("choices"), teachers)
        visitor = current_visitor()
        wid = rs.open_window(window, visitor.id)
        issued = rs.issue_invites(wid, invites)
        self.visitor_id = visitor.id
        self._set_windows(wid)
        self.links.value = self._links_html(window, issued)
        show_message(self.status, f"Requests are open until {school_time(settings, closes)}: "
                                  f"{len(issued)} links made. Put each in its household's letter.",
                     "success")

    def _links_html(self, window, issued) -> str:
        from widgets.evening import invitations

        base = self.base.value
        rows = [{"family_id": i.details.family_id, "parent": i.details.parent_name,
                 "language": i.details.home_language or "English",
                 "link": invitations.family_link(base, i.token)} for i in issued[:200]]
        note = "" if base.strip() else message_html(
            "The links are relative to the kit's pages: type the kit's address above and open "
            "the window again to put full links in letters.", "warning")
        downloads = (
            download_html(invitations.invitation_letters(window, issued, base),
                          "request_letters.html", "Letters with the links (print)", "text/html")
            + download_html(invitations.links_csv(window, issued, base), "request_links.csv",
                            "Links (CSV, for a mail merge)", "text/csv")
            + note
        )
        return render("evening/requests_links.html", downloads=Markup(downloads), rows=rows,
                      more=max(0, len(issued) - 200))

    # ---- replies ------------------------------------------------------------------------
    def refresh_windows(self, visitor) -> None:
        """The windows this office user opened (called once the visitor is known)."""
        self.visitor_id = visitor.id
        self._set_windows(None)

    def _set_windows(self, select: int | None) -> None:
        from widgets.evening import request_store as rs

        if self.visitor_id is None:
            return
        opts = [
            (f"Evening {w.evening().date:%d %b %Y} · closes "
             f"{school_time(w.evening(), w.closes_at)} "
             f"(window {wid})", wid)
            for wid, w in rs.windows_of(self.visitor_id)
        ]
        self.window_pick.options = opts
        if opts:
            self.window_pick.value = select if select is not None else opts[0][1]

    def _window(self):
        from widgets.evening import request_store as rs

        wid = self.window_pick.value
        if wid is None:
            raise UserFacingError("Open a request window first (above).")
        window = rs.get_window(wid)
        if window is None:
            raise UserFacingError("That request window is no longer in the store.")
        return wid, window

    def _show_replies(self) -> None:
        from widgets.evening import request_store as rs
        from widgets.evening.requests import blocks_text

        if self.window_pick.value is None:
            self.replied.value = ""
            return
        wid, window = self._window()
        replies = rs.replies(wid)
        done = [r for r in replies if r.reply is not None]
        state = "open" if window.is_open() else "closed"
        st = window.evening()
        rows = []
        for r in replies:
            d, reply = r.invite.details, r.reply
            row = {"family_id": d.family_id, "parent": d.parent_name, "replied": reply is not None}
            if reply is not None:
                row.update(
                    when=school_time(st, r.updated_at),
                    choices=", ".join(f"{window.teacher_name(c.teacher_id)} "
                                      f"({_MODE_LABELS[c.mode]})" for c in reply.choices),
                    blocks=blocks_text(window, reply.times),
                    interpreter=(reply.interpreter_language or window.sign_language)
                    if reply.interpreter != "none" else "",
                    access=reply.access_needs,
                )
            rows.append(row)
        kind = "success" if len(done) == len(replies) else "warning"
        head = message_html(
            f"{len(done)} of {len(replies)} households have replied; requests are {state} "
            f"(closing {school_time(st, window.closes_at)})."
            + ("" if kind == "success" else
               f" {len(replies) - len(done)} have not replied yet: their uploaded rows are used "
               "when you make the timetable from these requests."), kind)
        self.replied.value = render("evening/requests_replies.html", head=Markup(head),
                                    rows=rows)
        self.status.value = ""

    def _close(self) -> None:
        from widgets.evening import request_store as rs

        wid, _window = self._window()
        rs.set_closing(wid, dt.datetime.now(dt.UTC))
        self._set_windows(wid)
        self._show_replies()

    def _delete(self) -> None:
        """Families' details, links and replies gone from the store (their links open nothing)."""
        from widgets.evening import request_store as rs

        wid, _window = self._window()
        n = rs.delete_window(wid)
        self.use.value = False
        self._set_windows(None)
        self._show_replies()
        show_message(self.status, f"Deleted the request window, its {n} links and every reply.",
                     "success")

    # ---- for the planner's step 4 ---------------------------------------------------------
    def use_requests(self) -> bool:
        return bool(self.use.value)

    def load(self, settings, mappings):
        """The evening from this window's replies mixed with the uploads (for step 4)."""
        from widgets.evening import request_store as rs
        from widgets.evening.intake_mix import load_with_requests

        wid, window = self._window()
        loaded, _mixed = load_with_requests(
            settings, self.state["tables"], mappings, self.state.get("choices"), window,
            rs.replies(wid),
        )
        return loaded
