"""A database of the previous release (0012) with a site's contacts and roles upgrades to
the head: each row becomes the first version, in force from the site-local day the audit
trail last recorded it and by whom; the plan's version (what staff acknowledged) does not
change, `verify` passes, and the plan can be changed from a later day afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.compliance.plan_versions import plan_versions, protocols_content
from readiness.db import Database
from readiness.export.plan.facts import site_facts
from readiness.migrate import current_revision, head_revision, upgrade
from readiness.models import EmergencyRole, Site, SiteContacts
from readiness.policy.handouts import current_protocols
from readiness.rules.plan_version import plan_version
from readiness.services.site_contacts import change_site_plan

AT = datetime(2025, 5, 1, 15, 0, tzinfo=UTC)
# 03:00 UTC on 2 June is still 1 June in Chicago: the site's day counts.
CHANGED_AT = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)
CONTACTS = {"id": 1, "site_id": 1, "emergency_number": "911", "ed_phone": "512-555-0100"}


def _write(session: Any, table: str, values: dict[str, Any], *, at: datetime, by: str) -> None:
    """Insert or update a row with SQL and audit it as the previous release did."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=session.connection())
    where = reflected.c.id == values["id"]
    before = session.execute(select(reflected).where(where)).mappings().first()
    if before is None:
        session.execute(reflected.insert().values(**values))
    else:
        before = dict(before)
        session.execute(reflected.update().where(where).values(**values))
    row = dict(session.execute(select(reflected).where(where)).mappings().one())
    action = "create" if before is None else "update"
    spec = audit.EventSpec(by, action, table, str(values["id"]), before, row)
    spec.at = at
    audit.append_many(session, [spec])


def _previous_release(db: Database) -> None:
    upgrade(db.engine, "0012")
    with db.write() as session:
        site = {"id": 1, "code": "AUS1", "name": "Austin", "timezone": "America/Chicago"}
        flags = {"open_days": "mon,tue,wed,thu,fri", "treats_children": False, "active": True}
        _write(session, "sites", {**site, **flags}, at=AT, by="t")
        _write(session, "site_contacts", CONTACTS, at=AT, by="importer")
        lead = {"id": 1, "site_id": 1, "scenario": "all", "duty": "lead", "assignee": "rn"}
        _write(session, "emergency_roles", lead, at=AT, by="importer")
        call = {"id": 2, "site_id": 1, "scenario": "all", "duty": "call_911", "assignee": "rn"}
        _write(session, "emergency_roles", call, at=AT, by="importer")
        _write(session, "emergency_roles", {**call, "assignee": "np"}, at=CHANGED_AT, by="ann")
        if session.bind.dialect.name == "postgresql":
            # Rows were given their ids: move the sequences past them, as an import would.
            for table in ("sites", "site_contacts", "emergency_roles"):
                session.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)")
                )


def _expected_version() -> str:
    """The plan version the previous release gave these rows (no dates in it)."""
    contacts = {k: v for k, v in CONTACTS.items() if k not in {"id", "site_id"}}
    roles = [("all", "lead", "rn"), ("all", "call_911", "np")]
    content = protocols_content(current_protocols())
    return plan_version(content, {**contacts, "nearest_hospital": None}, roles)


def test_rows_become_first_versions_dated_from_the_trail(db_url: str) -> None:
    db = Database(db_url)
    _previous_release(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision() != "0012"
    with db.read() as session:
        contacts = session.scalars(select(SiteContacts)).one()
        assert (contacts.effective_from, contacts.recorded_by) == (date(2025, 5, 1), "importer")
        assert contacts.ed_phone == "512-555-0100"
        roles = session.scalars(select(EmergencyRole).order_by(EmergencyRole.id)).all()
        assert [(r.duty, r.assignee, r.effective_from, r.recorded_by) for r in roles] == [
            ("lead", "rn", date(2025, 5, 1), "importer"),
            ("call_911", "np", date(2025, 6, 1), "ann"),
        ]
        assert audit.verify(session).ok
        # Staff who acknowledged the plan before the upgrade still have the same version.
        assert plan_versions(session, [1]) == {1: _expected_version()}
        # Before the first recorded day nothing was on file.
        assert site_facts(session, "AUS1", as_of=date(2025, 4, 30)).contacts["ed_phone"] is None
        assert site_facts(session, "AUS1", as_of=date(2025, 5, 1)).contacts["ed_phone"]
    db.dispose()


def test_after_the_upgrade_a_change_is_a_new_version_and_verify_holds(db_url: str) -> None:
    db = Database(db_url)
    _previous_release(db)
    upgrade(db.engine)
    with db.write() as session:
        site = session.get(Site, 1)
        assert site is not None
        change_site_plan(
            session,
            site,
            effective_from=date(2025, 7, 1),
            reason="new ED phone",
            actor="officer",
            contacts={"emergency_number": "911", "ed_phone": "512-555-0199"},
        )
    with db.read() as session:
        phones = [
            site_facts(session, "AUS1", as_of=day).contacts["ed_phone"]
            for day in (date(2025, 6, 30), date(2025, 7, 1))
        ]
        assert phones == ["512-555-0100", "512-555-0199"]
        assert session.scalar(select(sa.func.count()).select_from(SiteContacts)) == 2
        assert audit.verify(session).ok, audit.verify(session).problems
    db.dispose()
