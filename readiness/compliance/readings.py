"""Readings against records: a date read off a label on a checklist that disagrees with the
asset record is `failed` (record_match requirements).

Template items name the record field their reading must match (`record_field`, e.g.
the AED monthly inspection's battery date -> `battery_expires_on`). Per asset and field
the latest reading known at as_of decides (by signing instant; an amended run replaces
its reading in place), so the officer clears a discrepancy by correcting the record
(an asset import amends it, audited) or by a new or amended reading. The record itself
has no history: like the expiry requirements, it is read as it is now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from readiness.compliance.detail import either, iso
from readiness.compliance.facts import Facts
from readiness.compliance.subjects import assets_for, not_in_service, without_duty
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.requirements import RecordMatchRequirement
from readiness.policy.templates import Template
from readiness.rules.due import DATE_DTYPE
from readiness.rules.status import Status

# What each record field is, as read off the device.
LABELS = {"pads_expire_on": "Pads label", "battery_expires_on": "Battery label"}
FAILED, OK, MISSING = str(Status.FAILED), str(Status.OK), str(Status.MISSING)


def record_match_items(requirements: Sequence[RecordMatchRequirement], facts: Facts) -> Verdicts:
    """Per asset: failed while the latest reading of a listed field disagrees with the record."""
    rows = assets_for(requirements, facts)
    latest = latest_readings(facts.readings)
    titles = {key: _in_sentence(t.title) for key, t in facts.templates.items()}
    read_by = readers_by_kind(facts.templates)
    wrong = pd.Series("", index=rows.index, dtype=object)
    unread = pd.Series("", index=rows.index, dtype=object)
    last = pd.Series(pd.NaT, index=rows.index, dtype=DATE_DTYPE)
    # One pass per record field (a handful), each over every row at once.
    for field in sorted({f for r in requirements for f in r.record_fields}):
        asks = per_row(rows, [field in r.record_fields for r in requirements]).astype(bool)
        read = _reading_of(rows, latest, field)
        record = rows[field]
        differs = asks & read["read_on"].notna() & (record.isna() | (read["read_on"] != record))
        says = either(record.notna(), "the record says " + iso(record), "the record has no date")
        sentence = (
            LABELS.get(field, field)
            + " read "
            + read["value"].astype(object).fillna("")
            + " on the "
            + read["template_id"].map(titles).astype(object).fillna("checklist")
            + " of "
            + iso(read["done_on"])
            + "; "
            + says
            + ": correct the record or the reading"
        )
        wrong = _joined(wrong, sentence.where(differs, ""))
        # No template reads this field off an asset of this kind: nothing can keep it honest.
        kinds = [kind for kind, fields in read_by.items() if field in fields]
        no_reader = asks & ~rows["kind"].isin(kinds)
        unread = _joined(unread, either(no_reader, "No checklist reads the " + _label(field)))
        seen = asks & read["done_on"].notna()
        last = last.where(~seen | (last >= read["done_on"]), read["done_on"])
    status = pd.Series(OK, index=rows.index, dtype=object)
    status = status.where(unread == "", MISSING).where(wrong == "", FAILED)
    agrees = either(
        last.notna(),
        "The labels read on " + iso(last) + " match the record",
        "No label read on a checklist yet to compare with the record",
    )
    detail = either(wrong != "", wrong, either(unread != "", unread, agrees))
    status, detail = without_duty(status, detail, *not_in_service(rows))
    return judged(rows, status=status, detail=detail, last_done_on=last)


def latest_readings(readings: pd.DataFrame) -> pd.DataFrame:
    """The latest reading per asset and record field (by signing instant, then run)."""
    ordered = readings.sort_values(["submitted_at", "run_id"], kind="stable")
    return ordered.drop_duplicates(["asset_pk", "field"], keep="last")


def readers_by_kind(templates: Mapping[str, Template]) -> dict[str, set[str]]:
    """{asset kind: record fields some template of that kind reads off its labels}."""
    found: dict[str, set[str]] = {}
    for template in templates.values():
        for item in template.items:
            if item.record_field is not None:
                found.setdefault(template.applies_to, set()).add(item.record_field)
    return found


def _reading_of(rows: pd.DataFrame, latest: pd.DataFrame, field: str) -> pd.DataFrame:
    """Each row's latest reading of the field (NA where none), aligned with `rows`."""
    mine = latest[(latest["field"] == field).to_numpy()].set_index("asset_pk")
    columns = ["value", "template_id", "done_on", "read_on"]
    return mine[columns].reindex(pd.Index(rows["key"])).set_axis(rows.index)


def _joined(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two sentences per row joined by "; " where both are present."""
    both = (first != "") & (second != "")
    return first + either(both, "; ") + second


def _label(field: str) -> str:
    """ "pads label" for pads_expire_on."""
    return LABELS.get(field, field).lower()


def _in_sentence(title: str) -> str:
    """A template title inside a sentence: "Monthly AED inspection" -> "monthly AED inspection"."""
    if len(title) > 1 and title[1].isupper():
        return title  # an acronym leads: keep it
    return title[:1].lower() + title[1:]
