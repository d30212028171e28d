"""Drills held in the period: scenario, times, participants, outcome and debrief."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select

from readiness.export.cells import Toned
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, number, status, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import (
    RECORD_COLUMNS,
    SITE,
    ZONE,
    moment,
    moment_values,
    record_values,
)
from readiness.export.stream import Row
from readiness.models import Drill, DrillParticipant
from readiness.policy.requirements import DrillRequirement

TIMERS = (
    ("time_to_aed_s", "AED"),
    ("time_to_epinephrine_s", "epinephrine"),
    ("time_to_oxygen_s", "oxygen"),
)

DRILLS = SheetSpec(
    "Drills",
    (
        SITE,
        ZONE,
        *moment("Held at"),
        text("Scenario", 16),
        status("Outcome", 9),
        number("Time to AED (s)", 9),
        number("Time to epinephrine (s)", 11),
        number("Time to oxygen (s)", 9),
        status("Targets met", 22),
        number("Participants", 8),
        text("Participant names", 40),
        text("Debrief", 48),
        *RECORD_COLUMNS,
    ),
)


def drills(ctx: ExportContext) -> SheetData:
    """Every drill record held in the period at the export's sites."""
    return SheetData(DRILLS, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    targets = {
        r.scenario: {str(timer): limit for timer, limit in r.target_seconds.items()}
        for r in ctx.policy.of_kind(DrillRequirement)
    }
    for site in ctx.sites:
        query = (
            select(Drill.__table__)
            .where(
                Drill.site_id == site.pk,
                Drill.held_at >= site.start_utc,
                Drill.held_at < site.end_utc,
            )
            .order_by(Drill.held_at, Drill.id)
        )
        found = ctx.session.execute(query).all()
        people = _participants(ctx, [drill.id for drill in found])
        for drill in found:
            names = people.get(drill.id, [])
            ctx.tally["drills"] += 1
            yield (
                site.code,
                site.tz,
                *moment_values(drill.held_at, site),
                drill.scenario,
                drill.outcome,
                drill.time_to_aed_s,
                drill.time_to_epinephrine_s,
                drill.time_to_oxygen_s,
                _targets(drill, targets.get(drill.scenario, {})),
                len(names),
                "; ".join(names) or None,
                drill.debrief,
                *record_values(drill, site),
            )


def _participants(ctx: ExportContext, drill_ids: list[int]) -> dict[int, list[str]]:
    """Printed names of each drill's participants, by name."""
    if not drill_ids:
        return {}
    query = select(DrillParticipant.drill_id, DrillParticipant.staff_pk).where(
        DrillParticipant.drill_id.in_(drill_ids)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for drill_id, staff_pk in ctx.session.execute(query):
        found[drill_id].append(ctx.person(staff_pk) or "")
    return {drill_id: sorted(names) for drill_id, names in found.items()}


def _targets(drill: object, targets: dict[str, int]) -> Toned | None:
    """E.g. "AED 95 s ≤ 180 s" (green) or "AED 210 s > 180 s" (red); None without targets."""
    parts, met = [], True
    for column, label in TIMERS:
        limit = targets.get(column)
        took = getattr(drill, column)
        if limit is None or took is None:
            continue
        ok = took <= limit
        met &= ok
        parts.append(f"{label} {took} s {'≤' if ok else '>'} {limit} s")
    if not parts:
        return None
    return Toned("; ".join(parts), "good" if met else "bad")
