"""Certificate requirements: a current card per selected staff member (certification), and
at least a minimum of such people per site (designation)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, iso, pick, span
from readiness.compliance.facts import Facts
from readiness.compliance.stock import below_minimum_from, in_date
from readiness.compliance.subjects import sites_for, staff_for, without_duty
from readiness.compliance.table import Verdicts, judged, per_row, windows
from readiness.policy.pack import Policy
from readiness.policy.requirements import CertificationRequirement, DesignationRequirement
from readiness.rules.due import (
    DATE_DTYPE,
    certificate_expiry_series,
    days_until_series,
    due_status_series,
)
from readiness.rules.status import Status

KEYS = ["requirement", "site_id"]


def certification_items(requirements: Sequence[CertificationRequirement], facts: Facts) -> Verdicts:
    """Per selected staff member: the expiry of their latest card of the type."""
    rows = _with_cards(staff_for(requirements, facts), requirements, facts)
    expires, issued = rows["expires"], rows["issued_on"]
    valid_through = per_row(rows, [r.valid_through_expiry_date for r in requirements])
    status = due_status_series(
        expires,
        rows["as_of"],
        per_row(rows, windows(requirements)),
        "expiry",
        valid_through=valid_through,
    )
    card = rows["cert_type"].str.upper()
    when = " " + iso(expires) + " (" + span(days_until_series(expires, rows["as_of"])) + ")"
    how = either(rows["derived"], "; expiry derived from issue date " + iso(issued))
    detail = pick(
        status,
        {
            Status.MISSING: "No " + card + " card on file",
            Status.EXPIRED: card + " expired" + when + how,
        },
        default=card + " expires" + when + how,
    )
    no_expiry = issued.notna() & expires.isna()
    detail = detail.where(~no_expiry, card + " card on file has no expiry date")
    idle = ~rows["active"].astype(bool)
    status, detail = without_duty(status, detail, idle, "No longer active: not required")
    return judged(rows, status=status, detail=detail, due_on=expires, last_done_on=issued)


def designation_items(requirements: Sequence[DesignationRequirement], facts: Facts) -> Verdicts:
    """Per site: how many active selected staff hold a current card, against the minimum."""
    # Everyone working at the site that day counts: its own staff and those assigned to it.
    people = staff_for(requirements, facts, visiting=True)
    people = _with_cards(people[people["active"].to_numpy(dtype=bool)], requirements, facts)
    valid_through = per_row(people, [r.valid_through_expiry_date for r in requirements])
    current = in_date(people["expires"], people["as_of"], valid_through)
    holders = people[current.to_numpy()].sort_values([*KEYS, "staff_id"])
    by = holders.groupby(KEYS)
    found = pd.DataFrame(
        {"holders": by.size(), "latest": by["issued_on"].max(), "names": _names(holders)}
    ).reset_index()
    eligible = people.groupby(KEYS).size().rename("eligible").reset_index()
    # Each current holder counts one until their card lapses, like units of stock.
    units = people.assign(expires_on=people["expires"], quantity=1)
    rows = sites_for(requirements, facts)
    for part in (found, eligible, below_minimum_from(requirements, units)):
        rows = rows.merge(part, on=KEYS, how="left")
    count = rows["holders"].fillna(0).astype("int64")
    minimum = per_row(rows, [r.minimum for r in requirements])
    due = rows["due_on"].where(count >= minimum).astype(DATE_DTYPE)
    status = due_status_series(
        due,
        rows["as_of"],
        per_row(rows, windows(requirements)),
        "expiry",
        valid_through=per_row(rows, [r.valid_through_expiry_date for r in requirements]),
    )
    detail = _designation_sentence(rows, requirements, count, minimum, due, status)
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=rows["latest"])


def _with_cards(
    rows: pd.DataFrame,
    requirements: Sequence[CertificationRequirement | DesignationRequirement],
    facts: Facts,
) -> pd.DataFrame:
    """Rows with their latest card of the requirement's type: issued_on, expires, derived."""
    rows = rows.assign(cert_type=per_row(rows, [r.cert_type for r in requirements]))
    return rows.merge(latest_cards(facts), on=["staff_pk", "cert_type"], how="left").assign(
        derived=lambda frame: frame["derived"].fillna(False).astype(bool)
    )


