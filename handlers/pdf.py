"""Render a notice as a PDF with fpdf2 (deterministic: the same notice gives the same bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF

# The PDF core fonts cover Latin-1; typographic characters outside it are written plainly.
_PLAIN = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "-",
    }
)


def latin1(text: str) -> str:
    """Return text the PDF core fonts can show (§ and other Latin-1 characters are kept)."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def render_pdf(*, title: str, header: Sequence[str], body: Sequence[str], issued_at: datetime) -> bytes:
    """Lay out a letter: letterhead lines in bold, then the body paragraphs."""
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(issued_at)
    pdf.set_title(latin1(title))
    pdf.set_author(latin1(header[0] if header else ""))
    pdf.set_margins(25, 22, 25)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=12)
    for line in header:
        pdf.cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", size=10.5)
    for paragraph in body:
        if paragraph:
            pdf.multi_cell(0, 5.2, latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.6)
    return bytes(pdf.output())
