"""Read a workbook's cells straight from its sheet XML, streaming, as verify needs them.

Each worksheet part is parsed with lxml's iterparse (elements cleared as they are
read, so memory stays flat), giving each row's values as the export wrote them: text,
numbers, dates (a number whose cell style has a date format; "yyyy-mm-dd" reads as a
date, any other date format as a date-time to the second). It reads any .xlsx, not only
the export's own: shared strings, rich text, booleans and errors (typed apart from
text), and cells holding formulas are reported.

For the rows the export writes itself (`readiness.export.workbook`), a stricter,
faster path decodes each row with one regular expression; a sheet with a single row it
does not recognise entirely is read again by iterparse, so both paths give the same
values.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Final, TypeVar

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel

from readiness.export.cells import CellValue
from readiness.export.styles import DATE_FORMAT

MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _CELL, _VALUE, _FORMULA = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}f"
_INLINE, _TEXT, _RUN = f"{MAIN}is", f"{MAIN}t", f"{MAIN}r"
_COLUMN: Final = re.compile(r"[A-Z]+")
_UNESCAPE: Final = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#13;": "\r", "&quot;": '"'}
_ENTITY: Final = re.compile("&(?:amp|lt|gt|quot|#13);")

T = TypeVar("T")

# How a style shows a number: as a date, a date-time, or a plain number.
DAY, MOMENT, NUMBER = "date", "datetime", "number"


@dataclass
class Sheet:
    """One worksheet: its name, its part in the package, and the formulas found in it."""

    name: str
    part: str
    formulas: list[str] = field(default_factory=list)


class Workbook:
    """An open .xlsx package: its sheets in tab order, styles and shared strings."""

    def __init__(self, path: str | Path | IO[bytes]) -> None:
        self.package = zipfile.ZipFile(path)
        self.sheets = self._sheets()
        self.kinds = self._number_kinds()
        self.strings: list[str | None] = self._shared_strings()

    def close(self) -> None:
        """Close the package."""
        self.package.close()

    def names(self) -> list[str]:
        """Every part name in the package."""
        return self.package.namelist()

    def _sheets(self) -> list[Sheet]:
        book = etree.fromstring(self.package.read("xl/workbook.xml"))
        rels = etree.fromstring(self.package.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PACKAGE_REL}Relationship")}
        found = []
        for sheet in book.iter(f"{MAIN}sheet"):
            target = str(targets[sheet.get(f"{REL}id")])
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            found.append(Sheet(str(sheet.get("name")), str(PurePosixPath(part))))
        return found

    def _number_kinds(self) -> list[str]:
        """For each cell style number: how a number in it reads (date, date-time, number)."""
        if "xl/styles.xml" not in self.package.namelist():
            return []
        styles = etree.fromstring(self.package.read("xl/styles.xml"))
        formats = dict(BUILTIN_FORMATS)
        for fmt in styles.iter(f"{MAIN}numFmt"):
            formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
        kinds = []
        xfs = styles.find(f"{MAIN}cellXfs")
        for xf in xfs if xfs is not None else ():
            code = formats.get(int(xf.get("numFmtId", "0")), "General")
            kinds.append(
                (DAY if code == DATE_FORMAT else MOMENT) if is_date_format(code) else NUMBER
            )
        return kinds

    def _shared_strings(self) -> list[str | None]:
        if "xl/sharedStrings.xml" not in self.package.namelist():
            return []
        found: list[str | None] = []
        with self.package.open("xl/sharedStrings.xml") as stream:
            for _, item in etree.iterparse(stream, tag=f"{MAIN}si"):
                found.append(_text_of(item))
                item.clear()
        return found

    def read(self, sheet: Sheet, consume: Callable[[Iterable[list[CellValue]]], T]) -> T:
        """`consume` the sheet's rows (from row 1, gaps as empty rows), streamed.

        The fast path runs first; when it meets a row it does not know, `consume` is
        called again from the start with the rows iterparse gives."""
        try:
            with self.package.open(sheet.part) as stream:
                return consume(_FastRows(self).read(stream))
        except _Unrecognised:
            pass
        sheet.formulas.clear()
        with self.package.open(sheet.part) as stream:
            return consume(self._parsed_rows(stream, sheet))

    def _parsed_rows(self, stream: IO[bytes], sheet: Sheet) -> Iterator[list[CellValue]]:
        expected = 1
        for _, row in etree.iterparse(stream, tag=_ROW):
            number = int(row.get("r") or expected)
            while expected < number:  # rows left out of the file are empty
                yield []
                expected += 1
            values: list[CellValue] = []
            for cell in row.iterchildren(_CELL):
                where = cell.get("r")
                column = _column_of(where)
                if column:
                    values.extend([None] * (column - 1 - len(values)))
                if cell.find(_FORMULA) is not None:
                    sheet.formulas.append(where or f"row {number}")
                values.append(self._value(cell))
            yield values
            expected = number + 1
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]

    def _value(self, cell: etree._Element) -> CellValue:
        formula = cell.findtext(_FORMULA)
        if formula is not None:
            return f"={formula}"  # as openpyxl reads a formula cell
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return _text_of(inline) if inline is not None else None
        raw = cell.findtext(_VALUE)
        if not raw:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "str":
            return raw
        if kind == "n":
            return self.number(raw, int(cell.get("s", "0")))
        # Booleans, errors, dates as text: never written by the export.
        return f"{ {'b': 'bool', 'e': 'error'}.get(kind, kind) }:{raw}"

    def number(self, raw: str, style: int) -> CellValue:
        """A number cell's value: int, float, or a date or date-time by its style."""
        kind = self.kinds[style] if style < len(self.kinds) else NUMBER
        # As openpyxl reads it: a float when written with a point or an exponent.
        value = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
        if kind == NUMBER:
            return value
        found = from_excel(value)
        if kind == DAY:
            return found.date() if isinstance(found, datetime) else found
        return _to_second(found)


