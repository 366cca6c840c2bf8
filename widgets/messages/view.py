"""Views for communicating with parents: the checker, templates, plan builder, rewrite activity."""

from __future__ import annotations

import ipywidgets as ipw

from widgets import limits
from widgets.form import failed_card, sr_label
from widgets.html import Markup, render
from widgets.identity import Visitor, when_known
from widgets.messages import checker, plan, templates
from widgets.messages.exercise import load_exercise
from widgets.messages.plain_language import PlainLanguage, sample_letter
from widgets.saving import KEPT_CHOICES, save_answer, show_save
from widgets.store import get_store
from widgets.ui import (
    UserFacingError,
    card,
    download_html,
    guarded,
    plain,
    show_message,
)

_FULL = ipw.Layout(width="100%")
_AUTO = ipw.Layout(width="auto")


def _report_html(rep: checker.Report) -> str:
    return render(
        "messages/report.html",
        rows=checker.report_rows(rep),
        essentials=[(checker.ESSENTIAL_LABELS[k], ok) for k, ok in rep.essentials.items()],
        jargon=rep.of("jargon"),
        others=[f for f in rep.findings if f.kind != "jargon"],
        highlighted=Markup(checker.highlighted_html(rep.text, rep.findings)),
    )


def _plain_html(plain: PlainLanguage) -> str:
    """Notes and tips of the stricter plain-language check (every text escaped)."""
    return render("messages/plain_notes.html", plain=plain)


def message_checker(
    module: str = "message-checker", *, initial: str = "", low_literacy_sample: bool = False
) -> ipw.VBox:
    """Paste a message, pick the channel, see what to fix and a rewrite of the jargon.

    ``low_literacy_sample`` loads a hard-to-read letter to try the stricter plain-language check
    on (module 2's activity), unless ``initial`` gives a text.
    """
    if low_literacy_sample and not initial:
        initial = sample_letter()
    status, out = ipw.HTML(), ipw.HTML()
    try:
        channels = checker.load_channels()
    except Exception as exc:
        return failed_card(exc, "The checker could not load")
    channel = ipw.Dropdown(
        options=[(c.name, c.id) for c in channels.values()],
        value="letter",
        description="Sending as",
    )
    text = ipw.Textarea(
        value=initial,
        placeholder="Paste or type a letter, email, text message or newsletter item here.",
        layout=ipw.Layout(width="100%", height="12em"),
    )
    text.add_class("pap-message-input")
    sr_label(text, "Your message")
    rewrite = ipw.Textarea(layout=ipw.Layout(width="100%", height="8em"))
    rewrite.add_class("pap-rewrite-suggestion")
    sr_label(rewrite, "Suggested plainer version")
    rewrite_box = ipw.VBox([])
    button = ipw.Button(description="Check my message", button_style="primary", layout=_AUTO)
    plain = ipw.Checkbox(
        value=False,
        description="Stricter check for readers who find reading hard",
        indent=False,
        layout=_AUTO,
    )
    plain.add_class("pap-low-literacy")

    @guarded(status)
    def _check(_b: ipw.Button) -> None:
        if not text.value.strip():
            raise UserFacingError("Paste or type a message first.")
        over = checker.too_long(text.value)
        if over:  # a plain note, not an error: the text stays in the box to be split up
            out.value, rewrite_box.children = "", []
            show_message(status, over, "warning", title="Too long to check in one go")
            return
        rep = checker.check_message(text.value, channels[channel.value], low_literacy=plain.value)
        out.value = _report_html(rep) + (_plain_html(rep.plain) if rep.plain else "")
        if rep.of("jargon"):
            rewrite.value = checker.suggested_rewrite(text.value)
            rewrite_box.children = [
                ipw.HTML(render("messages/rewrite_intro.html")),
                rewrite,
            ]
        else:
            rewrite_box.children = []
        status.value = ""
        result = save_answer(
            module,
            "checker:last",
            {
                "channel": channel.value,
                "words": rep.stats.words,
                "grade": round(rep.stats.grade, 1),
                "jargon": len(rep.of("jargon")),
                "missing": rep.missing,
            },
        )
        if not result.ok:  # the report is still shown; only the record of it failed
            show_save(status, result)

    button.on_click(_check)
    return card([channel, text, plain, button, status, out, rewrite_box], title="Message checker")


