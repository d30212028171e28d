"""Submit and amend checklist runs: signed, idempotent, one current run per slot.

`submit_checklist` is used by the Today page and by `readiness checklist submit`.
It records the run and its answers in one audited create, opens a corrective
action for every failed item and takes assets out of service where a template says
so, all in the caller's transaction. Answers that cannot be recorded raise
`readiness.policy.answers.AnswerError` (listing every problem); anything else the user
can fix raises `UserError`.

Idempotency: the same key again returns the run it recorded, writing nothing (a
double tap, a retry, two tablets sharing a form). A different submission for a slot
that is already done is refused with a message naming who did it and when; it can
be recorded instead with `amend_checklist` and a reason.

Concurrency: writers are serialised before anything is read (SQLite by BEGIN
IMMEDIATE in `Database.write`, PostgreSQL by the audit chain's advisory lock taken
here up front), so the "already done" check sees every committed run. Should a run
still collide on the slot index (a writer that skips this service), the
IntegrityError is caught in a SAVEPOINT and turned into the same message.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import chain as audit
from readiness.audit import records
from readiness.checklist.in_force import templates_in_force
from readiness.checklist.lookup import checked_asset, signer, site_by_code, template_named
from readiness.checklist.seals import previous_seals
from readiness.checklist.slot import SlotRef, slot_label, slot_ref
from readiness.errors import UserError
from readiness.models import Asset, ChecklistResponse, ChecklistRun, CorrectiveAction, Site, Staff
from readiness.policy.answers import AnswerError, AnswerProblem, ItemResult, evaluate_answers
from readiness.policy.templates import NOTE_SUFFIX, Template
from readiness.rules import slots
from readiness.rules.identifiers import refusal
from readiness.services.corrective_actions import actions_of_run, open_for_failures
from readiness.services.signatures import Signature, sign
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
        signed = _local(run.submitted_at, self.timezone, run.slot_date)
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
) -> Submission:
    """Record one signed checklist run for the slot covering `slot_date` (default: today)."""
    _serialise_writers(session)
    if key and (repeat := _repeat_of(session, key, site_code, template_id, asset_id)):
        return repeat
    templates = templates_in_force() if templates is None else templates
    where = _place(session, templates, site_code, template_id, asset_id, slot_date, now_utc)
    # Staff assigned to the site on the day of the check may sign there too.
    person = signer(session, where.site, staff_id, where.check_day)
    seals = previous_seals(session, where.template, where.site, where.asset)
    results = evaluate_answers(where.template, answers, seals, on_date=where.check_day)
    _refuse_identifiers(where.template, results, now_utc.date())
    signature = sign(person, pin, now_utc)
    record_version(session, where.template, actor=actor, now_utc=now_utc)
    run = _new_run(where, signature, results, key or str(uuid.uuid4()))
    created = _insert(session, run, where, actor=actor)
    if created is not run:
        return _submission(session, created, where.site, template_id, asset_id, created=False)
    outcome = open_for_failures(
        session,
        run,
        where.template,
        results,
        site=where.site,
        asset=where.asset,
        submitter=person,
        due_from=where.check_day,
        opened_at=signature.signed_at,
        actor=actor,
    )
    label = slot_label(template_id, where.site.code, asset_id, run.slot_date)
    return Submission(
        run, True, label, where.site.timezone, outcome.actions, outcome.out_of_service
    )


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
    if key and (same := _run_with_key(session, key)) is not None:
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
    seals = previous_seals(session, template, site, asset, before=old.submitted_at)
    results = evaluate_answers(template, answers, seals, on_date=check_day)
    _refuse_identifiers(template, results, now_utc.date())
    changes = {
        "responses": [_response(result) for result in results],
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


@dataclass(frozen=True)
class _Place:
    """What a submission is about: the site, template, asset, check day and slot (if slotted)."""

    site: Site
    template: Template
    asset: Asset | None
    check_day: date
    slot: SlotRef | None


def _place(
    session: Session,
    templates: Mapping[str, Template],
    site_code: str,
    template_id: str,
    asset_id: str | None,
    slot_date: date | None,
    now_utc: datetime,
) -> _Place:
    """Check that the template applies and its slot is still open; UserError otherwise."""
    site = site_by_code(session, site_code)
    template = template_named(templates, template_id)
    asset = checked_asset(session, site, template, asset_id)
    check_day = _check_day(site, slot_date, now_utc)
    slot = None
    if template.frequency != "per_use":
        slot = slot_ref(template, site, asset_id, check_day)
        _refuse_done_slot(session, slot, site)
    return _Place(site, template, asset, check_day, slot)


def _refuse_identifiers(template: Template, results: list[ItemResult], today: date) -> None:
    """AnswerError for every text answer or note that looks like a patient identifier."""
    items = {item.id: item for item in template.items}
    problems = [
        AnswerProblem(key, why, why)
        for result in results
        for key, text in (
            (result.item_id, result.value_text if items[result.item_id].type == "text" else None),
            (result.item_id + NOTE_SUFFIX, result.note),
        )
        if (why := refusal(f"{items[result.item_id].text}:", text, today))
    ]
    if problems:
        raise AnswerError(problems)


def _serialise_writers(session: Session) -> None:
    """Queue behind other writers now, so "is this slot done?" and the insert are atomic."""
    audit.lock_chain(session)


def _repeat_of(
    session: Session, key: str, site_code: str, template_id: str, asset_id: str | None
) -> Submission | None:
    """The earlier submission made with this key, or None; a key is never reused for another."""
    run = _run_with_key(session, key)
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


def _check_day(site: Site, given: date | None, now_utc: datetime) -> date:
    """The site-local day the check is for: given, or today; never a future day."""
    today = slots.site_today(now_utc, site.timezone)
    if given is None:
        return today
    if given > today:
        raise UserError(f"{given.isoformat()} is in the future at {site.code} (today {today})")
    return given


def _check_day_of(run: ChecklistRun, template: Template, site: Site) -> date:
    """The day a recorded run's check was done (weekly and monthly runs file under the slot)."""
    if template.frequency in ("daily", "per_use"):
        return run.slot_date
    return slots.site_today(run.submitted_at, site.timezone)


