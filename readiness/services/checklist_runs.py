"""Submit and amend checklist runs: signed, idempotent, one current run per slot.

`submit_checklist` is used by `readiness checklist submit`; the Today page signs in two
steps, `signing.prepare_signed` in a read session and `signing.record_signed`.
It records the run and its answers in one audited create, opens a corrective
action for every failed item and takes assets out of service where a template says
so, all in the caller's transaction. Answers that cannot be recorded raise
`readiness.policy.answers.AnswerError` (listing every problem); anything else the user
can fix raises `UserError`.

Idempotency: the same key again returns the run it recorded, writing nothing (a
double tap, a retry, two tablets sharing a form). A different submission for a slot
that is already done is refused with a message naming who did it and when; it can
be recorded instead with `amend_checklist` and a reason.

Concurrency: writers are serialised (SQLite by BEGIN IMMEDIATE in `Database.write`,
PostgreSQL by the writers' advisory lock), so the "already done" check made under the
lock sees every committed run. What only reads is done before the lock
(`prepared_runs.prepare_checklist`, in a read session when the caller has one) and
`record_checklist` checks under the lock, by indexed look-ups, that it still holds,
so the time a tablet holds the lock does not grow with the practice's history.
Should a run still collide on the slot index (a writer that skips this service), its
INSERT writes nothing (ON CONFLICT DO NOTHING) and the same message is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import chain as audit
from readiness.audit import records
from readiness.checklist.run_rows import insert_run
from readiness.checklist.seals import previous_seals
from readiness.checklist.slot import SlotRef, slot_label
from readiness.errors import UserError
from readiness.models import Asset, ChecklistResponse, ChecklistRun, CorrectiveAction, Site, Staff
from readiness.policy.answers import ItemResult, evaluate_answers
from readiness.policy.templates import Template
from readiness.rules import slots
from readiness.services.corrective_actions import (
    FailureOutcome,
    actions_of_run,
    open_for_failures,
)
from readiness.services.prepared_runs import (
    Prepared,
    already_done,
    current_run,
    local_time,
    prepare_checklist,
    recheck,
    refuse_done_slot,
    refuse_identifiers,
    run_with_key,
)
from readiness.services.template_versions import record_version, stored_template


@dataclass(frozen=True)
class Submission:
    """The outcome of a submission: the run, whether it is new, and what its failures opened."""

    run: ChecklistRun
    created: bool
    label: str
    timezone: str
    actions: list[CorrectiveAction]
    out_of_service: list[str]

    def describe(self) -> str:
        """One line for the person who signed: run id, flags, corrective actions."""
        run = self.run
        signed = local_time(run.submitted_at, self.timezone, run.slot_date)
        head = "recorded" if self.created else "already recorded (same key), nothing new written:"
        parts = [
            f"{head} run {run.id}: {self.label}, signed by {run.signature_name}"
            f" ({run.signature_meaning}) at {signed}",
            "passed" if run.passed else "FAILED",
            "late" if run.late else "on time",
        ]
        if self.actions:
            parts.append("corrective actions opened: " + ", ".join(map(_action_text, self.actions)))
        if self.out_of_service:
            parts.append("taken out of service: " + ", ".join(self.out_of_service))
        return "; ".join(parts)


def submit_checklist(
    session: Session,
    *,
    site_code: str,
    template_id: str,
    staff_id: str,
    answers: Mapping[str, object],
    slot_date: date | None = None,
    asset_id: str | None = None,
    key: str | None = None,
    pin: str | None = None,
    actor: str,
    now_utc: datetime,
    templates: Mapping[str, Template] | None = None,
    before_signing: Callable[[Staff], None] | None = None,
) -> Submission:
    """Record one signed checklist run for the slot covering `slot_date` (default: today).

    In one session; a caller that can read first and then write (the Today page, many
    tablets at once) calls `prepare_checklist` in a read session and `record_checklist`
    in a write session, so the lock is held only for the recording.
    """
    _serialise_writers(session)
    if key and (repeat := _repeat_of(session, key, site_code, template_id, asset_id)):
        return repeat
    prepared = prepare_checklist(
        session, site_code=site_code, template_id=template_id, staff_id=staff_id,
        answers=answers, now_utc=now_utc, slot_date=slot_date, asset_id=asset_id, key=key,
        pin=pin, templates=templates, before_signing=before_signing,
        refuse_done=False,  # checked under the lock, below
    )  # fmt: skip
    return record_checklist(session, prepared, actor=actor)


def record_checklist(session: Session, prepared: Prepared, *, actor: str) -> Submission:
    """Record a prepared submission, holding the writers' lock only for what must be atomic.

    Under the lock, in one query (`prepared_runs.recheck`): the same key again returns its
    run; the slot must still be open, the signer active and the asset in service; the
    answers are judged again only if another run was recorded at the site since the
    seals were read (a newer seal number). The run, its answers and its audit event are
    written with one INSERT each (`checklist.run_rows.insert_run`).
    """
    _serialise_writers(session)
    p = prepared
    now = recheck(session, p)
    if now.same_key is not None and p.key:
        repeat = _repeat_of(session, p.key, p.site_code, p.template.id, p.asset_id)
        if repeat is not None:
            return repeat
    if p.slot is not None and now.done is not None:
        _refuse_done_slot(session, p.slot, p.timezone)
    if not now.still_valid(p):
        _still_valid(session, p)  # raises, naming who or what changed
    results = _results_now(session, p, moved=now.seals_moved)
    if not p.version_recorded:
        record_version(session, p.template, actor=actor, now_utc=p.signature.signed_at)
    run, created = _insert(session, p, results, actor=actor)
    if not created:
        site = session.get_one(Site, p.site_id)
        return _submission(session, run, site, p.template.id, p.asset_id, created=False)
    outcome = FailureOutcome([], [])
    if not run.passed:  # the site, signer and asset are read only when there is something to open
        person, asset = _still_valid(session, p)
        outcome = open_for_failures(
            session,
            run,
            p.template,
            results,
            site=session.get_one(Site, p.site_id),
            asset=asset,
            submitter=person,
            due_from=p.check_day,
            opened_at=p.signature.signed_at,
            actor=actor,
        )
    label = slot_label(p.template.id, p.site_code, p.asset_id, run.slot_date)
    return Submission(run, True, label, p.timezone, outcome.actions, outcome.out_of_service)


def amend_checklist(
    session: Session,
    run_id: int,
    answers: Mapping[str, object],
    reason: str,
    *,
    actor: str,
    now_utc: datetime,
    key: str | None = None,
) -> Submission:
    """Supersede a run by one with corrected answers, asked exactly as the original was.

    The signature (who performed the check, and when) stays the original's: the
    amendment corrects the record of that check. Who amended it, when and why is the
    audit trail's amendment event (and `recorded_by`/`recorded_at` of the new row).
    Items that fail now but passed before open corrective actions.
    """
    _serialise_writers(session)
    if key and (same := run_with_key(session, key)) is not None:
        site = session.get_one(Site, same.site_id)
        return _submission(session, same, site, same.template_id, None, created=False)
    if not reason or not reason.strip():
        raise UserError("an amendment needs a reason")
    old = session.get(ChecklistRun, run_id)
    if old is None:
        raise UserError(f"no checklist run {run_id}")
    if old.record_state != "current":
        raise UserError(f"checklist run {run_id} is {old.record_state}: amend the current one")
    site = session.get_one(Site, old.site_id)
    asset = session.get(Asset, old.asset_pk) if old.asset_pk is not None else None
    template = stored_template(session, old.template_version)
    check_day = _check_day_of(old, template, site)
    asset_pk = asset.id if asset is not None else None
    seals = previous_seals(session, template, site.id, asset_pk, before=old.submitted_at)
    results = evaluate_answers(template, answers, seals, on_date=check_day)
    refuse_identifiers(template, results, now_utc.date())
    changes = {
        "responses": [ChecklistResponse(**response_row(result)) for result in results],
        "passed": all(result.passed for result in results),
        "idempotency_key": key or str(uuid.uuid4()),
    }
    new = records.amend(session, old, changes, actor=actor, reason=reason)
    failed_before = {r.item_id for r in old.responses if r.passed is False}
    newly_failed = [r for r in results if not r.passed and r.item_id not in failed_before]
    submitter = session.get_one(Staff, old.submitted_by)
    outcome = open_for_failures(
        session,
        new,
        template,
        newly_failed,
        site=site,
        asset=asset,
        submitter=submitter,
        due_from=slots.site_today(now_utc, site.timezone),  # known only now
        opened_at=now_utc,
        actor=actor,
    )
    asset_id = asset.asset_id if asset else None
    label = slot_label(template.id, site.code, asset_id, new.slot_date)
    return Submission(new, True, label, site.timezone, outcome.actions, outcome.out_of_service)


# --- steps ---------------------------------------------------------------------------


def _serialise_writers(session: Session) -> None:
    """Queue behind other writers now, so "is this slot done?" and the insert are atomic."""
    audit.lock_chain(session)


def _repeat_of(
    session: Session, key: str, site_code: str, template_id: str, asset_id: str | None
) -> Submission | None:
    """The earlier submission made with this key, or None; a key is never reused for another."""
    run = run_with_key(session, key)
    if run is None:
        return None
    site = session.get_one(Site, run.site_id)
    asset = session.get(Asset, run.asset_pk) if run.asset_pk is not None else None
    if (site.code, run.template_id, asset.asset_id if asset else None) != (
        site_code,
        template_id,
        asset_id or None,
    ):
        raise UserError(f"key {key!r} was already used for run {run.id}: use a new key")
    return _submission(session, run, site, template_id, asset_id, created=False)


def _check_day_of(run: ChecklistRun, template: Template, site: Site) -> date:
    """The day a recorded run's check was done (weekly and monthly runs file under the slot)."""
    if template.frequency in ("daily", "per_use"):
        return run.slot_date
    return slots.site_today(run.submitted_at, site.timezone)


