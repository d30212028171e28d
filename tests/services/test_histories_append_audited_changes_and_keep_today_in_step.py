"""The history services: a role, open days or location change is appended from its date
(never before the latest one, never after today at its site), audited, and the record's
own column holds the value in force today."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from factories import ACTOR, site, staff
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, StaffRoleChange, StockLot
from readiness.services import histories

TODAY = "2026-03-10 18:00:00+00:00"


@time_machine.travel(TODAY, tick=False)
def test_a_role_change_is_audited_and_today_is_kept_in_step(db: Database) -> None:
    with db.write() as session:
        person = staff(session, site(session), role="rn")
        histories.change_role(
            session,
            person,
            role="np",
            is_lso=True,
            effective_from=date(2026, 3, 1),
            reason="licensed as an NP",
            actor=ACTOR,
        )
        assert (person.role, person.is_lso) == ("np", True)
        # Not ahead of today: the staff row shows what holds today.
        with pytest.raises(UserError, match="2026-04-01 is after today"):
            histories.change_role(
                session,
                person,
                role="medical_director",
                is_lso=True,
                effective_from=date(2026, 4, 1),
                reason=None,
                actor=ACTOR,
            )
        with pytest.raises(UserError, match="changed on 2026-03-01: a change dated 2026-02-15"):
            histories.change_role(
                session,
                person,
                role="rn",
                is_lso=False,
                effective_from=date(2026, 2, 15),
                reason=None,
                actor=ACTOR,
            )
    with db.read() as session:
        entities = session.scalars(select(AuditEvent.entity).order_by(AuditEvent.seq)).all()
        assert entities[-2:] == ["staff_role_changes", "staff"]
        rows = session.scalars(select(StaffRoleChange)).all()
        assert [(r.role, r.is_lso, r.effective_from) for r in rows] == [
            ("np", True, date(2026, 3, 1))
        ]
        assert audit.verify(session).ok


@time_machine.travel(TODAY, tick=False)
def test_open_days_and_a_lot_location_change_from_their_day(db: Database) -> None:
    with db.write() as session:
        clinic = site(session)
        histories.change_open_days(
            session,
            clinic,
            open_days="mon-sat",
            effective_from=date(2026, 3, 2),
            reason="closed on Sundays",
            actor=ACTOR,
        )
        assert clinic.open_days == "mon,tue,wed,thu,fri,sat"
        with pytest.raises(UserError, match="is not a day"):
            histories.change_open_days(
                session,
                clinic,
                open_days="mon-funday",
                effective_from=date(2026, 3, 9),
                reason=None,
                actor=ACTOR,
            )
        lot = StockLot(
            site_id=clinic.id,
            item="epinephrine_adult",
            lot_number="EP-1",
            expires_on=date(2027, 1, 31),
            quantity=2,
            location="Crash cart",
        )
        records.create(session, lot, actor=ACTOR)
        histories.move_stock(
            session,
            lot,
            location=" Treatment room 2 ",
            effective_from=date(2026, 3, 10),
            reason=None,
            actor=ACTOR,
        )
        assert lot.location == "Treatment room 2"
        with pytest.raises(UserError, match="say where"):
            histories.move_stock(
                session,
                lot,
                location=" ",
                effective_from=date(2026, 3, 11),
                reason=None,
                actor=ACTOR,
            )
    with db.read() as session:
        assert audit.verify(session).ok
