"""The cover: what the workbook is, in plain words, for an inspector opening it first.

What the practice is, the period, who prepared it, readiness per site and emergency
scenario on the period's last day (the engine's verdicts), what each status word
means, and a line for each sheet. The machine-readable parameters and the sheets'
fingerprints are on the last sheet (`readiness.export.manifest`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import date

from readiness.export.cells import WITHHELD_TALLY, CellValue, Toned, clean_row, line_of
from readiness.export.context import ExportContext
from readiness.export.layout import Column, base_name, text
from readiness.export.stream import SheetDigest
from readiness.export.verdicts import readiness
from readiness.rules.status import SEVERITY_ORDER, Status
from readiness.rules.wall_time import local

NAME = "Cover"
TITLE = "Emergency readiness — inspection workbook"
COLUMNS: tuple[Column, ...] = (text("", 34), text("", 100))
NO_PRACTICE = "(no practice name given)"
RETENTION = "Records kept for"
# Blocking items named per scenario line before "and N more".
BLOCKERS_SHOWN = 4

CoverRow = tuple[CellValue | Toned, ...]

# The engine's status words, what each means, and whether it makes a scenario not ready.
LEGEND: dict[Status, str] = {
    Status.FAILED: "The latest check, service, calibration or drill failed, or a label reading"
    " disagrees with the record. Blocks readiness until a passing one is recorded.",
    Status.OVERDUE: "The due date passed and the check, service or review was not done."
    " Blocks readiness.",
    Status.EXPIRED: "A card, pads, battery or medicine is past its expiry date. Blocks readiness.",
    Status.MISSING: "Nothing on file where a record, card, item or person is required."
    " Blocks readiness.",
    Status.DUE_SOON: "In order, but due or expiring within the policy's warning window."
    " Does not block readiness.",
    Status.OK: "In order on the period's last day.",
    Status.NOT_APPLICABLE: "Does not apply here (for example equipment out of service, or"
    " no children treated at the site).",
}
OTHER_WORDS = (
    (
        "done / missed / late",
        "Checklist log: a due checklist was signed, was not, or was signed after its due time.",
    ),
    ("pass / fail", "The result a checklist answer, service or drill recorded."),
    (
        "current / superseded / voided",
        "Record state: a corrected record stays visible,"
        " marked superseded (by its correction) or voided (with the reason).",
    ),
)
COLOURS = "Red cells need action, amber ones soon; green ones are in order."

# What each data sheet holds, in the order of the tabs.
SHEET_GUIDE: dict[str, str] = {
    "Summary": "Each requirement at each site: its status on the period's last day and the"
    " days it was out of compliance during the period.",
    "Equipment register": "Every device and kit: whether it complies on the period's last"
    " day (and why not), and whether it was in service.",
    "Service and calibration log": "Services, calibrations, inspections and repairs done in"
    " the period, with corrections.",
    "Stock and expiry": "Each lot of emergency medicine: expiry, units on hand at the"
    " period's end, units received, used and disposed of.",
    "Certifications": "Each staff member's certificates, with the status the compliance"
    " engine gives on the period's last day.",
    "Certification records": "Every certificate record in force during the period,"
    " corrections included.",
    "Drills": "Emergency drills held, who took part, times and debrief.",
    "Checklist log": "Every checklist due in the period: done, missed or late, signed by whom.",
    "Checklist items": "Every answer of every checklist, as the question was worded then.",
    "Incidents": "Incidents in the period, with follow-ups (no patient data).",
    "Corrective actions": "Actions opened by failed checks and incidents, and how they closed.",
    "Audit trail": "Every change to these records: when, who, what, which record, a one-line"
    " summary, and the sealed original.",
    "Manifest": "The export's parameters, each sheet's SHA-256 and how to check this file"
    " (readiness verify FILE.xlsx).",
}


def practice_name(ctx: ExportContext) -> str:
    """The practice's name as the cover prints it (given with --practice)."""
    return ctx.request.practice or NO_PRACTICE


def retention(ctx: ExportContext) -> str:
    """The policy's retention period, so the reader knows how long these records are kept."""
    years = ctx.policy.settings.retention_years
    return f"{years} years (policy settings.retention_years)"


def label(text_: str) -> Toned:
    return Toned(text_, "label")


def prose(text_: str) -> Toned:
    return Toned(text_, "prose")


def section(text_: str) -> list[CoverRow]:
    """A heading, after a blank row."""
    return [(), (Toned(text_, "section"),)]


def cover_rows(ctx: ExportContext, sheet_names: Sequence[str]) -> list[CoverRow]:
    """Every row of the cover, top to bottom."""
    return [
        *_about(ctx),
        *_readiness(ctx),
        *_legend(),
        *_guide(sheet_names),
        *_counts(ctx.tally),
    ]


