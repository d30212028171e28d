"""The look of the workbook: header, date formats and the red/amber/green status fills."""

from __future__ import annotations

from typing import Final

from openpyxl.styles import Alignment, Font, PatternFill

DATE_FORMAT: Final = "yyyy-mm-dd"
DATETIME_FORMAT: Final = "yyyy-mm-dd hh:mm"

HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
HEADER_FILL: Final = PatternFill("solid", fgColor="1F4E78")
HEADER_ALIGNMENT: Final = Alignment(wrap_text=True, vertical="center")
PROSE_ALIGNMENT: Final = Alignment(wrap_text=True, vertical="top")
TITLE_FONT: Final = Font(bold=True, size=16)
LABEL_FONT: Final = Font(bold=True)
TOP_ALIGNMENT: Final = Alignment(vertical="top")
# Points per printed line of 11-point text, and the row height of a 16-point title.
LINE_POINTS: Final = 15.0
TITLE_POINTS: Final = 22.0
SECTION_FONT: Final = Font(bold=True, size=12, color="1F4E78")

# Excel's own "Bad", "Neutral" and "Good" cell styles: familiar to inspectors.
TONES: Final = {
    "bad": (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006")),
    "warn": (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
    "good": (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100")),
}

# The tone of each word a status column can hold; other words stay uncoloured.
STATUS_TONES: Final = {
    "failed": "bad",
    "overdue": "bad",
    "expired": "bad",
    "missing": "bad",
    "missed": "bad",
    "fail": "bad",
    "voided": "bad",
    "critical": "bad",
    "open": "warn",
    "due_soon": "warn",
    "late": "warn",
    "superseded": "warn",
    "major": "warn",
    "yes": "warn",
    "ok": "good",
    "done": "good",
    "pass": "good",
    "closed": "good",
    "in_service": "good",
    "out_of_service": "warn",
}
