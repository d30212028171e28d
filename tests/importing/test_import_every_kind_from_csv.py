"""The good practice imports from CSV: every kind, every column, ids turned into links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.models import (
    Asset,
    AuditEvent,
    Certification,
    Drill,
    ServiceEvent,
    Site,
    SiteDocument,
    Staff,
    StockLot,
)

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def test_every_kind_is_created_in_dependency_order(db: Database) -> None:
    report = import_dir(db, GOOD, dry_run=False, actor="importer")
    assert report.errors == []
    assert {kind: c.created for kind, c in report.counts.items()} == {
        "sites": 2,
        "staff": 6,
        "certifications": 7,
        "assets": 8,
        "stock": 4,
        "service_events": 6,
        "drills": 4,
        "documents": 3,
    }
    assert report.summary().splitlines()[0] == "sites.csv: 2 created, 0 amended, 0 unchanged"
    with db.read() as session:
        # 40 rows, the corrective action PHX1's failed laser eye drill opens, the
        # first status-history row of each of the 8 assets, and the first row of the
        # open days of the 2 sites, the role of the 6 staff and the location of the 4 lots.
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 61
        assert audit.verify(session).ok


def test_sites_keep_zone_open_days_and_flags(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="importer")
    with db.read() as session:
        sites = {s.code: s for s in session.scalars(select(Site))}
    aus, phx = sites["AUS1"], sites["PHX1"]
    assert (aus.timezone, aus.open_days, aus.treats_children) == (
        "America/Chicago",
        "mon,tue,wed,thu,fri,sat",
        True,
    )
    assert (phx.timezone, phx.open_days, phx.treats_children) == (
        "America/Phoenix",
        "mon,tue,thu,fri",
        False,
    )
    assert aus.address == "1200 Congress Ave, Austin TX"


def test_staff_and_assets_point_at_their_site(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="importer")
    with db.read() as session:
        site_of = {s.id: s.code for s in session.scalars(select(Site))}
        staff = {s.staff_id: s for s in session.scalars(select(Staff))}
        assets = {a.asset_id: a for a in session.scalars(select(Asset))}
    assert site_of[staff["S-202"].site_id] == "PHX1"
    assert (staff["S-202"].active, staff["S-201"].is_lso, staff["S-103"].email) == (
        False,
        True,
        None,
    )
    laser = assets["L-AUS1-1"]
    assert (site_of[laser.site_id], laser.service_interval_months, laser.wavelength_nm) == (
        "AUS1",
        6,
        "532/1064",
    )
    assert assets["O2-AUS1"].status == "in_service"  # empty cell: the default
    assert assets["AED-PHX1"].pads_expire_on == date(2026, 2, 28)


def test_evidence_rows_are_current_and_linked(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="importer")
    with db.read() as session:
        events = session.scalars(select(ServiceEvent).order_by(ServiceEvent.id)).all()
        drills = session.scalars(select(Drill).order_by(Drill.id)).all()
        docs = session.scalars(select(SiteDocument)).all()
        lots = session.scalars(select(StockLot)).all()
        staff_pk = {s.staff_id: s.id for s in session.scalars(select(Staff))}
        asset_pk = {a.asset_id: a.id for a in session.scalars(select(Asset))}
        participants = [sorted(p.staff_pk for p in d.participants) for d in drills]
    assert {e.record_state for e in events} == {"current"}
    assert {e.recorded_by for e in events} == {"importer"}
    assert events[0].asset_pk == asset_pk["L-AUS1-1"]
    assert events[0].next_due_on == date(2026, 3, 15)
    assert participants[0] == sorted(staff_pk[s] for s in ("S-101", "S-102", "S-103"))
    assert drills[0].time_to_epinephrine_s == 95
    assert drills[2].held_at == datetime(2025, 12, 3, 23, 0, tzinfo=UTC)
    assert sorted(d.doc_type for d in docs) == [
        "emergency_plan",
        "emergency_plan",
        "transfer_agreement",
    ]
    assert sum(lot.quantity for lot in lots) == 7


def test_certificates_without_expiry_get_the_policy_validity(db: Database) -> None:
    import_dir(db, GOOD, dry_run=False, actor="importer")
    with db.read() as session:
        rows = session.execute(
            select(
                Staff.staff_id,
                Certification.cert_type,
                Certification.expires_on,
                Certification.expiry_derived,
            ).join(Staff, Staff.id == Certification.staff_pk)
        ).all()
    by_card = {(s, t): (e, d) for s, t, e, d in rows}
    # AHA cards: valid through the end of the month two years on.
    assert by_card[("S-101", "bls")] == (date(2026, 3, 31), True)
    assert by_card[("S-201", "bls")] == (date(2026, 11, 30), True)
    # Printed on the card: kept as given, not derived.
    assert by_card[("S-101", "acls")] == (date(2026, 5, 31), False)
    # LSO training: 36 months to the day in the default policy.
    assert by_card[("S-102", "lso")] == (date(2026, 9, 20), True)
