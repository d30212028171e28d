"""The evidence rows the engine judges: current records up to each site's as_of."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import (
    and_,
    false,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from readiness.compliance.as_of import local_dates
from readiness.compliance.frames import (
    CURRENT,
    Query,
    instant,
    lookup,
    no_runs,
    read_frame,
)
from readiness.compliance.scope import Scope
from readiness.models import (
    MOVEMENT_SIGN,
    Asset,
    Certification,
    ChecklistResponse,
    ChecklistRun,
    CorrectiveAction,
    Drill,
    ServiceEvent,
    SiteDocument,
    Staff,
    StaffAssignment,
    StockLot,
    StockMovement,
)
from readiness.policy.pack import Policy
from readiness.policy.requirements import (
    CertificationRequirement,
    DesignationRequirement,
    DocumentRequirement,
    DrillRequirement,
    ExpiredStockRequirement,
    IntervalRequirement,
    RecordMatchRequirement,
    StockRequirement,
)
from readiness.policy.templates import Template, record_readers
from readiness.rules.due import DATE_DTYPE

# --- evidence ---------------------------------------------------------------------


def load_certifications(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    types = {
        r.cert_type
        for r in policy.requirements.values()
        if isinstance(r, CertificationRequirement | DesignationRequirement)
    }
    query = (
        select(
            Certification.id,
            Certification.staff_pk,
            Staff.site_id,
            Certification.cert_type,
            Certification.issued_on,
            Certification.expires_on,
            Certification.expiry_derived,
        )
        .join(Staff, Staff.id == Certification.staff_pk)
        .where(
            Certification.record_state == CURRENT,
            Certification.cert_type.in_(sorted(types)),
            Certification.issued_on <= scope.last_day,
        )
    )
    # Visitors' cards count where they work too, known by that site's as_of.
    visits = (
        query.with_only_columns(
            *[StaffAssignment.site_id if c.key == "site_id" else c for c in query.selected_columns]
        )
        .join(StaffAssignment, StaffAssignment.staff_pk == Staff.id)
        .where(StaffAssignment.site_id != Staff.site_id)
    )
    both = union_all(
        scope.restrict(query, Staff.site_id), scope.restrict(visits, StaffAssignment.site_id)
    )
    return scope.known(read_frame(session, both), "issued_on")


def load_service_events(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    kinds = {k for r in policy.of_kind(IntervalRequirement) for k in r.event_kinds}
    query = (
        select(
            ServiceEvent.id,
            ServiceEvent.asset_pk,
            Asset.site_id,
            ServiceEvent.kind,
            ServiceEvent.performed_on,
            ServiceEvent.result,
            ServiceEvent.next_due_on,
            ServiceEvent.certificate_number,
            ServiceEvent.notes,
        )
        .join(Asset, Asset.id == ServiceEvent.asset_pk)
        .where(
            ServiceEvent.record_state == CURRENT,
            ServiceEvent.kind.in_(sorted(kinds)),
            ServiceEvent.performed_on <= scope.last_day,
        )
    )
    frame = read_frame(session, scope.restrict(query, Asset.site_id))
    return scope.known(frame, "performed_on")


def load_stock(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    """Lots received by as_of, `quantity` being the units on hand at the site's as_of."""
    items = {r.item for r in policy.of_kind(StockRequirement)}
    items |= {r.item for r in policy.of_kind(ExpiredStockRequirement)}
    # One row per lot and movement (movements joined, so still one query for stock).
    moved = and_(
        StockMovement.lot_pk == StockLot.id,
        StockMovement.record_state == CURRENT,
        StockMovement.occurred_on <= scope.last_day,
    )
    query = (
        select(
            StockLot.id.label("lot_pk"),
            StockLot.site_id,
            StockLot.item,
            StockLot.lot_number,
            StockLot.expires_on,
            StockLot.quantity,
            StockLot.received_on,
            StockMovement.kind.label("moved"),
            StockMovement.quantity.label("units"),
            StockMovement.occurred_on,
        )
        .outerjoin(StockMovement, moved)
        .where(StockLot.item.in_(sorted(items)))
    )
    frame = scope.judged(read_frame(session, scope.restrict(query, StockLot.site_id)))
    as_of = scope.of(frame["site_id"], "as_of")
    # A lot with no receipt date has always been on the shelf.
    received = frame["received_on"].isna() | (frame["received_on"] <= as_of)
    counts = frame["occurred_on"].notna() & (frame["occurred_on"] <= as_of)
    sign = frame["moved"].map(MOVEMENT_SIGN).fillna(0).to_numpy(dtype=np.int64)
    units = np.where(counts.to_numpy(), sign * frame["units"].fillna(0).to_numpy(np.int64), 0)
    change = pd.Series(units, index=frame.index).groupby(frame["lot_pk"].to_numpy()).sum()
    lots = frame[received.to_numpy()].drop_duplicates("lot_pk")
    on_hand = lots["quantity"].to_numpy(dtype=np.int64) + lookup(change, lots["lot_pk"])
    columns = ["lot_pk", "site_id", "item", "lot_number", "expires_on", "received_on"]
    return lots[columns].assign(quantity=on_hand.to_numpy(dtype=np.int64))


