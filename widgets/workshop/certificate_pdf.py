"""The completion record as a PDF, for portfolios and PD systems that want a file, not a web page.

fpdf2 is pure Python, so this works on any machine the kit runs on. The font is the DejaVu Sans
that ships inside matplotlib (already a dependency), so names and reflections in any Latin,
Greek or Cyrillic script come out right with no system fonts installed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from widgets.workshop.model import COMPLETION_RULE, Completion, record_sentence


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _printable(text: str) -> str:
    """Drop characters the font has no glyph for (emoji, mostly) rather than print boxes."""
    return "".join(ch for ch in text if ord(ch) < 0x2500 or 0x2E80 <= ord(ch) < 0xFFF0)


def certificate_pdf(name: str, record: Completion, issued: datetime, school: str = "") -> bytes:
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
    bottom = pdf.get_y() + 8
    pdf.set_draw_color(31, 95, 168)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, bottom - 12)
    pdf.set_draw_color(160, 166, 173)
    pdf.set_line_width(0.2)

    # every module touched, done or in progress
    pdf.set_y(bottom + 10)
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

    # the portfolio
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
