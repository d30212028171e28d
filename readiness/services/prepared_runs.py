"""A checklist submission checked and signed before it queues for the writers' lock.

Writers take one lock at a time (ARCHITECTURE.md, "One writer at a time"), so whatever
a submission does while holding it, every other tablet waits for. Everything that
only reads (the site, the template, the asset, the slot, who signs and their PIN, the
last seal numbers, the answers judged against them, whether the template version is
already recorded) is done here, in any session, before the lock; `checklist_runs`
then records the `Prepared` submission under the lock after a few indexed checks
that what was read still holds (the slot still open, the signer still active, the
asset still in service, no newer seal reading).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.checklist.in_force import templates_in_force
from readiness.checklist.lookup import checked_asset, signer, site_by_code, template_named
from readiness.checklist.seals import SealReadings, seal_readings
from readiness.checklist.slot import SlotRef, slot_ref
from readiness.errors import UserError
from readiness.models import ChecklistRun, ChecklistTemplateVersion, Site, Staff
from readiness.policy.answers import AnswerError, AnswerProblem, ItemResult, evaluate_answers
from readiness.policy.templates import NOTE_SUFFIX, Template
from readiness.rules import slots
from readiness.rules.identifiers import refusal
from readiness.services.signatures import Signature, sign


@dataclass(frozen=True)
class Prepared:
    """A submission whose answers are judged and signature taken, not yet recorded."""

    site_id: int
    site_code: str
    timezone: str
    template: Template
    asset_pk: int | None
    asset_id: str | None
    check_day: date
    slot: SlotRef | None
    answers: Mapping[str, object]
    seals: SealReadings
    results: list[ItemResult]
    signature: Signature
    key: str | None
    # The template's version (a digest of its content, worked out once) and whether it is stored.
    version: str
    version_recorded: bool


def prepare_checklist(
    session: Session,
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
    refuse_done: bool = True,
    before_signing: Callable[[Staff], None] | None = None,
) -> Prepared:
    """Check, judge and sign a submission by reading only; UserError or AnswerError if refused.

    A slot already done is refused here too (`refuse_done`), before the PIN is checked;
    `record_checklist` checks it again under the lock, where it counts. `before_signing`
    sees the signer before the signature is taken (the dashboard's PIN rules).
    """
    templates = templates_in_force() if templates is None else templates
    site = site_by_code(session, site_code)
    template = template_named(templates, template_id)
    asset = checked_asset(session, site, template, asset_id)
    check_day = _check_day(site, slot_date, now_utc)
    slot = None
    if template.frequency != "per_use":
        slot = slot_ref(template, site, asset_id, check_day)
        # A repeat of a recorded key is answered with its run when it is recorded.
        if refuse_done and not (key and run_with_key(session, key)):
            refuse_done_slot(session, slot, site.timezone)
    # Staff assigned to the site on the day of the check may sign there too.
    person = signer(session, site, staff_id, check_day)
    if before_signing is not None:
        before_signing(person)
    asset_pk = asset.id if asset is not None else None
    seals = seal_readings(session, template, site.id, asset_pk)
    results = evaluate_answers(template, answers, seals.numbers, on_date=check_day)
    refuse_identifiers(template, results, now_utc.date())
    signature = sign(person, pin, now_utc)  # the PIN's argon2 check is slow on purpose
    version = template.version
    return Prepared(
        site_id=site.id,
        site_code=site.code,
        timezone=site.timezone,
        template=template,
        asset_pk=asset_pk,
        asset_id=asset.asset_id if asset is not None else None,
        check_day=check_day,
        slot=slot,
        answers=dict(answers),
        seals=seals,
        results=results,
        signature=signature,
        key=key,
        version=version,
        version_recorded=_version_recorded(session, version),
    )


def refuse_identifiers(template: Template, results: list[ItemResult], today: date) -> None:
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


def refuse_done_slot(session: Session, ref: SlotRef, timezone: str) -> None:
    """A slot already done takes an amendment with a reason, not a second run."""
    done = current_run(session, ref)
    if done is not None:
        raise already_done(ref, done, timezone)


def current_run(session: Session, ref: SlotRef) -> ChecklistRun | None:
    """The slot's current run, if it is done (one lookup in the partial unique slot index)."""
    query = select(ChecklistRun).where(
        ChecklistRun.slot_key == ref.key, ChecklistRun.record_state == "current"
    )
    return session.scalar(query)


def already_done(ref: SlotRef, done: ChecklistRun, timezone: str) -> UserError:
    """The message for a second, different submission of a done slot."""
    signed = local_time(done.submitted_at, timezone, ref.slot_date)
    return UserError(
        f"{ref.label} was already submitted by {done.signature_name} at {signed}"
        f" (run {done.id}); amend it with a reason instead"
    )


def run_with_key(session: Session, key: str) -> ChecklistRun | None:
    """The run recorded with this idempotency key, if any."""
    return session.scalar(select(ChecklistRun).where(ChecklistRun.idempotency_key == key))


def local_time(instant: datetime, tz: str, day: date) -> str:
    """A UTC instant as the site's clock showed it: "08:12 CST", with the date if not `day`."""
    local = instant.astimezone(ZoneInfo(tz))
    shown = local.strftime("%H:%M %Z")
    return shown if local.date() == day else f"{local:%Y-%m-%d} {shown}"


def _check_day(site: Site, given: date | None, now_utc: datetime) -> date:
    """The site-local day the check is for: given, or today; never a future day."""
    today = slots.site_today(now_utc, site.timezone)
    if given is None:
        return today
    if given > today:
        raise UserError(f"{given.isoformat()} is in the future at {site.code} (today {today})")
    return given


def _version_recorded(session: Session, version: str) -> bool:
    """True when the template's version is stored already (stored versions are never removed)."""
    query = select(ChecklistTemplateVersion.id).where(ChecklistTemplateVersion.version == version)
    return session.scalar(query) is not None
