"""Heartbeats of the scheduler's jobs: when each last started, succeeded and failed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Heartbeat
from readiness.reminders.upsert import insert_for

ERROR_MAX = 2000
# A job is late when more than this many of its intervals passed since it last succeeded.
LATE_AFTER_INTERVALS = 2
COLUMNS = [
    "job",
    "interval_s",
    "last_started_at",
    "last_ok_at",
    "last_error_at",
    "last_error",
    "late",
]


def started(session: Session, job: str, interval_s: int, now: datetime) -> None:
    """Record that the job started."""
    _upsert(session, job, interval_s, last_started_at=now)


def succeeded(session: Session, job: str, interval_s: int, now: datetime) -> None:
    """Record that the job finished without error."""
    _upsert(session, job, interval_s, last_ok_at=now)


def failed(session: Session, job: str, interval_s: int, error: str, now: datetime) -> None:
    """Record the job's error."""
    _upsert(session, job, interval_s, last_error_at=now, last_error=error[:ERROR_MAX])


def ran(session: Session, jobs: Mapping[str, int], now: datetime) -> None:
    """Record that each job (name: interval) started and succeeded at `now`, in one statement."""
    rows = [
        {"job": job, "interval_s": interval_s, "last_started_at": now, "last_ok_at": now}
        for job, interval_s in jobs.items()
    ]
    if not rows:
        return
    stmt = insert_for(session, Heartbeat).values(rows)
    columns = ("interval_s", "last_started_at", "last_ok_at")
    changed = {name: stmt.excluded[name] for name in columns}
    session.execute(stmt.on_conflict_do_update(index_elements=["job"], set_=changed))


def _upsert(session: Session, job: str, interval_s: int, **values: Any) -> None:
    """Insert the job's row or update the given columns of it."""
    stmt = insert_for(session, Heartbeat).values(job=job, interval_s=interval_s, **values)
    changed = {name: stmt.excluded[name] for name in ("interval_s", *values)}
    session.execute(stmt.on_conflict_do_update(index_elements=["job"], set_=changed))


def is_late(last_ok_at: datetime | None, interval_s: int, now: datetime) -> bool:
    """True when the job never succeeded or last did more than twice its interval ago."""
    if last_ok_at is None:
        return True
    return now - last_ok_at > timedelta(seconds=LATE_AFTER_INTERVALS * interval_s)


def heartbeat_frame(session: Session, now: datetime, expected: Mapping[str, int]) -> pd.DataFrame:
    """One row per expected job (never run: late), with its heartbeat and `late`."""
    stored = {hb.job: hb for hb in session.scalars(select(Heartbeat))}
    rows = []
    for job, interval_s in expected.items():
        hb = stored.get(job)
        last_ok = hb.last_ok_at if hb else None
        rows.append(
            {
                "job": job,
                "interval_s": interval_s,
                "last_started_at": hb.last_started_at if hb else None,
                "last_ok_at": last_ok,
                "last_error_at": hb.last_error_at if hb else None,
                "last_error": hb.last_error if hb else None,
                "late": is_late(last_ok, interval_s, now),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("last_started_at", "last_ok_at", "last_error_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.astype({"late": bool, "interval_s": int})
