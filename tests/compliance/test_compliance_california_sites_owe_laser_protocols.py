"""The default pack's California entry: a CA site owes its yearly review of the laser and
IPL standardized procedures (B&P §2023.5, 16 CCR §1364.50); a New York site does not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.policy.current import current_policy


def test_only_the_california_site_owes_the_protocols(db: Database, tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text(
        "code,name,timezone,state\n"
        "SFO1,Union Square Laser,America/Los_Angeles,CA\n"
        "NYC1,Manhattan Vein Studio,America/New_York,NY\n",
        encoding="utf-8",
    )
    (tmp_path / "documents.csv").write_text(
        "site_code,type,reviewed_on,reviewed_by\nSFO1,ca_laser_protocols,2025-01-15,Dr. Vo\n",
        encoding="utf-8",
    )
    assert import_dir(db, tmp_path, dry_run=False, actor="importer").errors == []
    policy = current_policy()
    assert any(
        s.text.startswith("California Business and Professions Code §2023.5")
        for s in policy.requirements["ca.laser_protocols"].source
    )
    with db.read() as session:
        items = compliance_items(session, policy, as_of=date(2025, 6, 1))
    rows = items[items["requirement"] == "ca.laser_protocols"].set_index("site")
    assert rows.loc["SFO1", "status"] == "ok"
    assert rows.loc["NYC1", "status"] == "not_applicable"
    assert rows.loc["NYC1", "detail"] == "Not required here: applies to sites in CA"
    with db.read() as session:
        lapsed = compliance_items(session, policy, as_of=date(2026, 1, 16))
    again = lapsed[lapsed["requirement"] == "ca.laser_protocols"].set_index("site")
    assert again.loc["SFO1", "status"] == "overdue"
