"""Before a treatment, the time-out is filled in on the Today page; it offers the aftercare
handouts the clinic gives now (one per laser procedure), by title and the version printed
on them, and records the one given -- whose version names its procedure."""

from __future__ import annotations

import pytest
from checklist_world import build_site
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from today_page import open_today

from readiness.db import Database
from readiness.models import ChecklistResponse
from readiness.policy.handouts import current_protocols, handout_versions, version_of
from readiness.rules.plan_version import handout_procedure

TIMEOUT = "procedure-timeout|AUS1|L-1|each"
CHECKS = (
    "consent_signed",
    "screen_pregnancy",
    "screen_anticoagulants",
    "screen_clotting",
    "screen_photosensitising",
    "eyewear_everyone",
    "cooling_on",
    "fire_precautions",
)


def test_the_time_out_records_the_current_handout_version(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    current = version_of(current_protocols(), "laser_vein")
    at = open_today(sqlite_db, monkeypatch)
    at.selectbox(key="today_slot").set_value(TIMEOUT).run()
    handout = at.selectbox(key="item_aftercare_handout")
    assert handout.options == [f"{title} (version {v})" for v, title in handout_versions().items()]
    assert f"After your laser vein treatment (version {current})" in handout.options
    _pass_the_checks(at)
    at.button(key="today_submit").click().run()
    assert "Some answers need attention (see below): Aftercare handout given" in at.error[0].value

    at.selectbox(key="item_aftercare_handout").set_value(current)
    at.button(key="today_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Recorded: Pre-procedure time-out — L-1 (each treatment)")
    with sqlite_db.read() as session:
        given = session.scalars(
            select(ChecklistResponse.value).where(ChecklistResponse.item_id == "aftercare_handout")
        ).one()
    assert given == current
    # The next treatment starts from a blank form.
    assert at.selectbox(key="item_aftercare_handout").value is None
    assert at.radio(key="item_consent_signed").value is None


def test_a_hair_removal_time_out_records_the_hair_removal_handout(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    hair = version_of(current_protocols(), "laser_hair_removal")
    assert hair != version_of(current_protocols(), "laser_vein")
    at = open_today(sqlite_db, monkeypatch)
    at.selectbox(key="today_slot").set_value(TIMEOUT).run()
    _pass_the_checks(at)
    at.selectbox(key="item_aftercare_handout").set_value(hair)
    at.button(key="today_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with sqlite_db.read() as session:
        given = session.scalars(
            select(ChecklistResponse.value).where(ChecklistResponse.item_id == "aftercare_handout")
        ).one()
    assert (given, handout_procedure(str(given))) == (hair, "laser_hair_removal")


def _pass_the_checks(at: AppTest) -> None:
    for item in CHECKS:
        at.radio(key=f"item_{item}").set_value("Pass")
    at.text_input(key="item_case_ref").input("C-2026-0042")
