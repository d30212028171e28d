"""The practice's equipment: lasers with their eyewear, an AED, oxygen, an emergency kit
and fire extinguishers per clinic; a laser taken out of service or retired gets its status
history rows, as the asset service writes them."""

from __future__ import annotations

import random
from datetime import date, timedelta

from readiness.demo import catalog
from readiness.demo.clinic import Clinic, Device, Horizon, Ids, local
from readiness.demo.writer import Change, Rec
from readiness.models import Asset, AssetStatusChange


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


def _stop(device: Device, h: Horizon, day: date, status: str, reason: str, tz: str) -> list[Rec]:
    """Take a device out of service from `day` on, as `services.asset_history` records it:
    its status history (in service since before the records began, then `status` from
    `day`) and the asset's current-value columns brought in step at the same instant."""
    device.until = day
    at = local(day, 16 * 60, tz)
    columns = {
        "status": status,
        "status_since": day,
        "retired_on": day if status == "retired" else None,
    }
    device.rec.changes.append(Change(at, columns, reason))
    first = {"status": "in_service", "effective_from": None, "reason": None}
    stopped = {"status": status, "effective_from": day, "reason": reason}
    return [
        Rec(AssetStatusChange, h.t0, first, links={"asset_pk": device.rec}),
        Rec(AssetStatusChange, at, stopped, links={"asset_pk": device.rec}, reason=reason),
    ]


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
    history: list[Rec] = []
    if "retired_laser" in clinic.features:
        day = h.end - timedelta(days=max(0, min(200, span // 2)))
        reason = "Decommissioned: replaced by a newer platform"
        history += _stop(lasers[-1], h, day, "retired", reason, tz)
        for pair in eyewear[lasers[-1].asset_id]:
            history += _stop(pair, h, day, "retired", "Retired with its laser", tz)
    if "oos_laser" in clinic.features:
        # Taken out of service after a failed output check (see evidence.service_events).
        day = h.end - timedelta(days=max(0, min(45, span // 3)))
        reason = "Failed output verification; awaiting repair"
        history += _stop(lasers[0], h, day, "out_of_service", reason, tz)
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
    return [device.rec for device in clinic.devices] + history


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
