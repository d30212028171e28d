"""The practice's master data: clinics, staff, equipment and stock lots, as plans and records.

Special cases that every screen should be able to show (an expired card, an
out-of-service laser, a site without an LSO, ...) are *features* pinned to the
first few clinics, so that even a three-site demo has one of each; larger
practices add more of them at random.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from readiness.demo import catalog
from readiness.demo.clinic import Clinic, Horizon, Ids, Person, local
from readiness.demo.equipment import plan_devices
from readiness.demo.stock import plan_lots
from readiness.demo.writer import Change, Rec
from readiness.models import Site, Staff

# Feature -> the clinic index (modulo the number of clinics) that is given it.
FEATURES: Final = {
    "physician": 0,
    "oos_laser": 0,
    "expired_bls": 0,
    "bls_due_soon": 0,
    "missing_bls": 0,
    "missed_slot": 0,
    "failed_open": 0,
    "incident_open": 0,
    "pa": 1,
    "children": 1,
    "retired_laser": 1,
    "overdue_document": 1,
    "epi_below_min": 1,
    "no_lso": 2,
    "pads_expired": 2,
    "overdue_service": 2,
    "drill_gap": 2,
    "incident_cluster": 3,
}
# These would leave a one- or two-clinic practice without something basic.
NEEDS_THREE: Final = frozenset({"no_lso"})


# --- clinics ---------------------------------------------------------------------


def site_code(index: int) -> str:
    """AUS1, PHX1, ... then AUS2, PHX2, ... once every city has a clinic."""
    city = catalog.CITIES[index % len(catalog.CITIES)]
    return f"{city.code}{index // len(catalog.CITIES) + 1}"


def features_of(index: int, sites: int) -> frozenset[str]:
    return frozenset(
        name
        for name, pinned in FEATURES.items()
        if pinned % sites == index and (sites >= 3 or name not in NEEDS_THREE)
    )


def plan_clinic(index: int, sites: int, h: Horizon, ids: Ids) -> tuple[Clinic, list[Rec]]:
    """A clinic with staff, devices and stock, and the records that create them."""
    city = catalog.CITIES[index % len(catalog.CITIES)]
    number = index // len(catalog.CITIES)
    features = features_of(index, sites)
    rng = random.Random(f"{h.seed}|{site_code(index)}|site")
    patterns = [pattern for pattern, _ in catalog.OPEN_DAYS]
    open_text = rng.choices(patterns, [weight for _, weight in catalog.OPEN_DAYS])[0]
    clinic = Clinic(
        index=index,
        pk=ids.site,
        code=site_code(index),
        city=city,
        open_text=open_text,
        treats_children="children" in features or rng.random() < 0.3,
        hospital=f"{city.name} {rng.choice(catalog.HOSPITAL_KINDS)}",
        features=features,
        seed=h.seed,
    )
    ids.site += 1
    neighbourhood = catalog.NEIGHBOURHOODS[number % len(catalog.NEIGHBOURHOODS)]
    site = Rec(
        Site,
        h.t0,
        {
            "id": clinic.pk,
            "code": clinic.code,
            "name": f"{catalog.PRACTICE} {city.name} {neighbourhood}",
            "timezone": city.timezone,
            "open_days": open_text,
            "address": (
                f"{rng.randint(100, 9800)} {rng.choice(catalog.STREETS)},"
                f" Suite {rng.randint(1, 4)}{rng.randint(0, 9)}0, {city.name}, {city.state}"
            ),
            "phone": f"({city.area_code}) 555-01{rng.randint(0, 99):02d}",
            "nearest_hospital": clinic.hospital,
            "state": city.state,
            "treats_children": clinic.treats_children,
            "active": True,
            # A vein practice; no default requirement depends on it (see applies_if).
            "procedures": "laser_vein",
        },
    )
    recs = [site, *plan_staff(clinic, h, ids), *plan_devices(clinic, h, ids)]
    recs += plan_lots(clinic, h)
    return clinic, recs


# --- staff -----------------------------------------------------------------------


def _roles(rng: random.Random, features: frozenset[str]) -> list[str]:
    """Every role a laser clinic has: 6-10 people."""
    roles = ["medical_director"]
    if "physician" in features or rng.random() < 0.3:
        roles.append("physician")
    provider = rng.random()
    roles += ["np"] if provider < 0.6 else ["pa"] if provider < 0.85 else ["np", "pa"]
    if "pa" in features and "pa" not in roles:
        roles.append("pa")
    roles += ["rn"] * rng.randint(2, 3)
    roles += ["aesthetician"] * rng.randint(1, 2)
    roles += ["front_desk"] * rng.randint(1, 2)
    return roles[:9]


def plan_staff(clinic: Clinic, h: Horizon, ids: Ids) -> list[Rec]:
    rng = clinic.rng("staff")
    roles = _roles(rng, clinic.features)
    leaver = rng.random() < 0.4
    if leaver:
        roles.append(rng.choice(("rn", "aesthetician", "front_desk")))
    recs = []
    for number, role in enumerate(roles):
        first, last = rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)
        person = Person(ids.staff, f"S-{100 + ids.staff}", f"{first} {last}", role, False)
        ids.staff += 1
        # The first RN is the Laser Safety Officer.
        person.is_lso = role == "rn" and not any(p.is_lso for p in clinic.staff)
        if leaver and number == len(roles) - 1:
            person.left_on = _some_day(rng, h)
        row = {
            "id": person.pk,
            "staff_id": person.staff_id,
            "site_id": clinic.pk,
            "full_name": person.name,
            "role": role,
            "email": f"{first}.{last}@{catalog.EMAIL_DOMAIN}".lower(),
            "active": True,
            "is_lso": person.is_lso,
            "pin_hash": None,
        }
        rec = Rec(Staff, h.t0, row)
        if person.is_lso and "no_lso" in clinic.features:
            # The LSO left recently and nobody has been designated since.
            person.left_on = max(h.start, h.as_of - timedelta(days=rng.randint(20, 60)))
        if person.left_on is not None:
            values: dict[str, object] = {"active": False}
            reason = "Left the practice"
            if person.is_lso:
                values["is_lso"] = False
                reason = "Left the practice; Laser Safety Officer role vacant"
            rec.changes.append(Change(local(person.left_on, 17 * 60, clinic.tz), values, reason))
        clinic.staff.append(person)
        recs.append(rec)
    return recs


def _some_day(rng: random.Random, h: Horizon) -> date:
    return h.start + timedelta(days=rng.randint(0, (h.end - h.start).days))
