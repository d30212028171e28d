"""Find the site, staff member and asset a user names by their ids, with clear errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from readiness.errors import UserError
from readiness.models import Asset, Site, Staff, works_at
from readiness.policy.templates import Template


def site_by_code(session: Session, code: str) -> Site:
    """The site with this code, whatever its case ("aus1" finds AUS1), in one query."""
    typed = code.strip()
    found = list(session.scalars(_SITES_NAMED, {"lowered": typed.lower()}))
    stored = spelled_as_stored([typed], [site.code for site in found]).get(typed)
    site = next((site for site in found if site.code == stored), None)
    if site is None:
        raise UserError(f"no site with code {code!r}")
    return site


# The look-ups a checklist submission makes, built once and bound per call: building a
# statement costs about as much as running it, and twenty tablets may submit at once.
_SITES_NAMED = select(Site).where(func.lower(Site.code) == bindparam("lowered"))
_STAFF_NAMED = select(Staff).where(Staff.staff_id == bindparam("staff_id"))
_ASSET_NAMED = select(Asset).where(Asset.asset_id == bindparam("asset_id"))


def site_codes_as_stored(session: Session, typed: Iterable[str]) -> dict[str, str]:
    """Each typed site code (trimmed) -> the code as stored, matched without regard to case.

    People type "aus1" for AUS1 on the command line and in spreadsheets; every lookup of
    a typed code goes through here (or `spelled_as_stored`, for a caller that reads
    the sites itself). The exact spelling wins; a code that matches no site, or two
    sites that differ only in case, is left out (the caller's "no site" error names
    it as typed).
    """
    wanted = lowered(typed)
    if not wanted:
        return {}
    stored = session.scalars(select(Site.code).where(func.lower(Site.code).in_(wanted)))
    return spelled_as_stored(typed, stored)


def lowered(typed: Iterable[str]) -> list[str]:
    """The typed codes in lower case, for `func.lower(Site.code).in_(...)`."""
    return sorted({code.strip().lower() for code in typed if code and code.strip()})


def spelled_as_stored(typed: Iterable[str], stored: Iterable[str]) -> dict[str, str]:
    """Each typed code -> the one stored code it names (see `site_codes_as_stored`)."""
    matches: dict[str, list[str]] = {}
    for code in stored:
        matches.setdefault(code.lower(), []).append(code)
    found: dict[str, str] = {}
    for code in {code.strip() for code in typed if code and code.strip()}:
        candidates = matches.get(code.lower(), [])
        if code in candidates:
            found[code] = code
        elif len(candidates) == 1:
            found[code] = candidates[0]
    return found


def signer(session: Session, site: Site, staff_id: str, day: date | None = None) -> Staff:
    """An active staff member of the site, or assigned to it on `day`, who may sign."""
    person = session.scalar(_STAFF_NAMED, {"staff_id": staff_id})
    if person is None:
        raise UserError(f"no staff member with id {staff_id!r}")
    if not person.active:
        raise UserError(f"{staff_id} ({person.full_name}) is not active and cannot sign")
    if person.site_id != site.id and (day is None or not _works_there(session, person, site, day)):
        when = "" if day is None else f" on {day.isoformat()}"
        raise UserError(f"{staff_id} ({person.full_name}) does not work at {site.code}{when}")
    return person


def _works_there(session: Session, person: Staff, site: Site, day: date) -> bool:
    """True when the person is assigned to the site on the day."""
    query = select(Staff.id).where(Staff.id == person.id, works_at(site.id, day))
    return session.scalar(query) is not None


def checked_asset(
    session: Session, site: Site, template: Template, asset_id: str | None
) -> Asset | None:
    """The in-service asset a per-asset template is run on; None for a site template."""
    if not template.per_asset:
        if asset_id:
            raise UserError(f"{template.id} is a site checklist: give no asset")
        return None
    if not asset_id:
        raise UserError(f"{template.id} is done per {template.applies_to}: give the asset id")
    asset = session.scalar(_ASSET_NAMED, {"asset_id": asset_id})
    if asset is None:
        raise UserError(f"no asset with id {asset_id!r}")
    if asset.site_id != site.id:
        raise UserError(f"asset {asset_id} is not at {site.code}")
    if asset.kind != template.applies_to:
        raise UserError(
            f"asset {asset_id} is of kind {asset.kind}; {template.id} is for {template.applies_to}"
        )
    if asset.status != "in_service":
        raise UserError(f"asset {asset_id} is {asset.status.replace('_', ' ')}: no check is owed")
    return asset


def template_named(templates: Mapping[str, Template], template_id: str) -> Template:
    """The template with this id."""
    try:
        return templates[template_id]
    except KeyError:
        known = ", ".join(sorted(templates))
        raise UserError(f"no checklist template {template_id!r} (known: {known})") from None


def active_sites(session: Session) -> list[Site]:
    """Every active site, by code."""
    return list(session.scalars(select(Site).where(Site.active).order_by(Site.code)))


def signers_of(session: Session, site: Site, day: date | None = None) -> list[Staff]:
    """The active staff of a site (and those assigned to it on `day`), who may sign, by name."""
    works = Staff.site_id == site.id if day is None else works_at(site.id, day)
    query = select(Staff).where(works, Staff.active)
    return list(session.scalars(query.order_by(Staff.full_name, Staff.staff_id)))