def _column_of(where: str | None) -> int:
    """The column number of a cell reference ("C12" -> 3); 0 when the cell has none."""
    found = _COLUMN.match(where) if where else None
    return column_index_from_string(found.group()) if found else 0


def _to_second(value: datetime | date | object) -> CellValue:
    """A date-time rounded to the second the export wrote (Excel keeps days as a float)."""
    if not isinstance(value, datetime):
        return value if isinstance(value, date) else str(value)
    if value.microsecond >= 500_000:
        value += timedelta(seconds=1)
    return value.replace(microsecond=0)


def _text_of(node: etree._Element) -> str | None:
    """The text of an inline or shared string: its <t>, or its rich-text runs joined."""
    plain = node.find(_TEXT)
    if plain is not None:
        return plain.text or None
    runs = [run.findtext(_TEXT) or "" for run in node.iterchildren(_RUN)]
    return "".join(runs) or None


# --- the fast path: rows exactly as readiness.export.workbook writes them -----------------

_ROW_TEXT: Final = re.compile(
    r'<row r="(\d+)"(?: ht="[0-9.]+" customHeight="1")?>(.*?)</row>', re.S
)
_CELL_TEXT: Final = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?:( t="inlineStr"><is><t(?: xml:space="preserve")?>)'
    r"([^<]*)</t></is>|><v>([^<]*)</v>)</c>"
)
CHUNK: Final = 1 << 20
_OPENING: Final = "<sheetData>"


class _Unrecognised(Exception):
    """The sheet's XML is not the export's own row format: read it with iterparse."""


class _FastRows:
    """Decodes the export's own row XML; raises _Unrecognised at anything it does not know."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.columns: dict[str, int] = {}
        self.numbers: dict[tuple[str, str | None], CellValue] = {}

    def read(self, stream: IO[bytes]) -> Iterator[list[CellValue]]:
        """Every row of the part, in order."""
        head = stream.read(CHUNK).decode("utf-8", "replace")
        start = head.find(_OPENING)
        if start < 0:
            raise _Unrecognised
        buffer = head[start + len(_OPENING) :]
        pending = b""
        expected = 1
        while True:
            end = buffer.rfind("</row>")
            if end >= 0:
                complete, buffer = buffer[: end + 6], buffer[end + 6 :]
                for number, values in self._rows(complete):
                    if number < expected:
                        raise _Unrecognised
                    for _ in range(number - expected):
                        yield []
                    yield values
                    expected = number + 1
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            data = pending + chunk
            try:
                buffer += data.decode("utf-8")
                pending = b""
            except UnicodeDecodeError as error:  # a character split across two chunks
                if error.start < len(data) - 3:
                    raise _Unrecognised from None
                buffer += data[: error.start].decode("utf-8")
                pending = data[error.start :]
        if pending or not buffer.startswith("</sheetData>"):
            raise _Unrecognised

    def _rows(self, xml: str) -> Iterator[tuple[int, list[CellValue]]]:
        position = 0
        for match in _ROW_TEXT.finditer(xml):
            if match.start() != position:
                raise _Unrecognised
            position = match.end()
            yield int(match.group(1)), self._cells(match.group(2))
        if position != len(xml):
            raise _Unrecognised

    def _cells(self, xml: str) -> list[CellValue]:
        values: list[CellValue] = []
        position = 0
        columns, numbers = self.columns, self.numbers
        for match in _CELL_TEXT.finditer(xml):
            if match.start() != position:
                raise _Unrecognised
            position = match.end()
            letter, style, inline, text, number = match.groups()
            column = columns.get(letter)
            if column is None:
                column = columns[letter] = column_index_from_string(letter)
            if column <= len(values):
                raise _Unrecognised
            if column > len(values) + 1:
                values.extend([None] * (column - 1 - len(values)))
            if inline:
                values.append(_text(text))
                continue
            key = (number, style)
            value = numbers.get(key)
            if value is None:
                value = numbers[key] = self.book.number(number, int(style or 0))
            values.append(value)
        if position != len(xml):
            raise _Unrecognised
        return values


def _text(xml: str) -> str | None:
    """Inline text as the export escapes it; any other entity is not ours."""
    if "&" in xml:
        found = _ENTITY.findall(xml)
        if len(found) != xml.count("&"):
            raise _Unrecognised
        xml = _ENTITY.sub(_unescape, xml)
    return xml or None


def _unescape(match: re.Match[str]) -> str:
    return _UNESCAPE[match.group()]
