"""When sites and assets existed, and when each asset was in service, from the audit trail.

The records hold only an asset's current status; the audit trail holds every status
it had and when. A checklist slot is owed only while its site existed in the system
and, for a per-asset checklist, while the asset was in service at that site: a laser
retired in June owes no pre-use checks in July, but its missed checks in May are
still shown as missed.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import AuditEvent

IN_SERVICE = "in_service"


@dataclass
class _Timeline:
    """(instant, status, site pk) from each audited state on."""

    moments: list[datetime] = field(default_factory=list)
    states: list[tuple[str | None, int | None]] = field(default_factory=list)

    def add(self, at: datetime, status: str | None, site_pk: int | None) -> None:
        self.moments.append(at)
        self.states.append((status, site_pk))

    def settle(self) -> None:
        """Order by instant (stable), should an event carry an earlier time than its chain order."""
        pairs = sorted(zip(self.moments, self.states, strict=True), key=lambda pair: pair[0])
        self.moments = [moment for moment, _ in pairs]
        self.states = [state for _, state in pairs]

    def at(self, instant: datetime) -> tuple[str | None, int | None] | None:
        """The state in force at the instant; None before the first event."""
        position = bisect.bisect_right(self.moments, instant) - 1
        return self.states[position] if position >= 0 else None


class Lifetimes:
    """Audited history of sites and assets."""

    def __init__(self, session: Session, asset_pks: Iterable[int], site_pks: Iterable[int]):
        self._assets = _timelines(session, "assets", {str(pk) for pk in asset_pks})
        self._sites = _timelines(session, "sites", {str(pk) for pk in site_pks})

    def site_existed(self, site_pk: int, instant: datetime) -> bool:
        """True once the site was recorded (always, if the trail never mentions it)."""
        timeline = self._sites.get(site_pk)
        return timeline is None or timeline.at(instant) is not None

    def asset_state(self, asset_pk: int, instant: datetime) -> tuple[str | None, int | None]:
        """(status, site pk) of the asset at the instant; (None, None) before it existed."""
        timeline = self._assets.get(asset_pk)
        if timeline is None:
            return (None, None)
        return timeline.at(instant) or (None, None)

    def in_service(self, asset_pk: int, site_pk: int, instant: datetime) -> bool:
        """True when the asset was in service at that site at the instant."""
        return self.asset_state(asset_pk, instant) == (IN_SERVICE, site_pk)

    def known(self, asset_pk: int) -> bool:
        """True when the trail holds the asset's history."""
        return asset_pk in self._assets


def _timelines(session: Session, entity: str, ids: set[str]) -> dict[int, _Timeline]:
    """The audited states of the given records of one table, in chain order."""
    if not ids:
        return {}
    query = (
        select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.after)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(sorted(ids)))
        .order_by(AuditEvent.seq)
    )
    found: dict[int, _Timeline] = {}
    for entity_id, at, after in session.execute(query):
        state = json.loads(after) if after else {}
        site_pk = state.get("id") if entity == "sites" else state.get("site_id")
        found.setdefault(int(entity_id), _Timeline()).add(at, state.get("status"), site_pk)
    for timeline in found.values():
        timeline.settle()
    return found
