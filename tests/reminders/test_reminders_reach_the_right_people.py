"""Who gets which reminder: holders, owners, who logged an incident, officers; never a patient."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reminder_world import ANA, DIRECTORY, LEE, OFFICER, item, items, plan_at

from readiness.reminders.facts import Directory, Officer, OpenAction, OpenFollowup
from readiness.reminders.plan import Plan, Reminder

NOW = datetime(2026, 3, 10, 15, tzinfo=UTC)  # Tuesday, 10:00 in Chicago
FOLLOWUP = OpenFollowup(
    id=4,
    incident_id=9,
    site="AUS1",
    incident_type="blistering",
    occurred_on=date(2026, 3, 2),
    due_on=date(2026, 3, 10),
    logger_email=ANA,
)


def _of_kind(plan: Plan, kind: str) -> list[Reminder]:
    return [r for r in plan.reminders if r.kind == kind]


def _recipients(plan: Plan, kind: str) -> set[str]:
    return {r.recipient for r in _of_kind(plan, kind)}


def test_it_sends_equipment_stock_and_documents_to_the_officers_only() -> None:
    frame = items(
        item("aed.pads", "AED-1", "due_soon", date(2026, 4, 1)),
        item("stock.epinephrine_adult", "AUS1", "expired", date(2026, 3, 1)),
        item("doc.emergency_plan", "AUS1", "overdue", date(2026, 3, 8)),
    )
    plan = plan_at(NOW, frame)
    for kind in ("equipment", "stock", "document"):
        assert _recipients(plan, kind) == {OFFICER}


def test_a_certificate_holder_without_an_email_leaves_the_officer() -> None:
    plan = plan_at(NOW, items(item("cert.bls", "S-3", "due_soon", date(2026, 4, 1))))
    assert _recipients(plan, "certification") == {OFFICER}


def test_a_corrective_action_past_due_goes_to_its_owner_and_the_officer() -> None:
    action = OpenAction(7, "AUS1", "Replace the lens", date(2026, 3, 9), owner_email=LEE)
    not_yet = OpenAction(8, "AUS1", "Order pads", date(2026, 3, 10), owner_email=LEE)
    plan = plan_at(NOW, items(), actions=[action, not_yet])
    reminders = _of_kind(plan, "corrective_action")
    assert {(r.recipient, r.subject, r.step) for r in reminders} == {
        (LEE, "CA-7", "overdue-week-0"),
        (OFFICER, "CA-7", "overdue-week-0"),
    }


def test_a_follow_up_goes_to_who_logged_the_incident_and_the_officer_never_a_patient() -> None:
    plan = plan_at(NOW, items(), followups=[FOLLOWUP])
    reminders = _of_kind(plan, "followup")
    assert {r.recipient for r in reminders} == {ANA, OFFICER}
    assert {r.step for r in reminders} == {"due"}
    assert all("patient" not in r.recipient for r in reminders)


def test_a_follow_up_not_yet_due_waits() -> None:
    early = datetime(2026, 3, 9, 15, tzinfo=UTC)
    assert [
        r for r in plan_at(early, items(), followups=[FOLLOWUP]).reminders if r.kind == "followup"
    ] == []


def test_an_officer_of_one_site_hears_only_of_that_site() -> None:
    directory = Directory(
        staff_emails=DIRECTORY.staff_emails,
        officers=(Officer(OFFICER), Officer("phx@clinic.test", "PHX1")),
    )
    frame = items(
        item("aed.pads", "AED-1", "due_soon", date(2026, 4, 1)),
        item("aed.pads", "AED-9", "due_soon", date(2026, 4, 1), site="PHX1"),
    )
    plan = plan_at(NOW, frame, directory=directory)
    phx = {r.subject for r in plan.reminders if r.recipient == "phx@clinic.test"}
    everyone = {r.subject for r in plan.reminders if r.recipient == OFFICER and r.kind != "summary"}
    assert phx == {"AED-9", "PHX1"}  # PHX1: the weekly summary of the site
    assert everyone == {"AED-1", "AED-9"}


def test_an_officer_who_holds_the_certificate_gets_it_once() -> None:
    directory = Directory(staff_emails={"S-1": OFFICER}, officers=(Officer(OFFICER),))
    plan = plan_at(
        NOW, items(item("cert.bls", "S-1", "due_soon", date(2026, 4, 1))), directory=directory
    )
    assert [r.recipient for r in plan.reminders if r.kind == "certification"] == [OFFICER]


def test_ok_and_not_applicable_items_need_no_reminder() -> None:
    frame = items(
        item("cert.bls", "S-1", "ok", date(2027, 4, 1)),
        item("aed.pads", "AED-1", "not_applicable", date(2026, 3, 1)),
    )
    assert [r for r in plan_at(NOW, frame).reminders if r.kind != "summary"] == []
