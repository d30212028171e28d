"""The demo practice's nouns: the history's horizon, and each clinic with its people,
devices and stock lots as the generators see them (plans, not rows)."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from readiness.demo import catalog
from readiness.demo.writer import Rec
from readiness.rules import slots

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
    midnight = _steady_midnight(day, tz)
    if midnight is None:
        return slots.due_instant(day, time(minutes // 60, minutes % 60), tz)
    return midnight + timedelta(minutes=minutes)


@functools.lru_cache(maxsize=16_384)
def _steady_midnight(day: date, tz: str) -> datetime | None:
    """The UTC instant a site-local day begins, when its clocks do not change that day.

    A million site-local instants make a large demo: on such a day each is this plus its
    minutes, the same instant `slots.due_instant` finds. None on the two days a year the
    clocks change, whose instants take the zone's rules in full.
    """
    first = slots.due_instant(day, time(0), tz)
    last = slots.due_instant(day, time(23, 59), tz)
    return first if last - first == timedelta(hours=23, minutes=59) else None


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
