"""One reminder pass: compute from the database, queue new reminders, deliver the outbox.

Every pass starts from the database state, never from memory, so a pass after any
downtime queues exactly what applies now: each step once, whatever was missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.checklist.in_force import templates_in_force
from readiness.compliance import compliance_items
from readiness.config import Settings
from readiness.db import Database
from readiness.policy.pack import Policy, load_policy
from readiness.policy.templates import Template
from readiness.reminders import outbox
from readiness.reminders.delivery import DeliveryReport, by_recipient, deliver
from readiness.reminders.digest import Digest, compose_digest
from readiness.reminders.facts import load_facts
from readiness.reminders.mailer import Mailer
from readiness.reminders.outbox import Claimed
from readiness.reminders.plan import Plan, Reminder, ReminderRules, plan_reminders

logger = logging.getLogger(__name__)

# (session, policy, templates, now) -> the compliance items; tests may stand in for it.
ItemsSource = Callable[[Session, Policy, Mapping[str, Template], datetime], pd.DataFrame]


def engine_items(
    session: Session, policy: Policy, templates: Mapping[str, Template], now: datetime
) -> pd.DataFrame:
    """The compliance engine's items at `now`, each site judged on its local today."""
    return compliance_items(session, policy, templates=templates, now_utc=now)


@dataclass(frozen=True)
class PassSetup:
    """What every pass of one process uses: policy, templates, rules, fallback officer."""

    policy: Policy
    templates: Mapping[str, Template]
    rules: ReminderRules
    officer_email: str = ""
    items: ItemsSource = engine_items

    @classmethod
    def of(
        cls, policy: Policy, templates: Mapping[str, Template], officer_email: str = ""
    ) -> PassSetup:
        """A setup with the policy's reminder rules."""
        return cls(policy, templates, ReminderRules.from_policy(policy), officer_email)

    @classmethod
    def from_settings(cls, settings: Settings) -> PassSetup:
        """Load the policy and templates in force as the settings say."""
        policy = load_policy(
            settings.checklists_dir / "requirements.yaml", settings.policy_overrides
        )
        templates = templates_in_force(settings.checklists_dir, policy)
        return cls.of(policy, templates, settings.officer_email)


@dataclass
class PassReport:
    """What one pass did."""

    queued: int = 0
    retired: int = 0
    delivery: DeliveryReport | None = None
    digests: list[Digest] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the log and the command line."""
        text = f"{self.queued} reminders queued, {self.retired} retired"
        if self.delivery is None:
            return text + "; delivery left to the scheduler holding the sender lock"
        d = self.delivery
        text += f"; {d.messages} digests sent ({d.rows_sent} reminders)"
        return text + (f"; {d.rows_failed} reminders not delivered" if d.rows_failed else "")


def plan(db: Database, setup: PassSetup, now: datetime) -> Plan:
    """What applies at `now`, from the database state."""
    with db.read() as session:
        items = setup.items(session, setup.policy, setup.templates, now)
        facts = load_facts(
            session,
            setup.templates,
            now,
            officer_email=setup.officer_email,
            late_after=setup.rules.late_after,
        )
    if not facts.directory.officers:
        logger.warning(
            "no compliance officer e-mail: give an officer user an e-mail address or set"
            " READINESS_OFFICER_EMAIL; escalations and equipment reminders reach nobody"
        )
    return plan_reminders(items, facts, setup.rules, now)


def run_pass(
    db: Database, setup: PassSetup, mailer: Mailer, now: datetime, *, send: bool = True
) -> PassReport:
    """Compute, queue (once per key), retire what no longer applies, and deliver if `send`."""
    planned = plan(db, setup, now)
    with db.write() as session:
        queued = outbox.queue(session, planned.reminders, now)
        retired = outbox.retire_obsolete(session, planned.current)
    report = PassReport(queued=queued, retired=retired)
    if send:
        report.delivery = deliver(db, mailer, now)
    logger.info("reminder pass at %s: %s", now.isoformat(timespec="seconds"), report.summary())
    return report


def preview(db: Database, setup: PassSetup, now: datetime) -> list[Digest]:
    """The digests a pass at `now` would send, writing nothing (for --dry-run)."""
    planned = plan(db, setup, now)
    with db.read() as session:
        waiting = outbox.deliverable(session, now)
        known = outbox.existing_keys(session, [r.key for r in planned.reminders])
        kept = audit.head(session)
    fresh = [r for r in planned.reminders if r.key not in known]
    return _digests(waiting, fresh, kept)


def _digests(
    waiting: list[Claimed], fresh: list[Reminder], chain_head: tuple[int, str] | None = None
) -> list[Digest]:
    """One digest per recipient over rows already queued and reminders not yet queued."""
    lines = {recipient: [row.line() for row in rows] for recipient, rows in by_recipient(waiting)}
    for reminder in fresh:
        lines.setdefault(reminder.recipient, []).append(reminder.line())
    return [
        compose_digest(recipient, found, chain_head) for recipient, found in sorted(lines.items())
    ]