def _refuse_done_slot(session: Session, ref: SlotRef, timezone: str) -> None:
    """Under the lock: a slot done since the submission was prepared is refused."""
    refuse_done_slot(session, ref, timezone)


def _new_run(p: Prepared, results: list[ItemResult], key: str) -> dict[str, Any]:
    """The run's columns (its answers are `_response` of each result)."""
    slot, signature = p.slot, p.signature
    return {
        "template_id": p.template.id,
        "template_version": p.version,
        "site_id": p.site_id,
        "asset_pk": p.asset_pk,
        "slot_date": slot.slot_date if slot is not None else p.check_day,
        "slot_key": slot.key if slot is not None else None,
        "idempotency_key": key,
        "submitted_by": signature.staff_pk,
        "submitted_at": signature.signed_at,
        "signature_name": signature.printed_name,
        "signature_meaning": signature.meaning,
        "late": slot is not None and signature.signed_at > slot.due_utc,
        "passed": all(result.passed for result in results),
    }


def response_row(result: ItemResult) -> dict[str, Any]:
    """One stored answer; an optional item left empty has no value and no verdict."""
    answered = result.value is not None
    return {
        "item_id": result.item_id,
        "value": result.value_text if answered else None,
        "passed": result.passed if answered else None,
        "note": result.note,
    }


