"""A staff file that changes someone's role records the change in their role history from
today at their site (the file says what holds now, not since when); re-importing it
changes nothing more."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import time_machine
from history_practice import PRACTICE, import_practice
from sqlalchemy import select

from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Staff, StaffRoleChange

# 03:00 UTC on 2 March 2026 is still 1 March in Chicago.
NOW = "2026-03-02 03:00:00+00:00"


@time_machine.travel(NOW, tick=False)
def test_a_new_role_in_the_staff_file_holds_from_the_sites_today(
    db: Database, tmp_path: Path
) -> None:
    import_practice(db)
    staff = tmp_path / "staff.csv"
    lines = (PRACTICE / "staff.csv").read_text(encoding="utf-8").splitlines()
    staff.write_text("\n".join(lines).replace(",Jo Ames,rn,", ",Jo Ames,np,") + "\n")
    for _ in range(2):
        report = import_file(db, "staff", staff, dry_run=False, actor="importer")
        assert report.errors == []
    with db.read() as session:
        person = session.scalars(select(Staff).where(Staff.staff_id == "H-2")).one()
        history = session.scalars(
            select(StaffRoleChange)
            .where(StaffRoleChange.staff_pk == person.id)
            .order_by(StaffRoleChange.id)
        ).all()
    assert person.role == "np"
    assert [(h.role, h.effective_from) for h in history] == [
        ("aesthetician", date(2024, 1, 15)),
        ("rn", date(2025, 6, 1)),
        ("np", date(2026, 3, 1)),
    ]
