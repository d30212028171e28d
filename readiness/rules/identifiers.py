"""Patient identifiers in free text: what looks like one, so no form or file stores it.

Patients appear in this system only as a pseudonymous case reference (C-2026-0042).
`find_identifiers` screens free text (an incident's description, a drill's debrief,
a checklist note...) and returns every finding with its kind and the matched text,
so a caller can say what it found and what to write instead (`refusal`).

What counts, and why:
- a date that could be a birth date: any date-like text (04/12/1985, 1985-04-12,
  12 Apr 1985, April 12, 1985) whose every reading lies at least `MIN_AGE_YEARS`
  before `today` and within `MAX_AGE_YEARS`. Recent dates are the clinic's own
  records (a follow-up on 2026-03-12) and pass; an old date in a note (a laser bought
  in 2010) is refused too, a price paid for not missing a birth date;
- phone numbers (555-867-5309, (555) 867-5309, +44 20 7946 0958, or digits after
  "tel", "phone", "cell", "mobile");
- e-mail addresses; SSN patterns (123-45-6789);
- record numbers: "MRN 12345", "medical record number 12345";
- the words DOB, date of birth, born on, patient name, MRN, medical record number, SSN.

Limits: a bare name ("Jane Doe") cannot be told from a device or a place reliably
and is not detected; nor is a bare year, a 10-digit number without separators or
words, or an address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from readiness.errors import UserError

# A birth date makes the person at least this old (a date within it is a record's date).
MIN_AGE_YEARS: Final = 12
MAX_AGE_YEARS: Final = 120
WITHHELD: Final = "[withheld: possible identifier]"
EXAMPLE_CASE_REF: Final = "C-2026-0014"
# What the forms say under each free-text field, before anyone types.
FREE_TEXT_CAPTION: Final = (
    "No patient names, dates of birth, phone numbers, e-mail or record numbers:"
    f" refer to a patient only by a case reference such as {EXAMPLE_CASE_REF}."
)

BIRTH_DATE: Final = "date of birth"
PHONE: Final = "phone number"
EMAIL: Final = "e-mail address"
SSN: Final = "social security number"
MRN: Final = "medical record number"
WORD: Final = "patient identifier"

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH: Final = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD: Final = r"(?:st|nd|rd|th)?"

# Date shapes; a dot separator only with a four-digit year (10.4.12 is a version).
_DATES: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?<![\d.])(?P<y>\d{4})(?P<s>[-/.])(?P<a>\d{1,2})(?P=s)(?P<b>\d{1,2})(?![\d.]*\d)",
        r"(?<![\d.])(?P<a>\d{1,2})(?P<s>[-/])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?!\d)",
        r"(?<![\d.])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>\d{4})(?![\d.]*\d)",
        rf"\b(?P<a>\d{{1,2}}){_ORD}[\s-]+{_MONTH}[\s,-]+(?P<y>\d{{4}})\b",
        rf"\b{_MONTH}\s+(?P<a>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b",
    )
)
# Kind, pattern: earlier kinds win where two overlap (123-45-6789 is an SSN, not a phone).
_PATTERNS: Final = (
    # Starts only where a run of address characters starts: tried from inside a long run,
    # the local part would rescan the rest of it from every position (quadratic time).
    (EMAIL, re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (SSN, re.compile(r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])")),
    (
        MRN,
        re.compile(
            r"\b(?:MRN|MR\s*#|medical\s+record(?:\s+(?:number|no\.?|#))?)\s*[:#.]?\s*\d[\d-]{2,}",
            re.IGNORECASE,
        ),
    ),
    (
        PHONE,
        re.compile(
            r"\b(?:tel|telephone|phone|cell|mobile)\.?\s*[:#.]?\s*(?P<n>\+?\d[\d\s().-]{5,}\d)"
            r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\d)"
            r"|(?<![\d-])(?:\+?1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])",
            re.IGNORECASE,
        ),
    ),
    (
        WORD,
        re.compile(
            r"\b(?:D\.?O\.?B\b\.?|date\s+of\s+birth|birth\s*date|born\s+on"
            r"|patient'?s?\s+(?:full\s+)?name|MRN|medical\s+record\s+(?:number|no\b\.?)"
            r"|SSN|social\s+security)",
            re.IGNORECASE,
        ),
    ),
)

# Every finding holds a digit, an @ or one of these words: anything else is skipped at once.
_WORTH_A_LOOK: Final = re.compile(
    r"[\d@]|d\.?o\.?b|birth|born|patient|mrn|ssn|social|medical", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    """Something in a text that looks like a patient identifier: its kind and the text."""

    kind: str
    text: str
    start: int = 0

    def __str__(self) -> str:
        if self.kind == WORD:
            return f"names a {WORD}: {self.text}"
        article = "an" if self.kind[0] in "aeiou" else "a"
        return f"looks like {article} {self.kind}: {self.text}"


def find_identifiers(text: str | None, today: date) -> list[Finding]:
    """Every finding in `text`, in reading order; none for clinical text or recent dates."""
    if not text or not _WORTH_A_LOOK.search(text):
        return []
    return list(_findings(text, today))


@lru_cache(maxsize=4096)  # exports screen many repeated short answers ("pass", "950")
def _findings(text: str, today: date) -> tuple[Finding, ...]:
    spans: list[tuple[int, int, str]] = []
    candidates = [
        *((m.start(), m.end(), BIRTH_DATE) for m in _birth_dates(text, today)),
        *((*_span(m), kind) for kind, pattern in _PATTERNS for m in pattern.finditer(text)),
    ]
    for start, end, kind in candidates:  # in priority order: keep the first of overlaps
        if all(end <= s or start >= e for s, e, _kind in spans):
            spans.append((start, end, kind))
    return tuple(Finding(kind, text[s:e].strip(), s) for s, e, kind in sorted(spans))


def _span(match: re.Match[str]) -> tuple[int, int]:
    """Where the finding is: the number after "tel", else the whole match."""
    if "n" in match.re.groupindex and match.group("n"):
        return match.span("n")
    return match.span()


def refusal(field: str, text: str | None, today: date) -> str | None:
    """The sentence refusing `text` for `field`, or None when nothing was found."""
    findings = find_identifiers(text, today)
    if not findings:
        return None
    said = "; ".join(map(str, findings)) + "; " + advice(findings)
    return f"{field} {said}" if field else said


def check_free_text(fields: Mapping[str, str | None], today: date) -> None:
    """Raise UserError naming every field (label -> text) that holds a possible identifier."""
    refused = [why for label, text in fields.items() if (why := refusal(label, text, today))]
    if refused:
        raise UserError(" / ".join(refused))


def advice(findings: Iterable[Finding]) -> str:
    """What to write instead of what was found."""
    kinds = {finding.kind for finding in findings}
    leave_out = [
        words
        for words, of in (
            ("contact details", {PHONE, EMAIL}),
            ("date of birth", {BIRTH_DATE}),
            ("record or social security numbers", {MRN, SSN}),
            ("patient details", {WORD}),
        )
        if kinds & of
    ]
    listed = (
        ", ".join(leave_out[:-1]) + " or " + leave_out[-1] if len(leave_out) > 1 else leave_out[0]
    )
    dates = " (dates of this clinic's own records are fine)" if BIRTH_DATE in kinds else ""
    return f"write a pseudonymous case reference such as {EXAMPLE_CASE_REF} and no {listed}{dates}"


def _birth_dates(text: str, today: date) -> Iterator[re.Match[str]]:
    """Date-like matches whose every reading is a plausible birth date."""
    for pattern in _DATES:
        for match in pattern.finditer(text):
            readings = _readings(match, today)
            if readings and all(_could_be_born(day, today) for day in readings):
                yield match


def _readings(match: re.Match[str], today: date) -> list[date]:
    """The valid dates a match can stand for (04/12/1985: 12 April or 4 December)."""
    groups = match.groupdict()
    year = _year(groups["y"], today)
    if groups.get("mon"):
        pairs = [(_MONTHS[groups["mon"].lower()], int(groups["a"]))]
    elif len(groups["y"]) == 4 and match.start("y") == match.start():
        pairs = [(int(groups["a"]), int(groups["b"]))]  # year first: year-month-day
    else:
        a, b = int(groups["a"]), int(groups["b"])
        pairs = [(a, b), (b, a)]
    return [day for month, dom in pairs if (day := _date(year, month, dom)) is not None]


def _year(text: str, today: date) -> int:
    """A four-digit year as is; a two-digit one in the latest century not after today."""
    year = int(text)
    if len(text) == 4:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _could_be_born(day: date, today: date) -> bool:
    """At least MIN_AGE_YEARS before today (to the day) and at most MAX_AGE_YEARS."""
    return _years_before(today, MAX_AGE_YEARS) <= day <= _years_before(today, MIN_AGE_YEARS)


def _years_before(today: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)