def template_writer(module: str = "message-checker") -> ipw.VBox:
    """Pick a template and a language, fill the blanks, check it, download it."""
    status, preview, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    try:
        tpls = templates.load_templates()
    except Exception as exc:
        return failed_card(exc, "The templates could not load")
    choice = ipw.Dropdown(
        options=[(t.title, t.id) for t in tpls.values()],
        description="Template",
        layout=ipw.Layout(width="460px"),
    )
    lang = ipw.Dropdown(
        options=[(v, k) for k, v in templates.LANGUAGES.items()], value="en", description="Language"
    )
    fields_box = ipw.VBox([])
    inputs: dict[str, ipw.Text] = {}

    def _values() -> dict[str, str]:
        return {k: w.value for k, w in inputs.items()}

    @guarded(status)
    def _render(_c: object = None) -> None:
        t = tpls[choice.value]
        body = templates.fill(t, lang.value, _values())
        preview.value = render("messages/letter_preview.html", body=body)
        missing = templates.blanks(t, _values())
        if missing:
            show_message(status, "Still to fill in: " + ", ".join(missing) + ".", "info")
        else:
            show_message(
                status, "Ready. Check it with the message checker, then download.", "success"
            )
        links.value = ""

    def _build_fields(_c: object = None) -> None:
        t = tpls[choice.value]
        old = _values()
        inputs.clear()
        for f in t.fields:
            w = ipw.Text(
                value=old.get(f.name, ""),
                description=f.label,
                placeholder=f"e.g. {f.example}" if f.example else "",
                style={"description_width": "230px"},
                layout=ipw.Layout(width="640px"),
            )
            w.observe(_render, names="value")
            inputs[f.name] = w
        fields_box.children = list(inputs.values())
        _render()

    choice.observe(_build_fields, names="value")
    lang.observe(_render, names="value")
    download = ipw.Button(description="Prepare download", layout=_AUTO)

    @guarded(status)
    def _download(_b: ipw.Button) -> None:
        t = tpls[choice.value]
        body = templates.fill(t, lang.value, _values())
        page = render("printable/letter.html", lang=lang.value, title=t.title, body=body)
        links.value = download_html(
            body, f"{t.id}-{lang.value}.txt", "Text file", "text/plain"
        ) + download_html(page, f"{t.id}-{lang.value}.html", "Printable page", "text/html")
        kept = save_answer(module, f"template:{t.id}", {"lang": lang.value, "values": _values()})
        if not kept.ok:
            show_save(status, kept)

    download.on_click(_download)
    _build_fields()
    return card(
        [ipw.HBox([choice, lang]), fields_box, preview, download, links, status],
        title="Letters and calls from templates",
    )


