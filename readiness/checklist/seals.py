"""The last recorded number of each emergency-kit seal, to compare a new reading with.

A seal item id (e.g. `kit_seal`) is shared by every template that reads the same
seal: the site's daily opening check and the kit's monthly inventory and restock.
A site-level run reads the site's kit, so it compares with the latest number read
at the site; a run on one kit compares with that kit's readings and the site-level
ones (a site with two kits should check each kit with its own template).

A submission reads the seals before it queues for the writers' lock (`SealReadings`
remembers which runs they came from and the newest run it could see) and, once it
holds the lock, `changed_since` tells in one indexed query whether another writer
may have recorded a newer reading meanwhile; only then are they read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from readiness.models import ChecklistResponse, ChecklistRun
from readiness.policy.templates import Template


@dataclass(frozen=True)
class SealReadings:
    """{seal item id: last number} at a site or kit, and where the numbers came from."""

    site_id: int
    asset_pk: int | None
    numbers: dict[str, str] = field(default_factory=dict)
    # The runs the numbers were read from, and the newest run id seen when they were read.
    source_runs: frozenset[int] = frozenset()
    newest_run_seen: int = 0
    # False for a template without seal items: nothing was read, nothing can change.
    asked: bool = True

    def changed_since(self, session: Session) -> bool:
        """True when a run was recorded at the site after these were read, or a source left.

        New runs get higher ids (writers insert one at a time, under the writers' lock),
        and a reading stops counting only when its run is amended or voided, so these two
        conditions cover every way the last number can have changed.
        """
        if not self.asked:
            return False
        moved = or_(
            ChecklistRun.id > self.newest_run_seen,
            and_(
                ChecklistRun.id.in_(sorted(self.source_runs)),
                ChecklistRun.record_state != "current",
            ),
        )
        query = select(ChecklistRun.id).where(ChecklistRun.site_id == self.site_id, moved).limit(1)
        return session.scalar(query) is not None


def seal_readings(
    session: Session,
    template: Template,
    site_id: int,
    asset_pk: int | None,
    *,
    before: datetime | None = None,
) -> SealReadings:
    """The last number of each of the template's seals (before `before`, if given)."""
    if not any(item.type == "seal" for item in template.items):
        return SealReadings(site_id, asset_pk, asked=False)
    newest = session.scalar(select(func.max(ChecklistRun.id))) or 0
    numbers: dict[str, str] = {}
    sources: set[int] = set()
    for item in template.items:
        if item.type != "seal":
            continue
        row = session.execute(_last_reading(item.id, site_id, asset_pk, before)).first()
        if row is not None and row.value:
            numbers[item.id] = row.value
            sources.add(row.run_id)
    return SealReadings(site_id, asset_pk, numbers, frozenset(sources), newest)


def previous_seals(
    session: Session,
    template: Template,
    site_id: int,
    asset_pk: int | None,
    *,
    before: datetime | None = None,
) -> dict[str, str]:
    """{seal item id: last number recorded (before `before`, if given)} for the template."""
    return seal_readings(session, template, site_id, asset_pk, before=before).numbers


def _last_reading(
    item_id: str, site_id: int, asset_pk: int | None, before: datetime | None
) -> Select[str | None, int]:
    """The newest current answer to the seal item within the site or kit, with its run.

    The site's runs are walked newest first along `ix_checklist_runs_site_submitted` and
    the walk stops at the first run that read the seal, so the cost is the runs since the
    last reading (a day's, where the opening check reads the seal), not the site's history.
    """
    query = (
        select(ChecklistResponse.value, ChecklistRun.id.label("run_id"))
        .join(ChecklistRun, ChecklistResponse.run_id == ChecklistRun.id)
        .where(
            ChecklistRun.site_id == site_id,
            ChecklistRun.record_state == "current",
            ChecklistResponse.item_id == item_id,
            ChecklistResponse.value.is_not(None),
        )
        .order_by(ChecklistRun.submitted_at.desc(), ChecklistRun.id.desc())
        .limit(1)
    )
    if asset_pk is not None:
        query = query.where(or_(ChecklistRun.asset_pk == asset_pk, ChecklistRun.asset_pk.is_(None)))
    if before is not None:
        query = query.where(ChecklistRun.submitted_at < before)
    return query
