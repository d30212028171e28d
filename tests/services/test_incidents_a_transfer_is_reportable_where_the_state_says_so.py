"""Florida counts any transfer to a hospital as an adverse incident to report: an incident
with a transfer at a site in a state whose reporting rule says `transfer_is_reportable` is
possibly reportable without anyone ticking it, with the state's deadline computed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from checklist_world import BEFORE_TEN, build_site
from sqlalchemy import select

from readiness.access import Principal
from readiness.db import Database
from readiness.models import Incident, Site
from readiness.policy.pack import Policy, load_policy
from readiness.services.incidents import IncidentReport, Logged, log_incident

OFFICER = Principal("olga", "officer")
SHIPPED = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"
# 23:30 on Sunday 8 March at the Chicago site: the site's day, not UTC's, starts the clock.
LATE_EVENING = datetime(2026, 3, 8, 23, 30)


def logged(
    db: Database,
    state: str | None,
    *,
    transferred: bool = False,
    incident_type: str = "anaphylaxis",
    ticked: bool = False,
    policy: Policy | None = None,
) -> tuple[Logged, Incident]:
    """Log one incident at a fresh site in `state`; the Logged outcome and the stored row."""
    with db.write() as session:
        build_site(session)
        session.scalars(select(Site)).one().state = state
        session.flush()
        outcome = log_incident(
            session,
            OFFICER,
            IncidentReport(
                "AUS1",
                LATE_EVENING,
                "C-2026-0011",
                incident_type,
                "major",
                transferred=transferred,
                possibly_reportable=ticked,
            ),
            now_utc=BEFORE_TEN,
            policy=policy or load_policy(SHIPPED),
        )
    with db.read() as session:
        return outcome, session.scalars(select(Incident)).one()


def test_the_shipped_policy_says_florida_counts_transfers() -> None:
    rules = load_policy(SHIPPED).settings.incident_reporting
    assert rules["FL"].transfer_is_reportable is True
    assert not rules["NY"].transfer_is_reportable and not rules["TX"].transfer_is_reportable


@pytest.mark.parametrize(
    ("transferred", "incident_type"),
    [(True, "anaphylaxis"), (False, "transfer_to_hospital")],
    ids=["transfer-ticked", "transfer-type"],
)
def test_a_florida_transfer_is_reportable_unticked_with_its_deadline(
    db: Database, transferred: bool, incident_type: str
) -> None:
    outcome, incident = logged(db, "FL", transferred=transferred, incident_type=incident_type)
    assert incident.possibly_reportable is True
    # Occurred on 8 March, site time (already 9 March in UTC): 15 days on is 23 March.
    assert incident.report_due_on == date(2026, 3, 23)
    assert outcome.reporting is not None
    assert outcome.reporting.startswith("Possibly reportable in FL: report by 2026-03-23")


def test_a_florida_incident_without_a_transfer_stays_as_ticked(db: Database) -> None:
    outcome, incident = logged(db, "FL")
    assert (incident.possibly_reportable, incident.report_due_on) == (False, None)
    assert outcome.reporting is None


@pytest.mark.parametrize("state", ["TX", "NY", None])
def test_elsewhere_a_transfer_is_reportable_only_when_ticked(
    db: Database, state: str | None
) -> None:
    outcome, incident = logged(db, state, transferred=True)
    assert (incident.possibly_reportable, incident.report_due_on) == (False, None)
    assert outcome.reporting is None


def test_another_state_can_count_transfers_in_its_overrides(db: Database, tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "settings:\n  incident_reporting:\n    NY:\n      transfer_is_reportable: true\n",
        encoding="utf-8",
    )
    policy = load_policy(SHIPPED, overrides)
    _, incident = logged(db, "NY", transferred=True, policy=policy)
    assert (incident.possibly_reportable, incident.report_due_on) == (True, date(2026, 3, 15))
