"""The checklist slots a site owes on one site-local day, and whether each is done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.checklist.lookup import site_by_code
from readiness.checklist.slot import SlotRef, day_end, deadline, due_on, open_days_of
from readiness.models import Asset, ChecklistRun, Site
from readiness.policy.templates import Template
from readiness.rules import slots
from readiness.rules.slots import SlotState

# Slot keys bound per query: well under the bound-parameter limits of both engines.
CHUNK = 10_000


@dataclass(frozen=True)
class Slot(SlotRef):
    """A slot shown on a day: its state at `now` and the run that satisfies it, if any."""

    day: date
    # The last open day of the slot's period: the day itself for a daily slot.
    due_on: date
    status: SlotState
    run_id: int | None = None
    done_at: datetime | None = None
    done_by: str | None = None

    @property
    def done(self) -> bool:
        """True when a run satisfies the slot (on time or late)."""
        return self.status in ("done", "late")


def due_slots(
    session: Session,
    site_code: str,
    day: date,
    now_utc: datetime,
    templates: Mapping[str, Template],
) -> list[Slot]:
    """Slots of the site's day in due order: site templates, then one per in-service asset.

    A closed day owes nothing. A weekly or monthly slot is shown on its own date and,
    until it is done, on every later open day of its period.
    """
    site = site_by_code(session, site_code)
    return slots_of_days(session, [(site, day)], now_utc, templates)[(site.code, day)]


def slots_of_days(
    session: Session,
    wanted: Sequence[tuple[Site, date]],
    now_utc: datetime,
    templates: Mapping[str, Template],
) -> dict[tuple[str, date], list[Slot]]:
    """`due_slots` of many (site, site-local day) pairs, keyed by (site code, day).

    The assets of every site are read in one query and the runs of every slot in one
    more (per CHUNK slots), so the cost does not grow with the number of sites queried.
    """
    found: dict[tuple[str, date], list[Slot]] = {(site.code, day): [] for site, day in wanted}
    open_ = [(s, d) for s, d in wanted if d.weekday() in open_days_of(s.open_days)]
    assets = _in_service_assets(session, sorted({site.id for site, _ in open_}))
    candidates = [
        (site, day, _candidates(site, day, templates, assets.get(site.id, {})))
        for site, day in open_
    ]
    runs = _current_runs(session, [ref.key for _, _, refs in candidates for ref in refs])
    for site, day, refs in candidates:
        shown = [_slot(ref, site, day, now_utc, runs.get(ref.key)) for ref in refs]
        kept = [slot for slot in shown if _shown_on(slot, site)]
        found[(site.code, day)] = sorted(
            kept, key=lambda s: (s.due_utc, s.template.id, s.asset_id or "")
        )
    return found


def _candidates(
    site: Site, day: date, templates: Mapping[str, Template], assets: Mapping[str, list[str]]
) -> list[SlotRef]:
    """Every slot whose period covers the day, per site template and in-service asset."""
    open_days = open_days_of(site.open_days)
    refs: list[SlotRef] = []
    for template in templates.values():
        slot_date = slots.slot_for(template.frequency, day, open_days)
        if slot_date is None:
            continue
        due = deadline(template, slot_date, site)
        subjects = assets.get(template.applies_to, []) if template.per_asset else [None]
        refs.extend(SlotRef(template, site.code, subject, slot_date, due) for subject in subjects)
    return refs


def _in_service_assets(session: Session, site_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Asset ids of the sites' in-service assets, by site and kind; out of service owes none."""
    if not site_ids:
        return {}
    rows = session.execute(
        select(Asset.site_id, Asset.kind, Asset.asset_id)
        .where(Asset.site_id.in_(site_ids), Asset.status == "in_service")
        .order_by(Asset.asset_id)
    )
    by_site: dict[int, dict[str, list[str]]] = {}
    for site_id, kind, asset_id in rows:
        by_site.setdefault(site_id, {}).setdefault(kind, []).append(asset_id)
    return by_site


class _Done(NamedTuple):
    """What a slot shows of the run that satisfies it."""

    id: int
    submitted_at: datetime
    signature_name: str


def _current_runs(session: Session, keys: list[str]) -> dict[str, _Done]:
    """The current run of each slot key: a lookup per key in the partial unique slot index.

    Only the columns a slot shows are read (no ORM objects: a pass reads thousands).
    """
    found: dict[str, _Done] = {}
    columns = (
        ChecklistRun.slot_key,
        ChecklistRun.id,
        ChecklistRun.submitted_at,
        ChecklistRun.signature_name,
    )
    for start in range(0, len(keys), CHUNK):
        query = select(*columns).where(
            ChecklistRun.slot_key.in_(keys[start : start + CHUNK]),
            ChecklistRun.record_state == "current",
        )
        for key, run_id, submitted_at, signed_by in session.execute(query):
            if key:
                found[key] = _Done(run_id, submitted_at, signed_by)
    return found


def _slot(ref: SlotRef, site: Site, day: date, now_utc: datetime, run: _Done | None) -> Slot:
    """The slot's state at now_utc."""
    done_at = run.submitted_at if run is not None else None
    end = day_end(ref.template, ref.slot_date, site)
    return Slot(
        template=ref.template,
        site_code=ref.site_code,
        asset_id=ref.asset_id,
        slot_date=ref.slot_date,
        due_utc=ref.due_utc,
        day=day,
        due_on=due_on(ref.template, ref.slot_date, site),
        status=slots.slot_state(ref.due_utc, end, done_at, now_utc),
        run_id=run.id if run is not None else None,
        done_at=done_at,
        done_by=run.signature_name if run is not None else None,
    )


def _shown_on(slot: Slot, site: Site) -> bool:
    """Daily slots always; longer ones on their date, while owed, or on the day they were done."""
    if slot.slot_date == slot.day or not slot.done or slot.done_at is None:
        return True
    return slots.site_today(slot.done_at, site.timezone) == slot.day
