"""The completion record as a PDF, for portfolios and PD systems that want a file, not a web page.

fpdf2 is pure Python, so this works on any machine the kit runs on. The font is the DejaVu Sans
that ships inside matplotlib (already a dependency), so names and reflections in any Latin,
Greek or Cyrillic script come out right with no system fonts installed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from widgets.workshop.model import COMPLETION_RULE, Completion, record_sentence

if TYPE_CHECKING:
    from widgets.workshop.pd_record import PDRecord


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _printable(text: str) -> str:
    """Drop characters the font has no glyph for (emoji, mostly) rather than print boxes."""
    return "".join(ch for ch in text if ord(ch) < 0x2500 or 0x2E80 <= ord(ch) < 0xFFF0)


def certificate_pdf(
    name: str,
    record: Completion,
    issued: datetime,
    school: str = "",
    details: PDRecord | None = None,
) -> bytes:
    """The certificate, the modules and the reflections; with ``details`` (a
    :class:`~widgets.workshop.pd_record.PDRecord`) also the record id, delivery, dates, time
    measured, objectives, knowledge checks, self-rating change and evidence."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Record of professional learning")
    pdf.set_author("Parents as Partners")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    # the certificate
    pdf.set_y(26)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(width, 8, "Parents as Partners", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.set_text_color(31, 95, 168)
    pdf.cell(width, 14, "Record of professional learning", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 31, 36)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(width, 10, "This records that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(
        width, 12, _printable(name) or "a participant", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 12)
    where = f", at {_printable(school)}" if school else ""
    pdf.multi_cell(
        width,
        7,
        f"{record_sentence(record)}{where}.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(width, 8, f"Issued {issued:%d %B %Y}", align="C", new_x="LMARGIN", new_y="NEXT")
    if details is not None and details.record_id:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(
            width, 7, f"Record id: {details.record_id}", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(
            width,
            5,
            "Anyone can check this id on the kit's page \"Check a learning record\" "
            "(verify_record.ipynb): it shows what the record was issued for, or \"not found\".",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    bottom = pdf.get_y() + 8
    pdf.set_draw_color(31, 95, 168)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, bottom - 12)
    pdf.set_draw_color(160, 166, 173)
    pdf.set_line_width(0.2)

    pdf.set_y(bottom + 10)
    if details is not None:
        _details(pdf, width, details)
        return _portfolio(pdf, width, record)

    # every module touched, done or in progress
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(width, 10, "Modules", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    if record.modules:
        with pdf.table(col_widths=(50, 30, 20), text_align=("LEFT", "LEFT", "RIGHT")) as table:
            head = table.row()
            for h in ("Module", "Status", "Time"):
                head.cell(h)
            for m in record.modules:
                row = table.row()
                row.cell(_printable(m.title))
                row.cell(_printable(m.status_text))
                row.cell(f"{m.minutes_earned} of {m.minutes} min")
        pdf.ln(2)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(width, 5, COMPLETION_RULE, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(width, 8, "None yet.", new_x="LMARGIN", new_y="NEXT")

    return _portfolio(pdf, width, record)


def _portfolio(pdf, width: float, record: Completion) -> bytes:  # noqa: ANN001 - an FPDF
    """The reflections page(s), and the finished file."""
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(width, 10, "My reflections", new_x="LMARGIN", new_y="NEXT")
    if not record.reflections:
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(width, 8, "None yet.", new_x="LMARGIN", new_y="NEXT")
    for c in record.reflections:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 6, _printable(c.prompt), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(width - 4, 6, _printable(c.text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _heading(pdf, width: float, text: str) -> None:  # noqa: ANN001 - an FPDF
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(width, 10, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)


def _details(pdf, width: float, d: PDRecord) -> None:  # noqa: ANN001 - an FPDF
    """The record's details: delivery, dates, time, modules with objectives, evidence."""
    from widgets.workshop.pd_record import TIME_RULE

    _heading(pdf, width, "Details")
    delivery = "Workshop" if d.mode == "workshop" else "Self-study"
    lines = [f"Delivery: {delivery}" + (f": {_printable(d.workshop)}" if d.workshop else "")]
    if d.facilitator:
        lines.append(f"Facilitator: {_printable(d.facilitator)} (as named by the participant)")
    lines.append(
        f"Dates: {d.first_date} to {d.last_date}" if d.first_date else "Dates: no activity yet"
    )
    lines.append(
        f"Time: {d.spent_minutes} minutes measured from saved activity; "
        f"{d.earned_minutes} minutes of planned learning in completed modules"
    )
    for line in lines:
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(width, 4.5, TIME_RULE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    _heading(pdf, width, "Modules")
    if not d.modules:
        pdf.cell(width, 8, "None yet.", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(col_widths=(34, 18, 18, 18, 12, 22)) as table:
            head = table.row()
            for h in ("Module", "Status", "Dates", "Time", "Check", "Self-rating (1-4)"):
                head.cell(h)
            for m in d.modules:
                row = table.row()
                row.cell(_printable(m.title))
                row.cell(_printable(m.status))
                dates = m.first_date + (f" to {m.last_date}" if m.last_date != m.first_date else "")
                row.cell(dates)
                row.cell(f"{m.spent_minutes} min measured; {m.earned_minutes} of "
                         f"{m.planned_minutes} planned")
                row.cell(m.check or "-")
                row.cell(m.rating or "-")
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(width, 4.5, COMPLETION_RULE, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        _heading(pdf, width, "Objectives")
        for m in d.modules:
            if not m.objectives:
                continue
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(width, 5.5, _printable(m.title), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 9.5)
            for o in m.objectives:
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(width - 4, 5, "- " + _printable(o), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    _heading(pdf, width, "Evidence")
    if not d.evidence:
        pdf.cell(width, 8, "None yet.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font("DejaVu", "", 8.5)
    with pdf.table(col_widths=(14, 18, 26, 42)) as table:
        head = table.row()
        for h in ("Date", "Kind", "Module", "What"):
            head.cell(h)
        for e in d.evidence:
            row = table.row()
            for v in (e.date, e.kind, e.module, e.label):
                row.cell(_printable(v))
