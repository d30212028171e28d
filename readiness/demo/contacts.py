"""The demo's emergency contacts and roles, so each site's wall plan is filled in.

Numbers use the 555-01xx range kept for fiction; the hospital is the site's
`nearest_hospital`. Duties go to roles every demo site has (the medical director
leads, a nurse calls 911 and keeps the times, the laser safety officer's role brings
the AED), the same at every site, so the rows follow from the sites alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.models import EmergencyRole, Site, SiteContacts
from readiness.models.site_contact import EVERY_SCENARIO, US_EMERGENCY_NUMBER, US_POISON_CONTROL

ACTOR = "demo"
REASON = "the demo practice's emergency plan"
DUTIES = {
    "lead": "medical_director",
    "call_911": "rn",
    "aed": "np",
    "epinephrine": "rn",
    "record_times": "aesthetician",
}


def _contacts(site: Site, number: int, first_day: date) -> SiteContacts:
    tail = f"{number % 100:02d}"
    hospital = site.nearest_hospital or f"{site.name} Regional Medical Center"
    return SiteContacts(
        site_id=site.id,
        effective_from=first_day,
        reason=REASON,
        recorded_by=ACTOR,
        emergency_number=US_EMERGENCY_NUMBER,
        poison_control=US_POISON_CONTROL,
        ed_name=hospital,
        ed_address=f"{100 + number} Hospital Drive",
        ed_phone=f"555-01{tail}",
        drive_minutes=8 + number % 12,
        route_notes="Right out of the car park, second light left; ambulance entrance at the back",
        transfer_hospital=hospital,
        medical_director_phone=f"555-02{tail}",
        lso_phone=f"555-03{tail}",
        after_hours_phone=f"555-04{tail}",
        aed_location="Treatment room 1, wall bracket beside the door",
        kit_location="Reception, red cabinet under the desk",
        oxygen_location="Treatment room 1, cylinder cart",
        extinguisher_location="Corridor by the exit, and beside the laser room door",
    )


def write_contacts(session: Session, first_day: date) -> int:
    """The first version of each site's contacts and duty roles, from the demo's first day
    (bulk rows: as `readiness.services.site_contacts` would write them, audited)."""
    at = datetime.combine(first_day, time(9, 0), tzinfo=UTC)
    rows: list[SiteContacts | EmergencyRole] = []
    for number, site in enumerate(session.scalars(select(Site).order_by(Site.id)), start=1):
        rows.append(_contacts(site, number, first_day))
        rows += [
            EmergencyRole(
                site_id=site.id,
                scenario=EVERY_SCENARIO,
                duty=duty,
                assignee=role,
                effective_from=first_day,
                reason=REASON,
                recorded_by=ACTOR,
            )
            for duty, role in DUTIES.items()
        ]
    records.create_many(session, [(row, REASON) for row in rows], actor=ACTOR, at=at)
    return len(rows)
