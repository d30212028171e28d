"""Words for people: requirement and scenario titles, status words, headers, plurals, cells.

The read models keep codes (requirement ids, status codes, snake_case columns) so that
exports and tests can rely on them; the dashboard shows every table through `plain`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

import pandas as pd

from readiness.policy.pack import Policy

STATUS_WORDS: Final = {
    "failed": "Failed",
    "overdue": "Overdue",
    "expired": "Expired",
    "missing": "Missing",
    "due_soon": "Due soon",
    "expiring": "Expiring",
    "ok": "OK",
    "not_applicable": "Not applicable",
    "ready": "Ready",
    "NOT READY": "Not ready",
}
# Headers whose words are not simply the code's words.
HEADERS: Final = {
    "id": "#",
    "seq": "#",
    "at": "When (UTC)",
    "by": "By",
    "asset_id": "Asset",
    "staff_id": "Staff id",
    "full_name": "Name",
    "cert_type": "Certificate",
    "case_ref": "Case reference",
    "incident_type": "Type",
    "entity_id": "Record",
    "time_to_aed_s": "Seconds to AED",
    "time_to_epinephrine_s": "Seconds to epinephrine",
    "time_to_oxygen_s": "Seconds to oxygen",
    "days_left": "Days left",
    "window_days": "Window (days)",
    "expiry_derived": "Expiry from the policy",
    "possibly_reportable": "Possibly reportable",
    "record_state": "Record",
    "subject_type": "Subject type",
    "requirement_id": "Requirement id",
}
# Codes whose words are not the code with spaces.
WORDS: Final = {"aed": "AED", "lso": "LSO", "bls": "BLS", "acls": "ACLS", "pals": "PALS"}
CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
NULL_TEXT: Final = frozenset({"None", "nan", "NaN", "NaT", "<NA>"})
# Columns kept as codes on purpose: the raw id, for whoever needs to look it up.
RAW: Final = frozenset({"requirement_id"})


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 site", "2 sites", "1,204 items"."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def words(code: str) -> str:
    """A code as words: "laser_eye_exposure" -> "Laser eye exposure", "aed" -> "AED"."""
    if code in STATUS_WORDS:
        return STATUS_WORDS[code]
    parts = [WORDS.get(part, part) for part in code.split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def header(name: str, titles: dict[str, str] | None = None) -> str:
    """A column header in words (a requirement or scenario code becomes its title)."""
    if titles and name in titles:
        return titles[name]
    if name in HEADERS:
        return HEADERS[name]
    return words(name) if name.islower() or "_" in name else name


def titles(policy: Policy) -> dict[str, str]:
    """Requirement id, scenario name or certificate type -> its title in the policy."""
    found = {code: kind.title for code, kind in policy.certificate_types.items()}
    found.update({rid: requirement.title for rid, requirement in policy.requirements.items()})
    found.update({name: scenario.title for name, scenario in policy.scenarios.items()})
    return found


def requirement_title(policy: Policy, requirement_id: str) -> str:
    """The requirement's title (the id itself when the policy no longer names it)."""
    found = policy.requirements.get(requirement_id)
    return found.title if found is not None else requirement_id


def scenario_title(policy: Policy, name: str) -> str:
    """The scenario's title (words of the name when the policy does not name it)."""
    found = policy.scenarios.get(name)
    return found.title if found is not None else words(name)


def cell(value: object, known: dict[str, str]) -> object:
    """One cell for people: titles for codes, status words, dates as dates, empty for none."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        return _when(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _text(value, known)
    if isinstance(value, list | tuple):
        return ", ".join(str(cell(v, known)) for v in value)
    return value


def _when(value: datetime) -> str:
    """The day when the time is midnight, else the minute (text: a column may have gaps)."""
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    zone = " UTC" if value.tzinfo is not None and value.utcoffset() == pd.Timedelta(0) else ""
    return f"{value:%Y-%m-%d %H:%M}{zone}"


def _text(value: str, known: dict[str, str]) -> str:
    """Codes as titles or words; "ok · 2026-03-01" -> "OK · 2026-03-01"; free text kept."""
    if value in NULL_TEXT:
        return ""
    head, sep, rest = value.partition(" · ")
    if head in known:
        head = known[head]
    elif head in STATUS_WORDS or CODE.fullmatch(head):
        head = words(head)
    elif head.startswith("NOT READY"):
        head = "Not ready" + head[len("NOT READY") :]
    return head + sep + rest


def plain(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The table as people read it: headers in words, codes as titles, no None/NaN/NaT."""
    if frame.empty:
        return frame.rename(columns=lambda c: header(str(c), titles(policy)))
    known = titles(policy)
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if column in RAW:
            values = values.astype(object).where(values.notna(), "")
        elif _needs_words(values):
            values = _one_type(values.astype(object).map(lambda v: cell(v, known)))
        shown[header(str(column), known)] = values
    return shown


def _needs_words(values: pd.Series) -> bool:
    """Text, flags, dates and columns with gaps are shown as words; plain numbers stay."""
    types = pd.api.types
    numbers = types.is_numeric_dtype(values) and not types.is_bool_dtype(values)
    return bool(not numbers or values.isna().any())


def _one_type(values: pd.Series) -> pd.Series:
    """All text when text and numbers mix (an empty cell among numbers): one type per column."""
    kinds = {type(value) for value in values}
    if str in kinds and len(kinds) > 1:
        return values.map(_number_text)
    return values


def _number_text(value: object) -> str:
    """12.0 -> "12"; text stays as it is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