def plan_builder(module: str = "message-checker") -> ipw.VBox:
    """Build the school's communication plan row by row; saved, with gaps shown, exportable."""
    status, table, links = ipw.HTML(), ipw.HTML(), ipw.HTML()
    try:
        opts = plan.load_plan_options()
    except Exception as exc:
        return failed_card(exc, "The plan builder could not load")
    rows: list[plan.PlanRow] = []
    audience = ipw.Dropdown(options=opts.audiences, description="Audience")
    channel = ipw.Dropdown(options=opts.channels, description="Channel")
    freq = ipw.Dropdown(options=opts.frequencies, description="How often")
    purpose = ipw.Text(
        description="Purpose",
        placeholder="e.g. good news about each child",
        layout=ipw.Layout(width="520px"),
    )
    owner = ipw.Text(
        description="Who", placeholder="e.g. class teachers", layout=ipw.Layout(width="320px")
    )
    languages = ipw.Text(
        description="Languages",
        placeholder="e.g. English, Arabic, Tagalog",
        layout=ipw.Layout(width="420px"),
    )
    add = ipw.Button(description="Add to plan", button_style="primary", layout=_AUTO)
    remove_last = ipw.Button(description="Remove last row", layout=_AUTO)
    export = ipw.Button(description="Export plan", layout=_AUTO)
    school = ipw.Text(description="School", placeholder="school name for the printout")

    def _show() -> None:
        table.value = render("messages/plan_table.html", rows=rows, gaps=plan.gaps(rows, opts))
        links.value = ""

    def _save() -> bool:
        result = save_answer(module, "plan:rows", [r.model_dump() for r in rows], kept=KEPT_CHOICES)
        if not result.ok:
            show_save(status, result)
        return result.ok

    @guarded(status)
    def _add(_b: ipw.Button) -> None:
        try:
            row = plan.PlanRow(
                audience=audience.value,
                channel=channel.value,
                frequency=freq.value,
                purpose=purpose.value.strip(),
                owner=owner.value.strip(),
                languages=languages.value.strip(),
            )
        except Exception:
            raise UserFacingError(
                "Fill in the purpose and who is responsible, then add the row."
            ) from None
        rows.append(row)
        _show()
        if _save():
            purpose.value = ""
            show_message(status, f"Added and saved. {len(rows)} rows in your plan.", "success")

    @guarded(status)
    def _remove(_b: ipw.Button) -> None:
        if rows:
            rows.pop()
            _save()
        _show()

    @guarded(status)
    def _export(_b: ipw.Button) -> None:
        if not rows:
            raise UserFacingError("Add at least one row before exporting.")
        links.value = download_html(
            plan.to_html(rows, opts, school.value),
            "communication-plan.html",
            "Printable plan",
            "text/html",
        ) + download_html(
            plan.to_csv(rows), "communication-plan.csv", "Spreadsheet (CSV)", "text/csv"
        )

    @guarded(status)
    def _fill(v: Visitor) -> None:
        saved = get_store().get(v.id, module, "plan:rows") or []
        rows.extend(plan.PlanRow.model_validate(r) for r in saved if isinstance(r, dict))
        _show()

    add.on_click(_add)
    remove_last.on_click(_remove)
    export.on_click(_export)
    _show()
    when_known(_fill)
    form = ipw.VBox(
        [
            ipw.HBox([audience, channel, freq], layout=ipw.Layout(flex_flow="row wrap")),
            purpose,
            ipw.HBox([owner, languages], layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox([add, remove_last]),
        ]
    )
    return card(
        [form, status, table, ipw.HBox([school, export]), links], title="Communication plan builder"
    )


def rewrite_activity(module: str, key: str = "rewrite") -> ipw.VBox:
    """Rewrite a jargon-heavy letter; the checker compares your version with the original."""
    status, compare = ipw.HTML(), ipw.HTML()
    try:
        ex = load_exercise()
    except Exception as exc:
        return failed_card(exc, "The exercise could not load")
    original = ipw.HTML(render("messages/original.html", text=ex.original))
    mine = ipw.Textarea(
        placeholder="Loading your saved version…",
        disabled=True,
        layout=ipw.Layout(width="100%", height="14em"),
    )
    mine.add_class("pap-rewrite")
    sr_label(mine, "Your version")
    button = ipw.Button(
        description="Compare with the original", button_style="primary", layout=_AUTO
    )
    channel = checker.load_channels()["letter"]

    @guarded(status)
    def _compare(_b: ipw.Button) -> None:
        if not mine.value.strip():
            raise UserFacingError("Write your version in the box first.")
        over = checker.too_long(mine.value, limits.MAX_TEXT_CHARS)
        if over:
            raise UserFacingError(over)
        status.value = ""
        a = checker.check_message(ex.original, channel)
        b = checker.check_message(mine.value, channel)

        figures = [
            ("Jargon terms", len(a.of("jargon")), len(b.of("jargon"))),
            ("Reading grade", round(a.stats.grade, 1), round(b.stats.grade, 1)),
            ("Passive phrases", len(a.of("passive")), len(b.of("passive"))),
            ("Missing essentials", len(a.missing), len(b.missing)),
        ]
        compare.value = render(
            "messages/compare.html",
            rows=[(label, x, y, y <= x) for label, x, y in figures],  # lower is better
            still=[f.text for f in b.of("jargon")],
        )

    @guarded(status)
    def _fill(v: Visitor) -> None:
        store = get_store()
        saved = store.get(v.id, module, f"rewrite:{key}")
        mine.value = saved.get("text", "") if isinstance(saved, dict) else ""

        @guarded(status)
        def _save(_c: dict) -> None:
            result = save_answer(
                module,
                f"rewrite:{key}",
                {"text": mine.value[: limits.MAX_TEXT_CHARS]},
                visitor=v,
                store=store,
            )
            if result.ok and len(mine.value) > limits.MAX_TEXT_CHARS:
                show_message(
                    status,
                    f"Only the first {limits.MAX_TEXT_CHARS:,} characters are saved; "
                    "a rewrite of one letter fits well within that.",
                    "warning",
                )
            else:
                show_save(status, result)

        mine.observe(_save, names="value")
        mine.placeholder = "Write your plain-language version here. It is saved as you type."
        mine.disabled = False

    button.on_click(_compare)
    when_known(_fill)
    return card(
        [
            plain("The original letter", "b"),
            original,
            plain("Your version", "b"),
            mine,
            button,
            status,
            compare,
        ],
        title=ex.title,
    )
