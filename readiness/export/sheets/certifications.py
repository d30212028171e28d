"""Certifications: a staff × certificate matrix at the end of the period, and every record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from readiness.export.cells import Toned
from readiness.export.context import ExportContext, yes_no
from readiness.export.layout import Column, SheetSpec, day, status, text
from readiness.export.lifetimes import employed_during, employed_on
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import RECORD_COLUMNS, SITE, record_values
from readiness.export.stream import Row
from readiness.export.verdicts import Verdict, by_subject
from readiness.models import Certification, Staff
from readiness.policy.pack import Policy
from readiness.policy.requirements import CertificationRequirement
from readiness.rules import due as rules
from readiness.rules.status import BLOCKING, Status

# Warning window of certificate types no requirement names (the 90/60/30 tiers).
DEFAULT_WARN_DAYS = 90
# Cell colours by the engine's status; "none" leaves a cell uncoloured.
TONE = {str(s): "bad" for s in BLOCKING} | {"due_soon": "warn", "ok": "good"}

PEOPLE = (
    SITE,
    text("Staff ID", 10),
    text("Name", 22),
    text("Role", 14),
    day("Hired on"),
    day("Left on"),
    text("Employed at period end", 9),
)

RECORDS = SheetSpec(
    "Certification records",
    (
        *PEOPLE,
        text("Certificate", 12),
        day("Issued on"),
        day("Expires on"),
        text("Expiry from policy", 10),
        text("Card number", 14),
        text("Provider", 18),
        status("This card at period end", 12),
        *RECORD_COLUMNS,
    ),
)


@dataclass(frozen=True)
class _Rule:
    """How one certificate type is judged: who needs it, its warning window, how to read it."""

    warn_days: list[int] | int
    valid_through: bool
    roles: frozenset[str]
    flag: str | None

    def required_of(self, person: Staff) -> bool:
        if person.role in self.roles:
            return True
        return self.flag is not None and bool(getattr(person, self.flag))


def _cert_rules(policy: Policy) -> dict[str, _Rule]:
    """The first certification requirement of each type, as a judging rule."""
    found: dict[str, _Rule] = {}
    for requirement in policy.of_kind(CertificationRequirement):
        found.setdefault(
            requirement.cert_type,
            _Rule(
                requirement.warn_days,
                requirement.valid_through_expiry_date,
                frozenset(requirement.roles),
                requirement.staff_flag,
            ),
        )
    return found


def _status(expires_on: date | None, end: date, rule: _Rule | None) -> str:
    """A certificate's status at the end of the period (no expiry date: ok)."""
    if expires_on is None:
        return str(Status.OK)
    warn = rule.warn_days if rule else DEFAULT_WARN_DAYS
    valid_through = rule.valid_through if rule else True
    return str(rules.status_for_due(expires_on, end, warn, "expiry", valid_through=valid_through))


def _staff(ctx: ExportContext) -> list[Staff]:
    """Staff of the export's sites employed in the period (by hired_on and left_on, not by
    when they were recorded), by site code then staff id."""
    rows = ctx.session.scalars(select(Staff).where(Staff.site_id.in_(ctx.site_pks))).all()
    found = [s for s in rows if employed_during(s, ctx.request.start, ctx.request.end)]
    order = {pk: n for n, pk in enumerate(ctx.site_pks)}
    return sorted(found, key=lambda s: (order[s.site_id], s.staff_id))


def _certs(ctx: ExportContext, staff_pks: list[int]) -> list[Certification]:
    """Certificates issued by the period end and not expired before it began (all states)."""
    return list(
        ctx.session.scalars(
            select(Certification)
            .where(
                Certification.staff_pk.in_(staff_pks),
                Certification.issued_on <= ctx.request.end,
                or_(
                    Certification.expires_on.is_(None),
                    Certification.expires_on >= ctx.request.start,
                ),
            )
            .order_by(Certification.id)
        )
    )