def _names(holders: pd.DataFrame) -> np.ndarray:
    """Per (requirement, site) group of the sorted holders: their staff ids, "S-1, S-2"."""
    keys = holders[KEYS].to_numpy(dtype=object)
    if not len(keys):
        return np.zeros(0, dtype=object)
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)])
    # One vectorised concatenation per group (np.add.reduceat over object arrays).
    joined = np.add.reduceat(holders["staff_id"].to_numpy(dtype=object) + ", ", starts)
    return pd.Series(joined, dtype=object).str[:-2].to_numpy(dtype=object)


def latest_cards(facts: Facts) -> pd.DataFrame:
    """Per staff member and type: the latest card, its expiry (derived when not on file)."""
    # Certification and designation both read it: made once per judgement.
    found = facts.derived.get("latest_cards")
    if found is None:
        found = facts.derived["latest_cards"] = _latest_cards(facts)
    return found


def _latest_cards(facts: Facts) -> pd.DataFrame:
    """latest_cards, made."""
    cards = facts.certifications.sort_values(["issued_on", "id"])
    latest = cards.drop_duplicates(["staff_pk", "cert_type"], keep="last")
    derived = _derived_expiry(latest, facts.policy)
    missing = latest["expires_on"].isna()
    return pd.DataFrame(
        {
            "staff_pk": latest["staff_pk"],
            "cert_type": latest["cert_type"],
            "issued_on": latest["issued_on"],
            "expires": latest["expires_on"].where(~missing, derived).astype(DATE_DTYPE),
            "derived": (missing & derived.notna()) | latest["expiry_derived"].astype(bool),
        }
    )


def _derived_expiry(cards: pd.DataFrame, policy: Policy) -> pd.Series:
    """The expiry the policy gives each card from its issue date (NaT: no validity known)."""
    types = policy.certificate_types
    months = cards["cert_type"].map({k: t.validity_months for k, t in types.items()})
    to_month_end = cards["cert_type"].map({k: t.end_of_month for k, t in types.items()})
    return certificate_expiry_series(
        cards["issued_on"], pd.to_numeric(months), to_month_end.fillna(False).astype(bool)
    )


def _designation_sentence(
    rows: pd.DataFrame,
    requirements: Sequence[DesignationRequirement],
    count: pd.Series,
    minimum: pd.Series,
    due: pd.Series,
    status: pd.Series,
) -> pd.Series:
    """E.g. "1 of 2 staff marked LSO hold a current LSO card (S-102); minimum 1; ..."."""
    card = per_row(rows, [r.cert_type.upper() for r in requirements])
    who = per_row(rows, [_who(r) for r in requirements])
    eligible = rows["eligible"].fillna(0).astype("int64")
    held = count.astype("str") + " of " + eligible.astype("str") + " " + who
    held = held + " hold a current " + card + " card"
    held = held + either(rows["names"].notna(), " (" + rows["names"].fillna("") + ")")
    held = held + "; minimum " + minimum.astype("str")
    left = span(days_until_series(due, rows["as_of"]))
    none = "No active " + who + " on the roster; minimum " + minimum.astype("str")
    return pick(
        status,
        {
            Status.MISSING: held.where(eligible > 0, none),
            Status.DUE_SOON: held + "; below the minimum from " + iso(due) + " (" + left + ")",
        },
        default=held + "; covered until " + iso(due),
    )


def _who(requirement: DesignationRequirement) -> str:
    """Who counts, in words."""
    return "staff marked LSO" if requirement.staff_flag == "is_lso" else "eligible staff"
