"""Incidents in the period: what happened and what was done; patients only by case reference.

The protocol followed reads as its title (or "none followed: why", or "not recorded" for
incidents logged before protocols were named) beside the version recorded, the one printed
under the protocol in the site's plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select

from readiness.export.context import ExportContext, yes_no
from readiness.export.layout import SheetSpec, day, status, text
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
from readiness.models import Incident, IncidentFollowup
from readiness.policy.handouts import current_protocols

INCIDENTS = SheetSpec(
    "Incidents",
    (
        SITE,
        ZONE,
        *moment("Occurred at"),
        text("Case reference", 14),
        text("Type", 18),
        status("Severity", 10),
        text("Device", 10),
        text("Operator", 20),
        text("Description", 40),
        text("Actions taken", 40),
        text("Referral", 20),
        text("Transferred to hospital", 11),
        text("Possibly reportable", 11),
        day("Report due on"),
        text("Follow-ups", 40),
        text("Protocol followed", 30),
        text("Protocol version", 24),
        text("Logged by", 20),
        *RECORD_COLUMNS,
    ),
)


def incidents(ctx: ExportContext) -> SheetData:
    """Every incident record of the export's sites that occurred in the period."""
    return SheetData(INCIDENTS, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    protocols = current_protocols()
    for site in ctx.sites:
        query = (
            select(Incident.__table__)
            .where(
                Incident.site_id == site.pk,
                Incident.occurred_at >= site.start_utc,
                Incident.occurred_at < site.end_utc,
            )
            .order_by(Incident.occurred_at, Incident.id)
        )
        found = ctx.session.execute(query).all()
        followups = _followups(ctx, [incident.id for incident in found])
        for incident in found:
            ctx.tally["incidents"] += 1
            yield (
                site.code,
                site.tz,
                *moment_values(incident.occurred_at, site),
                incident.case_ref,
                incident.incident_type,
                incident.severity,
                ctx.asset_ids.get(incident.asset_pk) if incident.asset_pk else None,
                ctx.person(incident.operator_pk),
                incident.description,
                incident.actions_taken,
                incident.referral,
                yes_no(incident.transferred),
                yes_no(incident.possibly_reportable),
                incident.report_due_on,
                followups.get(incident.id),
                protocols.followed_text(incident.protocol, incident.protocol_reason),
                incident.protocol_version,
                ctx.person(incident.logged_by),
                *record_values(incident, site),
            )


def _followups(ctx: ExportContext, incident_ids: list[int]) -> dict[int, str]:
    """Each incident's follow-ups as text: "due 2026-03-01, done 2026-03-02: note"."""
    if not incident_ids:
        return {}
    query = (
        select(IncidentFollowup.__table__)
        .where(IncidentFollowup.incident_id.in_(incident_ids))
        .order_by(IncidentFollowup.due_on, IncidentFollowup.id)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for followup in ctx.session.execute(query):
        done = f", done {followup.done_on}" if followup.done_on else ", not done"
        note = f": {followup.note}" if followup.note else ""
        found[followup.incident_id].append(f"due {followup.due_on}{done}{note}")
    return {incident_id: "; ".join(parts) for incident_id, parts in found.items()}
