"""Laser eyewear labels: wavelengths and optical densities as the asset register holds
them, parsed into bands and ratings, and a pair protects against a laser only when it
covers every wavelength the laser emits at no less than the laser's stated OD."""

from __future__ import annotations

import pytest

from readiness.rules.eyewear import (
    Rating,
    Unreadable,
    covers,
    optical_densities,
    problem,
    protects,
    wavelengths,
)


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("1064", ((1064, 1064),)),
        ("755/1064", ((755, 755), (1064, 1064))),
        ("190-534/740-1100", ((190, 534), (740, 1100))),
        ("755, 800-1100", ((755, 755), (800, 1100))),
        ("755, 800-1100 nm", ((755, 755), (800, 1100))),
        ("740 nm - 1100 nm", ((740, 1100),)),
        ("740–1100", ((740, 1100),)),
        ("740 to 1100; 2940", ((740, 1100), (2940, 2940))),
        ("515-1200/1064/1565", ((515, 1200), (1064, 1064), (1565, 1565))),
        (" 532.5 ", ((532.5, 532.5),)),
    ],
)
def test_wavelength_texts(text: str, bands: tuple[tuple[float, float], ...]) -> None:
    assert wavelengths(text) == bands


@pytest.mark.parametrize(
    "text", ["", " / ", "1064nm OD7", "green", "1100-740", "0", "755//1064", "-1064"]
)
def test_unreadable_wavelengths(text: str) -> None:
    with pytest.raises(Unreadable):
        wavelengths(text)


@pytest.mark.parametrize(
    ("text", "ratings"),
    [
        ("7+", (Rating(7),)),
        ("OD 5", (Rating(5),)),
        ("5", (Rating(5),)),
        ("od7+", (Rating(7),)),
        ("OD 4.5", (Rating(4.5),)),
        ("OD 7+ 740-1100 nm", (Rating(7, ((740, 1100),)),)),
        ("OD 6+ 532 nm, OD 7+ 1064 nm", (Rating(6, ((532, 532),)), Rating(7, ((1064, 1064),)))),
        ("OD 6+ @ 532; OD 7+ at 1064", (Rating(6, ((532, 532),)), Rating(7, ((1064, 1064),)))),
        # A comma inside one rating's wavelengths stays with that rating.
        ("OD 7+ 755, 1064 nm", (Rating(7, ((755, 755), (1064, 1064))),)),
    ],
)
def test_optical_density_texts(text: str, ratings: tuple[Rating, ...]) -> None:
    assert optical_densities(text) == ratings


@pytest.mark.parametrize(
    "text", ["", "IPL shade 5", "OD", "OD 0", "OD 11", "1064", "OD 7+ green", "OD 5+ 1064, IPL 5"]
)
def test_unreadable_optical_densities(text: str) -> None:
    with pytest.raises(Unreadable):
        optical_densities(text)


@pytest.mark.parametrize(
    ("bands", "band", "held"),
    [
        (((740, 1100),), (755, 755), True),
        (((740, 1100),), (740, 740), True),  # both ends included
        (((740, 1100),), (1100, 1100), True),
        (((740, 1100),), (1101, 1101), False),
        (((740, 1100),), (739, 739), False),
        (((500, 800), (790, 1200)), (515, 1200), True),  # overlapping bands join
        (((500, 800), (800, 1200)), (515, 1200), True),  # touching bands join
        (((500, 799), (800, 1200)), (515, 1200), False),  # a gap at 799-800 is not covered
        ((), (755, 755), False),
    ],
)
def test_coverage(
    bands: tuple[tuple[float, float], ...], band: tuple[float, float], held: bool
) -> None:
    assert covers(bands, band) is held


@pytest.mark.parametrize(
    ("laser_nm", "laser_od", "eyewear_nm", "eyewear_od", "safe"),
    [
        # Wavelength coverage.
        ("755/1064", None, "740-1100", "OD 7+", True),
        ("755/1064", None, "1064", "OD 7+", False),  # 755 nm not covered
        ("532/1064", None, "190-534/740-1100", "7+", True),
        ("532/1064", None, "190-531/740-1100", "7+", False),
        ("515-1200/1064", None, "500-1200", "5", True),
        ("515-1200/1064", None, "520-1200", "5", False),  # a range must be covered whole
        ("755", None, "755, 800-1100", None, True),
        # Optical density: at least the laser's, at each of its wavelengths.
        ("755/1064", "7+", "740-1100", "OD 7+", True),
        ("755/1064", "7+", "740-1100", "OD 6+", False),
        ("755/1064", "OD 7+ 740-1100 nm", "740-1100", "OD 7+ 740-1100 nm", True),
        (
            "532/1064",
            "OD 6+ 532 nm, OD 7+ 1064 nm",
            "190-534/740-1100",
            "OD 6+ 190-534, OD 7+ 740-1100",
            True,
        ),
        (
            "532/1064",
            "OD 6+ 532 nm, OD 7+ 1064 nm",
            "190-534/740-1100",
            "OD 7+ 190-534, OD 6+ 740-1100",
            False,
        ),
        ("532/1064", "OD 6+ 532 nm, OD 7+ 1064 nm", "190-534/740-1100", "OD 7+", True),
        ("1064", "OD 5", "740-1100", None, False),  # the laser states an OD, the pair none
        ("1064", "OD 5", "740-1100", "OD 5+ 190-534", False),  # rated elsewhere only
        ("1064", None, "740-1100", None, True),  # nothing stated: wavelength decides
        # A pair labelled only through its ratings' bands.
        ("755/1064", "7", None, "OD 7+ 740-1100 nm", True),
        ("755/1064", "7", None, "OD 7+ 740-1000 nm", False),
    ],
)
def test_a_pair_protects_only_when_it_covers_and_is_dense_enough(
    laser_nm: str, laser_od: str | None, eyewear_nm: str | None, eyewear_od: str | None, safe: bool
) -> None:
    assert protects(laser_nm, laser_od, eyewear_nm, eyewear_od) is safe


@pytest.mark.parametrize(
    ("nm", "od", "laser", "found"),
    [
        ("755/1064", "7+", True, None),
        ("755/1064", None, True, None),
        (None, "7+", True, "wavelength not on file"),
        ("  ", None, True, "wavelength not on file"),
        (None, "OD 7+ 740-1100", False, None),  # a pair's ratings carry its wavelengths
        (None, "OD 7+", False, "wavelength not on file"),
        (None, None, False, "wavelength not on file"),
        ("Nd:YAG", None, True, "wavelength 'Nd:YAG' cannot be read"),
        ("1064", "IPL shade 5", False, "optical density 'IPL shade 5' cannot be read"),
    ],
)
def test_problems_quote_the_value(
    nm: str | None, od: str | None, laser: bool, found: str | None
) -> None:
    said = problem(nm, od, laser=laser)
    if found is None:
        assert said is None
    else:
        assert said is not None and said.startswith(found)
