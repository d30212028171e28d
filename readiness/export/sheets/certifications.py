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
from readiness.models import Certification, Staff
from readiness.policy.pack import Policy
from readiness.policy.requirements import CertificationRequirement
from readiness.rules import due as rules
from readiness.rules.status import BLOCKING, Status

# Warning window of certificate types no requirement names (the 90/60/30 tiers).
DEFAULT_WARN_DAYS = 90
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
        status("Status at period end", 12),
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
    """Per staff member and certificate type: the latest expiry by the end of the period."""
    staff = _staff(ctx)
    certs = [c for c in _certs(ctx, [s.id for s in staff]) if c.record_state == "current"]
    types = list(ctx.policy.certificate_types)
    types += sorted({c.cert_type for c in certs} - set(types))
    columns: tuple[Column, ...] = (*PEOPLE, *(day(t.replace("_", " ").upper(), 11) for t in types))
    spec = SheetSpec("Certifications", columns)
    return SheetData(spec, _matrix_rows(ctx, staff, certs, types))


def _matrix_rows(
    ctx: ExportContext, staff: list[Staff], certs: list[Certification], types: list[str]
) -> Iterator[Row]:
    cert_rules = _cert_rules(ctx.policy)
    latest: dict[tuple[int, str], Certification] = {}
    for cert in sorted(certs, key=lambda c: (c.issued_on, c.id)):
        latest[(cert.staff_pk, cert.cert_type)] = cert
    for person in staff:
        cells: list[Toned | None] = []
        for cert_type in types:
            rule = cert_rules.get(cert_type)
            cells.append(_matrix_cell(latest.get((person.id, cert_type)), person, rule, ctx))
        ctx.tally["staff"] += 1
        yield (*_person(ctx, person), *cells)


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
    cert: Certification | None, person: Staff, rule: _Rule | None, ctx: ExportContext
) -> Toned | None:
    """The expiry date coloured by status, "missing" where required, else empty."""
    if cert is None:
        owed = employed_on(person, ctx.request.end)
        if rule is not None and owed and rule.required_of(person):
            ctx.tally["certificates missing"] += 1
            return Toned("missing", "bad")
        return None
    state = _status(cert.expires_on, ctx.request.end, rule)
    return Toned(cert.expires_on or "no expiry", TONE.get(state, "good"))


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
