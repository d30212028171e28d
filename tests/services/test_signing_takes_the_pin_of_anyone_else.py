"""Who may sign in whose name: the signed-in person as themself without a PIN (unless they
have one, or the policy asks for it always); anyone else's name only with that person's
PIN; nobody for a person who has no PIN."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher

from readiness.access import Principal
from readiness.errors import UserError
from readiness.models import Staff
from readiness.services.signing import pin_needed, signature_by

NOW = datetime(2026, 3, 9, 13, 12, tzinfo=UTC)
ANA = Principal("ana", "staff", ("AUS1",), staff_id="S-1")
UNLINKED = Principal("front", "staff", ("AUS1",))


def person(staff_id: str, name: str, pin: str | None = None) -> Staff:
    hashed = PasswordHasher().hash(pin) if pin else None
    return Staff(id=1, staff_id=staff_id, full_name=name, site_id=1, role="rn", pin_hash=hashed)


def test_own_name_needs_no_pin_unless_set_or_always() -> None:
    ana = person("S-1", "Ana Lopez")
    assert not pin_needed(ANA, ana, pin_always=False)
    assert signature_by(ANA, ana, None, NOW, pin_always=False).printed_name == "Ana Lopez"
    with pytest.raises(UserError, match="Every signature here takes a PIN"):
        signature_by(ANA, ana, None, NOW, pin_always=True)
    with_pin = person("S-1", "Ana Lopez", "4821")
    assert pin_needed(ANA, with_pin, pin_always=False)
    with pytest.raises(UserError, match="takes your PIN"):
        signature_by(ANA, with_pin, None, NOW, pin_always=False)
    assert signature_by(ANA, with_pin, "4821", NOW, pin_always=True).staff_id == "S-1"


@pytest.mark.parametrize("by", [ANA, UNLINKED])
def test_another_name_takes_that_persons_pin(by: Principal) -> None:
    lee = person("S-2", "Lee Park")
    assert pin_needed(by, lee, pin_always=False)
    with pytest.raises(UserError, match="Lee Park has no sign-off PIN"):
        signature_by(by, lee, "1234", NOW, pin_always=False)
    lee = person("S-2", "Lee Park", "1357")
    with pytest.raises(UserError, match="takes Lee Park's PIN"):
        signature_by(by, lee, None, NOW, pin_always=False)
    with pytest.raises(UserError, match="wrong PIN for Lee Park"):
        signature_by(by, lee, "0000", NOW, pin_always=False)
    signed = signature_by(by, lee, "1357", NOW, pin_always=False, meaning="acknowledged")
    assert (signed.printed_name, signed.meaning) == ("Lee Park", "acknowledged")
