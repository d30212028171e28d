"""The last recorded number of each emergency-kit seal, to compare a new reading with.

A seal item id (e.g. `kit_seal`) is shared by every template that reads the same
seal: the site's daily opening check and the kit's monthly inventory and restock.
A site-level run reads the site's kit, so it compares with the latest number read
at the site; a run on one kit compares with that kit's readings and the site-level
ones (a site with two kits should check each kit with its own template).

A submission reads the seals before it queues for the writers' lock (`SealReadings`
remembers which runs they came from and the newest run it could see) and, once it
holds the lock, `moved_since_read` (a condition of the recording's one check query)
tells whether another writer may have recorded a newer reading meanwhile; only then
are they read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, literal_column, or_, select
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

    def params(self) -> dict[str, Any]:
        """The values `moved_since_read` compares with."""
        return {
            "seal_site": self.site_id,
            "seal_newest": self.newest_run_seen,
            "seal_sources": sorted(self.source_runs),
        }


def moved_since_read() -> ColumnElement[bool]:
    """True when a run was recorded at the site after the seals were read, or a source left.

    New runs get higher ids (writers insert one at a time, under the writers' lock),
    and a reading stops counting only when its run is amended or voided, so these two
    conditions cover every way the last number can have changed. Bound by
    `SealReadings.params`. The runs since the read are found by id, a few at most:
    `site_id + 0` keeps SQLite off the site's index, which would walk its whole history.
    """
    runs = ChecklistRun.__table__.c
    newer = exists().where(
        runs.id > bindparam("seal_newest"),
        runs.site_id + literal_column("0") == bindparam("seal_site"),
    )
    source_left = exists().where(
        runs.id.in_(bindparam("seal_sources", expanding=True)),
        runs.record_state != "current",
    )
    return or_(newer, source_left)


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
    connection = session.connection()  # Core statements: the ORM's execution adds nothing here
    newest = connection.execute(_NEWEST_RUN).scalar() or 0
    numbers: dict[str, str] = {}
    sources: set[int] = set()
    query = _last_reading(asset_pk is not None, before is not None)
    for item in template.items:
        if item.type != "seal":
            continue
        values = {"item": item.id, "site": site_id, "asset": asset_pk, "before": before}
        row = connection.execute(query, values).first()
        if row is not None and row.value:
            numbers[item.id] = row.value
            sources.add(row.run_id)
    return SealReadings(site_id, asset_pk, numbers, frozenset(sources), newest)


_NEWEST_RUN = select(func.max(ChecklistRun.__table__.c.id))


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


@cache
def _last_reading(per_asset: bool, before: bool) -> Select[str | None, int]:
    """The newest current answer to a seal item within the site or kit, with its run.

    The site's runs are walked newest first along `ix_checklist_runs_site_submitted` and
    the walk stops at the first run that read the seal, so the cost is the runs since the
    last reading (a day's, where the opening check reads the seal), not the site's history.
    Built once per shape, bound per call (`item`, `site`, `asset`, `before`): building
    the statement cost more than running it.
    """
    runs, answers = ChecklistRun.__table__.c, ChecklistResponse.__table__.c
    query = (
        select(answers.value, runs.id.label("run_id"))
        .join_from(ChecklistResponse.__table__, ChecklistRun.__table__, answers.run_id == runs.id)
        .where(
            runs.site_id == bindparam("site"),
            runs.record_state == "current",
            answers.item_id == bindparam("item"),
            answers.value.is_not(None),
        )
        .order_by(runs.submitted_at.desc(), runs.id.desc())
        .limit(1)
    )
    if per_asset:
        query = query.where(or_(runs.asset_pk == bindparam("asset"), runs.asset_pk.is_(None)))
    if before:
        query = query.where(runs.submitted_at < bindparam("before"))
    return query