def _insert(
    session: Session, p: Prepared, results: list[ItemResult], *, actor: str
) -> tuple[ChecklistRun, bool]:
    """Create the run (audited) and say it is new; a collision returns the same-key run
    (not new) or refuses the slot."""
    values = _new_run(p, results, p.key or str(uuid.uuid4()))
    answers = [response_row(result) for result in results]
    run = insert_run(session, values, answers, actor=actor)
    if run is not None:
        return run, True
    # Only a writer that skipped the checks under the lock gets here (nothing was written).
    same_key = run_with_key(session, values["idempotency_key"])
    if same_key is not None:
        return same_key, False
    done = current_run(session, p.slot) if p.slot is not None else None
    if p.slot is not None and done is not None:
        raise already_done(p.slot, done, p.timezone)
    raise UserError(
        "This checklist could not be recorded: another one took its place at the same moment."
        " Reload and try again."
    )


def _still_valid(session: Session, p: Prepared) -> tuple[Staff, Asset | None]:
    """The signer and asset read before the lock, refused if they changed since."""
    person = session.get_one(Staff, p.signature.staff_pk)
    asset = session.get_one(Asset, p.asset_pk) if p.asset_pk is not None else None
    if not person.active:
        raise UserError(f"{person.staff_id} ({person.full_name}) is not active and cannot sign")
    if asset is not None and asset.status != "in_service":
        status = asset.status.replace("_", " ")
        raise UserError(f"asset {asset.asset_id} is {status}: no check is owed")
    return person, asset


def _results_now(session: Session, p: Prepared, *, moved: bool) -> list[ItemResult]:
    """The answers as judged before the lock, or judged again if a newer seal was recorded."""
    if not moved:
        return p.results
    seals = previous_seals(session, p.template, p.site_id, p.asset_pk)
    if seals == p.seals.numbers:
        return p.results
    return evaluate_answers(p.template, p.answers, seals, on_date=p.check_day)


def _submission(
    session: Session,
    run: ChecklistRun,
    site: Site,
    template_id: str,
    asset_id: str | None,
    *,
    created: bool,
) -> Submission:
    """A Submission for an existing run, with the actions it opened."""
    if asset_id is None and run.asset_pk is not None:
        asset_id = session.get_one(Asset, run.asset_pk).asset_id
    label = slot_label(template_id, site.code, asset_id, run.slot_date)
    return Submission(run, created, label, site.timezone, actions_of_run(session, run.id), [])


def _action_text(action: CorrectiveAction) -> str:
    """E.g. "#3 oxygen.daily_pressure (critical, due 2026-03-09)"."""
    what = action.requirement or "no requirement"
    return f"#{action.id} {what} for {action.subject} ({action.severity}, due {action.due_on})"


def submit_checklist_as(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    template_id: str,
    staff_id: str,
    answers: Mapping[str, object],
    now_utc: datetime,
    slot_date: date | None = None,
    asset_id: str | None = None,
    key: str | None = None,
    pin: str | None = None,
    templates: Mapping[str, Template] | None = None,
) -> Submission:
    """`submit_checklist` at a site the signed-in user covers, with the user as the actor."""
    require(by, "submit_checklist", site_code)
    return submit_checklist(
        session, site_code=site_code, template_id=template_id, staff_id=staff_id,
        answers=answers, slot_date=slot_date, asset_id=asset_id, key=key, pin=pin,
        actor=by.actor, now_utc=now_utc, templates=templates,
    )  # fmt: skip
