"""Shared builders of the compliance tests (this module holds no tests of its own).

- ``practice_db``: a migrated database per engine, built once per test module, so a
  module writes one practice and checks a whole table of cases against it.
- ``Practice``: writes sites, staff, assets and evidence through the record services.
- ``items_of`` / ``row_of`` / ``status_of``: run the engine and look up one item.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from pgcluster import PgCluster
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.migrate import upgrade
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
from readiness.policy.pack import Policy, load_policy
from readiness.policy.templates import Template, load_templates

CHECKLISTS = Path(__file__).resolve().parent.parent / "checklists"
POLICY: Policy = load_policy(CHECKLISTS / "requirements.yaml")
TEMPLATES: dict[str, Template] = load_templates(CHECKLISTS)
ACTOR = "test"
# A Monday; 13:00 in Chicago (CDT since the day before).
AS_OF = date(2026, 3, 9)
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def practice_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A fresh migrated database per engine, shared by the tests of one module."""
    cluster: PgCluster | None = None
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('practice')}/readiness.db"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database(request.module.__name__)
        url = cluster.url(name)
    database = Database(url)
    upgrade(database.engine)
    try:
        yield database
    finally:
        database.dispose()
        if cluster is not None:
            cluster.drop_database(name)


def items_of(db: Database, **kwargs: Any) -> pd.DataFrame:
    """compliance_items with the default policy and templates, at NOW unless told."""
    kwargs.setdefault("now_utc", NOW)
    with db.read() as session:
        return compliance_items(session, POLICY, templates=TEMPLATES, **kwargs)


def row_of(items: pd.DataFrame, requirement: str, subject: str) -> dict[str, Any]:
    """The one item of a requirement and subject, with dates as date or None."""
    found = items[(items["requirement"] == requirement) & (items["subject"] == subject)]
    assert len(found) == 1, f"{len(found)} items for {requirement} {subject}"
    row = found.iloc[0].to_dict()
    for column in ("due_on", "last_done_on"):
        row[column] = None if pd.isna(row[column]) else pd.Timestamp(row[column]).date()
    return row


def status_of(items: pd.DataFrame, requirement: str, subject: str) -> str:
    """The status of one item."""
    return str(row_of(items, requirement, subject)["status"])


def local(day: date, hhmm: str, tz: str) -> datetime:
    """An aware instant from a site-local date and "HH:MM"."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


class Practice:
    """Writes a small practice through the record services (so every row is audited)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._signers: dict[int, Staff] = {}

    def add(self, obj: Any) -> Any:
        """Create a record and return it."""
        return records.create(self.session, obj, actor=ACTOR)

    def site(
        self,
        code: str,
        tz: str = "America/Chicago",
        *,
        open_days: str | None = None,
        treats_children: bool = False,
        active: bool = True,
    ) -> Site:
        values: dict[str, Any] = {"treats_children": treats_children, "active": active}
        if open_days is not None:
            values["open_days"] = open_days
        return self.add(Site(code=code, name=f"Clinic {code}", timezone=tz, **values))

    def staff(
        self,
        site: Site,
        staff_id: str,
        role: str = "rn",
        *,
        active: bool = True,
        is_lso: bool = False,
    ) -> Staff:
        person = Staff(
            staff_id=staff_id,
            site_id=site.id,
            full_name=f"Person {staff_id}",
            role=role,
            active=active,
            is_lso=is_lso,
        )
        return self.add(person)

    def cert(
        self, person: Staff, cert_type: str, issued_on: date, expires_on: date | None = None
    ) -> Certification:
        card = Certification(
            staff_pk=person.id, cert_type=cert_type, issued_on=issued_on, expires_on=expires_on
        )
        return self.add(card)

    def asset(self, site: Site, asset_id: str, kind: str, **values: Any) -> Asset:
        return self.add(
            Asset(
                asset_id=asset_id, site_id=site.id, kind=kind, name=f"{kind} {asset_id}", **values
            )
        )

    def service(
        self,
        asset: Asset,
        performed_on: date,
        *,
        kind: str = "service",
        result: str = "pass",
        next_due_on: date | None = None,
    ) -> ServiceEvent:
        event = ServiceEvent(
            asset_pk=asset.id,
            kind=kind,
            performed_on=performed_on,
            performed_by="Service engineer",
            result=result,
            next_due_on=next_due_on,
        )
        return self.add(event)

    def lot(
        self,
        site: Site,
        item: str,
        expires_on: date,
        quantity: int,
        *,
        received_on: date | None = None,
    ) -> StockLot:
        lot = StockLot(
            site_id=site.id,
            item=item,
            lot_number=f"LOT-{uuid.uuid4().hex[:8]}",
            expires_on=expires_on,
            quantity=quantity,
            received_on=received_on,
        )
        return self.add(lot)

    def drill(
        self, site: Site, scenario: str, held_at: datetime, outcome: str = "pass", **values: Any
    ) -> Drill:
        drill = Drill(
            site_id=site.id, scenario=scenario, held_at=held_at, outcome=outcome, **values
        )
        return self.add(drill)

    def document(self, site: Site, doc_type: str, reviewed_on: date) -> SiteDocument:
        return self.add(
            SiteDocument(
                site_id=site.id, doc_type=doc_type, reviewed_on=reviewed_on, reviewed_by="x"
            )
        )

    def run(
        self,
        site: Site,
        template_id: str,
        slot_date: date,
        submitted_at: datetime,
        *,
        asset: Asset | None = None,
        passed: bool = True,
    ) -> ChecklistRun:
        """A checklist run as the submission service files it (under its slot date)."""
        key = f"{template_id}|{site.code}|{asset.asset_id if asset else '-'}|{slot_date}"
        run = ChecklistRun(
            template_id=template_id,
            template_version="test",
            site_id=site.id,
            asset_pk=asset.id if asset else None,
            slot_date=slot_date,
            slot_key=key,
            idempotency_key=uuid.uuid4().hex,
            submitted_by=self._signer(site).id,
            submitted_at=submitted_at,
            signature_name="Signer",
            passed=passed,
        )
        return self.add(run)

    def action(
        self,
        site: Site,
        requirement: str | None,
        subject: str,
        opened_at: datetime,
        *,
        closed_at: datetime | None = None,
        description: str = "Replace the cylinder",
    ) -> CorrectiveAction:
        action = CorrectiveAction(
            site_id=site.id,
            source="manual",
            requirement=requirement,
            subject=subject,
            description=description,
            due_on=opened_at.date(),
            opened_at=opened_at,
            opened_by=ACTOR,
            status="closed" if closed_at else "open",
            closed_at=closed_at,
            closed_by="Closer" if closed_at else None,
        )
        return self.add(action)

    def _signer(self, site: Site) -> Staff:
        """A front-desk person who signs runs (and owes no certificate)."""
        if site.id not in self._signers:
            self._signers[site.id] = self.staff(site, f"SIGN-{site.code}", "front_desk")
        return self._signers[site.id]
