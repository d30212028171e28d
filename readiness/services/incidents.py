"""Log a complication or adverse event: pseudonymous case reference, follow-ups, reporting.

Patients appear only as a case reference such as C-2026-0042: anything that looks
like a name or a date (of birth) is refused. A "possibly reportable" incident gets
the reporting deadline of its site's state from the policy
(settings.incident_reporting); for a state the policy does not list, the log says so.
Where the state's rule counts any transfer to a hospital (`transfer_is_reportable`,
Florida), a transfer makes the incident possibly reportable without anyone ticking it.

Each incident names the protocol followed and that protocol's version when it was logged
(the one printed under the protocol in the site's plan): by default the protocol of its
type (`Protocols.for_incident`), or another, or none -- and "none" where the type has a
protocol needs a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.errors import UserError
from readiness.models import INCIDENT_TYPES, SEVERITIES, Asset, Incident, IncidentFollowup, Staff
from readiness.models.base import utc
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.handouts import current_protocols
from readiness.policy.pack import Policy
from readiness.policy.protocols import Protocols
from readiness.rules.identifiers import check_free_text
from readiness.services.clocktime import site_instant

# The practice's case reference format; pass another pattern to `log_incident` to change it.
CASE_REF_PATTERN: Final = r"C-\d{4}-\d{4}"
# Whatever the pattern, these are refused: a date, or two words that could be a name.
DATE_LIKE: Final = re.compile(r"\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}")
NAME_LIKE: Final = re.compile(r"[^\W\d_]{2,}[\s,]+[^\W\d_]{2,}")


@dataclass(frozen=True)
class IncidentReport:
    """Facts of an incident as entered on the form (a naive time is the site's wall clock)."""

    site_code: str
    occurred_at: datetime
    case_ref: str
    incident_type: str
    severity: str
    asset_id: str | None = None
    operator_staff_id: str | None = None
    description: str | None = None
    actions_taken: str | None = None
    referral: str | None = None
    transferred: bool = False
    possibly_reportable: bool = False
    followups: tuple[date, ...] = ()
    # The protocol followed: None for the type's own, a protocol's name, or NO_PROTOCOL.
    protocol: str | None = None
    # Why none was followed where the type has a protocol (or why another was).
    protocol_reason: str | None = None


@dataclass(frozen=True)
class Followed:
    """The protocol an incident records: its name (or NO_PROTOCOL), version and reason."""

    protocol: str
    version: str | None
    reason: str | None


@dataclass(frozen=True)
class Logged:
    """The incident written, and what to tell the user about reporting it."""

    incident: Incident
    reporting: str | None


def check_case_ref(case_ref: str, pattern: str = CASE_REF_PATTERN) -> str:
    """The case reference, when it matches the pattern and looks like no name or date."""
    ref = case_ref.strip()
    if DATE_LIKE.search(ref) or NAME_LIKE.search(ref):
        raise UserError(
            "the case reference looks like a date or a name: use a pseudonymous"
            " reference (e.g. C-2026-0042), never the patient's name or date of birth"
        )
    if not re.fullmatch(pattern, ref):
        raise UserError(f"the case reference {ref!r} does not match the format {pattern}")
    return ref


def next_case_ref(session: Session, year: int) -> str:
    """The next free C-YYYY-NNNN reference of the year."""
    prefix = f"C-{year}-"
    last = session.scalar(
        select(func.max(Incident.case_ref)).where(Incident.case_ref.like(prefix + "%"))
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:04d}"


def log_incident(
    session: Session,
    by: Principal,
    report: IncidentReport,
    *,
    now_utc: datetime,
    policy: Policy,
    protocols: Protocols | None = None,
    case_ref_pattern: str = CASE_REF_PATTERN,
) -> Logged:
    """Write the incident and its follow-up dates; the reporting deadline when flagged.

    `protocols` default to the practice's current ones: the version recorded is the one
    in force when the incident is logged.
    """
    site = site_by_code(session, report.site_code)
    require(by, "log_incident", site.code)
    _check_choices(report)
    _check_free_text(report, now_utc)
    followed = protocol_followed(report, protocols or current_protocols())
    occurred_at = site_instant(report.occurred_at, site.timezone)
    if occurred_at > utc(now_utc):
        raise UserError("the incident's time is in the future")
    ref = check_case_ref(report.case_ref, case_ref_pattern)
    _check_unused(session, ref)
    occurred_on = occurred_at.astimezone(ZoneInfo(site.timezone)).date()
    if any(day < occurred_on for day in report.followups):
        raise UserError("a follow-up date is before the incident")
    reportable = _possibly_reportable(site.state, report, policy)
    due_on, reporting = _deadline(site.state, occurred_on, reportable, policy)
    incident = Incident(
        site_id=site.id,
        occurred_at=occurred_at,
        case_ref=ref,
        incident_type=report.incident_type,
        severity=report.severity,
        asset_pk=_asset_pk(session, report.asset_id, site.id),
        operator_pk=_staff_pk(session, report.operator_staff_id),
        description=_text(report.description),
        actions_taken=_text(report.actions_taken),
        referral=_text(report.referral),
        transferred=report.transferred,
        possibly_reportable=reportable,
        report_due_on=due_on,
        protocol=followed.protocol,
        protocol_version=followed.version,
        protocol_reason=followed.reason,
    )
    records.create(session, incident, actor=by.actor)
    for day in sorted(set(report.followups)):
        records.create(
            session, IncidentFollowup(incident_id=incident.id, due_on=day), actor=by.actor
        )
    return Logged(incident, reporting)


def protocol_followed(report: IncidentReport, protocols: Protocols) -> Followed:
    """The protocol the report names (its type's by default), with the version in force."""
    own = protocols.for_incident(report.incident_type)
    chosen = (report.protocol or "").strip() or own or NO_PROTOCOL
    reason = _text(report.protocol_reason)
    if chosen == NO_PROTOCOL:
        if own is not None and reason is None:
            title = protocols.protocol(own).title
            raise UserError(
                f"say why the {title} protocol was not followed (the reason is kept with"
                " the incident)"
            )
        return Followed(NO_PROTOCOL, None, reason)
    if chosen not in protocols.protocols:
        known = ", ".join(protocols.protocols)
        raise UserError(f"no protocol {chosen!r}: choose one of {known}, or none")
    return Followed(chosen, protocols.version_of(chosen), reason)


def _check_free_text(report: IncidentReport, now_utc: datetime) -> None:
    """No patient identifier in what happened, what was done, the referral or the reason."""
    fields = {
        "what happened": report.description,
        "what was done": report.actions_taken,
        "the referral": report.referral,
        "why the protocol was not followed": report.protocol_reason,
    }
    check_free_text(fields, now_utc.date())


def _check_unused(session: Session, ref: str) -> None:
    """One incident per case reference: a second one is a double submit or a typo."""
    taken = session.scalar(
        select(Incident.id).where(Incident.case_ref == ref, Incident.record_state == "current")
    )
    if taken is not None:
        raise UserError(
            f"the case reference {ref} is already used by another incident: nothing was"
            " recorded (to correct that incident, amend it)"
        )


def _check_choices(report: IncidentReport) -> None:
    if report.incident_type not in INCIDENT_TYPES:
        raise UserError(f"type must be one of {', '.join(INCIDENT_TYPES)}")
    if report.severity not in SEVERITIES:
        raise UserError(f"severity must be one of {', '.join(SEVERITIES)}")


def _possibly_reportable(state: str | None, report: IncidentReport, policy: Policy) -> bool:
    """Ticked on the form, or a transfer to a hospital where the state counts any transfer."""
    rule = policy.settings.incident_reporting.get(state or "")
    transfer = report.transferred or report.incident_type == "transfer_to_hospital"
    return report.possibly_reportable or (
        rule is not None and rule.transfer_is_reportable and transfer
    )


def _deadline(
    state: str | None, occurred_on: date, reportable: bool, policy: Policy
) -> tuple[date | None, str | None]:
    """The reporting due date and a sentence about it, for a possibly reportable incident."""
    if not reportable:
        return None, None
    rule = policy.settings.incident_reporting.get(state or "")
    if rule is None:
        where = f"state {state}" if state else "this site (no state set)"
        return None, f"The policy has no reporting rule for {where}: check the state's rules."
    due = occurred_on + timedelta(days=rule.deadline_days)
    return due, f"Possibly reportable in {state}: report by {due} ({rule.what})."


def _asset_pk(session: Session, asset_id: str | None, site_pk: int) -> int | None:
    if not asset_id:
        return None
    asset = session.scalar(select(Asset).where(Asset.asset_id == asset_id))
    if asset is None or asset.site_id != site_pk:
        raise UserError(f"no asset {asset_id!r} at this site")
    return asset.id


def _staff_pk(session: Session, staff_id: str | None) -> int | None:
    if not staff_id:
        return None
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if person is None:
        raise UserError(f"no staff member with id {staff_id!r}")
    return person.id


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None
