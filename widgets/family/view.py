"""A family session on a phone: the words in the parent's language, a few choices, a card to keep.

Only the layout and the wiring live here; the words, the rules and the HTML are in
:mod:`widgets.family.model` and :mod:`widgets.family.render`.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.family.model import (
    FamilySession,
    clean_answer,
    item_for,
    known_languages,
    load_session,
    parse_answer,
    translation,
)
from widgets.family.render import card_html, label_html, session_html
from widgets.identity import Visitor, when_known
from widgets.saving import KEPT_CHOICES, guarded_load, save_answer, show_save
from widgets.store import get_store
from widgets.ui import card, download_html, guarded, message, plain_error


def family_module(name: str, lang: str = "en") -> ipw.VBox:
    """The session ``datasets/family/<name>.yaml``; choices are saved as ``family:<id>``."""
    try:
        session = load_session(name)
    except Exception as exc:  # a broken file: a plain message naming file, place and fix
        return card([message(plain_error(exc), "error")], title="This session could not load")
    return _SessionView(session, lang).box


class _SessionView:
    def __init__(self, session: FamilySession, lang: str) -> None:
        self.session = session
        langs = known_languages()
        offered = [(langs[c].name, c) for c in langs if c in session.languages]
        self.language = ipw.Dropdown(
            options=offered,
            value=lang if lang in session.languages else "en",
            description="🌍 Language",
            layout=ipw.Layout(width="100%", max_width="360px"),
            style={"description_width": "initial"},
        )
        self.language.add_class("pap-family-language")
        self.text = ipw.HTML()
        self.prompt = ipw.HTML()
        self.boxes: dict[str, ipw.Checkbox] = {}
        self.labels: dict[str, ipw.HTML] = {}
        rows = []
        for oid in session.languages["en"].options:
            cb = ipw.Checkbox(value=False, indent=False, disabled=True, layout=ipw.Layout(width="32px"))
            cb.add_class(f"pap-family-pick-{oid}")
            cb.add_class("pap-label-sr")  # the words are shown beside it; kept for screen readers
            lab = ipw.HTML(layout=ipw.Layout(flex="1 1 0%", width="auto"))
            self.boxes[oid], self.labels[oid] = cb, lab
            row = ipw.HBox(
                [cb, lab],
                layout=ipw.Layout(width="100%", align_items="center", flex_flow="row nowrap"),
            )
            row.add_class("pap-family-row")
            rows.append(row)
        self.rows = rows
        self.own_label = ipw.HTML()
        self.own = ipw.Textarea(disabled=True, layout=ipw.Layout(width="100%", height="4.5em"))
        self.own.add_class("pap-family-own")
        self.status = ipw.HTML()
        self.get_card = ipw.Button(layout=ipw.Layout(width="auto"), icon="download")
        self.get_card.add_class("pap-family-card")
        self.links = ipw.HTML()
        self._apply_language()
        self.language.observe(lambda _c: self._relabel(), names="value")
        self.get_card.on_click(self._card)
        activity = ipw.VBox(
            [self.prompt, *rows, self.own_label, self.own, self.status, self.get_card, self.links]
        )
        activity.add_class("pap-family-activity")
        self.box = ipw.VBox([self.language, self.text, activity], layout=ipw.Layout(width="100%"))
        self.box.add_class("pap-family-session")
        when_known(self._fill)

    @property
    def code(self) -> str:
        return str(self.language.value)

    def _apply_language(self) -> None:
        lang, tr = translation(self.session, self.code)
        s = self.session
        flow = "row-reverse nowrap" if known_languages()[lang].dir == "rtl" else "row nowrap"
        for row in self.rows:
            row.layout.flex_flow = flow  # the box sits where the reader's line starts
        self.text.value = session_html(s, lang)
        self.prompt.value = label_html(s, lang, tr.pick_prompt, "prompt")
        for oid, text in tr.options.items():
            self.boxes[oid].description = text
            self.labels[oid].value = label_html(s, lang, text)
        self.own_label.value = label_html(s, lang, tr.own_prompt, "own")
        self.own.description = tr.own_prompt
        self.own.add_class("pap-label-sr")
        self.get_card.description = tr.download

    def _relabel(self) -> None:
        self._apply_language()
        self.links.value = ""

    def _answer(self):
        picks = [oid for oid, cb in self.boxes.items() if cb.value]
        return clean_answer(picks, self.own.value, self.session)

    def _fill(self, visitor: Visitor) -> None:
        @guarded_load(self.status)
        def fill() -> None:
            raw = get_store().get(visitor.id, self.session.id, item_for(self.session.id))
            saved = parse_answer(raw, self.session)
            for oid, cb in self.boxes.items():
                cb.value = oid in saved.picks
            self.own.value = saved.own
            for w in (*self.boxes.values(), self.own):
                w.observe(self._save, names="value")
                w.disabled = False

        fill()

    def _save(self, _change: dict) -> None:
        @guarded(self.status)
        def save() -> None:
            _lang, tr = translation(self.session, self.code)
            result = save_answer(
                self.session.id, item_for(self.session.id), self._answer().as_value(), kept=KEPT_CHOICES
            )
            show_save(self.status, result, saved_text=tr.saved)

        save()

    def _card(self, _b: ipw.Button) -> None:
        @guarded(self.status)
        def make() -> None:
            html = card_html(self.session, self.code, self._answer())
            _lang, tr = translation(self.session, self.code)
            self.links.value = download_html(html, f"{self.session.id}.html", tr.card_title, "text/html")

        make()

