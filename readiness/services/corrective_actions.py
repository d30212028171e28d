"""Corrective actions: open one (by hand or for each failed checklist item) and close it.

Owner of an action opened by a failed checklist item: laser-safety checks (lasers,
eyewear) go to the site's Laser Safety Officer, everything else to the site's
medical director; when the site has no such person (active), the staff member who
signed the checklist owns it, so an action never lies unowned.

An open action keeps its `requirement` failed for its `subject` (the asset id for
per-asset requirements, the site code for site-level ones), which is what the
compliance engine reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.errors import UserError
from readiness.models import Asset, ChecklistRun, CorrectiveAction, Site, Staff
from readiness.models.base import utc
from readiness.policy.answers import ItemResult
from readiness.policy.templates import Item, Template
from readiness.rules.identifiers import check_free_text

SEVERITIES: Final = ("critical", "major", "minor")
# Templates about laser safety, whose failures the Laser Safety Officer owns.
LASER_SAFETY_KINDS: Final = frozenset({"laser", "eyewear"})


@dataclass(frozen=True)
class FailureOutcome:
    """What the failed items of one run set in motion."""

    actions: list[CorrectiveAction]
    out_of_service: list[str]


def open_corrective_action(
    session: Session,
    *,
    site_code: str,
    description: str,
    severity: str,
    due_on: date,
    actor: str,
    now_utc: datetime,
    requirement: str | None = None,
    subject: str | None = None,
    owner_staff_id: str | None = None,
) -> CorrectiveAction:
    """Open a corrective action by hand (source "manual")."""
    site = site_by_code(session, site_code)
    if not description.strip():
        raise UserError("a corrective action needs a description")
    check_free_text({"the description": description}, now_utc.date())
    owner = _staff_at(session, site, owner_staff_id) if owner_staff_id else None
    action = _new_action(site, requirement, subject or site.code, description.strip(), severity)
    action.owner_pk = owner.id if owner else None
    action.due_on, action.opened_at, action.opened_by = due_on, utc(now_utc), actor
    action.source = "manual"
    return records.create(session, action, actor=actor)


def close_corrective_action(
    session: Session,
    ca_id: int,
    resolution: str,
    closed_by_name: str,
    actor: str,
    now_utc: datetime,
) -> CorrectiveAction:
    """Close an open action with what was done and who did it; the requirement can turn green."""
    action = session.get(CorrectiveAction, ca_id, with_for_update=True)
    if action is None:
        raise UserError(f"no corrective action {ca_id}")
    if action.status == "closed":
        raise UserError(
            f"corrective action {ca_id} was already closed by {action.closed_by}"
            f" on {action.closed_at:%Y-%m-%d}"
        )
    if not resolution.strip():
        raise UserError("closing a corrective action needs a resolution: what was done")
    check_free_text({"the resolution": resolution}, now_utc.date())
    if not closed_by_name.strip():
        raise UserError("closing a corrective action needs the name of who closed it")
    changes = {
        "status": "closed",
        "closed_at": utc(now_utc),
        "closed_by": closed_by_name.strip(),
        "resolution": resolution.strip(),
    }
    records.update(session, action, changes, actor=actor, reason=resolution.strip())
    return action


def open_for_failures(
    session: Session,
    run: ChecklistRun,
    template: Template,
    results: list[ItemResult],
    *,
    site: Site,
    asset: Asset | None,
    submitter: Staff,
    due_from: date,
    opened_at: datetime,
    actor: str,
) -> FailureOutcome:
    """One action per failed item and requirement it fails; assets taken out where on_fail says.

    Each action falls due `action_due_days[severity]` after `due_from` (the check day).
    """
    failed = [result for result in results if not result.passed]
    if not failed:
        return FailureOutcome([], [])
    owner = owner_for(session, site, template, submitter)
    actions: list[CorrectiveAction] = []
    out: list[str] = []
    for result in failed:
        item = template.items_by_id[result.item_id]
        for requirement in template.requirements_failed_by(item.id) or (None,):
            action = _action_for(run, template, item, result, requirement, site, asset, due_from)
            action.owner_pk, action.opened_by, action.opened_at = owner.id, actor, utc(opened_at)
            actions.append(records.create(session, action, actor=actor))
        kind = item.failure.take_asset_out_of_service
        if kind is not None:
            reason = f"checklist run {run.id} ({template.id}): {item.text}: {result.value_text}"
            out += _take_out_of_service(session, site, asset, kind, reason=reason, actor=actor)
    return FailureOutcome(actions, out)


def actions_of_run(session: Session, run_id: int) -> list[CorrectiveAction]:
    """The corrective actions a checklist run opened."""
    query = select(CorrectiveAction).where(
        CorrectiveAction.source == "checklist", CorrectiveAction.source_id == run_id
    )
    return list(session.scalars(query.order_by(CorrectiveAction.id)))


def owner_for(session: Session, site: Site, template: Template, submitter: Staff) -> Staff:
    """The LSO (laser safety checks) or medical director of the site, else the submitter."""
    people = list(
        session.scalars(
            select(Staff).where(Staff.site_id == site.id, Staff.active).order_by(Staff.staff_id)
        )
    )
    lso = next((p for p in people if p.is_lso), None)
    director = next((p for p in people if p.role == "medical_director"), None)
    first, second = (
        (lso, director) if template.applies_to in LASER_SAFETY_KINDS else (director, lso)
    )
    return first or second or submitter


def _action_for(
    run: ChecklistRun,
    template: Template,
    item: Item,
    result: ItemResult,
    requirement: str | None,
    site: Site,
    asset: Asset | None,
    due_from: date,
) -> CorrectiveAction:
    """The corrective action for one failed item and one requirement it fails."""
    failure = item.failure
    observed = result.problem or f"{item.text}: {result.value_text}"
    description = f"{failure.action}. Observed: {observed}"
    if result.note:
        description += f". Note: {result.note}"
    subject = asset.asset_id if asset is not None else site.code
    action = _new_action(site, requirement, subject, description, failure.severity)
    action.source, action.source_id = "checklist", run.id
    action.due_on = due_from + timedelta(days=template.action_due_days.days(failure.severity))
    return action


def _new_action(
    site: Site, requirement: str | None, subject: str, description: str, severity: str
) -> CorrectiveAction:
    """An open action, not yet added to the session."""
    if severity not in SEVERITIES:
        raise UserError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    return CorrectiveAction(
        site_id=site.id,
        requirement=requirement,
        subject=subject,
        description=description,
        severity=severity,
        status="open",
    )


def _take_out_of_service(
    session: Session, site: Site, asset: Asset | None, kind: str, *, reason: str, actor: str
) -> list[str]:
    """Set the failing asset out of service: the run's own, or the site's only one of that kind.

    A site-level check (the opening check's AED light) cannot tell two AEDs apart, so
    with several in service none is switched off here; the action says what to do.
    """
    if asset is not None and asset.kind == kind:
        targets = [asset]
    else:
        in_service = session.scalars(
            select(Asset).where(
                Asset.site_id == site.id, Asset.kind == kind, Asset.status == "in_service"
            )
        ).all()
        targets = list(in_service) if len(in_service) == 1 else []
    for target in targets:
        records.update(session, target, {"status": "out_of_service"}, actor=actor, reason=reason)
    return [target.asset_id for target in targets]


def _staff_at(session: Session, site: Site, staff_id: str) -> Staff:
    """An active staff member of the site, to own an action."""
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if person is None or person.site_id != site.id or not person.active:
        raise UserError(f"{staff_id} is not an active staff member of {site.code}")
    return person


def open_corrective_action_as(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    description: str,
    severity: str,
    due_on: date,
    now_utc: datetime,
    requirement: str | None = None,
    subject: str | None = None,
    owner_staff_id: str | None = None,
) -> CorrectiveAction:
    """Open an action by hand at a site the signed-in user covers."""
    require(by, "manage_actions", site_code)
    return open_corrective_action(
        session, site_code=site_code, description=description, severity=severity,
        due_on=due_on, actor=by.actor, now_utc=now_utc, requirement=requirement,
        subject=subject, owner_staff_id=owner_staff_id,
    )  # fmt: skip


def close_corrective_action_as(
    session: Session,
    by: Principal,
    ca_id: int,
    resolution: str,
    closed_by_name: str,
    now_utc: datetime,
) -> CorrectiveAction:
    """Close an action of a site the signed-in user covers."""
    action = session.get(CorrectiveAction, ca_id)
    if action is None:
        raise UserError(f"no corrective action {ca_id}")
    site = session.get(Site, action.site_id)
    require(by, "manage_actions", site.code if site else None)
    return close_corrective_action(session, ca_id, resolution, closed_by_name, by.actor, now_utc)
