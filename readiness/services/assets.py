"""Equipment use cases: record a service or calibration, take an asset out of or back into
service, add an asset (a loan or replacement unit).

Each checks the signed-in user's permission for the asset's site first, then writes
through `records` so the change is audited with the user as its actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import ASSET_KINDS, SERVICE_KINDS, Asset, ServiceEvent, Site
from readiness.policy.pack import Policy
from readiness.policy.requirements import Interval, IntervalRequirement
from readiness.rules import eyewear
from readiness.rules.identifiers import check_free_text
from readiness.services import asset_history

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
    policy: Policy,
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
    check_free_text({"the note": notes}, today)
    certificate = (certificate_number or "").strip() or None
    if kind == "calibration" and certificate is None:
        raise UserError("a calibration needs its certificate number")
    if next_due_on is None and result == "pass":
        next_due_on = policy_next_due(asset, kind, performed_on, policy)
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
    session: Session,
    by: Principal,
    *,
    asset_id: str,
    status: str,
    reason: str,
    effective_on: date | None = None,
) -> bool:
    """Take an asset out of service or put it back, with a reason, from a day on (today at
    the site unless given); earlier days keep the status they had."""
    asset, site = asset_named(session, asset_id)
    require(by, "set_asset_status", site.code)
    if status not in MOVABLE:
        raise UserError(f"status must be one of {', '.join(MOVABLE)}, not {status!r}")
    if asset.status == "retired":
        raise UserError(f"asset {asset_id} is retired")
    if not reason.strip():
        raise UserError("say why (e.g. 'failed self-test, sent for repair')")
    if asset.status == status:
        # Most often two people acting on the same screen: say who got there first.
        raise records.stale(
            session, asset, f"asset {asset_id} is already {status.replace('_', ' ')}"
        )
    today = asset_history.local_today(session, asset)
    since = effective_on or today
    if since > today:
        raise UserError(f"the change cannot take effect in the future ({since})")
    asset_history.record_change(
        session, asset, status=status, effective_from=since, reason=reason.strip(), actor=by.actor
    )
    return True


@dataclass(frozen=True)
class NewAsset:
    """An asset as the officer enters it: a loan or replacement unit, or a new device."""

    asset_id: str
    site_code: str
    kind: str
    name: str
    serial_number: str | None = None
    location: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    pads_expire_on: date | None = None
    battery_expires_on: date | None = None
    wavelength_nm: str | None = None
    optical_density: str | None = None


# Kinds labelled with wavelengths and optical density.
OPTICAL_KINDS = ("laser", "eyewear")


def add_asset(
    session: Session, by: Principal, new: NewAsset, *, reason: str | None = None
) -> Asset:
    """Add an asset in service at a site (e.g. a loan AED the same day the own one leaves)."""
    site = session.scalar(select(Site).where(Site.code == new.site_code))
    if site is None:
        raise UserError(f"no site with code {new.site_code!r}")
    require(by, "set_asset_status", site.code)
    asset_id = new.asset_id.strip()
    if not asset_id:
        raise UserError("give the asset an id (e.g. AED-2)")
    if len(asset_id) > 64:
        raise UserError("the asset id is longer than 64 characters")
    taken = session.scalar(select(Asset).where(Asset.asset_id == asset_id))
    if taken is not None:
        raise UserError(f"asset id {asset_id!r} is already used ({taken.name}); choose another")
    if new.kind not in ASSET_KINDS:
        raise UserError(f"kind must be one of {', '.join(ASSET_KINDS)}, not {new.kind!r}")
    if not new.name.strip():
        raise UserError("give the asset a name (e.g. 'Loan AED from the distributor')")
    values = _kind_values(new)
    asset = Asset(
        asset_id=asset_id,
        site_id=site.id,
        kind=new.kind,
        name=new.name.strip(),
        status="in_service",
        serial_number=_text(new.serial_number),
        location=_text(new.location),
        manufacturer=_text(new.manufacturer),
        model=_text(new.model),
        **values,
    )
    records.create(session, asset, actor=by.actor, reason=_text(reason))
    asset_history.record_change(
        session,
        asset,
        status="in_service",
        effective_from=asset_history.local_today(session, asset),
        reason=_text(reason) or "added",
        actor=by.actor,
    )
    return asset


def _kind_values(new: NewAsset) -> dict[str, object]:
    """The expiry dates (AEDs) and optical labels (lasers, eyewear), checked against the kind."""
    if (new.pads_expire_on or new.battery_expires_on) and new.kind != "aed":
        raise UserError("pads and battery expiry dates are for AEDs only")
    nm, od = _text(new.wavelength_nm), _text(new.optical_density)
    if (nm or od) and new.kind not in OPTICAL_KINDS:
        raise UserError("wavelengths and optical density are for lasers and eyewear only")
    if new.kind in OPTICAL_KINDS:
        # Unreadable labels would leave the eyewear unmatched: refuse them at the door.
        said = eyewear.problem(nm, od, laser=new.kind == "laser")
        if said is not None:
            raise UserError(f"{new.kind}: {said}")
    return {
        "pads_expire_on": new.pads_expire_on,
        "battery_expires_on": new.battery_expires_on,
        "wavelength_nm": nm,
        "optical_density": od,
    }


def _text(value: str | None) -> str | None:
    """Stripped text, None when empty."""
    return (value or "").strip() or None
