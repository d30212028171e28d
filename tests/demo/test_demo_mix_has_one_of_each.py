"""Even a small demo shows every kind of finding a screen needs: one of each, at least."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from readiness.db import Database
from readiness.demo import build_demo
from readiness.migrate import upgrade
from readiness.models import (
    Asset,
    Certification,
    ChecklistResponse,
    ChecklistRun,
    CorrectiveAction,
    Drill,
    Incident,
    Site,
    SiteDocument,
    Staff,
    StockLot,
)
from readiness.rules import due as rules
from readiness.rules import slots

AS_OF = date(2026, 3, 9)
START = AS_OF - timedelta(days=60)
CLINICAL = {"medical_director", "physician", "np", "pa", "rn", "aesthetician"}


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One demo practice per engine, shared by this module's read-only tests."""
    cluster, name = None, None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database("demo_mix")
        url = cluster.url(name)
    database = Database(url)
    upgrade(database.engine)
    build_demo(database, sites=3, days=60, seed=11, if_empty=False, as_of=AS_OF)
    try:
        yield database
    finally:
        database.dispose()
        if cluster is not None and name is not None:
            cluster.drop_database(name)


def _latest_expiry(db: Database) -> dict[tuple[int, str], date]:
    """Latest expiry per active staff member and certificate type."""
    latest: dict[tuple[int, str], date] = {}
    with db.read() as session:
        rows = session.execute(
            select(Certification.staff_pk, Certification.cert_type, Certification.expires_on)
            .join(Staff, Staff.id == Certification.staff_pk)
            .where(Staff.active)
        )
        for staff_pk, cert_type, expires_on in rows:
            key = (staff_pk, cert_type)
            latest[key] = max(latest.get(key, expires_on), expires_on)
    return latest


def test_there_is_an_expired_certificate(demo: Database) -> None:
    assert any(expires < AS_OF for expires in _latest_expiry(demo).values())


def test_there_is_a_certificate_due_within_90_days(demo: Database) -> None:
    assert any(0 <= (e - AS_OF).days <= 90 for e in _latest_expiry(demo).values())


def test_a_clinician_has_no_bls_card_at_all(demo: Database) -> None:
    with demo.read() as session:
        clinicians = set(
            session.scalars(select(Staff.id).where(Staff.active, Staff.role.in_(CLINICAL)))
        )
        with_bls = set(
            session.scalars(select(Certification.staff_pk).where(Certification.cert_type == "bls"))
        )
    assert clinicians - with_bls


def test_a_daily_checklist_slot_was_missed(demo: Database) -> None:
    with demo.read() as session:
        sites = session.scalars(select(Site)).all()
        lasers = session.execute(
            select(Asset.site_id, Asset.asset_id).where(
                Asset.kind == "laser", Asset.status == "in_service"
            )
        ).all()
        done = set(session.scalars(select(ChecklistRun.slot_key)))
    by_site = defaultdict(list)
    for site_id, asset_id in lasers:
        by_site[site_id].append(asset_id)
    expected = set()
    for site in sites:
        days = slots.slot_dates(
            "daily", START, AS_OF - timedelta(days=1), slots.parse_open_days(site.open_days)
        )
        for day in days:
            expected.add(f"opening-daily|{site.code}|-|{day}")
            expected |= {f"laser-preuse-daily|{site.code}|{a}|{day}" for a in by_site[site.id]}
    assert expected - done
    assert done & expected


def test_a_failed_item_has_an_open_corrective_action(demo: Database) -> None:
    with demo.read() as session:
        failed_runs = set(
            session.scalars(
                select(ChecklistRun.id)
                .join(ChecklistResponse, ChecklistResponse.run_id == ChecklistRun.id)
                .where(ChecklistResponse.passed.is_(False))
            )
        )
        open_sources = set(
            session.scalars(
                select(CorrectiveAction.source_id).where(
                    CorrectiveAction.source == "checklist", CorrectiveAction.status == "open"
                )
            )
        )
        closed = session.scalars(
            select(CorrectiveAction).where(CorrectiveAction.status == "closed")
        ).all()
    assert failed_runs & open_sources
    assert all(a.resolution and a.closed_by and a.closed_at > a.opened_at for a in closed)


def test_an_asset_is_out_of_service(demo: Database) -> None:
    with demo.read() as session:
        statuses = set(session.scalars(select(Asset.status)))
    assert {"in_service", "out_of_service", "retired"} <= statuses


def test_there_is_an_incident(demo: Database) -> None:
    with demo.read() as session:
        assert session.scalars(select(Incident)).first() is not None


def test_equipment_stock_staffing_drills_and_documents_have_gaps(demo: Database) -> None:
    with demo.read() as session:
        pads = session.scalars(select(Asset.pads_expire_on).where(Asset.kind == "aed")).all()
        lso_sites = set(session.scalars(select(Staff.site_id).where(Staff.active, Staff.is_lso)))
        site_ids = set(session.scalars(select(Site.id)))
        lots = session.execute(
            select(StockLot.site_id, StockLot.expires_on, StockLot.quantity).where(
                StockLot.item == "epinephrine_adult"
            )
        ).all()
        drills = session.execute(select(Drill.site_id, Drill.scenario, Drill.held_at)).all()
        documents = session.execute(
            select(SiteDocument.site_id, SiteDocument.doc_type, SiteDocument.reviewed_on)
        ).all()
    assert any(expiry <= AS_OF for expiry in pads)
    assert site_ids - lso_sites
    in_date: dict[int, int] = defaultdict(int)
    for site_id, expires_on, quantity in lots:
        in_date[site_id] += quantity if expires_on > AS_OF else 0
    assert any(in_date[site_id] < 2 for site_id in site_ids)
    last_drill: dict[tuple[int, str], date] = {}
    for site_id, scenario, held_at in drills:
        key = (site_id, scenario)
        last_drill[key] = max(last_drill.get(key, held_at.date()), held_at.date())
    assert any(
        rules.add_months(d, 3) < AS_OF for (_, s), d in last_drill.items() if s == "cardiac_arrest"
    )
    last_review: dict[tuple[int, str], date] = {}
    for site_id, doc_type, reviewed_on in documents:
        key = (site_id, doc_type)
        last_review[key] = max(last_review.get(key, reviewed_on), reviewed_on)
    assert any(rules.add_months(d, 12) < AS_OF for d in last_review.values())
