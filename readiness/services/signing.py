"""Signing on the dashboard: the signed-in person signs as themself; anyone else's name
takes that person's PIN.

A signature names who did the work. On a shared clinic tablet the signed-in account
says who is at the screen, so signing in one's own name needs nothing more (unless
the policy's `signature_pin_always` asks for the PIN every time); signing in someone
else's name, or from an account linked to no staff member, needs the named person's
PIN, which only they know. The PIN itself is checked by `signatures.sign`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.errors import UserError
from readiness.models import ChecklistRun, Site, Staff
from readiness.policy.current import current_policy
from readiness.policy.templates import Template
from readiness.services import checklist_runs
from readiness.services.checklist_runs import Submission
from readiness.services.prepared_runs import Prepared, prepare_checklist
from readiness.services.signatures import PERFORMED, Signature, sign


def signs_as_self(by: Principal, person: Staff) -> bool:
    """True when the signed-in account is linked to the person who signs."""
    return by.staff_id is not None and by.staff_id == person.staff_id


def pin_needed(by: Principal, person: Staff, *, pin_always: bool | None = None) -> bool:
    """True when a signature in the person's name by this user takes the person's PIN."""
    always = current_policy().settings.signature_pin_always if pin_always is None else pin_always
    return always or not signs_as_self(by, person) or person.pin_hash is not None


def require_pin(
    by: Principal, person: Staff, pin: str | None, *, pin_always: bool | None = None
) -> None:
    """Refuse a signature that needs a PIN the person has not set, or that was not entered."""
    if not pin_needed(by, person, pin_always=pin_always):
        return
    if person.pin_hash is None:
        if signs_as_self(by, person):
            raise UserError(
                "Every signature here takes a PIN, and you have none yet:"
                " ask the compliance officer to set one."
            )
        raise UserError(
            f"{person.full_name} has no sign-off PIN, so nobody else can sign for them."
            f" {person.full_name} signs in to sign, or the compliance officer sets a PIN."
        )
    if not pin:
        who = "your" if signs_as_self(by, person) else f"{person.full_name}'s"
        raise UserError(f"Signing in {person.full_name}'s name takes {who} PIN: enter it.")


def signature_by(
    by: Principal,
    person: Staff,
    pin: str | None,
    now_utc: datetime,
    *,
    meaning: str = PERFORMED,
    pin_always: bool | None = None,
) -> Signature:
    """The person's signature given through this user's session, PIN rules applied."""
    require_pin(by, person, pin, pin_always=pin_always)
    return sign(person, pin, now_utc, meaning)


def prepare_signed(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    template_id: str,
    staff_id: str,
    answers: Mapping[str, object],
    pin: str | None,
    now_utc: datetime,
    slot_date: date | None = None,
    asset_id: str | None = None,
    key: str | None = None,
    templates: Mapping[str, Template] | None = None,
) -> Prepared:
    """`submit_checklist`'s checks and this user's signature in a read session, before the
    writers' lock.

    Record the result with `record_signed` in a write session: the lock is then held
    only for the recording, and many tablets submitting at once do not queue for reads.
    """
    require(by, "submit_checklist", site_code)
    return prepare_checklist(
        session, site_code=site_code, template_id=template_id, staff_id=staff_id,
        answers=answers, now_utc=now_utc, slot_date=slot_date, asset_id=asset_id, key=key,
        pin=pin, templates=templates,
        before_signing=lambda person: require_pin(by, person, pin),
    )  # fmt: skip


def record_signed(session: Session, by: Principal, prepared: Prepared) -> Submission:
    """Record a submission from `prepare_signed`, by this user, in a write session."""
    require(by, "submit_checklist", prepared.site_code)
    return checklist_runs.record_checklist(session, prepared, actor=by.actor)


def amend_own_run(
    session: Session,
    by: Principal,
    run_id: int,
    answers: Mapping[str, object],
    reason: str,
    *,
    now_utc: datetime,
    key: str | None = None,
) -> Submission:
    """Correct a run with a reason: staff their own runs, officers any run of their sites."""
    run = session.get(ChecklistRun, run_id)
    if run is None:
        raise UserError("That checklist is no longer on record; reload the page.")
    site = session.get_one(Site, run.site_id)
    require(by, "submit_checklist", site.code)
    if by.role == "staff":
        signed_by = session.get_one(Staff, run.submitted_by)
        if not signs_as_self(by, signed_by):
            raise UserError(
                f"Only {signed_by.full_name}, who signed it, or the compliance officer may"
                " correct this checklist."
            )
    return checklist_runs.amend_checklist(
        session, run_id, answers, reason, actor=by.actor, now_utc=now_utc, key=key
    )
