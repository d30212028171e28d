"""The facts behind days out of compliance: one bulk query per table, keyed for the masks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from readiness.compliance.history.period import SiteInfo
from readiness.models import (
    Asset,
    Certification,
    ChecklistRun,
    CorrectiveAction,
    Drill,
    ServiceEvent,
    Site,
    SiteDocument,
    Staff,
    StockLot,
)
from readiness.rules.masks import day
from readiness.rules.wall_time import local

CURRENT = "current"
# How far before the period a slot can lie that is still the latest ended one.
SLOT_LOOKBACK = timedelta(days=62)


@dataclass
class History:
    """What the sites held up to the end of the period, as the compliance engine reads it."""

    sites: dict[int, SiteInfo]
    site_flags: dict[int, dict[str, Any]] = field(default_factory=dict)
    assets: dict[tuple[int, str], Row[Any]] = field(default_factory=dict)
    staff: dict[tuple[int, str], Row[Any]] = field(default_factory=dict)
    staff_by_site: dict[int, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    services: dict[int, list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    cards: dict[tuple[int, str], list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    drills: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    lots: dict[tuple[int, str], list[Row[Any]]] = field(default_factory=lambda: defaultdict(list))
    actions: dict[tuple[int, str, str], list[tuple[int, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    runs: dict[tuple[int, str], list[tuple[int | None, date, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def load_history(session: Session, sites: list[SiteInfo], start: date, end: date) -> History:
    """Every fact of the sites that can decide a day of the period."""
    history = History({site.pk: site for site in sites})
    pks = list(history.sites)
    _load_masters(session, history, pks)
    _load_evidence(session, history, pks, end)
    _load_checklists(session, history, pks, start - SLOT_LOOKBACK, end)
    _load_actions(session, history, pks)
    return history


def _load_masters(session: Session, history: History, pks: list[int]) -> None:
    for row in session.execute(select(Site.id, Site.treats_children).where(Site.id.in_(pks))):
        history.site_flags[row.id] = {"treats_children": bool(row.treats_children)}
    assets = select(Asset.__table__).where(Asset.site_id.in_(pks))
    for asset in session.execute(assets):
        history.assets[(asset.site_id, asset.asset_id)] = asset
    staff = select(Staff.__table__).where(Staff.site_id.in_(pks)).order_by(Staff.staff_id)
    for person in session.execute(staff):
        history.staff[(person.site_id, person.staff_id)] = person
        history.staff_by_site[person.site_id].append(person)


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
            Staff.site_id.in_(pks),
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


def _load_drills(session: Session, history: History, pks: list[int]) -> None:
    """Each site's drills by scenario, as the local days they were held."""
    query = select(Drill.site_id, Drill.scenario, Drill.held_at).where(
        Drill.site_id.in_(pks), Drill.record_state == CURRENT
    )
    for site_id, scenario, held_at in session.execute(query):
        held_on = local(held_at, history.sites[site_id].tz)
        assert held_on is not None
        history.drills[(site_id, scenario)].append(day(held_on.date()))
    for days in history.drills.values():
        days.sort()


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
