"""The dashboard's write services: validation that explains, what they derive from the policy."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from checklist_world import BEFORE_TEN, build_site
from sqlalchemy import select

from readiness.access import Principal
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Certification, CorrectiveAction, Incident, IncidentFollowup, Site
from readiness.policy.current import current_policy
from readiness.services.assets import record_service_event, set_asset_status
from readiness.services.certifications import add_certification
from readiness.services.drills import ActionPlan, Timings, log_drill
from readiness.services.incidents import IncidentReport, check_case_ref, log_incident, next_case_ref

# The faces load the policy and pass it into each write.
POLICY = current_policy()

OFFICER = Principal("olga", "officer")
TODAY = date(2026, 3, 9)


@pytest.fixture
def world(sqlite_db: Database) -> Database:
    with sqlite_db.write() as session:
        build_site(session)
    return sqlite_db


@pytest.mark.parametrize(
    "ref", ["Jane Doe", "doe, jane", "1985-03-02", "03/02/1985", "C-85-1", "c 2026 0001"]
)
def test_case_references_that_could_identify_a_patient_are_refused(ref: str) -> None:
    with pytest.raises(UserError):
        check_case_ref(ref)


def test_a_case_reference_may_follow_another_pattern() -> None:
    assert check_case_ref(" INC-0042 ", r"INC-\d{4}") == "INC-0042"
    with pytest.raises(UserError, match="looks like a date or a name"):
        check_case_ref("Mary Smith", r".+")


def test_a_reportable_incident_in_texas_is_due_the_next_day(world: Database) -> None:
    with world.write() as session:
        session.scalars(select(Site)).one().state = "TX"
        session.flush()
        logged = log_incident(
            session,
            OFFICER,
            IncidentReport(
                "AUS1", datetime(2026, 3, 8, 23, 30), "C-2026-0007", "burn", "moderate",
                asset_id="L-1", operator_staff_id="S-2", possibly_reportable=True,
                followups=(date(2026, 3, 16), date(2026, 3, 12)),
            ),
            now_utc=BEFORE_TEN, policy=POLICY,
        )  # fmt: skip
        assert next_case_ref(session, 2026) == "C-2026-0008"
    assert logged.reporting is not None and "report by 2026-03-09" in logged.reporting
    with world.read() as session:
        incident = session.scalars(select(Incident)).one()
        follow = session.scalars(
            select(IncidentFollowup.due_on).order_by(IncidentFollowup.due_on)
        ).all()
    assert incident.report_due_on == date(2026, 3, 9)  # 23:30 on the 8th, site time: a day later
    # The site's wall clock: CDT since that morning, so 04:30 UTC.
    assert incident.occurred_at == datetime(2026, 3, 9, 4, 30, tzinfo=incident.occurred_at.tzinfo)
    assert follow == [date(2026, 3, 12), date(2026, 3, 16)]


def test_a_renewal_without_expiry_takes_the_policys_validity(world: Database) -> None:
    with world.write() as session:
        card = add_certification(
            session,
            OFFICER,
            staff_id="S-1",
            cert_type="bls",
            issued_on=date(2026, 3, 2),
            today=TODAY,
            policy=POLICY,
        )
        assert (card.expires_on, card.expiry_derived) == (date(2028, 3, 31), True)
        with pytest.raises(UserError, match="must be after the issue date"):
            add_certification(
                session, OFFICER, staff_id="S-1", cert_type="acls", issued_on=TODAY, today=TODAY,
                expires_on=date(2026, 1, 1), policy=POLICY,
            )  # fmt: skip
        with pytest.raises(UserError, match="certificate type must be one of"):
            add_certification(
                session,
                OFFICER,
                staff_id="S-1",
                cert_type="cpr",
                issued_on=TODAY,
                today=TODAY,
                policy=POLICY,
            )
    with world.read() as session:
        assert len(session.scalars(select(Certification)).all()) == 1


def test_a_service_without_next_due_takes_the_assets_interval(world: Database) -> None:
    with world.write() as session:
        event = record_service_event(
            session, OFFICER, asset_id="L-1", kind="service", performed_on=date(2026, 3, 1),
            performed_by="Acme", result="pass", today=TODAY, policy=POLICY,
        )  # fmt: skip
        assert event.next_due_on == date(2027, 3, 1)
        with pytest.raises(UserError, match="in the future"):
            record_service_event(
                session, OFFICER, asset_id="L-1", kind="service", performed_on=date(2026, 3, 10),
                performed_by="Acme", result="pass", today=TODAY, policy=POLICY,
            )  # fmt: skip
        assert set_asset_status(
            session, OFFICER, asset_id="L-1", status="out_of_service", reason="repair"
        )
        with pytest.raises(UserError, match="already out of service"):
            set_asset_status(
                session, OFFICER, asset_id="L-1", status="out_of_service", reason="again"
            )
        with pytest.raises(UserError, match="say why"):
            set_asset_status(session, OFFICER, asset_id="L-1", status="in_service", reason=" ")


def test_a_failed_drill_stays_failed_until_its_action_is_closed(world: Database) -> None:
    with world.write() as session:
        drill, actions = log_drill(
            session, OFFICER, site_code="AUS1", scenario="anaphylaxis",
            held_at=datetime(2026, 3, 5, 10, 0),
            participants=["S-1", "S-2", "S-1"], outcome="fail", now_utc=BEFORE_TEN,
            timings=Timings(aed=95, epinephrine=140), debrief="Epinephrine was in the wrong room",
            actions=[ActionPlan("Move the epinephrine", date(2026, 3, 20), owner_staff_id="S-3")],
            policy=POLICY,
        )  # fmt: skip
        assert [p.staff_pk for p in drill.participants] == [1, 2]
        items = compliance_items(session, current_policy(), now_utc=BEFORE_TEN)
    (action,) = actions
    assert (action.source, action.requirement, action.subject) == (
        "drill",
        "drill.anaphylaxis",
        "AUS1",
    )
    row = items[(items["requirement"] == "drill.anaphylaxis") & (items["site"] == "AUS1")]
    assert list(row["status"]) == ["failed"]
    with world.read() as session:
        assert session.get(CorrectiveAction, action.id) is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"participants": []}, "at least one participant"),
        ({"participants": ["S-404"]}, "no staff member with id S-404"),
        ({"scenario": "flood"}, "scenario must be one of"),
        ({"timings": Timings(aed=-1)}, "time to AED"),
        ({"held_at": datetime(2026, 3, 9, 9, 0)}, "in the future"),
    ],
)
def test_a_drill_with_a_mistake_is_refused(
    world: Database, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "site_code": "AUS1", "scenario": "fire", "held_at": datetime(2026, 3, 9, 7, 0),
        "participants": ["S-1"], "outcome": "pass", "now_utc": BEFORE_TEN,
    } | kwargs  # fmt: skip
    with world.write() as session, pytest.raises(UserError, match=message):
        log_drill(session, OFFICER, **args, policy=POLICY)  # type: ignore[arg-type]
