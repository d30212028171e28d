"""The practice's stock: lots of epinephrine and spare AED pads, each replacing the last."""

from __future__ import annotations

import random
from datetime import date, timedelta

from readiness.demo.clinic import Clinic, Horizon, Lot, local
from readiness.demo.writer import Change, Rec
from readiness.models import StockLot


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
