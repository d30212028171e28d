"""PDF building blocks of the plan and the handout: embedded fonts, styles, red gaps."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from readiness.policy.protocols import Section

# Bitstream Vera ships inside reportlab itself: embedded, so every printer shows the same text.
FONT, BOLD = "ReadinessSans", "ReadinessSans-Bold"
MISSING_RED = "#c00000"
GREY = "#555555"


def _register_fonts() -> None:
    """Register the embedded TrueType fonts once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, by name."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=16, leading=19),
        "big": ParagraphStyle("big", body, fontName=BOLD, fontSize=13, leading=16),
        "heading": ParagraphStyle(
            "heading", body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=2
        ),
        "subheading": ParagraphStyle("subheading", body, fontName=BOLD, spaceBefore=3),
        "body": body,
        "bullet": ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2),
        "small": ParagraphStyle("small", body, fontSize=7, leading=8.5, textColor=GREY),
    }


def text(value: str) -> str:
    """Stored text made safe for a Paragraph's markup."""
    return escape(value)


def missing(what: str) -> str:
    """Markup of a gap, in red: "No poison control number on file"."""
    return f'<font color="{MISSING_RED}">{text(what)}</font>'


def value_or_missing(value: str | None, what: str) -> str:
    """The value as markup, or the red "No WHAT on file" line; never blank."""
    return text(value) if value else missing(f"No {what} on file")


def sources_line(section: Section) -> str:
    """The section's sources as "Source: PRAC - text; MFR - text"."""
    parts = [f"{s.label} - {s.text}" for s in section.source]
    return text("Source: " + "; ".join(parts))


def section_flowables(heading: str, section: Section, look: dict[str, ParagraphStyle]) -> list[Any]:
    """A section's heading, bullet items and sources."""
    out: list[Any] = [Paragraph(text(heading), look["subheading"])]
    out += [Paragraph(text(item), look["bullet"], bulletText="•") for item in section.items]
    out.append(Paragraph(sources_line(section), look["small"]))
    return out


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = False) -> Table:
    """A table with thin rules; the first row bold on grey when `header`."""
    table = Table([list(r) for r in rows], colWidths=list(widths), hAlign="LEFT")
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")))
    table.setStyle(TableStyle(commands))
    return table


def render(story: list[Flowable], *, title: str, footer: str) -> bytes:
    """The story as PDF bytes on US Letter pages, the footer and page number on each page."""
    _register_fonts()
    out = io.BytesIO()
    margin = 0.5 * inch
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=0.6 * inch,
        title=title,
        author="Readiness",
        # Identical input makes identical bytes (no creation date or random id inside).
        invariant=1,
    )

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor(GREY))
        canvas.drawString(margin, 0.35 * inch, footer)
        canvas.drawRightString(LETTER[0] - margin, 0.35 * inch, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
