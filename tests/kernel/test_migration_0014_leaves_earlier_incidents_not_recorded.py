"""A database at 0013 with an incident upgrades to the head: the incident gains the protocol
columns, empty, and reads "not recorded" in the incident log (it was logged before
protocols were named); the migration vouches for it in the audit chain, which still
verifies; an incident logged after the upgrade names its protocol. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from readiness.access import Principal
from readiness.audit import chain as audit
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, upgrade
from readiness.models import AuditEvent, Incident
from readiness.models.base import UTCDateTime
from readiness.policy.current import current_policy
from readiness.policy.protocols import load_protocols
from readiness.services.incidents import IncidentReport, log_incident
from readiness.views.incidents import incident_log

AT = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
# Clear of the ids the database gives (PostgreSQL's sequence does not see explicit ids).
OLD = 100
INSTANTS = ("occurred_at", "recorded_at")


def _create(session: Any, table: str, values: dict[str, Any]) -> None:
    """Insert a row with SQL and audit it as the previous release did (instants as the
    application reads them: text on SQLite)."""
    instants = [sa.Column(name, UTCDateTime()) for name in INSTANTS if name in values]
    reflected = sa.Table(table, sa.MetaData(), *instants, autoload_with=session.connection())
    session.execute(reflected.insert().values(**values))
    row = session.execute(select(reflected).where(reflected.c.id == values["id"])).mappings()
    spec = audit.EventSpec("t", "create", table, str(values["id"]), None, dict(row.one()))
    spec.at = AT
    audit.append_many(session, [spec])


def _previous_release(db: Database) -> None:
    upgrade(db.engine, "0013")
    with db.write() as session:
        site = {"id": 1, "code": "AUS1", "name": "Austin", "timezone": "America/Chicago"}
        flags = {"open_days": "mon,tue,wed,thu,fri", "treats_children": False, "active": True}
        _create(session, "sites", {**site, **flags})
        incident = {
            "id": OLD,
            "site_id": 1,
            "occurred_at": AT,
            "case_ref": "C-2026-0001",
            "incident_type": "burn",
            "severity": "minor",
            "transferred": False,
            "possibly_reportable": False,
            "record_state": "current",
            "recorded_at": AT,
            "recorded_by": "t",
        }
        _create(session, "incidents", incident)


def test_earlier_incidents_read_not_recorded_and_new_ones_name_their_protocol(
    db_url: str,
) -> None:
    db = Database(db_url)
    _previous_release(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision() != "0013"
    protocols = load_protocols()
    with db.write() as session:
        old = session.get(Incident, OLD)
        assert old is not None
        assert (old.protocol, old.protocol_version, old.protocol_reason) == (None, None, None)
        log_incident(
            session,
            Principal("olga", "officer"),
            IncidentReport("AUS1", datetime(2026, 3, 2, 9, 0), "C-2026-0002", "burn", "minor"),
            now_utc=datetime(2026, 3, 3, 12, 0, tzinfo=UTC),
            policy=current_policy(),
            protocols=protocols,
        )
    with db.read() as session:
        result = audit.verify(session)
        assert result.ok, result.problems
        vouched = select(AuditEvent.entity_id).where(AuditEvent.actor == "migration 0014")
        assert session.scalars(vouched).all() == [str(OLD)]  # the one earlier incident
        log = incident_log(session, ["AUS1"], protocols).set_index("case_ref")
    assert log.loc["C-2026-0001", "protocol"] == "not recorded"
    version = protocols.version_of("laser_burn")
    assert log.loc["C-2026-0002", "protocol"] == (
        f"Laser burn or laser fire on a patient · version {version}"
    )
    db.dispose()
