"""An asset's service status as a history with effective dates, kept in step with its row.

Every change appends an `AssetStatusChange` (the engine reads the latest on or before
the day it judges) and updates the asset's current-value columns (status, status_since,
in_service_from, retired_on), both audited in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.clock import utc_now
from readiness.errors import UserError
from readiness.models import Asset, AssetStatusChange, Site

IN_SERVICE = "in_service"


def history_of(session: Session, asset: Asset) -> list[AssetStatusChange]:
    """The asset's status changes, oldest first (an unknown start first; ties by id)."""
    rows = session.scalars(
        select(AssetStatusChange).where(AssetStatusChange.asset_pk == asset.id)
    ).all()
    return sorted(rows, key=lambda r: (r.effective_from or date.min, r.id))


def record_change(
    session: Session,
    asset: Asset,
    *,
    status: str,
    effective_from: date | None,
    reason: str | None,
    actor: str,
) -> AssetStatusChange:
    """Append a status change from a date on and bring the asset's columns in step."""
    history = history_of(session, asset)
    latest = history[-1].effective_from if history else None
    if history and effective_from is not None and latest is not None and effective_from < latest:
        raise UserError(
            f"asset {asset.asset_id} changed status on {latest}: a change dated"
            f" {effective_from} would rewrite its history"
        )
    change = AssetStatusChange(
        asset_pk=asset.id, status=status, effective_from=effective_from, reason=reason
    )
    records.create(session, change, actor=actor, reason=reason)
    columns = _columns_after([*history, change], asset)
    records.update(session, asset, columns, actor=actor, reason=reason)
    return change


def sync_written(
    session: Session, assets: Sequence[Asset], *, actor: str, reasons: Sequence[str]
) -> None:
    """After assets were written from their columns (an import): append the history rows
    those columns say and the history lacks (none when they already agree)."""
    for asset, why in zip(assets, reasons, strict=True):
        history = history_of(session, asset)
        if not history:
            first = _first_state(asset)
            history.append(_add(session, asset, first[0], first[1], why, actor))
        if history[-1].status != asset.status:
            since = asset.retired_on if asset.status == "retired" else asset.status_since
            since = since or local_today(session, asset)
            history.append(_add(session, asset, asset.status, since, why, actor))
        records.update(session, asset, _columns_after(history, asset), actor=actor, reason=why)


def local_today(session: Session, asset: Asset) -> date:
    """Today's date at the asset's site."""
    site = session.get(Site, asset.site_id)
    assert site is not None  # a foreign key guarantees it
    return utc_now().astimezone(ZoneInfo(site.timezone)).date()


def _first_state(asset: Asset) -> tuple[str, date | None]:
    """The status an asset is first recorded with, and from when."""
    if asset.in_service_from is not None or asset.status == IN_SERVICE:
        return IN_SERVICE, asset.in_service_from
    since = asset.retired_on if asset.status == "retired" else asset.status_since
    return asset.status, since


def _add(
    session: Session, asset: Asset, status: str, since: date | None, why: str, actor: str
) -> AssetStatusChange:
    change = AssetStatusChange(asset_pk=asset.id, status=status, effective_from=since, reason=why)
    return records.create(session, change, actor=actor, reason=why)


def _columns_after(history: Sequence[AssetStatusChange], asset: Asset) -> dict[str, object]:
    """The current-value columns the history gives."""
    last = history[-1]
    first_in = next((h for h in history if h.status == IN_SERVICE), None)
    return {
        "status": last.status,
        "status_since": last.effective_from,
        "in_service_from": first_in.effective_from if first_in else asset.in_service_from,
        "retired_on": last.effective_from if last.status == "retired" else None,
    }
