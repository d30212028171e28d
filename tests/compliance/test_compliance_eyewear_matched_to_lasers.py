"""Matched laser eyewear: each laser in service needs two pairs in service at its site
that cover every wavelength it emits at no less than its stated optical density; a
label that cannot be read, on the laser or on a pair in service, is `missing` with the
value quoted; a laser out of service owes nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from compliance_support import AS_OF, POLICY, Practice, items_of, row_of

from readiness.compliance import scenario_readiness
from readiness.db import Database

LASER = {"wavelength_nm": "755/1064", "optical_density": "OD 7+ 740-1100 nm"}
RATED = {"wavelength_nm": "740-1100", "optical_density": "7+"}


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        good = p.site("GOOD")
        p.asset(good, "G-L1", "laser", **LASER)
        p.asset(good, "G-E1", "eyewear", **RATED)
        p.asset(good, "G-E2", "eyewear", wavelength_nm="190-534/740-1100", optical_density="OD 7")
        # Labelled through its rating alone; a third pair is more than enough.
        p.asset(good, "G-E3", "eyewear", optical_density="OD 7+ 740-1100 nm")
        short = p.site("SHORT")
        p.asset(short, "S-L1", "laser", wavelength_nm="532/1064")
        p.asset(short, "S-E1", "eyewear", wavelength_nm="190-534/740-1100", optical_density="6")
        p.asset(short, "S-E2", "eyewear", wavelength_nm="1064", optical_density="7+")
        weak = p.site("WEAK")
        p.asset(weak, "W-L1", "laser", **LASER)
        p.asset(weak, "W-E1", "eyewear", wavelength_nm="740-1100", optical_density="OD 5")
        p.asset(weak, "W-E2", "eyewear", wavelength_nm="740-1100", optical_density="OD 6+")
        away = p.site("AWAY")
        p.asset(away, "A-L1", "laser", **LASER)
        p.asset(away, "A-E1", "eyewear", **RATED)
        p.asset(away, "A-E2", "eyewear", status="out_of_service", **RATED)
        p.asset(away, "A-L2", "laser", status="out_of_service", wavelength_nm="810")
        none = p.site("NONE")
        p.asset(none, "N-L1", "laser", wavelength_nm="1064")
        bad_pair = p.site("BADPAIR")
        p.asset(bad_pair, "B-L1", "laser", **LASER)
        p.asset(bad_pair, "B-E1", "eyewear", **RATED)
        p.asset(bad_pair, "B-E2", "eyewear", **RATED)
        p.asset(bad_pair, "B-E3", "eyewear", wavelength_nm="1064", optical_density="IPL shade 5")
        # A retired pair with a bad label is out of circulation: it does not count.
        p.asset(bad_pair, "B-E4", "eyewear", status="retired", wavelength_nm="green")
        bad_laser = p.site("BADLASER")
        p.asset(bad_laser, "X-L1", "laser", wavelength_nm="Nd:YAG")
        p.asset(bad_laser, "X-L2", "laser")
        p.asset(bad_laser, "X-E1", "eyewear", **RATED)
        p.asset(bad_laser, "X-E2", "eyewear", **RATED)
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize(
    ("laser", "status", "detail"),
    [
        (
            "G-L1",
            "ok",
            "3 pairs of eyewear in service rated for 755/1064 nm at OD 7+ 740-1100 nm"
            " (G-E1, G-E2, G-E3); minimum 2",
        ),
        (
            "S-L1",
            "missing",
            "1 pair of eyewear in service rated for 532/1064 nm (S-E1);"
            " 1 other pair does not match; minimum 2",
        ),
        (
            "W-L1",
            "missing",
            "0 pairs of eyewear in service rated for 755/1064 nm at OD 7+ 740-1100 nm;"
            " 2 other pairs do not match; minimum 2",
        ),
        (
            "A-L1",
            "missing",
            "1 pair of eyewear in service rated for 755/1064 nm at OD 7+ 740-1100 nm (A-E1);"
            " minimum 2",
        ),
        ("A-L2", "not_applicable", "Out of service: not required until it is back in service"),
        (
            "N-L1",
            "missing",
            "No laser eyewear in service at this site; minimum 2 pairs rated for 1064 nm",
        ),
        (
            "B-L1",
            "missing",
            "Eyewear B-E3: optical density 'IPL shade 5' cannot be read"
            " (e.g. 7+, OD 5 or OD 6+ 532 nm, OD 7+ 1064 nm); fix the eyewear record",
        ),
        (
            "X-L1",
            "missing",
            "Laser wavelength 'Nd:YAG' cannot be read (e.g. 755/1064 or 190-534/740-1100):"
            " eyewear cannot be matched",
        ),
        ("X-L2", "missing", "Laser wavelength not on file: eyewear cannot be matched"),
    ],
)
def test_each_laser_is_judged_against_the_pairs_at_its_site(
    items: pd.DataFrame, laser: str, status: str, detail: str
) -> None:
    row = row_of(items, "eyewear.matched", laser)
    assert (row["status"], row["subject_type"], row["detail"]) == (status, "asset", detail)


def test_only_lasers_are_subjects(items: pd.DataFrame) -> None:
    subjects = set(items.loc[items["requirement"] == "eyewear.matched", "subject"])
    assert subjects == {"G-L1", "S-L1", "W-L1", "A-L1", "A-L2", "N-L1", "B-L1", "X-L1", "X-L2"}


def test_unmatched_eyewear_blocks_eye_exposure_not_burns(items: pd.DataFrame) -> None:
    ready = {
        (r["site"], r["scenario"]): r for r in scenario_readiness(items, POLICY).to_dict("records")
    }
    eye = ready[("NONE", "laser_eye_exposure")]["blocking"]
    assert {"requirement": "eyewear.matched", "subject": "N-L1", "status": "missing"} in eye
    burn = {b["requirement"] for b in ready[("NONE", "laser_burn")]["blocking"]}
    assert "eyewear.matched" not in burn
    good = {b["requirement"] for b in ready[("GOOD", "laser_eye_exposure")]["blocking"]}
    assert "eyewear.matched" not in good
