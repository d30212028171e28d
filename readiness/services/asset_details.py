"""Change an asset's details (name, serial, location, label dates) with a reason, or retire
it from a date on.

An asset is master data: a change updates the row in place and the audit event keeps
what it was before. The caller passes the details as its screen showed them; when the
record changed since, the write is refused with who changed it (`records.stale`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Asset
from readiness.rules import eyewear
from readiness.services import asset_history
from readiness.services.assets import OPTICAL_KINDS, asset_named

RETIRED = "retired"


@dataclass(frozen=True)
class AssetDetails:
    """The details of an asset an officer may correct (its id, site and kind stay)."""

    name: str
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    location: str | None = None
    pads_expire_on: date | None = None
    battery_expires_on: date | None = None
    wavelength_nm: str | None = None
    optical_density: str | None = None


def details_of(asset: Asset) -> AssetDetails:
    """The asset's details as they are now (what an edit form starts from)."""
    return AssetDetails(
        **{name: getattr(asset, name) for name in AssetDetails.__dataclass_fields__}
    )


def amend_asset_details(
    session: Session,
    by: Principal,
    *,
    asset_id: str,
    seen: AssetDetails,
    new: AssetDetails,
    reason: str,
) -> list[str]:
    """Change the asset's details from `seen` (what the form showed) to `new`; returns the
    names of the changed details (empty: nothing to change, nothing written)."""
    asset, site = asset_named(session, asset_id)
    require(by, "manage_assets", site.code)
    if not reason.strip():
        raise UserError("say why the details change (e.g. 'serial number mistyped')")
    if details_of(asset) != _clean(seen):
        raise records.stale(session, asset, f"the details of {asset_id} changed meanwhile")
    cleaned = _clean(new)
    _check(asset.kind, cleaned, details_of(asset))
    changes = {k: v for k, v in asdict(cleaned).items() if getattr(asset, k) != v}
    if not changes:
        return []
    records.update(session, asset, changes, actor=by.actor, reason=reason.strip())
    return sorted(changes)


def retire_asset(
    session: Session,
    by: Principal,
    *,
    asset_id: str,
    retired_on: date,
    reason: str,
    today: date | None = None,
) -> None:
    """Retire an asset from `retired_on` on (not after `today`, by default the site's date
    now): owed nothing from that day, judged as before on the days until it."""
    asset, site = asset_named(session, asset_id)
    require(by, "manage_assets", site.code)
    if asset.status == RETIRED:
        raise records.stale(session, asset, f"asset {asset_id} is already retired")
    if not reason.strip():
        raise UserError("say why (e.g. 'replaced by AED-3, returned to the distributor')")
    today = today or asset_history.local_today(session, asset)
    if retired_on > today:
        raise UserError(f"an asset cannot be retired in the future ({retired_on})")
    asset_history.record_change(
        session,
        asset,
        status=RETIRED,
        effective_from=retired_on,
        reason=reason.strip(),
        actor=by.actor,
    )


def _clean(details: AssetDetails) -> AssetDetails:
    """Text stripped, empty text as no value."""
    cleaned: dict[str, Any] = {
        name: (value.strip() or None) if isinstance(value, str) else value
        for name, value in asdict(details).items()
    }
    return AssetDetails(**cleaned)


def _check(kind: str, details: AssetDetails, now: AssetDetails) -> None:
    """The same rules as adding an asset: a name, dates for AEDs, labels for optics (read
    when they change: a record imported without a wavelength can still be renamed)."""
    if not details.name:
        raise UserError("the asset needs a name")
    if (details.pads_expire_on or details.battery_expires_on) and kind != "aed":
        raise UserError("pads and battery expiry dates are for AEDs only")
    optical = details.wavelength_nm or details.optical_density
    if optical and kind not in OPTICAL_KINDS:
        raise UserError("wavelengths and optical density are for lasers and eyewear only")
    labels = (details.wavelength_nm, details.optical_density)
    if kind in OPTICAL_KINDS and labels != (now.wavelength_nm, now.optical_density):
        said = eyewear.problem(
            details.wavelength_nm, details.optical_density, laser=kind == "laser"
        )
        if said is not None:
            raise UserError(f"{kind}: {said}")
