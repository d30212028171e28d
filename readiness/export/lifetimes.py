"""When assets were in service and staff employed, by their effective dates.

An asset's status on a day is the latest entry of its status history on or before that
day (none yet: it was not there); an asset without a history has its current status on
every day. A staff member is employed from `hired_on` to the day before `left_on`. This is
how the compliance engine (`readiness.compliance.master_data`) and its day masks read
them, so the registers list what existed in the period however late it was typed in: a
practice onboarded today still shows last year's lasers. Only the audit trail sheet is
about when things were recorded.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Asset, AssetStatusChange

IN_SERVICE = "in_service"


class AssetStatuses:
    """The status history of the assets of some sites, read day by day."""

    def __init__(self, session: Session, site_pks: Iterable[int]) -> None:
        query = (
            select(AssetStatusChange.asset_pk, AssetStatusChange.effective_from)
            .add_columns(AssetStatusChange.status, AssetStatusChange.id)
            .join(Asset, Asset.id == AssetStatusChange.asset_pk)
            .where(Asset.site_id.in_(list(site_pks)))
        )
        # An unknown start is "since before the records"; ties go to the later row.
        rows = sorted(session.execute(query), key=lambda r: (r[1] or date.min, r[3]))
        self._starts: dict[int, list[date]] = defaultdict(list)
        self._states: dict[int, list[str]] = defaultdict(list)
        for asset_pk, since, status, _id in rows:
            self._starts[asset_pk].append(since or date.min)
            self._states[asset_pk].append(status)

    def status_on(self, asset_pk: int, current: str, on: date) -> str | None:
        """The asset's status on the day; None before its history starts."""
        starts = self._starts.get(asset_pk)
        if not starts:
            return current  # no history: as it is now, on every day
        position = bisect.bisect_right(starts, on) - 1
        return self._states[asset_pk][position] if position >= 0 else None

    def in_service_on(self, asset_pk: int, current: str, on: date) -> bool:
        """True when the asset was in service on the day."""
        return self.status_on(asset_pk, current, on) == IN_SERVICE


def employed_on(person: Any, on: date) -> bool:
    """True when the person worked there on the day (inactive without a leaving date: never)."""
    hired = person.hired_on is None or person.hired_on <= on
    still = person.left_on is None or on < person.left_on
    return hired and still and (bool(person.active) or person.left_on is not None)


def employed_during(person: Any, start: date, end: date) -> bool:
    """True when the person was hired by the end and had not left before the start.

    Someone made inactive without a leaving date is kept: when they left is unknown.
    """
    hired = person.hired_on is None or person.hired_on <= end
    return hired and (person.left_on is None or person.left_on > start)
