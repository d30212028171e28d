"""Adding equipment: the officer adds a loan or replacement unit in service the same day,
audited as the user in the same transaction; a duplicate asset id, a wrong site, a field
that does not fit the kind or an unreadable laser label is refused with a sentence."""

from __future__ import annotations

from datetime import date

import pytest
from checklist_world import build_site
from sqlalchemy import select

from readiness.access import AccessDenied, Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Asset, AuditEvent
from readiness.services.assets import NewAsset, add_asset, set_asset_status

OFFICER = Principal("olga", "officer")
PHX_OFFICER = Principal("pat", "officer", ("PHX1",))
INSPECTOR = Principal("ines", "inspector")
LOAN = NewAsset(
    asset_id="AED-2",
    site_code="AUS1",
    kind="aed",
    name="Loan AED from the distributor",
    serial_number=" X-123 ",
    location="Reception",
    pads_expire_on=date(2027, 5, 31),
    battery_expires_on=date(2029, 1, 31),
)


@pytest.fixture
def world(db: Database) -> Database:
    with db.write() as session:
        build_site(session)
        build_site(session, "PHX1")
    return db


def test_a_loan_aed_goes_into_service_and_is_audited(world: Database) -> None:
    with world.write() as session:
        set_asset_status(
            session, OFFICER, asset_id="AED-1", status="out_of_service", reason="Failed self-test"
        )
        add_asset(session, OFFICER, LOAN, reason="Loan unit while AED-1 is repaired")
    with world.read() as session:
        aed = session.scalar(select(Asset).where(Asset.asset_id == "AED-2"))
        assert aed is not None
        assert (aed.status, aed.kind, aed.serial_number, aed.pads_expire_on) == (
            "in_service",
            "aed",
            "X-123",
            date(2027, 5, 31),
        )
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "assets", AuditEvent.entity_id == str(aed.id))
            .order_by(AuditEvent.seq)
        ).first()
        assert event is not None
        assert (event.actor, event.action) == ("user:olga", "create")
        assert event.reason == "Loan unit while AED-1 is repaired"


def test_eyewear_with_readable_ranges_is_added(world: Database) -> None:
    pair = NewAsset(
        asset_id="EYE-9",
        site_code="AUS1",
        kind="eyewear",
        name="Goggles",
        wavelength_nm="190-534/740-1100",
        optical_density="OD 7+",
    )
    with world.write() as session:
        add_asset(session, OFFICER, pair)
    with world.read() as session:
        found = session.scalar(select(Asset).where(Asset.asset_id == "EYE-9"))
        assert found is not None and found.wavelength_nm == "190-534/740-1100"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"asset_id": "AED-1"}, "asset id 'AED-1' is already used \\(aed AED-1\\)"),
        ({"asset_id": "  "}, "give the asset an id"),
        ({"site_code": "NOPE"}, "no site with code 'NOPE'"),
        ({"kind": "toaster"}, "kind must be one of"),
        ({"name": " "}, "give the asset a name"),
        ({"kind": "oxygen"}, "pads and battery expiry dates are for AEDs only"),
        (
            {
                "kind": "oxygen",
                "pads_expire_on": None,
                "battery_expires_on": None,
                "wavelength_nm": "1064",
            },
            "wavelengths and optical density are for lasers and eyewear only",
        ),
        (
            {"kind": "laser", "pads_expire_on": None, "battery_expires_on": None},
            "laser: wavelength not on file",
        ),
        (
            {
                "kind": "eyewear",
                "pads_expire_on": None,
                "battery_expires_on": None,
                "wavelength_nm": "1064",
                "optical_density": "IPL shade 5",
            },
            "eyewear: optical density 'IPL shade 5' cannot be read",
        ),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    world: Database, changes: dict[str, object], message: str
) -> None:
    values = {**LOAN.__dict__, **changes}
    with world.write() as session, pytest.raises(UserError, match=message):
        add_asset(session, OFFICER, NewAsset(**values))  # type: ignore[arg-type]
    with world.read() as session:
        count = len(session.scalars(select(Asset)).all())
    assert count == 6  # the two sites' laser, AED and kit


@pytest.mark.parametrize(
    ("user", "message"),
    [
        (INSPECTOR, "the inspector role may not take assets in or out of service"),
        (PHX_OFFICER, "pat may not act on site AUS1"),
        (None, "sign in first"),
    ],
)
def test_it_needs_the_role_and_the_site(
    world: Database, user: Principal | None, message: str
) -> None:
    with world.write() as session, pytest.raises(AccessDenied, match=message):
        add_asset(session, user, LOAN)  # type: ignore[arg-type]
