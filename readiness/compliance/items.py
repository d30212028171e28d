"""Every compliance item of the practice: each requirement kind judged in one pass, then the
site conditions (applies_if) and open corrective actions laid over the result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from readiness import clock
from readiness.collector import collector_paused
from readiness.compliance.acknowledgements import acknowledgement_items
from readiness.compliance.actions import with_open_actions
from readiness.compliance.applicability import where_they_apply
from readiness.compliance.as_of import AsOf
from readiness.compliance.certification import certification_items, designation_items
from readiness.compliance.checklists import checklist_items
from readiness.compliance.documents import document_items
from readiness.compliance.drills import drill_items
from readiness.compliance.equipment import expiry_items, interval_items
from readiness.compliance.eyewear import eyewear_items
from readiness.compliance.facts import Facts, load_facts
from readiness.compliance.presence import presence_items
from readiness.compliance.readings import record_match_items
from readiness.compliance.stock import expired_stock_items, stock_items
from readiness.compliance.table import COLUMNS, Verdicts, finished, joined, no_items, table_of
from readiness.policy.pack import Policy
from readiness.policy.requirements import Requirement
from readiness.policy.templates import Template, load_templates
from readiness.rules.status import Status

# How each requirement kind turns facts into item rows, for all its requirements at once.
KINDS: dict[str, Callable[[Any, Facts], Verdicts]] = {
    "interval": interval_items,
    "expiry": expiry_items,
    "stock": stock_items,
    "expired_stock": expired_stock_items,
    "certification": certification_items,
    "designation": designation_items,
    "drill": drill_items,
    "document": document_items,
    "checklist": checklist_items,
    "record_match": record_match_items,
    "presence": presence_items,
    "eyewear_match": eyewear_items,
    "acknowledgement": acknowledgement_items,
}


def compliance_items(
    session: Session,
    policy: Policy,
    *,
    as_of: AsOf = None,
    sites: list[str] | None = None,
    templates: Mapping[str, Template] | None = None,
    now_utc: datetime | None = None,
) -> pd.DataFrame:
    """One row per requirement and subject at each site, with status, dates and a sentence.

    `as_of` is one date, a date per site code, or None for each site's local today at
    `now_utc` (default: the clock). `sites` limits the answer to those site codes (an
    unknown code is a UserError); by default every active site is judged.
    """
    # The text storage is a process-wide pandas option: one judgement at a time sets it,
    # and the answer is converted back before another may.
    with collector_paused(), _TEXT_STORAGE:
        with _python_text():
            items = _items(session, policy, as_of, sites, templates, now_utc)
        # Text columns in pandas' default storage, as callers have always received them.
        return items.astype({column: "str" for column in TEXT})


# The text columns of the answer (the others are dates).
TEXT = tuple(column for column in COLUMNS if not column.endswith("_on"))
_TEXT_STORAGE = threading.RLock()


@contextmanager
def _python_text() -> Iterator[None]:
    """Build text columns on Python str objects while judging.

    The judging joins, picks and compares short texts in many small steps, each of which
    turns pandas' default Arrow-backed text into Python objects and back: about a sixth
    of the engine's time at practice scale. The dtype is the same "str" (NaN where
    missing), stored as Python objects; only the storage differs, so results do not.
    """
    with pd.option_context("mode.string_storage", "python"):
        yield


def _items(
    session: Session,
    policy: Policy,
    as_of: AsOf,
    sites: list[str] | None,
    templates: Mapping[str, Template] | None,
    now_utc: datetime | None,
) -> pd.DataFrame:
    """compliance_items, with the collector paused."""
    facts = load_facts(
        session,
        policy,
        load_templates() if templates is None else templates,
        codes=sites,
        as_of=as_of,
        now_utc=clock.utc_now() if now_utc is None else now_utc,
    )
    if facts is None:
        return no_items()
    by_kind: dict[str, list[Requirement]] = {}
    for requirement in policy.requirements.values():
        by_kind.setdefault(requirement.kind, []).append(requirement)
    verdicts = [KINDS[kind](requirements, facts) for kind, requirements in by_kind.items()]
    if not verdicts:
        return no_items()
    items = table_of(joined(verdicts))
    items = where_they_apply(items, policy, facts)
    # Nothing is due from a subject that owes nothing (retired laser, inactive staff).
    items = items.assign(
        due_on=items["due_on"].where(items["status"] != str(Status.NOT_APPLICABLE))
    )
    items = with_open_actions(items, facts)
    items = items.sort_values(["site", "requirement", "subject"], kind="stable")
    return finished(items.reset_index(drop=True), policy)
