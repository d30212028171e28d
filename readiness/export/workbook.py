"""The write-only workbook: openpyxl builds the package and each sheet's frame, rows are ours.

openpyxl (write-only mode) writes the workbook, the styles and each worksheet's frame:
column widths, frozen header pane, autofilter, print titles and landscape page setup.
The rows themselves are serialised here, for two reasons:

* Safety: openpyxl infers a cell's type from its value, turning text that starts
  with "=" into a formula and "#N/A" into an error. Here a cell's type comes from
  the Python type of its value: text is always an inline string (`t="inlineStr"`),
  so nothing an inspector opens can compute, link or call out.
* Speed: openpyxl spends most of an export in its per-cell writer (an lxml element
  per cell); building each row's XML as one string is several times cheaper, which
  leaves room for the database reads and the hashing within the benchmark's budget.

The rows go to a temporary file and are spliced into the frame's empty <sheetData>
when the sheet is closed; memory stays bounded whatever the number of rows.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from readiness.export import styles
from readiness.export.cells import CellValue, Toned
from readiness.export.layout import Column, SheetSpec, check_sheet_name, lines_needed

# The frame openpyxl writes for a sheet to which no row was appended.
_EMPTY_DATA: Final = ("<sheetData></sheetData>", "<sheetData/>", "<sheetData />")
_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SPECIAL: Final = re.compile("[&<>\r]")
# Distinct cell values remembered per sheet, and the longest text worth remembering.
TAIL_CACHE: Final = 20_000
CACHED_TEXT: Final = 200
# Extra tones for the cover's title, section headings and labels.
_TEXT_TONES: Final = {
    "header": {
        "font": styles.HEADER_FONT,
        "fill": styles.HEADER_FILL,
        "alignment": styles.HEADER_ALIGNMENT,
    },
    "title": {"font": styles.TITLE_FONT},
    "section": {"font": styles.SECTION_FONT},
    "label": {"font": styles.LABEL_FONT, "alignment": styles.TOP_ALIGNMENT},
    "top": {"alignment": styles.TOP_ALIGNMENT},
    "prose": {"alignment": styles.PROSE_ALIGNMENT},
    "none": {},
}


class StyleIds:
    """The workbook's cell style numbers: dates, date-times, tones."""

    def __init__(self, book: Workbook) -> None:
        self._sheet = WriteOnlyWorksheet(parent=book, title="styles")
        self._ids: dict[tuple[str | None, type], int] = {}

    def of(self, tone: str | None, kind: type) -> int:
        """The style number of a value of `kind` with `tone` (0: no style)."""
        key = (tone, kind)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = self._register(tone, kind)
        return found

    def _register(self, tone: str | None, kind: type) -> int:
        style: dict[str, Any] = {}
        # A tone may combine a colour and a text style: "bad+prose".
        for part in tone.split("+") if tone else ():
            if part in styles.TONES:
                style["fill"], style["font"] = styles.TONES[part]
            else:
                style.update(_TEXT_TONES[part])
        if kind is datetime:
            style["number_format"] = styles.DATETIME_FORMAT
        elif kind is date:
            style["number_format"] = styles.DATE_FORMAT
        if not style:
            return 0
        cell = Cell(self._sheet)
        for name, value in style.items():
            setattr(cell, name, value)
        return int(cell.style_id)


def _text_tail(text: str, style: int) -> str:
    """What follows `<c r="A1"` for a text cell: always an inline string, never a formula."""
    shown = text.translate(_ESCAPES) if _SPECIAL.search(text) else text
    space = ' xml:space="preserve"' if text != text.strip() else ""
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is><t{space}>{shown}</t></is></c>'


def _number_tail(value: float, style: int) -> str:
    """What follows `<c r="A1"` for a number (dates are numbers with a date style)."""
    s = f' s="{style}"' if style else ""
    shown = str(value) if type(value) is int else f"{value:.16g}"
    return f"{s}><v>{shown}</v></c>"


