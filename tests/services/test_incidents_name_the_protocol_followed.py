"""An incident names the protocol followed and its version when logged: by default the
protocol of its type (a burn follows the laser burn protocol), none for a type without
one; the officer may name another, or "none followed" with a reason. The version is the
one in force when logged: a later edit of the protocol leaves the incident's as it was.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from checklist_world import BEFORE_TEN, build_site
from sqlalchemy import select

from readiness.access import Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Incident
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.current import current_policy
from readiness.policy.protocols import Protocols, default_protocols_path, load_protocols
from readiness.services.incidents import IncidentReport, log_incident

OFFICER = Principal("olga", "officer")
COOLING = "No ice, no butter or home remedies."
WHEN = datetime(2026, 3, 8, 16, 30)
SHIPPED = load_protocols()


def _log(
    db: Database,
    incident_type: str,
    *,
    ref: str = "C-2026-0011",
    protocol: str | None = None,
    reason: str | None = None,
    protocols: Protocols = SHIPPED,
) -> Incident:
    with db.write() as session:
        report = IncidentReport(
            "AUS1",
            WHEN,
            ref,
            incident_type,
            "moderate",
            protocol=protocol,
            protocol_reason=reason,
        )
        log_incident(
            session,
            OFFICER,
            report,
            now_utc=BEFORE_TEN,
            policy=current_policy(),
            protocols=protocols,
        )
    with db.read() as session:
        return session.scalars(select(Incident).where(Incident.case_ref == ref)).one()


@pytest.fixture(autouse=True)
def site(db: Database) -> None:
    with db.write() as session:
        build_site(session)


@pytest.mark.parametrize(
    ("incident_type", "protocol"),
    [("burn", "laser_burn"), ("anaphylaxis", "anaphylaxis"), ("syncope", "vasovagal_syncope")],
)
def test_the_type_protocol_and_its_version_by_default(
    db: Database, incident_type: str, protocol: str
) -> None:
    incident = _log(db, incident_type)
    assert (incident.protocol, incident.protocol_version, incident.protocol_reason) == (
        protocol,
        SHIPPED.version_of(protocol),
        None,
    )


def test_a_type_without_a_protocol_records_none_without_a_reason(db: Database) -> None:
    incident = _log(db, "device_malfunction")
    assert (incident.protocol, incident.protocol_version) == (NO_PROTOCOL, None)
    assert SHIPPED.followed_text(incident.protocol, incident.protocol_reason) == "none followed"


def test_the_officer_names_another_protocol(db: Database) -> None:
    incident = _log(db, "other", protocol="fire")
    assert (incident.protocol, incident.protocol_version) == ("fire", SHIPPED.version_of("fire"))


def test_none_followed_where_the_type_has_one_needs_a_reason(db: Database) -> None:
    with pytest.raises(UserError) as refused:
        _log(db, "anaphylaxis", protocol=NO_PROTOCOL)
    assert str(refused.value) == (
        "say why the Anaphylaxis (severe allergic reaction) protocol was not followed"
        " (the reason is kept with the incident)"
    )
    with db.read() as session:
        assert session.scalars(select(Incident)).all() == []
    incident = _log(db, "anaphylaxis", protocol=NO_PROTOCOL, reason="mild hives only")
    assert (incident.protocol, incident.protocol_version) == (NO_PROTOCOL, None)
    assert incident.protocol_reason == "mild hives only"
    assert SHIPPED.followed_text(NO_PROTOCOL, "mild hives only") == "none followed: mild hives only"


def test_an_unknown_protocol_is_refused_with_the_choices(db: Database) -> None:
    with pytest.raises(UserError, match=r"no protocol 'burns': choose one of anaphylaxis, "):
        _log(db, "burn", protocol="burns")


def test_a_reason_holding_a_patient_identifier_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match="why the protocol was not followed"):
        _log(db, "burn", protocol=NO_PROTOCOL, reason="patient Jane Doe refused, 555-867-5309")


def test_the_version_is_the_one_in_force_when_logged(db: Database, tmp_path: Path) -> None:
    before = _log(db, "burn")
    text = default_protocols_path().read_text(encoding="utf-8")
    assert COOLING in text
    edited_path = tmp_path / "protocols.yaml"
    edited_path.write_text(text.replace(COOLING, "Never ice.", 1), encoding="utf-8")
    edited = load_protocols(edited_path)
    after = _log(db, "burn", ref="C-2026-0012", protocols=edited)
    assert after.protocol_version == edited.version_of("laser_burn")
    assert after.protocol_version != before.protocol_version
    with db.read() as session:
        kept = session.scalars(select(Incident).where(Incident.case_ref == "C-2026-0011")).one()
    assert kept.protocol_version == SHIPPED.version_of("laser_burn")
