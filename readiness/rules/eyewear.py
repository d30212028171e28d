"""Laser eyewear against a laser: wavelengths and optical density as labels print them.

Pure: parses the asset register's text columns and decides whether one pair of
eyewear protects against one laser. Accepted wavelength text: numbers and ranges in
nm, separated by "/", "," or ";" ("755/1064", "190-534/740-1100", "755, 800-1100 nm").
Accepted optical density text: one rating ("7+", "OD 5", "5") or several, each for
its wavelengths ("OD 6+ 532 nm, OD 7+ 1064 nm", "OD 7+ 740-1100 nm").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# One band of wavelengths in nm, both ends included; a single wavelength is (x, x).
Band = tuple[float, float]
# Optical densities above this are not printed on any eyewear: a typo, or a wavelength.
MAX_OD = 10.0
WAVELENGTH_EXAMPLE = "e.g. 755/1064 or 190-534/740-1100"
OD_EXAMPLE = "e.g. 7+, OD 5 or OD 6+ 532 nm, OD 7+ 1064 nm"

_NUMBER = r"\d+(?:\.\d+)?"
_BAND = re.compile(
    rf"^(?P<low>{_NUMBER})\s*(?:nm)?\s*(?:(?:-|–|—|to)\s*(?P<high>{_NUMBER})\s*(?:nm)?)?$",
    re.IGNORECASE,
)
_BAND_SEPARATOR = re.compile(r"[/,;]")
# Ratings are separated by a comma or semicolon before the next "OD"; a comma inside one
# rating's wavelengths ("OD 7+ 755, 1064 nm") stays with that rating.
_RATING_SEPARATOR = re.compile(r"[,;]\s*(?=OD\b)", re.IGNORECASE)
_RATING = re.compile(
    rf"^(?:OD\s*)?(?P<od>{_NUMBER})\s*\+?\s*(?:(?:@|at|for)\s*)?(?P<bands>.*?)$",
    re.IGNORECASE,
)


class Unreadable(ValueError):
    """A wavelength or optical density text that cannot be understood."""


@dataclass(frozen=True)
class Rating:
    """An optical density, for some bands only or (bands None) for every wavelength."""

    od: float
    bands: tuple[Band, ...] | None = None


@lru_cache(maxsize=4096)
def wavelengths(text: str) -> tuple[Band, ...]:
    """The bands a wavelength text names, in order; Unreadable when it names none."""
    parts = [part.strip() for part in _BAND_SEPARATOR.split(text)]
    if not any(parts):
        raise Unreadable("no wavelength given")
    bands = []
    for part in parts:
        found = _BAND.match(part)
        if found is None:
            raise Unreadable(f"{part!r} is not a wavelength or range in nm")
        low = float(found["low"])
        high = float(found["high"]) if found["high"] is not None else low
        if low <= 0 or high < low:
            raise Unreadable(f"{part!r} is not a range from low to high")
        bands.append((low, high))
    return tuple(bands)


@lru_cache(maxsize=4096)
def optical_densities(text: str) -> tuple[Rating, ...]:
    """The ratings an optical density text states; Unreadable when it states none."""
    parts = [part.strip() for part in _RATING_SEPARATOR.split(text.strip())]
    if not any(parts):
        raise Unreadable("no optical density given")
    ratings = []
    for part in parts:
        found = _RATING.match(part)
        if found is None:
            raise Unreadable(f"{part!r} is not an optical density")
        od = float(found["od"])
        if not 0 < od <= MAX_OD:
            raise Unreadable(f"OD {found['od']} is outside 0-{MAX_OD:g}")
        bands = found["bands"].strip()
        ratings.append(Rating(od, wavelengths(bands) if bands else None))
    return tuple(ratings)


def covers(bands: Sequence[Band], band: Band) -> bool:
    """True when the bands, joined where they touch or overlap, hold the whole band."""
    start, end = band
    reach: float | None = None  # covered from start up to here
    for low, high in sorted(bands):
        if high < start:
            continue
        if low > (start if reach is None else reach):
            break
        reach = high if reach is None else max(reach, high)
        if reach >= end:
            return True
    return False


def required_od(ratings: Sequence[Rating], band: Band) -> float | None:
    """The strictest of a laser's stated ratings that touches the band (None: none stated)."""
    applying = [r.od for r in ratings if r.bands is None or any(_overlap(b, band) for b in r.bands)]
    return max(applying, default=None)


def od_at(ratings: Sequence[Rating], band: Band) -> float | None:
    """The best of an eyewear's ratings that holds over the whole band (None: none does)."""
    holding = [r.od for r in ratings if r.bands is None or covers(r.bands, band)]
    return max(holding, default=None)


def coverage(wavelength_text: str | None, od_text: str | None) -> tuple[Band, ...]:
    """The wavelengths a pair is labelled for: its wavelength text, else its ratings' bands."""
    if wavelength_text and wavelength_text.strip():
        return wavelengths(wavelength_text)
    ratings = optical_densities(od_text) if od_text and od_text.strip() else ()
    if not ratings or any(r.bands is None for r in ratings):
        raise Unreadable("no wavelength given")
    return tuple(band for r in ratings for band in r.bands or ())


@lru_cache(maxsize=65536)
def protects(
    laser_nm: str, laser_od: str | None, eyewear_nm: str | None, eyewear_od: str | None
) -> bool:
    """True when the pair covers every wavelength the laser emits at the laser's stated OD.

    Raises Unreadable when one of the texts cannot be understood.
    """
    emitted = wavelengths(laser_nm)
    needed = optical_densities(laser_od) if laser_od and laser_od.strip() else ()
    labelled = coverage(eyewear_nm, eyewear_od)
    rated = optical_densities(eyewear_od) if eyewear_od and eyewear_od.strip() else ()
    for band in emitted:
        if not covers(labelled, band):
            return False
        minimum = required_od(needed, band)
        if minimum is None:
            continue
        od = od_at(rated, band)
        if od is None or od < minimum:
            return False
    return True


def problem(wavelength_text: str | None, od_text: str | None, *, laser: bool) -> str | None:
    """Why an asset's wavelength or OD text cannot be used, in words (None: it can)."""
    if od_text and od_text.strip():
        try:
            optical_densities(od_text)
        except Unreadable:
            return f"optical density {od_text!r} cannot be read ({OD_EXAMPLE})"
    if wavelength_text and wavelength_text.strip():
        try:
            wavelengths(wavelength_text)
        except Unreadable:
            return f"wavelength {wavelength_text!r} cannot be read ({WAVELENGTH_EXAMPLE})"
        return None
    try:
        # A pair may carry its wavelengths in its ratings only ("OD 7+ 740-1100 nm").
        if laser:
            raise Unreadable("no wavelength given")
        coverage(wavelength_text, od_text)
    except Unreadable:
        return "wavelength not on file"
    return None


def _overlap(a: Band, b: Band) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
