"""Sites' procedures and state, lasers' kinds and staff assignments import from files
(checked names, stored normalised, re-import changes nothing; a bad cell writes nothing)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from multistate_support import PRACTICE
from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.models import Asset, Site, Staff, StaffAssignment


def copy_of_practice(tmp_path: Path) -> Path:
    target = tmp_path / "practice"
    shutil.copytree(PRACTICE, target)
    return target


def test_it_stores_them_normalised_and_reimports_unchanged(db: Database, tmp_path: Path) -> None:
    first = import_dir(db, PRACTICE, dry_run=False, actor="test")
    assert first.errors == []
    with db.read() as session:
        sites = {s.code: (s.state, s.procedures) for s in session.scalars(select(Site))}
        kinds = {a.asset_id: a.laser_kind for a in session.scalars(select(Asset))}
        visits = session.execute(
            select(Staff.staff_id, Site.code, StaffAssignment.starts_on, StaffAssignment.ends_on)
            .join(Staff, Staff.id == StaffAssignment.staff_pk)
            .join(Site, Site.id == StaffAssignment.site_id)
            .order_by(Staff.staff_id)
        ).all()
    assert sites["AUS1"] == ("TX", "laser_hair_removal;laser_vein")
    assert sites["NYC2"] == ("NY", "laser_vein")  # "ny" in the file
    assert kinds == {"L-AUS1": "nd_yag", "L-NYC1": "alexandrite", "L-NYC2": "nd_yag"}
    assert [tuple(v) for v in visits] == [
        ("N-1", "NYC2", date(2026, 1, 5), date(2026, 3, 31)),
        ("N-2", "NYC2", date(2026, 1, 5), date(2026, 1, 31)),
    ]
    again = import_dir(db, PRACTICE, dry_run=False, actor="test")
    assert again.errors == []
    assert all(c.created == 0 and c.amended == 0 for c in again.counts.values())


def test_a_bad_cell_names_file_row_and_column(db: Database, tmp_path: Path) -> None:
    folder = copy_of_practice(tmp_path)
    sites = folder / "sites.csv"
    sites.write_text(
        sites.read_text("utf-8").replace("laser_vein\n", "laser_vein;botox\n"), "utf-8"
    )
    visits = folder / "staff_assignments.csv"
    visits.write_text(visits.read_text("utf-8").replace("N-2,", "N-9,"), "utf-8")
    report = import_dir(db, folder, dry_run=False, actor="test")
    assert report.errors[0].startswith("sites.csv:4: procedures: 'botox' is not one of: laser_vein")
    assert "staff_assignments.csv:3: staff_id: unknown staff id 'N-9'" in report.errors
    with db.read() as session:
        assert session.scalars(select(Site)).all() == []