def matrix(ctx: ExportContext) -> SheetData:
    """Per staff member and certificate type: the engine's status at the end of the period.

    A cell reads as `readiness status --as-of END` does, e.g. "expired 2026-08-31"; a card
    held where no requirement asks for it reads "not required"."""
    staff = _staff(ctx)
    certs = [c for c in _certs(ctx, [s.id for s in staff]) if c.record_state == "current"]
    types = list(ctx.policy.certificate_types)
    types += sorted({c.cert_type for c in certs} - set(types))
    columns: tuple[Column, ...] = (*PEOPLE, *(status(_type_header(t), 20) for t in types))
    spec = SheetSpec("Certifications", columns)
    return SheetData(spec, _matrix_rows(ctx, staff, certs, types))


def _type_header(cert_type: str) -> str:
    """E.g. "BLS", "Laser operator"."""
    words = cert_type.replace("_", " ")
    return words.upper() if len(words) <= 5 else words[:1].upper() + words[1:]


def _matrix_rows(
    ctx: ExportContext, staff: list[Staff], certs: list[Certification], types: list[str]
) -> Iterator[Row]:
    latest: dict[tuple[int, str], Certification] = {}
    for cert in sorted(certs, key=lambda c: (c.issued_on, c.id)):
        latest[(cert.staff_pk, cert.cert_type)] = cert
    asks = _requirements_by_type(ctx.policy)
    verdicts = {t: by_subject(ctx, ids) for t, ids in asks.items()}
    for person in staff:
        site = ctx.site_by_pk[person.site_id].code
        cells: list[Toned | None] = []
        for cert_type in types:
            verdict = verdicts.get(cert_type, {}).get((site, person.staff_id))
            cells.append(_matrix_cell(verdict, latest.get((person.id, cert_type)), ctx))
        ctx.tally["staff"] += 1
        yield (*_person(ctx, person), *cells)


def _requirements_by_type(policy: Policy) -> dict[str, set[str]]:
    """Certificate type -> the ids of the per-person requirements that ask for it."""
    found: dict[str, set[str]] = {}
    for requirement in policy.of_kind(CertificationRequirement):
        found.setdefault(requirement.cert_type, set()).add(requirement.id)
    return found


def _person(ctx: ExportContext, person: Staff) -> Row:
    """The PEOPLE columns of a staff member."""
    return (
        ctx.site_by_pk[person.site_id].code,
        person.staff_id,
        person.full_name,
        person.role,
        person.hired_on,
        person.left_on,
        yes_no(employed_on(person, ctx.request.end)),
    )


def _matrix_cell(
    verdict: Verdict | None, cert: Certification | None, ctx: ExportContext
) -> Toned | None:
    """The engine's status and the date it turns on; "not required" for a card nobody asks."""
    if verdict is None:
        if cert is None:
            return None
        until = f" (expires {cert.expires_on})" if cert.expires_on else ""
        return Toned(f"not required{until}", "none")
    if verdict.status == Status.MISSING:
        ctx.tally["certificates missing"] += 1
    shown = str(verdict.status)
    if verdict.due_on is not None:
        shown += f" {verdict.due_on.isoformat()}"
    elif cert is not None and cert.expires_on is not None:
        shown += f" (card expiry {cert.expires_on.isoformat()})"  # e.g. a leaver's card
    return Toned(shown, TONE.get(str(verdict.status), "none"))


def records(ctx: ExportContext) -> SheetData:
    """Every certificate record in force at some point of the period, corrections included."""
    return SheetData(RECORDS, _record_rows(ctx))


def _record_rows(ctx: ExportContext) -> Iterator[Row]:
    staff = _staff(ctx)
    by_pk = {person.id: person for person in staff}
    order = {person.id: n for n, person in enumerate(staff)}
    cert_rules = _cert_rules(ctx.policy)
    certs = _certs(ctx, list(by_pk))
    for cert in sorted(certs, key=lambda c: (order[c.staff_pk], c.cert_type, c.issued_on, c.id)):
        person = by_pk[cert.staff_pk]
        site = ctx.site_by_pk[person.site_id]
        ctx.tally["certificate records"] += 1
        yield (
            *_person(ctx, person),
            cert.cert_type,
            cert.issued_on,
            cert.expires_on,
            yes_no(cert.expiry_derived),
            cert.card_number,
            cert.provider,
            _status(cert.expires_on, ctx.request.end, cert_rules.get(cert.cert_type)),
            *record_values(cert, site),
        )
