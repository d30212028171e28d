"""Cell values of the export: safe text, and the canonical form the manifest hashes.

Every value a sheet yields is one of `CellValue` (or a `Toned` wrapper that only adds
a colour). Text is made safe *before* it is written and hashed, so that the hash is
over exactly what the cell holds: XML-illegal control characters become visible
Unicode "control pictures" (U+0000 shows as ␀), and text longer than Excel's cell
limit is cut with a visible marker. Free-text cells that look like they hold a
patient identifier are withheld (`screened_rows`) and counted on the cover.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Final, NamedTuple

from readiness.rules.identifiers import WITHHELD, find_identifiers

CellValue = str | int | float | date | datetime | None

# Excel's limit, counted in UTF-16 code units (an emoji counts two).
MAX_CELL_CHARS: Final = 32_767
# Characters XML 1.0 cannot carry: C0 controls other than tab/LF/CR, lone surrogates,
# U+FFFE and U+FFFF. openpyxl raises IllegalCharacterError on the first group.
_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT: Final = "\ufffd"


class Toned(NamedTuple):
    """A value with a colour: "bad" (red), "warn" (amber) or "good" (green)."""

    value: CellValue
    tone: str


def _picture(match: re.Match[str]) -> str:
    """The visible stand-in of one illegal character."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else REPLACEMENT


def _utf16_length(text: str) -> int:
    """Length as Excel counts it."""
    return len(text.encode("utf-16-le")) // 2


def _truncated(text: str) -> str:
    """Text cut to Excel's limit, ending with a marker that gives the full length."""
    marker = f" … [truncated: {len(text):,} characters in total]"
    room = MAX_CELL_CHARS - len(marker)
    # Cut in UTF-16 units; "ignore" drops half of a pair split at the cut.
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", "ignore")
    return kept + marker


def safe_text(text: str) -> str | None:
    """Text as it is written: visible stand-ins for illegal characters, cut at the limit.

    Empty text is None: Excel keeps no empty strings, so the read-back would differ.
    """
    if not text:
        return None
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(_picture, text)
    # A str of at most 16,383 code points cannot exceed 32,767 UTF-16 units.
    if len(text) > MAX_CELL_CHARS // 2 and _utf16_length(text) > MAX_CELL_CHARS:
        text = _truncated(text)
    return text


def clean_row(row: Sequence[CellValue | Toned]) -> list[CellValue | Toned]:
    """A row with its text made safe (Toned values keep their tone)."""
    out: list[CellValue | Toned] = []
    for value in row:
        kind = type(value)
        if kind is str:
            out.append(safe_text(value))  # type: ignore[arg-type]
        elif kind is Toned:
            inner = value.value  # type: ignore[union-attr]
            if type(inner) is str:
                inner = safe_text(inner)
            out.append(None if inner is None else Toned(inner, value.tone))  # type: ignore[union-attr]
        else:
            out.append(value)
    return out


# --- patient identifiers ------------------------------------------------------------

# Columns of free text (by header), screened again at export: records written before
# the forms refused identifiers, or straight into the database, must not carry them out.
FREE_TEXT_COLUMNS: Final = frozenset(
    {
        "Description",
        "Actions taken",
        "Referral",
        "Follow-ups",
        "Protocol followed",  # carries the reason none was followed
        "Debrief",
        "Notes",
        "Resolution",
        "Answer",
        "Note",
        "Failed items",
        "Run note",
    }
)
# The audit trail repeats those texts in its before/after columns, for these records only
# (staff e-mails and site phone numbers elsewhere in the trail are not patients').
TRAIL_COLUMNS: Final = frozenset({"Reason", "Summary", "Canonical JSON (sealed by the event hash)"})
TRAIL_RECORD_TYPE: Final = "Record type"
# The audit trail's record types (in words) whose snapshots carry free text.
FREE_TEXT_RECORDS: Final = frozenset(
    {
        "incident",
        "incident follow-up",
        "drill",
        "checklist run",
        "corrective action",
        "service event",
    }
)
WITHHELD_TALLY: Final = "withheld identifiers"


def screened_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue | Toned]],
    tally: Counter[str],
    today: date,
) -> Iterator[Sequence[CellValue | Toned]]:
    """Rows whose free-text cells that trip the identifier detector read WITHHELD (counted)."""
    always = [i for i, header in enumerate(headers) if header in FREE_TEXT_COLUMNS]
    trail = [i for i, header in enumerate(headers) if header in TRAIL_COLUMNS]
    kind_at = headers.index(TRAIL_RECORD_TYPE) if TRAIL_RECORD_TYPE in headers else None
    if not always and (kind_at is None or not trail):
        yield from rows
        return
    for row in rows:
        columns = always
        if kind_at is not None and _plain(row[kind_at]) in FREE_TEXT_RECORDS:
            columns = always + trail
        hits = [i for i in columns if _trips(row[i], today)]
        if hits:
            tally[WITHHELD_TALLY] += len(hits)
            row = [WITHHELD if i in hits else value for i, value in enumerate(row)]
        yield row


def _plain(value: CellValue | Toned) -> CellValue:
    return value.value if isinstance(value, Toned) else value


def _trips(value: CellValue | Toned, today: date) -> bool:
    """True for text holding something that looks like a patient identifier."""
    text = _plain(value)
    return isinstance(text, str) and bool(find_identifiers(text, today))


# --- canonical form -----------------------------------------------------------------


def _same(value: object) -> object:
    return value


def _float(value: float) -> object:
    """A float as Excel gives it back: written with 16 significant digits, ints as ints."""
    shown = float(f"{value:.16g}")
    return int(shown) if shown.is_integer() else shown


def _datetime(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _date(value: date) -> str:
    return value.isoformat()


def _toned(value: Toned) -> object:
    return canonical(value.value)


_CANONICAL: Final[dict[type, Callable[..., object]]] = {
    str: _same,
    int: _same,
    type(None): _same,
    float: _float,
    datetime: _datetime,
    date: _date,
    Toned: _toned,
}


def canonical(value: object) -> object:
    """The JSON value standing for a cell: text, number, ISO date or date-time, or null."""
    try:
        convert = _CANONICAL[type(value)]
    except KeyError:
        raise TypeError(f"an export cell cannot hold {type(value).__name__}: {value!r}") from None
    return convert(value)


_AS_IS: Final = frozenset({str, int, type(None)})


def line_of(values: Sequence[object]) -> bytes:
    """One row's canonical line: a JSON array without trailing nulls, then a newline."""
    items = [value if type(value) in _AS_IS else canonical(value) for value in values]
    while items and items[-1] is None:
        items.pop()
    return (json.dumps(items, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
