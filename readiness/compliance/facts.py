"""The facts the compliance engine judges: one bulk query per table, as pandas DataFrames.

Only current evidence rows count (superseded and voided ones are history), and each
site sees only what was known at its own as_of (see `readiness.compliance.as_of`):
events dated on or before as_of, instants at or before at_utc, corrective actions
open at at_utc. Every frame carries site_id. Other sites' rows are filtered in SQL
when sites are named; otherwise the whole practice is read in one pass per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    and_,
    cast,
    false,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from readiness.compliance.as_of import AsOf, local_dates, site_days
from readiness.errors import UserError
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
    UTCDateTime,
)
from readiness.policy.pack import (
    CertificationRequirement,
    ChecklistRequirement,
    DesignationRequirement,
    DocumentRequirement,
    DrillRequirement,
    IntervalRequirement,
    Policy,
    StockRequirement,
)
from readiness.policy.templates import Template
from readiness.rules.due import DATE_DTYPE

Query = Select[*tuple[Any, ...]]
Statement = Query | CompoundSelect[*tuple[Any, ...]]
CURRENT = "current"
# Days of checklist history before as_of that can hold the latest slot whose day has
# ended (the previous open day of a site open once a week, the previous week's slot,
# the previous month's slot); the same span after as_of holds the next slot.
SLOT_SPAN = {"daily": 7, "weekly": 14, "monthly": 62}


class Scope:
    """The sites being judged, indexed by site_id, with each one's as_of and at_utc."""

    def __init__(self, sites: pd.DataFrame, *, named: bool) -> None:
        self.sites = sites
        self.named = named

    def of(self, site_ids: pd.Series, column: str) -> pd.Series:
        """A sites column (as_of, at_utc, timezone, ...) for each row's site_id (NA: not judged)."""
        return lookup(self.sites[column], site_ids)

    @property
    def ids(self) -> list[int]:
        """The judged sites' primary keys."""
        return [int(site_id) for site_id in self.sites.index]

    @property
    def last_day(self) -> date:
        """The latest as_of of any judged site."""
        return _day(self.sites["as_of"].max())

    @property
    def first_day(self) -> date:
        """The earliest as_of of any judged site."""
        return _day(self.sites["as_of"].min())

    @property
    def last_at(self) -> datetime:
        """The latest at_utc of any judged site."""
        return pd.Timestamp(self.sites["at_utc"].max()).to_pydatetime()

    @property
    def first_at(self) -> datetime:
        """The earliest at_utc of any judged site."""
        return pd.Timestamp(self.sites["at_utc"].min()).to_pydatetime()

    def restrict(self, query: Query, column: Any) -> Query:
        """Only the judged sites' rows when sites were named; every row otherwise."""
        return query.where(column.in_(self.ids)) if self.named else query

    def judged(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Only the rows of judged sites."""
        return frame[frame["site_id"].isin(self.sites.index).to_numpy()]

    def known(self, frame: pd.DataFrame, column: str, limit: str = "as_of") -> pd.DataFrame:
        """Rows of judged sites whose `column` is at or before their site's `limit`."""
        bound = self.of(frame["site_id"], limit)
        return frame[(bound.notna() & (frame[column] <= bound)).to_numpy()]


@dataclass(frozen=True)
class Facts:
    """Everything the requirement kinds read, as known at each site's as_of."""

    policy: Policy
    templates: Mapping[str, Template]
    scope: Scope
    staff: pd.DataFrame
    assets: pd.DataFrame
    certifications: pd.DataFrame
    service_events: pd.DataFrame
    stock: pd.DataFrame
    drills: pd.DataFrame
    documents: pd.DataFrame
    runs: pd.DataFrame
    # First slot date of the loaded runs, per template (as far back as its slots need).
    runs_from: Mapping[str, date]
    actions: pd.DataFrame
    session: Session

    @property
    def sites(self) -> pd.DataFrame:
        """The judged sites, indexed by site_id."""
        return self.scope.sites

    def earlier_runs(self, site_ids: Iterable[int], template_ids: Iterable[str]) -> pd.DataFrame:
        """Latest run per site, template and asset from before the loaded windows (`runs_from`).

        Only asked for subjects with no run in the window, so it reads a few sites' history.
        """
        # Python ints: a numpy integer would be bound as a blob by sqlite3 and match nothing.
        sites = sorted({int(site_id) for site_id in site_ids})
        templates = sorted(set(template_ids))
        query = (
            select(
                ChecklistRun.site_id,
                ChecklistRun.template_id,
                ChecklistRun.asset_pk,
                func.max(ChecklistRun.slot_date).label("slot_date"),
                func.max(ChecklistRun.submitted_at).label("submitted_at"),
            )
            .where(
                ChecklistRun.record_state == CURRENT,
                ChecklistRun.site_id.in_(sites),
                or_(
                    *(
                        and_(
                            ChecklistRun.template_id == t,
                            ChecklistRun.slot_date < self.runs_from[t],
                        )
                        for t in templates
                    )
                ),
            )
            .group_by(ChecklistRun.site_id, ChecklistRun.template_id, ChecklistRun.asset_pk)
        )
        return _runs_frame(_frame(self.session, query), self.scope)


def load_facts(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    *,
    codes: list[str] | None,
    as_of: AsOf,
    now_utc: datetime,
) -> Facts | None:
    """Load every table the policy needs, one query per table; None when no site is judged."""
    found = _sites(session, codes)
    if found.empty:
        return None
    sites = site_days(found, as_of, now_utc).set_index("site_id", drop=False)
    scope = Scope(sites, named=codes is not None)
    runs_from = _run_windows(policy, templates, scope.first_day)
    return Facts(
        policy=policy,
        templates=templates,
        scope=scope,
        staff=_staff(session, scope),
        assets=_assets(session, scope),
        certifications=_certifications(session, scope, policy),
        service_events=_service_events(session, scope, policy),
        stock=_stock(session, scope, policy),
        drills=_drills(session, scope, policy),
        documents=_documents(session, scope, policy),
        runs=_runs(session, scope, runs_from),
        runs_from=runs_from,
        actions=_actions(session, scope),
        session=session,
    )


# --- master data -----------------------------------------------------------------


def _sites(session: Session, codes: list[str] | None) -> pd.DataFrame:
    """The named sites (an unknown code is a UserError), else every active site."""
    query = select(
        Site.id.label("site_id"),
        Site.code.label("site"),
        Site.timezone,
        Site.open_days,
        Site.treats_children,
    ).order_by(Site.code)
    if codes is None:
        return _frame(session, query.where(Site.active.is_(True)))
    sites = _frame(session, query.where(Site.code.in_(codes)))
    unknown = [code for code in codes if code not in set(sites["site"])]
    if unknown:
        raise UserError(f"unknown site code {unknown[0]!r}")
    return sites


def _staff(session: Session, scope: Scope) -> pd.DataFrame:
    query = select(
        Staff.id.label("staff_pk"),
        Staff.staff_id,
        Staff.site_id,
        Staff.role,
        Staff.active,
        Staff.is_lso,
    )
    return scope.judged(_frame(session, scope.restrict(query, Staff.site_id)))


def _assets(session: Session, scope: Scope) -> pd.DataFrame:
    query = select(
        Asset.id.label("asset_pk"),
        Asset.asset_id,
        Asset.site_id,
        Asset.kind,
        Asset.status,
        Asset.service_interval_months,
        Asset.pads_expire_on,
        Asset.battery_expires_on,
    )
    frame = _frame(session, scope.restrict(query, Asset.site_id))
    return scope.judged(frame)


# --- evidence ---------------------------------------------------------------------


def _certifications(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
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
    frame = _frame(session, scope.restrict(query, Staff.site_id))
    return scope.known(frame, "issued_on")


def _service_events(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
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
        )
        .join(Asset, Asset.id == ServiceEvent.asset_pk)
        .where(
            ServiceEvent.record_state == CURRENT,
            ServiceEvent.kind.in_(sorted(kinds)),
            ServiceEvent.performed_on <= scope.last_day,
        )
    )
    frame = _frame(session, scope.restrict(query, Asset.site_id))
    return scope.known(frame, "performed_on")


def _stock(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    items = {r.item for r in policy.of_kind(StockRequirement)}
    query = select(
        StockLot.site_id,
        StockLot.item,
        StockLot.lot_number,
        StockLot.expires_on,
        StockLot.quantity,
        StockLot.received_on,
    ).where(StockLot.item.in_(sorted(items)))
    frame = _frame(session, scope.restrict(query, StockLot.site_id))
    # A lot with no receipt date has always been on the shelf.
    received = frame["received_on"].isna() | (
        frame["received_on"] <= scope.of(frame["site_id"], "as_of")
    )
    return scope.judged(frame[received.to_numpy()])


def _drills(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    scenarios = {r.scenario for r in policy.of_kind(DrillRequirement)}
    query = select(
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
    frame = _frame(session, scope.restrict(query, Drill.site_id))
    frame = scope.judged(frame)
    held_on = local_dates(frame["held_at"], scope.of(frame["site_id"], "timezone"))
    return scope.known(frame.assign(held_on=held_on), "held_on")


def _documents(session: Session, scope: Scope, policy: Policy) -> pd.DataFrame:
    types = {r.document_type for r in policy.of_kind(DocumentRequirement)}
    query = select(SiteDocument.site_id, SiteDocument.doc_type, SiteDocument.reviewed_on).where(
        SiteDocument.record_state == CURRENT,
        SiteDocument.doc_type.in_(sorted(types)),
        SiteDocument.reviewed_on <= scope.last_day,
    )
    frame = _frame(session, scope.restrict(query, SiteDocument.site_id))
    return scope.known(frame, "reviewed_on")


def _runs(session: Session, scope: Scope, runs_from: Mapping[str, date]) -> pd.DataFrame:
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
        parts = [_no_runs(session)]
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    return _runs_frame(_frame(session, query), scope)


def _runs_frame(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Runs with typed columns, cut at each site's as_of and at_utc, with their local day."""
    frame = scope.known(scope.known(frame, "slot_date"), "submitted_at", "at_utc")
    done_on = local_dates(frame["submitted_at"], scope.of(frame["site_id"], "timezone"))
    return frame.assign(done_on=done_on)


def _actions(session: Session, scope: Scope) -> pd.DataFrame:
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
    frame = _frame(session, scope.restrict(query, CorrectiveAction.site_id))
    frame = scope.known(frame, "opened_at", "at_utc")
    at = scope.of(frame["site_id"], "at_utc")
    # Closed without a closing time (not written by the services): closed all along.
    closed = frame["closed_at"].notna() & (frame["closed_at"] <= at)
    closed |= frame["closed_at"].isna() & (frame["status"] != "open")
    opened_on = local_dates(frame["opened_at"], scope.of(frame["site_id"], "timezone"))
    return frame[~closed.to_numpy()].assign(opened_on=opened_on[~closed.to_numpy()])


def lookup(table: pd.Series, keys: pd.Series) -> pd.Series:
    """table[key] for each key (NA where absent), aligned with `keys`; keeps table's dtype."""
    # A positional take: Series.map or reindex cost far more, and map turns an empty
    # table into floats.
    position = table.index.get_indexer(pd.Index(keys))
    values = table.array.take(position, allow_fill=True)
    return pd.Series(values, index=keys.index, name=table.name)


# --- helpers ----------------------------------------------------------------------


def _run_windows(
    policy: Policy, templates: Mapping[str, Template], first_day: date
) -> dict[str, date]:
    """Per scheduled template that fills a checklist requirement: the first slot date needed.

    A template's runs are read as far back as the longest-period requirement it fills
    needs (a week for daily slots, two months for monthly ones).
    """
    spans: dict[str, int] = {}
    for requirement in policy.of_kind(ChecklistRequirement):
        for template in templates.values():
            if template.frequency != "per_use" and requirement.id in template.satisfies:
                span = SLOT_SPAN[requirement.frequency]
                spans[template.id] = max(span, spans.get(template.id, 0))
    return {t: first_day - timedelta(days=span) for t, span in sorted(spans.items())}


def instant(column: Any, session: Session) -> Any:
    """A UTC instant column read in bulk form: ISO text on SQLite, epoch seconds elsewhere."""
    # Parsing whole columns in pandas beats converting each value to a datetime.
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(column, IsoInstant())
    return cast(func.extract("epoch", column), EpochInstant())


class IsoInstant(String):
    """Marks a column of ISO 8601 UTC text (how UTCDateTime stores instants on SQLite)."""


class EpochInstant(Float):
    """Marks a column of seconds since 1970-01-01 UTC."""


def _no_runs(session: Session) -> Query:
    """The shape of the runs query, selecting nothing (no template fills a requirement)."""
    return select(
        ChecklistRun.site_id,
        ChecklistRun.template_id,
        ChecklistRun.asset_pk,
        ChecklistRun.slot_date,
        instant(ChecklistRun.submitted_at, session).label("submitted_at"),
    ).where(false())


def _frame(session: Session, query: Statement) -> pd.DataFrame:
    """The query's rows as a DataFrame typed by its SQL column types (also when empty)."""
    # A Core execute skips the ORM's per-row bookkeeping; columns are built whole.
    result = session.connection().execute(query)
    names = list(result.keys())
    rows = result.all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    types = [column.type for column in query.selected_columns]
    return pd.DataFrame(
        {
            name: _typed(list(values), kind)
            for name, values, kind in zip(names, columns, types, strict=True)
        }
    )


def _typed(values: list[Any], kind: TypeEngine[Any]) -> Any:
    """A column as the engine's dtypes: dates, UTC instants, nullable integers, booleans, text."""
    if isinstance(kind, IsoInstant):
        return pd.to_datetime(pd.Series(values, dtype="str"), utc=True, format="ISO8601")
    if isinstance(kind, EpochInstant):
        return pd.to_datetime(np.array(values, dtype="float64"), unit="s", utc=True)
    if isinstance(kind, UTCDateTime | DateTime):
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True)
    if isinstance(kind, Date):
        # pandas parses a column of dates several times faster than numpy converts them.
        return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype=DATE_DTYPE)
    if isinstance(kind, Boolean):
        return np.array(values, dtype=bool)
    if isinstance(kind, Integer):
        # Plain int64 where no value is missing: nullable integers are far slower to join on.
        return pd.array(values, dtype="Int64") if None in values else np.array(values, np.int64)
    return pd.array(values, dtype="str")


def _day(value: Any) -> date:
    """A DATE_DTYPE scalar as a date."""
    return pd.Timestamp(value).date()