def _about(ctx: ExportContext) -> list[CoverRow]:
    request = ctx.request
    name = practice_name(ctx)
    sites = "site" if len(ctx.sites) == 1 else f"{len(ctx.sites)} sites"
    rows: list[CoverRow] = [
        (Toned(TITLE, "title"),),
        (
            label("What this is"),
            prose(
                f"The emergency readiness records of {name} ({sites}) for"
                f" {_day(request.start)} to {_day(request.end)}, as kept in Readiness: the"
                " equipment and its checks, emergency medicines, staff certificates, drills,"
                " checklists, incidents and every change made to them. Statuses are those"
                " of the practice's compliance rules on the period's last day."
            ),
        ),
        (label("Practice"), name),
    ]
    for site in ctx.sites:
        where = f", {site.address}" if site.address else ""
        rows.append((label("Site"), prose(f"{site.code} — {site.name}{where}")))
    zones = ", ".join(sorted({site.tz for site in ctx.sites}))
    rows += [
        (label("Period"), f"{_day(request.start)} to {_day(request.end)} (site days, {zones})"),
        (label("Prepared"), _prepared(ctx)),
        (label(RETENTION), retention(ctx)),
    ]
    return rows


def _prepared(ctx: ExportContext) -> str:
    request = ctx.request
    at = request.generated_at_utc
    zone = ctx.sites[0].tz
    shown = local(at, zone)
    assert shown is not None
    when = f"{_day(shown.date())} at {shown:%H:%M} {zone} ({at:%Y-%m-%d %H:%M} UTC)"
    return f"{when} by {request.generated_by}" if request.generated_by else when


def _readiness(ctx: ExportContext) -> list[CoverRow]:
    """Per site and scenario: READY, or NOT READY and what blocks it."""
    rows: list[CoverRow] = [
        *section(f"Readiness on {_day(ctx.request.end)}, per site and emergency"),
    ]
    table = readiness(ctx)
    titles = {rid: r.title for rid, r in ctx.policy.requirements.items()}
    for site in ctx.sites:
        found = table[(table["site"] == site.code).to_numpy()]
        for scenario, ready, blocking in zip(
            found["scenario"], found["ready"], found["blocking"], strict=True
        ):
            title = ctx.policy.scenarios[scenario].title
            rows.append((label(site.code), _readiness_line(title, bool(ready), blocking, titles)))
    return rows


def _readiness_line(
    title: str, ready: bool, blocking: list[dict[str, str]], titles: dict[str, str]
) -> Toned:
    if ready:
        return Toned(f"{title}: READY", "good+prose")
    named = [
        f"{titles.get(b['requirement'], b['requirement'])} ({b['subject']}) {b['status']}"
        for b in blocking[:BLOCKERS_SHOWN]
    ]
    more = len(blocking) - BLOCKERS_SHOWN
    tail = f"; and {more} more (see Summary)" if more > 0 else ""
    return Toned(f"{title}: NOT READY — {'; '.join(named)}{tail}", "bad+prose")


def _legend() -> list[CoverRow]:
    rows: list[CoverRow] = [*section("What the status words mean"), (label("Colours"), COLOURS)]
    tone = {Status.DUE_SOON: "warn", Status.OK: "good", Status.NOT_APPLICABLE: "top"}
    for status in SEVERITY_ORDER:
        word = Toned(str(status), tone.get(status, "bad") + "+top")
        rows.append((word, prose(LEGEND[status])))
    rows += [(label(words), prose(meaning)) for words, meaning in OTHER_WORDS]
    return rows


def _guide(sheet_names: Sequence[str]) -> list[CoverRow]:
    rows: list[CoverRow] = [*section("The sheets, in order")]
    for name in sheet_names:
        base = base_name(name)
        more = " (continued: the sheet passed Excel's row limit)" if base != name else ""
        rows.append((label(name), prose(SHEET_GUIDE.get(base, "") + more)))
    return rows


COUNTS = (
    ("Drills held", "drills"),
    ("Incidents", "incidents"),
    ("Service and calibration events", "service events"),
    ("Checklist runs", "checklist runs"),
    ("Checklist answers", "checklist answers"),
    ("Certificates missing", "certificates missing"),
    ("Audit events", "audit events"),
    ("Cells withheld (patient privacy)", WITHHELD_TALLY),
)


SUMMARY_LINES = (
    ("Requirements × sites at period end", "requirements "),
    ("Checklist slots due in the period", "slots "),
    ("Corrective actions in the period", "corrective actions "),
)


def _counts(tally: Counter[str]) -> list[CoverRow]:
    """Counts gathered while the sheets were built: statuses tallied, then plain counts."""
    rows: list[CoverRow] = [*section("In numbers")]
    for title, prefix in SUMMARY_LINES:
        parts = [
            f"{key.removeprefix(prefix)}: {count:,}"
            for key, count in sorted(tally.items())
            if key.startswith(prefix)
        ]
        rows.append((label(title), prose("; ".join(parts) or "none")))
    rows += [(label(title), tally.get(key, 0)) for title, key in COUNTS]
    return rows


def _day(value: date) -> str:
    """E.g. "9 March 2026"."""
    return f"{value.day} {value:%B %Y}"


def cover_digest(rows: Sequence[Sequence[CellValue | Toned]]) -> SheetDigest:
    """The Cover line of the manifest: every cover row, as written."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(line_of(clean_row(list(row))))
    return SheetDigest(NAME, len(rows), digest.hexdigest())