def _refuse_done_slot(session: Session, ref: SlotRef, site: Site) -> None:
    """A slot already done takes an amendment with a reason, not a second run."""
    done = _current_run(session, ref)
    if done is not None:
        raise _already_done(ref, done, site)


def _current_run(session: Session, ref: SlotRef) -> ChecklistRun | None:
    """The slot's current run, if it is done."""
    query = select(ChecklistRun).where(
        ChecklistRun.slot_key == ref.key, ChecklistRun.record_state == "current"
    )
    return session.scalar(query)


def _already_done(ref: SlotRef, done: ChecklistRun, site: Site) -> UserError:
    """The message for a second, different submission of a done slot."""
    signed = _local(done.submitted_at, site.timezone, ref.slot_date)
    return UserError(
        f"{ref.label} was already submitted by {done.signature_name} at {signed}"
        f" (run {done.id}); amend it with a reason instead"
    )


def _new_run(
    where: _Place, signature: Signature, results: list[ItemResult], key: str
) -> ChecklistRun:
    """The run and its responses, not yet added to the session."""
    slot = where.slot
    return ChecklistRun(
        template_id=where.template.id,
        template_version=where.template.version,
        site_id=where.site.id,
        asset_pk=where.asset.id if where.asset is not None else None,
        slot_date=slot.slot_date if slot is not None else where.check_day,
        slot_key=slot.key if slot is not None else None,
        idempotency_key=key,
        submitted_by=signature.staff_pk,
        submitted_at=signature.signed_at,
        signature_name=signature.printed_name,
        signature_meaning=signature.meaning,
        late=slot is not None and signature.signed_at > slot.due_utc,
        passed=all(result.passed for result in results),
        responses=[_response(result) for result in results],
    )


def _response(result: ItemResult) -> ChecklistResponse:
    """One stored answer; an optional item left empty has no value and no verdict."""
    answered = result.value is not None
    return ChecklistResponse(
        item_id=result.item_id,
        value=result.value_text if answered else None,
        passed=result.passed if answered else None,
        note=result.note,
    )


def _insert(session: Session, run: ChecklistRun, where: _Place, *, actor: str) -> ChecklistRun:
    """Create the run (audited); a collision returns the same-key run or refuses the slot."""
    try:
        with session.begin_nested():
            records.create(session, run, actor=actor)
    except IntegrityError:
        same_key = _run_with_key(session, run.idempotency_key)
        if same_key is not None:
            return same_key
        done = _current_run(session, where.slot) if where.slot is not None else None
        if where.slot is not None and done is not None:
            raise _already_done(where.slot, done, where.site) from None
        raise
    return run


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


def _run_with_key(session: Session, key: str) -> ChecklistRun | None:
    """The run recorded with this idempotency key, if any."""
    return session.scalar(select(ChecklistRun).where(ChecklistRun.idempotency_key == key))


def _local(instant: datetime, tz: str, day: date) -> str:
    """A UTC instant as the site's clock showed it: "08:12 CST", with the date if not `day`."""
    local = instant.astimezone(ZoneInfo(tz))
    shown = local.strftime("%H:%M %Z")
    return shown if local.date() == day else f"{local:%Y-%m-%d} {shown}"


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
