"""Low-volume evidence of each clinic: certificates, services and document reviews, and the
helpers the drills and incidents share (record lifecycle, recurring dates, corrective actions).

Dates follow the requirement's rhythm with human jitter (done a little early,
sometimes late, now and then skipped), so the statuses on `as_of` come out as a
believable mix. Facts dated before the history starts were imported when the
practice started using Readiness, so they are recorded at `Horizon.t0`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any, Final

from readiness.demo import catalog
from readiness.demo.clinic import CLINICAL, Clinic, Device, Horizon, Person, local
from readiness.demo.writer import ACTOR, Change, Rec
from readiness.models import (
    Certification,
    CorrectiveAction,
    ServiceEvent,
    SiteDocument,
)
from readiness.rules import due as rules

# Certificate type -> (validity months, valid to the end of the month, provider).
CERTIFICATES: Final = {
    "bls": (24, True, "American Heart Association"),
    "acls": (24, True, "American Heart Association"),
    "pals": (24, True, "American Heart Association"),
    "lso": (36, False, "Laser Institute of America"),
}
# Days from as_of to the current card's expiry, and how often each band occurs.
CARD_BANDS: Final = {
    "ok": ((91, 700), 0.78),
    "due_90": ((61, 90), 0.05),
    "due_60": ((31, 60), 0.05),
    "due_30": ((0, 30), 0.05),
    "expired": ((-150, -1), 0.07),
}


def lifecycle(at: datetime) -> dict[str, Any]:
    """The evidence columns of a freshly recorded, current record."""
    return {
        "record_state": "current",
        "supersedes_id": None,
        "void_reason": None,
        "recorded_at": at,
        "recorded_by": ACTOR,
    }


def recorded(clinic: Clinic, h: Horizon, day: date, minutes: int) -> datetime:
    """When a fact of `day` was entered: then, or at the import for older facts."""
    return max(h.t0, local(min(day, h.end), minutes, clinic.tz))


def history_cut(clinic: Clinic, h: Horizon) -> datetime:
    """The first instant after the history: midnight starting as_of at the site."""
    return local(h.as_of, 0, clinic.tz)


def corrective_action(
    clinic: Clinic,
    h: Horizon,
    *,
    source: str,
    source_rec: Rec,
    opened_at: datetime,
    description: str,
    severity: str,
    due_on: date,
    requirement: str | None = None,
    subject: str | None = None,
    closes_at: datetime | None = None,
    resolution: str = catalog.DEFAULT_RESOLUTION,
    owner: Person | None = None,
) -> Rec:
    """An open corrective action, closed later when `closes_at` falls inside the history.

    `opened_at` is when it was really opened; the record is entered then, or at the
    import for actions opened before the history began.
    """
    owner = owner or clinic.owner(opened_at.date())
    row = {
        "site_id": clinic.pk,
        "source": source,
        "source_id": None,
        "requirement": requirement,
        "subject": subject or clinic.code,
        "description": description,
        "severity": severity,
        "owner_pk": owner.pk,
        "due_on": due_on,
        "opened_at": opened_at,
        # As the services record it: the user (here the demo) who opened it.
        "opened_by": ACTOR,
        "status": "open",
        "closed_at": None,
        "closed_by": None,
        "resolution": None,
    }
    rec = Rec(CorrectiveAction, max(h.t0, opened_at), row, links={"source_id": source_rec})
    if closes_at is not None and opened_at < closes_at < history_cut(clinic, h):
        values = {
            "status": "closed",
            "closed_at": closes_at,
            "closed_by": owner.name,
            "resolution": resolution,
        }
        rec.changes.append(Change(closes_at, values, resolution))
    return rec


def recurring(
    rng: random.Random,
    h: Horizon,
    months: int,
    *,
    overdue: bool = False,
    stop: date | None = None,
    late: float = 0.1,
    gap: float = 0.0,
) -> list[date]:
    """Dates of a task repeated every `months`: the last one before the history, then on."""
    dates = [h.start - timedelta(days=rng.randint(5, months * 30 - 5))]
    while True:
        due = rules.add_months(dates[-1], months * (2 if rng.random() < gap else 1))
        if rng.random() < late:
            due += timedelta(days=rng.randint(1, 20))
        else:
            due -= timedelta(days=rng.randint(0, min(25, months * 7)))
        if due > h.end or (stop is not None and due >= stop):
            break
        dates.append(due)
    if overdue:
        while dates and rules.add_months(dates[-1], months) >= h.as_of:
            dates.pop()
        if not dates:
            dates = [rules.add_months(h.as_of, -months) - timedelta(days=rng.randint(10, 40))]
    return dates


def open_day(clinic: Clinic, h: Horizon, day: date) -> date:
    """The nearest open day on or after `day` (on or before, at the end of the history)."""
    for step in (1, -1):
        probe = day
        for _ in range(7):
            if clinic.is_open(probe) and (step == -1 or probe <= h.end):
                return probe
            probe += timedelta(days=step)
    return day


# --- certifications ----------------------------------------------------------------


def certifications(clinic: Clinic, h: Horizon) -> list[Rec]:
    rng = clinic.rng("certs")
    forced = _forced_cards(clinic)
    recs = []
    for person in clinic.staff:
        for cert_type in _cert_types(person, clinic, rng):
            band = forced.get((person.pk, cert_type))
            if band == "missing" or (
                band is None and cert_type == "bls" and person.role in CLINICAL
                and rng.random() < 0.02
            ):  # fmt: skip
                continue
            if band is None:
                names = list(CARD_BANDS)
                band = rng.choices(names, [CARD_BANDS[n][1] for n in names])[0]
            for issued in _card_chain(cert_type, band, rng, h):
                if person.left_on is None or issued < person.left_on:
                    recs.append(_card(clinic, h, person, cert_type, issued, rng))
    return recs


def _cert_types(person: Person, clinic: Clinic, rng: random.Random) -> list[str]:
    types = []
    if person.role in CLINICAL or rng.random() < 0.5:
        types.append("bls")
    if person.role in ("medical_director", "physician", "np", "pa") or (
        person.role == "rn" and (person.is_lso or rng.random() < 0.6)
    ):
        types.append("acls")
    children = clinic.treats_children and person.role in ("medical_director", "np", "rn")
    if children and rng.random() < 0.5:
        types.append("pals")
    if person.is_lso:
        types.append("lso")
    return types


def _forced_cards(clinic: Clinic) -> dict[tuple[int, str], str]:
    """Pinned card states: an expired BLS, one due soon, an aesthetician with none."""
    forced: dict[tuple[int, str], str] = {}
    rns = [p for p in clinic.staff if p.role == "rn" and not p.is_lso and p.left_on is None]
    if "expired_bls" in clinic.features and rns:
        forced[(rns[-1].pk, "bls")] = "expired"
    if "bls_due_soon" in clinic.features:
        forced[(clinic.director().pk, "bls")] = "due_30"
    aestheticians = [p for p in clinic.staff if p.role == "aesthetician" and p.left_on is None]
    if "missing_bls" in clinic.features and aestheticians:
        forced[(aestheticians[0].pk, "bls")] = "missing"
    return forced


def _expiry(cert_type: str, issued: date) -> date:
    months, end_of_month, _ = CERTIFICATES[cert_type]
    return rules.certificate_expiry(issued, months, end_of_month=end_of_month)


def _issued_for(cert_type: str, target: date, rng: random.Random) -> date:
    """An issue date whose card expires around `target`."""
    months, end_of_month, _ = CERTIFICATES[cert_type]
    issued = rules.add_months(target, -months)
    return issued.replace(day=rng.randint(1, 28)) if end_of_month else issued


def _card_chain(cert_type: str, band: str, rng: random.Random, h: Horizon) -> list[date]:
    """Issue dates of successive cards, the current one's expiry inside `band`."""
    (low, high), _ = CARD_BANDS[band]
    if cert_type == "lso" and band == "ok":
        high = 1000
    issued = h.as_of
    for _ in range(50):
        issued = _issued_for(cert_type, h.as_of + timedelta(days=rng.randint(low, high)), rng)
        if low <= (_expiry(cert_type, issued) - h.as_of).days <= high:
            break
    chain = [issued]
    while True:
        # Renewed in the weeks before the old card ran out; one in ten lapsed first.
        if rng.random() < 0.1:
            expired = chain[-1] - timedelta(days=rng.randint(1, 45))
        else:
            expired = chain[-1] + timedelta(days=rng.randint(0, 60))
        before = _issued_for(cert_type, expired, rng)
        if _expiry(cert_type, before) < h.start - timedelta(days=30):
            return chain[::-1]
        chain.append(before)