class RowWriter:
    """Serialises rows of one sheet as worksheet XML into a temporary file."""

    def __init__(self, style_ids: StyleIds, columns: tuple[Column, ...]) -> None:
        self.styles = style_ids
        self.letters = [get_column_letter(n) for n in range(1, len(columns) + 1)]
        self.status = [column.kind == "status" for column in columns]
        # Closed by splice_into, once the rows are copied into the sheet's frame.
        self.out: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0
        # Cell XML by value: site codes, names, questions, dates repeat row after row.
        self.tails: dict[tuple[object, str | None, bool], str] = {}

    def write(
        self, row: list[CellValue | Toned], tone: str | None = None, height: float | None = None
    ) -> None:
        """Append one row of clean values; `tone` styles every cell of it; `height` in points
        (for wrapped text: spreadsheet programs do not all grow rows to fit it)."""
        self.count += 1
        number = str(self.count)
        tails = self.tails
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        parts = [f'<row r="{number}"{tall}>']
        for letter, is_status, value in zip(self.letters, self.status, row, strict=False):
            if value is None:
                continue
            key = (value, tone, is_status)
            tail = tails.get(key)
            if tail is None:
                tail = self._tail(value, tone, is_status)
                if len(tails) >= TAIL_CACHE:
                    tails.clear()
                if type(value) is not str or len(value) <= CACHED_TEXT:
                    tails[key] = tail
            parts.append(f'<c r="{letter}{number}"{tail}')
        parts.append("</row>")
        self.out.write("".join(parts))

    def _tail(self, value: CellValue | Toned, tone: str | None, is_status: bool) -> str:
        if type(value) is Toned:
            value, tone = value.value, value.tone  # type: ignore[union-attr]
        elif is_status and type(value) is str:
            tone = styles.STATUS_TONES.get(value, tone)
        kind = type(value)
        style = self.styles.of(tone, kind) if tone is not None or kind in _DATED else 0
        if kind is str:
            return _text_tail(value, style)  # type: ignore[arg-type]
        if kind is int or kind is float:
            return _number_tail(value, style)  # type: ignore[arg-type]
        if kind is datetime or kind is date:
            return _number_tail(to_excel(value), style)
        raise TypeError(f"an export cell cannot hold {kind.__name__}")

    def splice_into(self, frame: Path) -> None:
        """Put the rows in place of the frame's empty sheetData."""
        text = frame.read_text(encoding="utf-8")
        for empty in _EMPTY_DATA:
            head, found, tail = text.partition(empty)
            if found:
                break
        else:
            raise RuntimeError(f"no empty sheetData in {frame.name}: openpyxl changed its output")
        self.out.seek(0)
        with frame.open("w", encoding="utf-8") as target:
            target.write(head + "<sheetData>")
            shutil.copyfileobj(self.out, target, 1 << 20)
            target.write("</sheetData>" + tail)
        self.out.close()


_DATED: Final = (date, datetime)


class Sheet:
    """One worksheet being written: openpyxl's frame plus our rows."""

    def __init__(
        self,
        book: Workbook,
        style_ids: StyleIds,
        name: str,
        columns: tuple[Column, ...],
        *,
        portrait: bool = False,
    ):
        self.sheet = book.create_sheet(check_sheet_name(name))
        for number, column in enumerate(columns, 1):
            self.sheet.column_dimensions[get_column_letter(number)].width = column.width
        fit_to_width(self.sheet, "portrait" if portrait else "landscape")
        self.columns = columns
        self.rows = RowWriter(style_ids, columns)

    def table(self) -> None:
        """Frozen header row, printed on every page."""
        self.sheet.freeze_panes = "A2"
        self.sheet.print_title_rows = "1:1"

    def close(self, *, autofilter: bool = True) -> None:
        """Finish the frame (autofilter over the rows written) and splice the rows in."""
        if autofilter:
            last = get_column_letter(len(self.columns))
            self.sheet.auto_filter.ref = f"A1:{last}{max(self.rows.count, 1)}"
        self.sheet.close()
        self.rows.splice_into(Path(self.sheet._writer.out))


class ExcelSink:
    """Puts each part of a sheet in its own worksheet: header styled, frozen, filtered."""

    def __init__(self, book: Workbook, style_ids: StyleIds) -> None:
        self.book = book
        self.style_ids = style_ids
        self.current: Sheet | None = None

    def open_part(self, spec: SheetSpec, name: str) -> None:
        """A new worksheet with its header row."""
        self.current = Sheet(self.book, self.style_ids, name, spec.columns)
        self.current.table()
        # Bold header text runs wider than the body's: count on less per line.
        lines = max(lines_needed(c.header, c.width * 0.85) for c in spec.columns)
        height = lines * styles.LINE_POINTS if lines > 1 else None
        self.current.rows.write(list(spec.headers), tone="header", height=height)

    def write(self, row: list[CellValue | Toned]) -> None:
        """Append one row of clean values."""
        assert self.current is not None
        self.current.rows.write(row)

    def close_part(self, rows: int) -> None:
        """Close the worksheet."""
        assert self.current is not None
        self.current.close()
        self.current = None


def new_book() -> tuple[Workbook, StyleIds]:
    """An empty write-only workbook and its style numbers."""
    book = Workbook(write_only=True)
    return book, StyleIds(book)


def fit_to_width(sheet: WriteOnlyWorksheet, orientation: str) -> None:
    """Pages one page wide (as many long as needed), in the given orientation."""
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def save(book: Workbook, target: str | Path | IO[bytes]) -> None:
    """Write the workbook to a path or a binary file object."""
    book.save(target)
