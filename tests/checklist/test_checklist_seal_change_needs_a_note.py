"""A kit seal number that differs from the last one recorded needs a note; the same one does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from checklist_world import OPENING_OK, build_site, submit

from readiness.db import Database
from readiness.policy.answers import AnswerError

TUESDAY, WEDNESDAY = date(2026, 3, 10), date(2026, 3, 11)
TUESDAY_8AM = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
WEDNESDAY_8AM = datetime(2026, 3, 11, 13, 0, tzinfo=UTC)
KIT_MONTHLY = {
    "epi_adult_count": 2,
    "epi_adult_expiry": "2027-01-31",
    "epi_solution_clear": True,
    "antihistamine": True,
    "steroid": True,
    "albuterol": True,
    "oxygen_delivery": True,
    "bag_valve_mask": True,
    "oral_airways": True,
    "suction_works": True,
    "bp_cuff": True,
    "pulse_oximeter": True,
    "earliest_other_expiry": "2027-06-30",
}


def test_a_changed_seal_without_a_note_is_refused_and_with_one_accepted(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submit(db)  # seal A-1001
    changed = OPENING_OK | {"kit_seal": "A-2002"}
    with pytest.raises(AnswerError, match="seal number changed from A-1001 to A-2002"):
        submit(db, answers=changed, slot_date=TUESDAY, now_utc=TUESDAY_8AM)
    explained = changed | {"kit_seal.note": "Kit opened for a vasovagal episode, restocked"}
    submission = submit(db, answers=explained, slot_date=TUESDAY, now_utc=TUESDAY_8AM)
    assert submission.run.passed
    # The new number is now the one to match.
    submit(db, answers=changed, slot_date=WEDNESDAY, now_utc=WEDNESDAY_8AM)


def test_the_kit_inventory_reseal_is_the_number_the_opening_check_expects(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submit(db)  # seal A-1001
    submit(
        db,
        template_id="kit-monthly",
        asset_id="KIT-1",
        answers=KIT_MONTHLY | {"kit_seal": "B-3003"},  # a new seal is expected here
        slot_date=TUESDAY,
        now_utc=TUESDAY_8AM,
    )
    with pytest.raises(AnswerError, match="changed from B-3003 to A-1001"):
        submit(db, slot_date=WEDNESDAY, now_utc=WEDNESDAY_8AM)
    submit(
        db, answers=OPENING_OK | {"kit_seal": "b-3003 "}, slot_date=WEDNESDAY, now_utc=WEDNESDAY_8AM
    )
