"""The facts behind days out of compliance: one bulk query per table, keyed for the masks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Row, and_, false, or_, select
from sqlalchemy.orm import Session

from readiness.compliance.applicability import laser_kinds
from readiness.compliance.history.period import SiteInfo
from readiness.compliance.plan_versions import first_acknowledged, plan_version_changes
from readiness.models import (
    MOVEMENT_SIGN,
    Asset,
    AssetStatusChange,
    Certification,
    ChecklistResponse,
    ChecklistRun,
    CorrectiveAction,
    Drill,
    ServiceEvent,
    Site,
    SiteDocument,
    Staff,
    StaffAssignment,
    StockLot,
    StockMovement,
)
from readiness.rules.masks import day
from readiness.rules.wall_time import local

CURRENT = "current"
PROFILE_COLUMNS = ["site", "state", "treats_children", "procedures"]
# How far before the period a slot can lie that is still the latest ended one.
SLOT_LOOKBACK = timedelta(days=62)


@dataclass
class History:
    """What the sites held up to the end of the period, as the compliance engine reads it."""

    sites: dict[int, SiteInfo]
    # Per site pk: what applies_if reads (state, treats_children, procedures, laser_kinds).
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Per site pk: (person, first day, last day or None) of staff assigned there from elsewhere.
    visits: dict[int, list[tuple[Row[Any], int, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    assets: dict[tuple[int, str], Row[Any]] = field(default_factory=dict)
    staff: dict[tuple[int, str], Row[Any]] = field(default_factory=dict)
    staff_by_site: dict[int, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    # Per asset: (day effective or None for since ever, status), in the engine's order.
    status_changes: dict[int, list[tuple[int | None, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    services: dict[int, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    cards: dict[tuple[int, str], list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    # (local day held, drill row), oldest first.
    drills: dict[tuple[int, str], list[tuple[int, Row[Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    documents: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    lots: dict[tuple[int, str], list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    # Per lot: (day, units) of its movements, received positive, used and disposed negative.
    moves: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    actions: dict[tuple[int, str, str], list[tuple[int, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Per asset: (template, item, day known, date read or None) of the answers to items
    # with a record_field, in the engine's order (signing instant, then run).
    readings: dict[int, list[tuple[str, str, int, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    runs: dict[tuple[int, str], list[tuple[int | None, date, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Per site pk: (first day, version) of each version of its emergency plan in the
    # period, oldest first (the first: the one in force on the period's first day).
    plans: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # (site pk, staff pk) -> plan version -> the first day the person acknowledged it.
    acknowledged: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)


def load_history(
    session: Session,
    sites: list[SiteInfo],
    start: date,
    end: date,
    readers: Mapping[tuple[str, str], str] | None = None,
) -> History:
    """Every fact of the sites that can decide a day of the period."""
    history = History({site.pk: site for site in sites})
    pks = list(history.sites)
    _load_masters(session, history, pks)
    _load_evidence(session, history, pks, end)
    _load_checklists(session, history, pks, start - SLOT_LOOKBACK, end)
    _load_actions(session, history, pks)
    _load_readings(session, history, pks, end, readers or {})
    _load_plans(session, history, pks, start, end)
    return history


def _load_plans(session: Session, history: History, pks: list[int], start: date, end: date) -> None:
    """Each site's plan versions in the period and who acknowledged which by its end: a
    day is judged against the version in force that day, as the engine judges its as_of."""
    changes = plan_version_changes(session, pks, start=start, through=end)
    for site_pk, versions in changes.items():
        history.plans[site_pk] = [(day(since), version) for since, version in versions]
    for key, firsts in first_acknowledged(session, pks, through=end).items():
        history.acknowledged[key] = {version: day(on) for version, on in firsts.items()}


def _load_masters(session: Session, history: History, pks: list[int]) -> None:
    assets = select(Asset.__table__).where(Asset.site_id.in_(pks))
    for asset in session.execute(assets):
        history.assets[(asset.site_id, asset.asset_id)] = asset
    history.profile = _profile(session, history, pks)
    changes = (
        select(AssetStatusChange.__table__)
        .join(Asset, Asset.id == AssetStatusChange.asset_pk)
        .where(Asset.site_id.in_(pks))
    )
    for change in sorted(
        session.execute(changes), key=lambda c: (c.effective_from or date.min, c.id)
    ):
        since = day(change.effective_from) if change.effective_from else None
        history.status_changes[change.asset_pk].append((since, change.status))
    staff = select(Staff.__table__).where(Staff.site_id.in_(pks)).order_by(Staff.staff_id)
    for person in session.execute(staff):
        history.staff[(person.site_id, person.staff_id)] = person
        history.staff_by_site[person.site_id].append(person)
    visits = (
        select(Staff.__table__, StaffAssignment.site_id.label("visited"))
        .add_columns(StaffAssignment.starts_on, StaffAssignment.ends_on)
        .join(StaffAssignment, StaffAssignment.staff_pk == Staff.id)
        .where(StaffAssignment.site_id.in_(pks), StaffAssignment.site_id != Staff.site_id)
        .order_by(Staff.staff_id, StaffAssignment.starts_on)
    )
    for person in session.execute(visits):
        last = day(person.ends_on) if person.ends_on else None
        history.visits[person.visited].append((person, day(person.starts_on), last))


def _profile(session: Session, history: History, pks: list[int]) -> pd.DataFrame:
    """The sites as applies_if reads them, laser kinds from the assets loaded."""
    query = select(
        Site.id.label("site_id"),
        Site.code.label("site"),
        Site.state,
        Site.treats_children,
        Site.procedures,
    ).where(Site.id.in_(pks))
    sites = pd.DataFrame(session.execute(query).all(), columns=["site_id", *PROFILE_COLUMNS])
    assets = pd.DataFrame(
        [(a.site_id, a.kind, a.status, a.laser_kind) for a in history.assets.values()],
        columns=["site_id", "kind", "status", "laser_kind"],
    )
    sites = sites.set_index("site_id")
    return sites.assign(laser_kinds=laser_kinds(assets).reindex(sites.index))


def _load_evidence(session: Session, history: History, pks: list[int], end: date) -> None:
    services = (
        select(ServiceEvent.__table__)
        .join(Asset, Asset.id == ServiceEvent.asset_pk)
        .where(
            Asset.site_id.in_(pks),
            ServiceEvent.record_state == CURRENT,
            ServiceEvent.performed_on <= end,
        )
        .order_by(ServiceEvent.performed_on, ServiceEvent.id)
    )
    for event in session.execute(services):
        history.services[event.asset_pk].append(event)
    cards = (
        select(Certification.__table__)
        .join(Staff, Staff.id == Certification.staff_pk)
        .where(
            or_(Staff.site_id.in_(pks), Staff.id.in_(_visitors(history))),
            Certification.record_state == CURRENT,
            Certification.issued_on <= end,
        )
        .order_by(Certification.issued_on, Certification.id)
    )
    for card in session.execute(cards):
        history.cards[(card.staff_pk, card.cert_type)].append(card)
    _load_drills(session, history, pks)
    documents = select(SiteDocument.site_id, SiteDocument.doc_type, SiteDocument.reviewed_on).where(
        SiteDocument.site_id.in_(pks),
        SiteDocument.record_state == CURRENT,
        SiteDocument.reviewed_on <= end,
    )
    for site_id, doc_type, reviewed_on in session.execute(documents):
        history.documents[(site_id, doc_type)].append(day(reviewed_on))
    for days in history.documents.values():
        days.sort()
    lots = select(StockLot.__table__).where(StockLot.site_id.in_(pks)).order_by(StockLot.id)
    for lot in session.execute(lots):
        history.lots[(lot.site_id, lot.item)].append(lot)
    moves = (
        select(StockMovement.lot_pk, StockMovement.kind, StockMovement.quantity)
        .add_columns(StockMovement.occurred_on)
        .join(StockLot, StockLot.id == StockMovement.lot_pk)
        .where(
            StockLot.site_id.in_(pks),
            StockMovement.record_state == CURRENT,
            StockMovement.occurred_on <= end,
        )
    )
    for lot_pk, kind, quantity, occurred_on in session.execute(moves):
        history.moves[lot_pk].append((day(occurred_on), MOVEMENT_SIGN[kind] * quantity))


def _visitors(history: History) -> list[int]:
    """Primary keys of the staff assigned to the sites from elsewhere."""
    return sorted({person.id for visits in history.visits.values() for person, *_ in visits})


def _load_drills(session: Session, history: History, pks: list[int]) -> None:
    """Each site's drills by scenario with the local day each was held, in the order the
    engine reads them (held_at, then record order)."""
    query = select(Drill.__table__).where(Drill.site_id.in_(pks), Drill.record_state == CURRENT)
    for drill in sorted(session.execute(query), key=lambda d: (d.held_at, d.id)):
        held_on = local(drill.held_at, history.sites[drill.site_id].tz)
        assert held_on is not None
        history.drills[(drill.site_id, drill.scenario)].append((day(held_on.date()), drill))


def _load_checklists(
    session: Session, history: History, pks: list[int], first: date, end: date
) -> None:
    """Current runs dated from a few periods before the period to its end, by template."""
    query = select(
        ChecklistRun.site_id,
        ChecklistRun.template_id,
        ChecklistRun.asset_pk,
        ChecklistRun.slot_date,
        ChecklistRun.submitted_at,
    ).where(
        ChecklistRun.site_id.in_(pks),
        ChecklistRun.record_state == CURRENT,
        ChecklistRun.slot_date >= first,
        ChecklistRun.slot_date <= end,
    )
    for site_id, template_id, asset_pk, slot_date, submitted_at in session.execute(query):
        signed = local(submitted_at, history.sites[site_id].tz)
        assert signed is not None
        history.runs[(site_id, template_id)].append((asset_pk, slot_date, day(signed.date())))


def _load_actions(session: Session, history: History, pks: list[int]) -> None:
    """Corrective actions on a requirement: the local days from opening to closing."""
    query = select(CorrectiveAction.__table__).where(
        CorrectiveAction.site_id.in_(pks), CorrectiveAction.requirement.is_not(None)
    )
    for action in session.execute(query):
        site = history.sites[action.site_id]
        opened = local(action.opened_at, site.tz)
        assert opened is not None
        closed = local(action.closed_at, site.tz)
        if closed is None and action.status != "open":
            continue  # closed without a closing time: closed all along, as the engine reads it
        span = (day(opened.date()), day(closed.date()) if closed else None)
        history.actions[(site.pk, action.requirement, action.subject or site.code)].append(span)


def _load_readings(
    session: Session,
    history: History,
    pks: list[int],
    end: date,
    readers: Mapping[tuple[str, str], str],
) -> None:
    """Dates read off labels by items with a record_field, known from the later of their
    slot day and the local day they were signed (as the engine cuts runs at as_of)."""
    query = (
        select(
            ChecklistRun.id,
            ChecklistRun.site_id,
            ChecklistRun.asset_pk,
            ChecklistRun.template_id,
            ChecklistRun.slot_date,
            ChecklistRun.submitted_at,
            ChecklistResponse.item_id,
            ChecklistResponse.value,
        )
        .join(ChecklistResponse, ChecklistResponse.run_id == ChecklistRun.id)
        .where(
            ChecklistRun.site_id.in_(pks),
            ChecklistRun.record_state == CURRENT,
            ChecklistRun.asset_pk.is_not(None),
            ChecklistRun.slot_date <= end,
            ChecklistResponse.value.is_not(None),
            or_(
                false(),
                *(
                    and_(ChecklistRun.template_id == t, ChecklistResponse.item_id == i)
                    for t, i in sorted(readers)
                ),
            ),
        )
    )
    for row in sorted(session.execute(query), key=lambda r: (r.submitted_at, r.id)):
        signed = local(row.submitted_at, history.sites[row.site_id].tz)
        assert signed is not None
        known = max(day(row.slot_date), day(signed.date()))
        entry = (row.template_id, row.item_id, known, _date_or_none(row.value))
        history.readings[row.asset_pk].append(entry)


def _date_or_none(text: str) -> date | None:
    """A "YYYY-MM-DD" answer as a date; anything else reads as no date."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
