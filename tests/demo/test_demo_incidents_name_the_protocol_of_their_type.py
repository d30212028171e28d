"""The demo practice's incidents name the protocol of their type and its version (none for
a type without one), so its incident log and export show protocols, not "not recorded"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from readiness.db import Database
from readiness.demo import build_demo
from readiness.models import Incident
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.protocols import load_protocols


def test_each_incident_names_its_type_protocol(sqlite_db: Database) -> None:
    build_demo(sqlite_db, sites=3, days=180, seed=5, if_empty=False, as_of=date(2026, 3, 9))
    protocols = load_protocols()
    with sqlite_db.read() as session:
        incidents = session.scalars(select(Incident)).all()
    assert any(incident.protocol != NO_PROTOCOL for incident in incidents)
    for incident in incidents:
        own = protocols.for_incident(incident.incident_type)
        assert incident.protocol == (own or NO_PROTOCOL), incident.incident_type
        assert incident.protocol_version == (protocols.version_of(own) if own else None)
