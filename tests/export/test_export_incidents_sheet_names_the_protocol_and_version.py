"""The export's Incidents sheet reads the protocol followed by its title, "none followed"
with the reason, or "not recorded" for an incident logged before protocols were named,
beside the version recorded (the one printed under the protocol in the plan). Read back
with openpyxl; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from export_world import ACTOR, START, at, build_world, clock, export
from openpyxl import load_workbook

from readiness.access import Principal
from readiness.db import Database
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.current import current_policy
from readiness.policy.protocols import load_protocols
from readiness.services.incidents import IncidentReport, log_incident

PROTOCOLS = load_protocols()
# Two incidents logged through the service on Tuesday of the exported week (site clock).
LOGGED = (
    ("C-2026-0101", "anaphylaxis", None, None),
    ("C-2026-0102", "burn", NO_PROTOCOL, "patient declined cooling"),
)


def _log(db: Database) -> None:
    tuesday = START + timedelta(days=1)
    with clock(at(tuesday, 16, 0)), db.write() as session:
        for minute, (ref, kind, protocol, reason) in enumerate(LOGGED):
            report = IncidentReport(
                "AUS1",
                datetime.combine(tuesday, datetime.min.time()).replace(hour=11, minute=minute),
                ref,
                kind,
                "moderate",
                protocol=protocol,
                protocol_reason=reason,
            )
            log_incident(
                session,
                Principal(ACTOR, "officer"),
                report,
                now_utc=at(tuesday, 16, 0),
                policy=current_policy(),
                protocols=PROTOCOLS,
            )


def _sheet(path: Path) -> dict[str, dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)["Incidents"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {
        str(row[header.index("Case reference")]): dict(zip(header, row, strict=False))
        for row in rows[1:]
    }


def test_the_protocol_reads_as_title_reason_or_not_recorded(db: Database, tmp_path: Path) -> None:
    build_world(db)
    _log(db)
    path = tmp_path / "week.xlsx"
    export(db, path)
    sheet = _sheet(path)
    followed = sheet["C-2026-0101"]
    assert followed["Protocol followed"] == "Anaphylaxis (severe allergic reaction)"
    assert followed["Protocol version"] == PROTOCOLS.version_of("anaphylaxis")
    declined = sheet["C-2026-0102"]
    assert declined["Protocol followed"] == "none followed: patient declined cooling"
    assert declined["Protocol version"] is None
    # The world's incidents were written before protocols were named (no protocol stored).
    earlier = [row for ref, row in sheet.items() if not ref.startswith("C-2026-01")]
    assert earlier and all(row["Protocol followed"] == "not recorded" for row in earlier)
