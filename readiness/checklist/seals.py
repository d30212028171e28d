"""The last recorded number of each emergency-kit seal, to compare a new reading with.

A seal item id (e.g. `kit_seal`) is shared by every template that reads the same
seal: the site's daily opening check and the kit's monthly inventory and restock.
A site-level run reads the site's kit, so it compares with the latest number read
at the site; a run on one kit compares with that kit's readings and the site-level
ones (a site with two kits should check each kit with its own template).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from readiness.models import Asset, ChecklistResponse, ChecklistRun, Site
from readiness.policy.templates import Template


def previous_seals(
    session: Session,
    template: Template,
    site: Site,
    asset: Asset | None,
    *,
    before: datetime | None = None,
) -> dict[str, str]:
    """{seal item id: last number recorded (before `before`, if given)} for the template."""
    latest: dict[str, str] = {}
    for item in template.items:
        if item.type != "seal":
            continue
        value = session.scalar(_last_reading(item.id, site, asset, before))
        if value:
            latest[item.id] = value
    return latest


def _last_reading(
    item_id: str, site: Site, asset: Asset | None, before: datetime | None
) -> Select[str | None]:
    """The newest current answer to the seal item within the site or kit.

    The site's runs are walked newest first along `ix_checklist_runs_site_submitted` and
    the walk stops at the first run that read the seal, so the cost is the runs since the
    last reading (a day's, where the opening check reads the seal), not the site's history.
    It runs inside the submission's write lock on purpose: a reading committed by another
    tablet a moment earlier is the one a new number must be compared with.
    """
    query = (
        select(ChecklistResponse.value)
        .join(ChecklistRun, ChecklistResponse.run_id == ChecklistRun.id)
        .where(
            ChecklistRun.site_id == site.id,
            ChecklistRun.record_state == "current",
            ChecklistResponse.item_id == item_id,
            ChecklistResponse.value.is_not(None),
        )
        .order_by(ChecklistRun.submitted_at.desc(), ChecklistRun.id.desc())
        .limit(1)
    )
    if asset is not None:
        query = query.where(or_(ChecklistRun.asset_pk == asset.id, ChecklistRun.asset_pk.is_(None)))
    if before is not None:
        query = query.where(ChecklistRun.submitted_at < before)
    return query
