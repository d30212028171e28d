"""Days out of compliance from the history masks, next to the engine asked day by day
(a helper of the compliance tests; it holds no tests of its own)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from compliance_support import POLICY, TEMPLATES

from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.export.context import ExportRequest, resolve_sites
from readiness.rules.status import BLOCKING


def both_counts(
    db: Database, codes: list[str], requirements: set[str], start: date, end: date, now: datetime
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(engine day by day, masks) days out per (site, requirement) of `requirements`."""
    blocking = {str(s) for s in BLOCKING}
    ask = {"sites": codes, "templates": TEMPLATES, "now_utc": now}
    with db.read() as session:
        items = compliance_items(session, POLICY, as_of=dict.fromkeys(codes, end), **ask)
        items = items[items["requirement"].isin(requirements).to_numpy()]
        sites = resolve_sites(session, ExportRequest(tuple(codes), start, end, "test", now))
        fast = days_out(session, POLICY, TEMPLATES, sites, items, start=start, end=end, now_utc=now)
        slow: Counter[tuple[str, str]] = Counter()
        day = start
        while day <= end:
            judged = compliance_items(session, POLICY, as_of=dict.fromkeys(codes, day), **ask)
            failing = judged[
                judged["status"].isin(blocking) & judged["requirement"].isin(requirements)
            ]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    keys = set(slow) | set(fast)
    return {k: slow[k] for k in keys}, {k: fast.get(k, 0) for k in keys}