def _card(
    clinic: Clinic, h: Horizon, person: Person, cert_type: str, issued: date, rng: random.Random
) -> Rec:
    at = recorded(
        clinic, h, issued + timedelta(days=rng.randint(0, 5)), 16 * 60 + rng.randint(0, 90)
    )
    _, _, provider = CERTIFICATES[cert_type]
    number = (
        f"LSO-{rng.randint(100000, 999999)}"
        if cert_type == "lso"
        else f"{rng.randint(10**11, 10**12 - 1)}"
    )
    row = {
        "staff_pk": person.pk,
        "cert_type": cert_type,
        "issued_on": issued,
        "expires_on": _expiry(cert_type, issued),
        "expiry_derived": False,
        "card_number": number,
        "provider": provider,
        **lifecycle(at),
    }
    return Rec(Certification, at, row)


# --- service events ------------------------------------------------------------------


def service_events(clinic: Clinic, h: Horizon) -> list[Rec]:
    rng = clinic.rng("service")
    in_use = [d for d in clinic.devices_of("laser") if d.until is None]
    overdue_pk = in_use[0].pk if in_use and "overdue_service" in clinic.features else None
    recs: list[Rec] = []
    for device in clinic.devices:
        if device.kind not in ("laser", "fire_extinguisher"):
            continue
        overdue = device.pk == overdue_pk or rng.random() < 0.06
        dates = recurring(rng, h, device.interval_months, overdue=overdue, stop=device.until)
        device.service_dates = dates
        recs += [_service(clinic, h, device, day, rng) for day in dates]
        stopped = [c.values.get("status") for c in device.rec.changes]
        if device.until is not None and "out_of_service" in stopped:
            recs += _failed_service(clinic, h, device, device.until)
    return recs


