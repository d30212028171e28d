"""Equipment use cases: record a service or calibration, take an asset out of or back into service.

Each checks the signed-in user's permission for the asset's site first, then writes
through `records` so the change is audited with the user as its actor.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import SERVICE_KINDS, Asset, ServiceEvent, Site
from readiness.policy.current import current_policy
from readiness.policy.pack import Interval, IntervalRequirement, Policy

RESULTS = ("pass", "fail")
# Statuses a user may move an asset between here; "retired" is for the asset register.
MOVABLE = ("in_service", "out_of_service")


def asset_named(session: Session, asset_id: str) -> tuple[Asset, Site]:
    """The asset with this id and its site."""
    asset = session.scalar(select(Asset).where(Asset.asset_id == asset_id))
    if asset is None:
        raise UserError(f"no asset with id {asset_id!r}")
    site = session.get(Site, asset.site_id)
    assert site is not None  # a foreign key guarantees it
    return asset, site


def record_service_event(
    session: Session,
    by: Principal,
    *,
    asset_id: str,
    kind: str,
    performed_on: date,
    performed_by: str,
    result: str,
    today: date,
    certificate_number: str | None = None,
    next_due_on: date | None = None,
    notes: str | None = None,
    policy: Policy | None = None,
) -> ServiceEvent:
    """Record a service, calibration, inspection or repair of an asset.

    A calibration needs its certificate number. Without a next due date, a passing
    event gets the one the policy's interval gives (the asset's own interval wins).
    """
    asset, site = asset_named(session, asset_id)
    require(by, "record_service", site.code)
    if kind not in SERVICE_KINDS:
        raise UserError(f"kind must be one of {', '.join(SERVICE_KINDS)}, not {kind!r}")
    if result not in RESULTS:
        raise UserError("result must be pass or fail")
    if performed_on > today:
        raise UserError(f"performed on {performed_on} is in the future")
    if not performed_by.strip():
        raise UserError("say who performed it (engineer or company)")
    certificate = (certificate_number or "").strip() or None
    if kind == "calibration" and certificate is None:
        raise UserError("a calibration needs its certificate number")
    if next_due_on is None and result == "pass":
        next_due_on = policy_next_due(asset, kind, performed_on, policy or current_policy())
    if next_due_on is not None and next_due_on <= performed_on:
        raise UserError(f"the next due date {next_due_on} must be after {performed_on}")
    event = ServiceEvent(
        asset_pk=asset.id,
        kind=kind,
        performed_on=performed_on,
        performed_by=performed_by.strip(),
        result=result,
        certificate_number=certificate,
        next_due_on=next_due_on,
        notes=(notes or "").strip() or None,
    )
    return records.create(session, event, actor=by.actor)


def policy_next_due(asset: Asset, kind: str, performed_on: date, policy: Policy) -> date | None:
    """When the policy says this kind of event is due again on this asset (None: no rule)."""
    for requirement in policy.of_kind(IntervalRequirement):
        if asset.kind in requirement.asset_kinds and kind in requirement.event_kinds:
            months = asset.service_interval_months if requirement.asset_interval_field else None
            if months:
                return Interval(months=months).next_due(performed_on)
            return requirement.interval.next_due(performed_on)
    return None


def set_asset_status(
    session: Session, by: Principal, *, asset_id: str, status: str, reason: str
) -> bool:
    """Take an asset out of service or put it back, with a reason; False if unchanged."""
    asset, site = asset_named(session, asset_id)
    require(by, "set_asset_status", site.code)
    if status not in MOVABLE:
        raise UserError(f"status must be one of {', '.join(MOVABLE)}, not {status!r}")
    if asset.status == "retired":
        raise UserError(f"asset {asset_id} is retired")
    if not reason.strip():
        raise UserError("say why (e.g. 'failed self-test, sent for repair')")
    if asset.status == status:
        raise UserError(f"asset {asset_id} is already {status.replace('_', ' ')}")
    return records.update(session, asset, {"status": status}, actor=by.actor, reason=reason.strip())
