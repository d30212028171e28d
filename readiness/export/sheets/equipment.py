"""Equipment register and the service and calibration log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import func, select

from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.lifetimes import AssetStatuses
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import RECORD_COLUMNS, SITE, record_values
from readiness.export.stream import Row
from readiness.export.verdicts import by_subject
from readiness.models import Asset, ServiceEvent

REGISTER = SheetSpec(
    "Equipment register",
    (
        SITE,
        text("Asset ID", 12),
        text("Kind", 14),
        text("Name", 28),
        text("Manufacturer", 16),
        text("Model", 16),
        text("Serial number", 16),
        text("Location", 18),
        status("Compliance at period end", 14),
        text("What is not in order (engine)", 48),
        text("In service at period end", 13),
        text("In service at export", 13),
        day("In service from"),
        day("Retired on"),
        number("Service interval (months)", 11),
        day("Last passing service by period end", 14),
        day("Pads expire on"),
        day("Battery expires on"),
        text("Wavelength (nm)", 12),
        text("Optical density", 12),
    ),
)

SERVICE_LOG = SheetSpec(
    "Service and calibration log",
    (
        SITE,
        text("Asset ID", 12),
        text("Asset", 24),
        text("Event", 12),
        day("Performed on"),
        text("Performed by (printed name)", 22),
        text("Meaning", 11),
        status("Result", 9),
        text("Certificate number", 16),
        day("Next due on"),
        text("Notes", 40),
        *RECORD_COLUMNS,
    ),
)


def register(ctx: ExportContext) -> SheetData:
    """Every asset of the sites that was there by the end of the period, by its status
    history (not by when it was recorded)."""
    return SheetData(REGISTER, _register_rows(ctx))


# An asset's service state in words: whether it is in use, not whether it complies.
SERVICE_STATE = {
    "in_service": "in service",
    "out_of_service": "out of service",
    "retired": "retired",
}


def _register_rows(ctx: ExportContext) -> Iterator[Row]:
    last_service = _last_passing_service(ctx)
    statuses = AssetStatuses(ctx.session, ctx.site_pks)
    asset_requirements = {rid for rid, r in ctx.policy.requirements.items() if r.subject == "asset"}
    verdicts = by_subject(ctx, asset_requirements)
    for site in ctx.sites:
        assets = ctx.session.scalars(select(Asset).where(Asset.site_id == site.pk)).all()
        for asset in sorted(assets, key=lambda a: a.asset_id):
            at_end = statuses.status_on(asset.id, asset.status, ctx.request.end)
            if at_end is None:
                continue  # in service only after the period
            ctx.tally["assets"] += 1
            verdict = verdicts.get((site.code, asset.asset_id))
            yield (
                site.code,
                asset.asset_id,
                asset.kind,
                asset.name,
                asset.manufacturer,
                asset.model,
                asset.serial_number,
                asset.location,
                str(verdict.status) if verdict else None,
                "; ".join(verdict.details) if verdict and verdict.details else None,
                SERVICE_STATE.get(at_end, at_end),
                SERVICE_STATE.get(asset.status, asset.status),
                asset.in_service_from,
                asset.retired_on,
                asset.service_interval_months,
                last_service.get(asset.id),
                asset.pads_expire_on,
                asset.battery_expires_on,
                asset.wavelength_nm,
                asset.optical_density,
            )


def _last_passing_service(ctx: ExportContext) -> dict[int, date]:
    """Date of each asset's last current, passing service event by the end of the period."""
    query = (
        select(ServiceEvent.asset_pk, func.max(ServiceEvent.performed_on))
        .join(Asset, Asset.id == ServiceEvent.asset_pk)
        .where(
            Asset.site_id.in_(ctx.site_pks),
            ServiceEvent.record_state == "current",
            ServiceEvent.result == "pass",
            ServiceEvent.performed_on <= ctx.request.end,
        )
        .group_by(ServiceEvent.asset_pk)
    )
    return {asset_pk: last for asset_pk, last in ctx.session.execute(query)}


def service_log(ctx: ExportContext) -> SheetData:
    """Service, calibration, inspection and repair events performed in the period."""
    return SheetData(SERVICE_LOG, _service_rows(ctx))


def _service_rows(ctx: ExportContext) -> Iterator[Row]:
    for site in ctx.sites:
        query = (
            select(ServiceEvent.__table__, Asset.asset_id, Asset.name.label("asset_name"))
            .join(Asset, Asset.id == ServiceEvent.asset_pk)
            .where(
                Asset.site_id == site.pk,
                ServiceEvent.performed_on >= ctx.request.start,
                ServiceEvent.performed_on <= ctx.request.end,
            )
            .order_by(ServiceEvent.performed_on, ServiceEvent.id)
        )
        for event in ctx.session.execute(query):
            ctx.tally["service events"] += 1
            yield (
                site.code,
                event.asset_id,
                event.asset_name,
                event.kind,
                event.performed_on,
                event.performed_by,
                "performed",
                event.result,
                event.certificate_number,
                event.next_due_on,
                event.notes,
                *record_values(event, site),
            )