def _vendor(device: Device, rng: random.Random) -> str:
    key = device.laser.manufacturer if device.laser else device.kind
    return f"{catalog.SERVICE_VENDORS[key]} ({rng.choice(catalog.ENGINEERS)})"


def _service(clinic: Clinic, h: Horizon, device: Device, day: date, rng: random.Random) -> Rec:
    at = recorded(clinic, h, day, 15 * 60 + rng.randint(0, 120))
    laser = device.kind == "laser"
    notes = (
        "Preventive maintenance; output verified within ±10% at every wavelength."
        if laser
        else "Annual maintenance per NFPA 10; pressure and hose checked; tag replaced."
    )
    row = {
        "asset_pk": device.pk,
        "kind": "service",
        "performed_on": day,
        "performed_by": _vendor(device, rng),
        "result": "pass",
        "certificate_number": f"SR-{rng.randint(100000, 999999)}",
        "next_due_on": rules.add_months(day, device.interval_months),
        "notes": notes,
        **lifecycle(at),
    }
    return Rec(ServiceEvent, at, row)


def _failed_service(clinic: Clinic, h: Horizon, device: Device, day: date) -> list[Rec]:
    """The failed output check that took a laser out of service, and its open action."""
    rng = clinic.rng("failed-service")
    at = recorded(clinic, h, day, 14 * 60)
    row = {
        "asset_pk": device.pk,
        "kind": "calibration",
        "performed_on": day,
        "performed_by": _vendor(device, rng),
        "result": "fail",
        "certificate_number": None,
        "next_due_on": None,
        "notes": "Output 18% below setpoint at 1064 nm; handpiece to be replaced.",
        **lifecycle(at),
    }
    event = Rec(ServiceEvent, at, row)
    action = corrective_action(
        clinic,
        h,
        source="service",
        source_rec=event,
        opened_at=at + timedelta(minutes=5),
        severity="critical",
        due_on=day + timedelta(days=14),
        description="Replace the handpiece and repeat the output verification before clinical use",
        requirement="laser.service",
        subject=device.asset_id,
    )
    return [event, action]


# --- documents -------------------------------------------------------------------------


def documents(clinic: Clinic, h: Horizon) -> list[Rec]:
    rng = clinic.rng("documents")
    recs = []
    for doc_type in catalog.DOCUMENT_TYPES:
        overdue = (
            "overdue_document" in clinic.features and doc_type == "transfer_agreement"
        ) or rng.random() < 0.04
        for version, day in enumerate(recurring(rng, h, 12, overdue=overdue), start=1):
            recs.append(_document(clinic, h, doc_type, version, day, rng))
    return recs


def _document(
    clinic: Clinic, h: Horizon, doc_type: str, version: int, day: date, rng: random.Random
) -> Rec:
    code = clinic.code
    titles = {
        "emergency_plan": (f"Emergency action plan — {code}", f"EAP-{code}-v{version + 2}"),
        "transfer_agreement": (
            f"Transfer agreement with {clinic.hospital}",
            f"TA-{code}-{day.year}",
        ),
        "laser_inventory": (f"Class 3B/4 laser inventory — {code}", f"LI-{code}-{day.year}"),
    }
    title, reference = titles[doc_type]
    reviewer = clinic.lso(day) if doc_type == "laser_inventory" else None
    at = recorded(clinic, h, day, 13 * 60 + rng.randint(0, 120))
    row = {
        "site_id": clinic.pk,
        "doc_type": doc_type,
        "reviewed_on": day,
        "reviewed_by": (reviewer or clinic.director()).name,
        "title": title,
        "reference": reference,
        **lifecycle(at),
    }
    return Rec(SiteDocument, at, row)
