"""The practice's master data: clinics, staff, equipment and stock lots, as plans and records.

Special cases that every screen should be able to show (an expired card, an
out-of-service laser, a site without an LSO, ...) are *features* pinned to the
first few clinics, so that even a three-site demo has one of each; larger
practices add more of them at random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from readiness.demo import catalog
from readiness.demo.writer import Change, Rec
from readiness.models import Asset, Site, Staff, StockLot
from readiness.rules import slots

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
CLINICAL: Final = ("medical_director", "physician", "np", "pa", "rn", "aesthetician")
OPERATORS: Final = ("physician", "np", "pa", "rn", "aesthetician")


@dataclass(frozen=True)
class Horizon:
    """The history being made: its days, the day it is seen from, and the import instant."""

    as_of: date
    start: date
    end: date
    seed: int
    # When the practice's existing records were entered (the day before history starts).
    t0: datetime

    @classmethod
    def of(cls, as_of: date, days: int, seed: int) -> Horizon:
        start = as_of - timedelta(days=days)
        t0 = datetime.combine(start - timedelta(days=1), time(14, 0), tzinfo=UTC)
        return cls(as_of, start, as_of - timedelta(days=1), seed, t0)

    def days(self) -> list[date]:
        """Every date of the history."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def local(day: date, minutes: int, tz: str) -> datetime:
    """The UTC instant of a site-local time, given as minutes after midnight."""
    return slots.due_instant(day, time(minutes // 60, minutes % 60), tz)


@dataclass(eq=False)
class Person:
    """A staff member and the day they left, if they did."""

    pk: int
    staff_id: str
    name: str
    role: str
    is_lso: bool
    left_on: date | None = None

    def on_staff(self, day: date) -> bool:
        return self.left_on is None or day < self.left_on


@dataclass(eq=False)
class Device:
    """An asset and the day it stopped being in service, if it did."""

    pk: int
    asset_id: str
    kind: str
    rec: Rec
    laser: catalog.LaserModel | None = None
    until: date | None = None
    service_dates: list[date] = field(default_factory=list)

    def in_service(self, day: date) -> bool:
        return self.until is None or day < self.until

    @property
    def interval_months(self) -> int:
        return (self.laser.service_interval_months if self.laser else None) or 12


@dataclass(eq=False)
class Lot:
    """A stock lot; `used` lists (day, quantity left) after pens were used."""

    item: str
    received_on: date
    expires_on: date
    quantity: int
    used: list[tuple[date, int]] = field(default_factory=list)
    rec: Rec | None = None

    def on_hand(self, day: date) -> int:
        """In-date quantity on a day (replace before, not on, the expiry date)."""
        if not self.received_on <= day < self.expires_on:
            return 0
        left = self.quantity
        for used_on, remaining in self.used:
            if used_on <= day:
                left = remaining
        return left


@dataclass(eq=False)
class Clinic:
    """One site with its people, equipment and stock."""

    index: int
    pk: int
    code: str
    city: catalog.City
    open_text: str
    treats_children: bool
    hospital: str
    features: frozenset[str]
    seed: int
    staff: list[Person] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    open_days: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.open_days = slots.parse_open_days(self.open_text)

    @property
    def tz(self) -> str:
        return self.city.timezone

    def rng(self, purpose: str) -> random.Random:
        """An independent, reproducible random stream per clinic and purpose."""
        return random.Random(f"{self.seed}|{self.code}|{purpose}")

    def is_open(self, day: date) -> bool:
        return day.weekday() in self.open_days

    def on_staff(self, day: date, roles: tuple[str, ...] | None = None) -> list[Person]:
        return [p for p in self.staff if p.on_staff(day) and (roles is None or p.role in roles)]

    def director(self) -> Person:
        return next(p for p in self.staff if p.role == "medical_director")

    def lso(self, day: date) -> Person | None:
        return next((p for p in self.staff if p.is_lso and p.on_staff(day)), None)

    def owner(self, day: date) -> Person:
        """Who corrective actions are assigned to: the LSO, else the medical director."""
        return self.lso(day) or self.director()

    def devices_of(self, kind: str, day: date | None = None) -> list[Device]:
        return [d for d in self.devices if d.kind == kind and (day is None or d.in_service(day))]

    def on_hand(self, item: str, day: date) -> int:
        return sum(lot.on_hand(day) for lot in self.lots if lot.item == item)

    def earliest_expiry(self, item: str, day: date) -> date | None:
        dates = [lot.expires_on for lot in self.lots if lot.item == item and lot.on_hand(day)]
        return min(dates, default=None)


@dataclass
class Ids:
    """Next primary keys of the master tables (assigned up front: everything refers to them)."""

    site: int
    staff: int
    asset: int


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


# --- equipment -------------------------------------------------------------------


def _asset(
    clinic: Clinic, h: Horizon, ids: Ids, asset_id: str, kind: str, **values: object
) -> Device:
    row: dict[str, object] = {
        "id": ids.asset,
        "asset_id": asset_id,
        "site_id": clinic.pk,
        "kind": kind,
        "name": "",
        "manufacturer": None,
        "model": None,
        "serial_number": None,
        "location": None,
        "status": "in_service",
        "service_interval_months": None,
        "pads_expire_on": None,
        "battery_expires_on": None,
        "wavelength_nm": None,
        "optical_density": None,
        "laser_kind": None,
    }
    unknown = set(values) - set(row)
    assert not unknown, unknown
    row.update(values)
    device = Device(ids.asset, asset_id, kind, Rec(Asset, h.t0, row))
    ids.asset += 1
    clinic.devices.append(device)
    return device


def _stop(device: Device, day: date, status: str, reason: str, tz: str) -> None:
    device.until = day
    device.rec.changes.append(Change(local(day, 16 * 60, tz), {"status": status}, reason))


def plan_devices(clinic: Clinic, h: Horizon, ids: Ids) -> list[Rec]:
    rng = clinic.rng("devices")
    code, tz = clinic.code, clinic.tz
    span = (h.end - h.start).days + 1
    needed = 1 + ("oos_laser" in clinic.features) + ("retired_laser" in clinic.features)
    models = rng.sample(catalog.LASERS, max(needed, rng.choice((1, 2, 2, 3))))
    lasers = []
    for number, model in enumerate(models, start=1):
        laser = _asset(
            clinic,
            h,
            ids,
            f"{code}-LAS{number}",
            "laser",
            name=f"{model.manufacturer} {model.model} ({model.name})",
            manufacturer=model.manufacturer,
            model=model.model,
            serial_number=f"{model.serial_prefix}{rng.randint(14, 23)}-{rng.randint(10000, 99999)}",
            location=f"Treatment room {number}",
            service_interval_months=model.service_interval_months,
            wavelength_nm=model.wavelength_nm,
            optical_density=model.optical_density,
        )
        laser.laser = model
        lasers.append(laser)
    eyewear = _plan_eyewear(clinic, h, ids, lasers, rng)
    if "retired_laser" in clinic.features:
        day = h.end - timedelta(days=max(0, min(200, span // 2)))
        reason = "Decommissioned: replaced by a newer platform"
        _stop(lasers[-1], day, "retired", reason, tz)
        for pair in eyewear[lasers[-1].asset_id]:
            _stop(pair, day, "retired", "Retired with its laser", tz)
    if "oos_laser" in clinic.features:
        # Taken out of service after a failed output check (see evidence.service_events).
        day = h.end - timedelta(days=max(0, min(45, span // 3)))
        _stop(lasers[0], day, "out_of_service", "Failed output verification; awaiting repair", tz)
    aed = rng.choice(catalog.AEDS)
    _asset(
        clinic,
        h,
        ids,
        f"{code}-AED1",
        "aed",
        name=f"{aed.manufacturer} {aed.model}",
        manufacturer=aed.manufacturer,
        model=aed.model,
        serial_number=f"X{rng.randint(10, 23)}{rng.randint(100000, 999999)}",
        location="Emergency corner by reception",
        pads_expire_on=_pads_expiry(clinic, h, aed, rng),
        battery_expires_on=h.as_of
        + timedelta(
            days=rng.randint(5, 55)
            if rng.random() < 0.1
            else rng.randint(120, aed.battery_months * 30)
        ),
    )
    _asset(
        clinic,
        h,
        ids,
        f"{code}-OXY1",
        "oxygen",
        name="Oxygen cylinder (E size)",
        manufacturer=catalog.OXYGEN[0],
        model=catalog.OXYGEN[1],
        serial_number=f"OX-{rng.randint(100000, 999999)}",
        location="Emergency corner by reception",
    )
    _asset(
        clinic,
        h,
        ids,
        f"{code}-KIT1",
        "emergency_kit",
        name="Emergency kit (anaphylaxis and airway)",
        location="Emergency corner by reception",
    )
    for number in range(1, 2 + (len(lasers) > 2)):
        maker, model_name = rng.choice(catalog.EXTINGUISHERS)
        _asset(
            clinic,
            h,
            ids,
            f"{code}-EXT{number}",
            "fire_extinguisher",
            name=f"Fire extinguisher {model_name}",
            manufacturer=maker,
            model=model_name,
            serial_number=f"FE-{rng.randint(100000, 999999)}",
            location="Laser corridor" if number == 1 else "Reception",
        )
    return [device.rec for device in clinic.devices]


def _plan_eyewear(
    clinic: Clinic, h: Horizon, ids: Ids, lasers: list[Device], rng: random.Random
) -> dict[str, list[Device]]:
    """Two pairs per laser, rated for that laser's wavelengths."""
    pairs: dict[str, list[Device]] = {}
    number = 0
    for laser in lasers:
        assert laser.laser is not None
        maker = rng.choice(catalog.EYEWEAR_MAKERS)
        pairs[laser.asset_id] = []
        for _ in range(2):
            number += 1
            pair = _asset(
                clinic,
                h,
                ids,
                f"{clinic.code}-EYE{number}",
                "eyewear",
                name=f"Laser safety eyewear for {laser.asset_id}",
                manufacturer=maker,
                model="Wraparound frame",
                serial_number=f"EW-{rng.randint(10000, 99999)}",
                location=laser.rec.row["location"],
                wavelength_nm=laser.laser.eyewear_nm or laser.laser.wavelength_nm,
                optical_density=laser.laser.eyewear_od or laser.laser.optical_density,
            )
            pairs[laser.asset_id].append(pair)
    return pairs


def _pads_expiry(clinic: Clinic, h: Horizon, aed: catalog.AedModel, rng: random.Random) -> date:
    if "pads_expired" in clinic.features:
        return h.as_of - timedelta(days=rng.randint(3, 40))
    if rng.random() < 0.18:
        return h.as_of + timedelta(days=rng.randint(10, 58))
    return h.as_of + timedelta(days=rng.randint(90, aed.pads_months * 30))


# --- stock -----------------------------------------------------------------------


def plan_lots(clinic: Clinic, h: Horizon) -> list[Rec]:
    """Lots of adult (and pediatric) epinephrine and spare AED pads, each lot replacing the last."""
    rng = clinic.rng("stock")
    items = [("epinephrine_adult", 2, (450, 600), "EP")]
    if clinic.treats_children:
        items.append(("epinephrine_pediatric", 2, (450, 600), "EJ"))
    items.append(("aed_pads", 1, (600, 900), "PD"))
    recs = []
    for item, quantity, shelf, prefix in items:
        below = item == "epinephrine_adult" and "epi_below_min" in clinic.features
        for received, expires in _lot_dates(rng, h, shelf, below):
            lot = Lot(item, received, expires, quantity)
            clinic.lots.append(lot)
            recs.append(_lot_rec(clinic, h, lot, prefix, rng))
    return recs


def _lot_dates(
    rng: random.Random, h: Horizon, shelf: tuple[int, int], below_minimum: bool
) -> list[tuple[date, date]]:
    """(received, expires) of successive lots, from the one covering the start to today's."""
    if below_minimum:
        expires = h.as_of + timedelta(days=rng.randint(150, 300))
    elif rng.random() < 0.2:
        expires = h.as_of + timedelta(days=rng.randint(10, 58))
    else:
        expires = h.as_of + timedelta(days=rng.randint(75, 420))
    lots: list[tuple[date, date]] = []
    while True:
        received = expires - timedelta(days=rng.randint(*shelf))
        # A lot is never received in the future; the below-minimum site's last
        # lot came long enough ago that the one before it has expired.
        latest = h.as_of - timedelta(days=100 if below_minimum and not lots else 20)
        received = min(received, latest)
        lots.append((received, expires))
        if received <= h.start:
            return lots[::-1]
        # The lot before expires a few weeks after its replacement arrived.
        expires = received + timedelta(days=rng.randint(20, 60))


def _lot_rec(clinic: Clinic, h: Horizon, lot: Lot, prefix: str, rng: random.Random) -> Rec:
    at = max(h.t0, local(lot.received_on, 11 * 60, clinic.tz))
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    row = {
        "site_id": clinic.pk,
        "item": lot.item,
        "lot_number": f"{prefix}{rng.randint(1, 9)}{letters}{rng.randint(100, 999)}",
        "expires_on": lot.expires_on,
        "quantity": lot.quantity,
        "received_on": lot.received_on,
        "location": "AED cabinet" if lot.item == "aed_pads" else "Emergency kit",
    }
    rec = Rec(StockLot, at, row)
    if lot.expires_on <= h.end:
        disposed = local(lot.expires_on, 8 * 60, clinic.tz)
        rec.changes.append(Change(disposed, {"quantity": 0}, "Expired; disposed per policy"))
    lot.rec = rec
    return rec