def load_drills(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    scenarios = {r.scenario for r in policy.of_kind(DrillRequirement)}
    query = select(
        Drill.id,
        Drill.site_id,
        Drill.scenario,
        instant(Drill.held_at, session).label("held_at"),
        Drill.outcome,
        Drill.time_to_aed_s,
        Drill.time_to_epinephrine_s,
        Drill.time_to_oxygen_s,
    ).where(
        Drill.record_state == CURRENT,
        Drill.scenario.in_(sorted(scenarios)),
        Drill.held_at <= scope.last_at,
    )
    frame = read_frame(session, scope.restrict(query, Drill.site_id))
    frame = scope.judged(frame)
    held_on = local_dates(frame["held_at"], scope.of(frame["site_id"], "timezone"))
    return scope.known(frame.assign(held_on=held_on), "held_on")


def load_documents(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    types = {r.document_type for r in policy.of_kind(DocumentRequirement)}
    query = select(SiteDocument.site_id, SiteDocument.doc_type, SiteDocument.reviewed_on).where(
        SiteDocument.record_state == CURRENT,
        SiteDocument.doc_type.in_(sorted(types)),
        SiteDocument.reviewed_on <= scope.last_day,
    )
    frame = read_frame(session, scope.restrict(query, SiteDocument.site_id))
    return scope.known(frame, "reviewed_on")


def load_runs(session: Session, scope: Scope, runs_from: Mapping[str, date]) -> pd.DataFrame:
    """Checklist runs of the last few slot periods of each template: status needs no older."""
    starts: dict[date, list[str]] = {}
    for template_id, start in runs_from.items():
        starts.setdefault(start, []).append(template_id)
    parts = [
        select(
            ChecklistRun.site_id,
            ChecklistRun.template_id,
            ChecklistRun.asset_pk,
            ChecklistRun.slot_date,
            instant(ChecklistRun.submitted_at, session).label("submitted_at"),
        ).where(
            ChecklistRun.record_state == CURRENT,
            # Listing the sites lets both engines walk the (site, template, slot) index.
            ChecklistRun.site_id.in_(scope.ids),
            ChecklistRun.template_id.in_(sorted(ids)),
            ChecklistRun.slot_date >= start,
            ChecklistRun.slot_date <= scope.last_day,
        )
        for start, ids in sorted(starts.items())
    ]
    if not parts:
        parts = [no_runs(session)]
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    return runs_frame(read_frame(session, query), scope)


def runs_frame(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Runs with typed columns, cut at each site's as_of and at_utc, with their local day."""
    frame = scope.known(scope.known(frame, "slot_date"), "submitted_at", "at_utc")
    done_on = local_dates(frame["submitted_at"], scope.of(frame["site_id"], "timezone"))
    return frame.assign(done_on=done_on)


def load_readings(
    session: Session, scope: Scope, policy: Policy, templates: Mapping[str, Template]
) -> pd.DataFrame:
    """The latest answers to the template items whose `record_field` a record_match
    requirement compares, per asset, template and item, from current runs known at each
    site's as_of, with the field each reads (`field`).

    Only the latest run per asset and template is read (chosen in SQL, by signing instant
    then run); an asset whose latest run left a reading blank has its older runs read too,
    so the latest answer given is still found. Years of monthly inspections stay unread.
    """
    wanted = {f for r in policy.of_kind(RecordMatchRequirement) for f in r.record_fields}
    readers = {key: f for key, f in record_readers(templates).items() if f in wanted}
    fields = pd.DataFrame(
        [(t, i, f) for (t, i), f in sorted(readers.items())],
        columns=["template_id", "item_id", "field"],
    )
    latest = read_frame(session, _readings_of(session, readers, _latest_runs(scope, readers)))
    given = latest.dropna(subset=["value"])
    blank = _blank_readings(latest, given, readers)
    if blank:
        older = read_frame(
            session,
            _readings_of(session, readers, ChecklistRun.asset_pk.in_(sorted(blank))).where(
                scope.known_by(
                    ChecklistRun.site_id, ChecklistRun.slot_date, ChecklistRun.submitted_at
                )
            ),
        ).dropna(subset=["value"])
        given = pd.concat([given[~given["asset_pk"].isin(blank).to_numpy()], older])
    frame = runs_frame(given, scope).merge(fields, on=["template_id", "item_id"])
    read = pd.to_datetime(frame["value"], format="%Y-%m-%d", errors="coerce")
    return frame.assign(read_on=read.to_numpy(dtype=DATE_DTYPE))


def _latest_runs(scope: Scope, readers: Mapping[tuple[str, str], str]) -> ColumnElement[bool]:
    """SQL: the run is the latest known one of its asset and template (a reading template)."""
    rank = (
        func.row_number()
        .over(
            partition_by=(ChecklistRun.asset_pk, ChecklistRun.template_id),
            order_by=(ChecklistRun.submitted_at.desc(), ChecklistRun.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(ChecklistRun.id, rank)
        .where(
            ChecklistRun.record_state == CURRENT,
            ChecklistRun.asset_pk.is_not(None),
            ChecklistRun.template_id.in_(sorted({t for t, _ in readers})),
            scope.known_by(ChecklistRun.site_id, ChecklistRun.slot_date, ChecklistRun.submitted_at),
        )
        .subquery()
    )
    return ChecklistRun.id.in_(select(ranked.c.id).where(ranked.c.rank == 1))


def _readings_of(
    session: Session, readers: Mapping[tuple[str, str], str], runs: ColumnElement[bool]
) -> Query:
    """Current runs on assets matching `runs`, one row per reading item answered or not
    (value NULL where the run left it blank or did not ask it)."""
    answered = and_(
        ChecklistResponse.run_id == ChecklistRun.id,
        ChecklistResponse.value.is_not(None),
        or_(
            false(),
            *(
                and_(ChecklistRun.template_id == t, ChecklistResponse.item_id == i)
                for t, i in readers
            ),
        ),
    )
    return (
        select(
            ChecklistRun.id.label("run_id"),
            ChecklistRun.site_id,
            ChecklistRun.asset_pk,
            ChecklistRun.template_id,
            ChecklistRun.slot_date,
            instant(ChecklistRun.submitted_at, session).label("submitted_at"),
            ChecklistResponse.item_id,
            ChecklistResponse.value,
        )
        .outerjoin(ChecklistResponse, answered)
        .where(
            ChecklistRun.record_state == CURRENT,
            ChecklistRun.asset_pk.is_not(None),
            ChecklistRun.template_id.in_(sorted({t for t, _ in readers})),
            runs,
        )
    )


def _blank_readings(
    latest: pd.DataFrame, given: pd.DataFrame, readers: Mapping[tuple[str, str], str]
) -> set[int]:
    """Assets whose latest run of some reading template left one of its readings blank."""
    asked: dict[str, set[str]] = {}
    for template_id, item_id in readers:
        asked.setdefault(template_id, set()).add(item_id)
    counts = given.groupby(["asset_pk", "template_id"]).size()
    runs = latest.drop_duplicates(["asset_pk", "template_id"])
    short = [
        int(asset)
        for asset, template in zip(runs["asset_pk"], runs["template_id"], strict=True)
        if counts.get((asset, template), 0) < len(asked[template])
    ]
    return set(short)


def load_actions(session: Session, scope: Scope) -> pd.DataFrame:
    """Corrective actions tied to a requirement that were open at some site's at_utc."""
    query = select(
        CorrectiveAction.id,
        CorrectiveAction.site_id,
        CorrectiveAction.requirement,
        CorrectiveAction.subject,
        CorrectiveAction.description,
        CorrectiveAction.due_on,
        CorrectiveAction.opened_at,
        CorrectiveAction.closed_at,
        CorrectiveAction.status,
    ).where(
        CorrectiveAction.requirement.is_not(None),
        CorrectiveAction.opened_at <= scope.last_at,
        or_(CorrectiveAction.closed_at.is_(None), CorrectiveAction.closed_at > scope.first_at),
    )
    frame = read_frame(session, scope.restrict(query, CorrectiveAction.site_id))
    frame = scope.known(frame, "opened_at", "at_utc")
    at = scope.of(frame["site_id"], "at_utc")
    # Closed without a closing time (not written by the services): closed all along.
    closed = frame["closed_at"].notna() & (frame["closed_at"] <= at)
    closed |= frame["closed_at"].isna() & (frame["status"] != "open")
    opened_on = local_dates(frame["opened_at"], scope.of(frame["site_id"], "timezone"))
    return frame[~closed.to_numpy()].assign(opened_on=opened_on[~closed.to_numpy()])
