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
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from readiness.checklist.in_force import templates_in_force
from readiness.checklist.lookup import checked_asset, signer, site_by_code, template_named
from readiness.checklist.seals import SealReadings, moved_since_read, seal_readings
from readiness.checklist.slot import SlotRef, slot_ref
from readiness.errors import UserError
from readiness.models import Asset, ChecklistRun, ChecklistTemplateVersion, Site, Staff
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


@dataclass(frozen=True)
class Recheck:
    """What a prepared submission read, as it stands now under the writers' lock."""

    # The run recorded with the submission's key, and the slot's current run, if any.
    same_key: int | None
    done: int | None
    # None when the row is gone.
    signer_active: bool | None
    asset_status: str | None
    # Another writer may have recorded a newer seal number (`seals.moved_since_read`).
    seals_moved: bool

    def still_valid(self, prepared: Prepared) -> bool:
        """True when the signer is still active and the asset (if any) still in service."""
        return bool(self.signer_active) and (
            prepared.asset_pk is None or self.asset_status == "in_service"
        )


def recheck(session: Session, prepared: Prepared) -> Recheck:
    """Everything the recording checks again under the lock, in one query of indexed
    look-ups: the time a tablet holds the lock does not grow with the practice's history."""
    p = prepared
    values = {
        "key": p.key,
        "slot": p.slot.key if p.slot is not None else None,
        "staff": p.signature.staff_pk,
        "asset": p.asset_pk,
        **p.seals.params(),
    }
    row = session.connection().execute(_recheck_query(), values).one()
    moved = p.seals.asked and bool(row.seals_moved)
    return Recheck(row.same_key, row.done, row.signer_active, row.asset_status, moved)


@cache
def _recheck_query() -> Select[int | None, int | None, bool | None, str | None, bool]:
    """One row of scalar look-ups, built once (building it costs more than running it)."""
    runs, staff, assets = (model.__table__.c for model in (ChecklistRun, Staff, Asset))
    same_key = select(runs.id).where(runs.idempotency_key == bindparam("key"))
    done = select(runs.id).where(runs.slot_key == bindparam("slot"), runs.record_state == "current")
    active = select(staff.active).where(staff.id == bindparam("staff"))
    status = select(assets.status).where(assets.id == bindparam("asset"))
    return select(
        same_key.scalar_subquery().label("same_key"),
        done.scalar_subquery().label("done"),
        active.scalar_subquery().label("signer_active"),
        status.scalar_subquery().label("asset_status"),
        moved_since_read().label("seals_moved"),
    )


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
    version = version_of(template)
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


def version_of(template: Template) -> str:
    """`template.version`, worked out once per template object (templates are frozen).

    Hashing the template's canonical content costs as much as several of a submission's
    queries; the templates in force are the same objects from one submission to the next.
    """
    known = _VERSIONS.get(id(template))
    if known is None or known[0] is not template:
        if len(_VERSIONS) >= 256:  # templates reloaded many times: start again
            _VERSIONS.clear()
        known = _VERSIONS[id(template)] = (template, template.version)
    return known[1]


# id(template) -> (the template, kept so its id is not reused; its version).
_VERSIONS: dict[int, tuple[Template, str]] = {}
_VERSION_STORED = select(ChecklistTemplateVersion.__table__.c.id).where(
    ChecklistTemplateVersion.__table__.c.version == bindparam("version")
)


def _version_recorded(session: Session, version: str) -> bool:
    """True when the template's version is stored already (stored versions are never removed)."""
    found = session.connection().execute(_VERSION_STORED, {"version": version})
    return found.scalar() is not None
