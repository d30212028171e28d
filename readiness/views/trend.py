"""The compliance trend: how many items had each status at the close of each past day.

One point is a whole run of the compliance engine as of that day (about 3 s for
200 sites), so the 90 points are computed in a background thread, newest first,
and kept per database, site scope and day. A page shows the points that are ready.
Today is left out: part-way through a day its daily checks are merely due, which
would read as a spike. Past points are recomputed when the data changed (audit
head) and they are older than REFRESH_S, so a backdated record shows within that.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pandas as pd

from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.policy.pack import Policy
from readiness.policy.templates import Template
from readiness.rules.status import Status

LOG = logging.getLogger(__name__)
TREND_DAYS = 90
REFRESH_S = 3600.0
TREND_STATUSES = tuple(str(s) for s in Status if s is not Status.NOT_APPLICABLE)

Scope = tuple[str, ...] | None
Counts = dict[str, int]


def counts_of(items: pd.DataFrame) -> Counts:
    """Items per status (not_applicable left out)."""
    found = items["status"].value_counts()
    return {status: int(found.get(status, 0)) for status in TREND_STATUSES}


def trend_point(
    db: Database,
    policy: Policy,
    templates: Mapping[str, Template],
    day: date,
    scope: Scope,
) -> Counts:
    """Status counts of the scope as of the end of a past day."""
    # Noon UTC of the next day: `day` is in the past at every site, so it is judged
    # at its close in each site's own time zone.
    now = datetime.combine(day + timedelta(days=1), clock_time(12), tzinfo=UTC)
    with db.read() as session:
        items = compliance_items(
            session,
            policy,
            as_of=day,
            sites=None if scope is None else list(scope),
            templates=templates,
            now_utc=now,
        )
    return counts_of(items)


def trend_frame(points: Mapping[date, Counts]) -> pd.DataFrame:
    """One row per day (as a date index), one column per status."""
    frame = pd.DataFrame.from_dict(dict(points), orient="index", columns=list(TREND_STATUSES))
    frame.index = pd.to_datetime(frame.index)
    frame.index.name = "day"
    return frame.sort_index().fillna(0).astype(int)


@dataclass
class _Point:
    counts: Counts
    head: int
    at: float


class TrendBook:
    """Past trend points of one database, filled by a background thread on demand."""

    def __init__(
        self, db: Database, rules: Callable[[], tuple[Policy, Mapping[str, Template]]]
    ) -> None:
        self._db = db
        self._rules = rules
        self._points: dict[tuple[Scope, date], _Point] = {}
        self._queue: deque[tuple[Scope, date, int]] = deque()
        self._queued: set[tuple[Scope, date]] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def view(
        self, scope: Scope, today: date, head: int, days: int | None = None
    ) -> tuple[dict[date, Counts], int]:
        """The ready points of the `days` days before today, and how many are still missing."""
        span = TREND_DAYS if days is None else days
        wanted = [today - timedelta(days=n) for n in range(1, span + 1)]
        ready: dict[date, Counts] = {}
        now = time.monotonic()
        with self._lock:
            for day in wanted:
                point = self._points.get((scope, day))
                if point is not None:
                    ready[day] = point.counts
                stale = point is None or (point.head != head and now - point.at > REFRESH_S)
                if stale and (scope, day) not in self._queued:
                    self._queue.append((scope, day, head))
                    self._queued.add((scope, day))
        if len(ready) < len(wanted) or self._queue:
            self._start()
        return ready, len(wanted) - len(ready)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until the queue is empty (for tests and benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._queue and not self._queued:
                    return True
            time.sleep(0.05)
        return False

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="readiness-trend", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._thread = None
                    return
                scope, day, head = self._queue.popleft()
            try:
                policy, templates = self._rules()
                counts = trend_point(self._db, policy, templates, day, scope)
            except Exception:  # a broken database must not kill the thread forever
                LOG.exception("trend point %s for %s failed", day, scope)
                with self._lock:
                    self._queued.discard((scope, day))
                    self._queue.clear()
                    self._queued.clear()
                    self._thread = None
                return
            with self._lock:
                self._points[(scope, day)] = _Point(counts, head, time.monotonic())
                self._queued.discard((scope, day))
