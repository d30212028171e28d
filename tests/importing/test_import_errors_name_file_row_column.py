"""Every bad cell is reported as FILE:ROW: column: reason, with the exact reason text."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.run import import_dir, import_file

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
ROLES = "medical_director, physician, np, pa, rn, aesthetician, front_desk, other"


@pytest.fixture
def practice(db: Database) -> Database:
    """The good practice imported, so that rows can refer to its sites, staff and assets."""
    assert import_dir(db, GOOD, dry_run=False, actor="test").errors == []
    return db


CASES = [
    pytest.param(
        "certifications",
        "staff_id,type,issued_on\nS-101,bls,2024-13-01\n",
        ["issued_on: not a date (YYYY-MM-DD): '2024-13-01'"],
        id="bad-date",
    ),
    pytest.param(
        "documents",
        "site_code,type,reviewed_on,reviewed_by\nAUS1,emergency_plan,03/15/2025,Dr. A\n",
        ["reviewed_on: not a date (YYYY-MM-DD): '03/15/2025'"],
        id="bad-date-us-style",
    ),
    pytest.param(
        "drills",
        "site_code,scenario,held_at,participants,outcome\n"
        "AUS1,anaphylaxis,yesterday 9am,S-101,pass\n",
        ["held_at: not a date-time (ISO 8601, e.g. 2026-03-09T09:00): 'yesterday 9am'"],
        id="bad-date-time",
    ),
    pytest.param(
        "drills",
        "site_code,scenario,held_at,participants,outcome\n"
        "AUS1,anaphylaxis,2026-03-08T02:30,S-101,pass\n",
        [
            "held_at: '2026-03-08T02:30:00' does not exist in America/Chicago"
            " (the clocks skip it at the DST change)"
        ],
        id="local-time-in-dst-gap",
    ),
    pytest.param(
        "staff",
        "staff_id,site_code,full_name,role\nS-900,DAL1,Pat Kim,rn\n",
        ["site_code: unknown site code 'DAL1'"],
        id="unknown-site",
    ),
    pytest.param(
        "certifications",
        "staff_id,type,issued_on\nS-999,bls,2025-01-01\n",
        ["staff_id: unknown staff id 'S-999'"],
        id="unknown-staff",
    ),
    pytest.param(
        "service_events",
        "asset_id,kind,performed_on,performed_by,result\nA-404,service,2025-01-01,Tech,pass\n",
        ["asset_id: unknown asset id 'A-404'"],
        id="unknown-asset",
    ),
    pytest.param(
        "drills",
        "site_code,scenario,held_at,participants,outcome\n"
        "AUS1,fire,2026-01-10T10:00,S-101; S-998 ;S-999,pass\n",
        ["participants: unknown staff ids 'S-998', 'S-999'"],
        id="unknown-participant",
    ),
    pytest.param(
        "sites",
        "code,name,timezone\nDAL1,Dallas,America/Dalas\n",
        ["timezone: unknown time zone 'America/Dalas' (an IANA name such as America/Chicago)"],
        id="unknown-time-zone",
    ),
    pytest.param(
        "staff",
        "staff_id,site_code,full_name,role\nS-900,AUS1,Pat Kim,nurse\n",
        [f"role: 'nurse' is not one of: {ROLES}"],
        id="bad-enum",
    ),
    pytest.param(
        "service_events",
        "asset_id,kind,performed_on,performed_by,result\nAED-AUS1,check,2025-01-01,Tech,ok\n",
        [
            "kind: 'check' is not one of: calibration, service, inspection, repair",
            "result: 'ok' is not one of: pass, fail",
        ],
        id="two-bad-enums-in-one-row",
    ),
    pytest.param(
        "sites",
        "code,name,timezone\nDAL1,,America/Chicago\n",
        ["name: required value is empty"],
        id="missing-value",
    ),
    pytest.param(
        "drills",
        "site_code,scenario,held_at,participants,outcome\nAUS1,fire,2026-01-10T10:00, ; ,pass\n",
        ["participants: required value is empty"],
        id="no-participants",
    ),
    pytest.param(
        "stock",
        "site_code,item,lot_number,expires_on,quantity\nAUS1,epinephrine_adult,L1,2027-01-31,two\n",
        ["quantity: not a whole number: 'two'"],
        id="bad-integer",
    ),
    pytest.param(
        "stock",
        "site_code,item,lot_number,expires_on,quantity\nAUS1,epinephrine_adult,L1,2027-01-31,2.5\n",
        ["quantity: not a whole number: '2.5'"],
        id="fractional-integer",
    ),
    pytest.param(
        "stock",
        "site_code,item,lot_number,expires_on,quantity\nAUS1,epinephrine_adult,L1,2027-01-31,-1\n",
        ["quantity: must be 0 or more: '-1'"],
        id="negative-quantity",
    ),
    pytest.param(
        "stock",
        "site_code,item,lot_number,expires_on,quantity\n"
        "AUS1,epinephrine_adult,L1,2027-01-31,99999999999\n",
        ["quantity: must be 2147483647 or less: '99999999999'"],
        id="integer-too-big-for-the-column",
    ),
    pytest.param(
        "sites",
        "code,name,timezone\nDAL1,Dal\x00las,America/Chicago\n",
        ["name: contains a NUL character: 'Dallas'"],
        id="nul-character",
    ),
    pytest.param(
        "drills",
        "site_code,scenario,held_at,participants,outcome\nAUS1,fire,9999-12-31T23:00,S-101,pass\n",
        ["held_at: out of range: '9999-12-31T23:00:00'"],
        id="instant-out-of-range",
    ),
    pytest.param(
        "assets",
        "asset_id,site_code,kind,name,service_interval_months\nL-9,AUS1,laser,Laser,0\n",
        ["service_interval_months: must be 1 or more: '0'"],
        id="zero-interval",
    ),
    pytest.param(
        "staff",
        "staff_id,site_code,full_name,role,active\nS-900,AUS1,Pat Kim,rn,maybe\n",
        ["active: not yes or no: 'maybe'"],
        id="bad-yes-no",
    ),
    pytest.param(
        "sites",
        "code,name,timezone,open_days\nDAL1,Dallas,America/Chicago,mon-funday\n",
        ["open_days: not a list of days (e.g. mon-sat or mon,tue,thu): 'mon-funday'"],
        id="bad-open-days",
    ),
    pytest.param(
        "certifications",
        "staff_id,type,issued_on\nS-101,BLS card,2025-01-01\n",
        ["type: not a type name (letters, digits and _): 'BLS card'"],
        id="bad-type-name",
    ),
    pytest.param(
        "sites",
        f"code,name,timezone\n{'X' * 40},Dallas,America/Chicago\n",
        ["code: too long: 40 characters, at most 32"],
        id="too-long-for-the-column",
    ),
]


@pytest.mark.parametrize(("kind", "content", "reasons"), CASES)
def test_it_names_file_row_column_and_reason(
    practice: Database, tmp_path: Path, kind: str, content: str, reasons: list[str]
) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    report = import_file(practice, kind, path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:2: {reason}" for reason in reasons]


def test_missing_required_columns_are_reported_on_row_1(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("Code,Name,address\nDAL1,Dallas,1 Main St\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:1: timezone: missing required column"]


def test_a_column_given_twice_is_an_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,timezone,NAME\nDAL1,Dallas,America/Chicago,D\n", encoding="utf-8")
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:1: name: column appears twice"]


def test_a_duplicate_id_names_the_earlier_row(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "code,name,timezone\nDAL1,Dallas,America/Chicago\nHOU1,Houston,America/Chicago\n"
        "DAL1,Dallas again,America/Chicago\n",
        encoding="utf-8",
    )
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [f"{path}:4: code: duplicate of row 2 (DAL1)"]


def test_a_duplicate_composite_key_names_every_key_column(
    practice: Database, tmp_path: Path
) -> None:
    path = tmp_path / "certifications.csv"
    path.write_text(
        "staff_id,type,issued_on,card_number\nS-101,bls,2025-03-15,A\nS-101,BLS,2025-03-15,B\n",
        encoding="utf-8",
    )
    report = import_file(practice, "certifications", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:3: staff_id/type/issued_on: duplicate of row 2 (S-101/bls/2025-03-15)"
    ]


def test_the_same_instant_written_two_ways_is_a_duplicate(
    practice: Database, tmp_path: Path
) -> None:
    path = tmp_path / "drills.csv"
    path.write_text(
        "site_code,scenario,held_at,participants,outcome\n"
        "AUS1,fire,2026-01-10T10:00,S-101,pass\n"
        "AUS1,fire,2026-01-10T16:00:00Z,S-102,pass\n",
        encoding="utf-8",
    )
    report = import_file(practice, "drills", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:3: site_code/scenario/held_at:"
        " duplicate of row 2 (AUS1/fire/2026-01-10T16:00:00+00:00)"
    ]


def test_every_bad_row_is_reported_not_only_the_first(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "code,name,timezone,treats_children\n"
        "DAL1,Dallas,Mars/Olympus,no\n"
        "HOU1,Houston,America/Chicago,no\n"
        "SAT1,,America/Chicago,perhaps\n",
        encoding="utf-8",
    )
    report = import_file(db, "sites", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}:2: timezone: unknown time zone 'Mars/Olympus'"
        " (an IANA name such as America/Chicago)",
        f"{path}:4: name: required value is empty",
        f"{path}:4: treats_children: not yes or no: 'perhaps'",
    ]
    assert report.summary().endswith("3 errors: nothing written")


def test_unknown_kind_and_unsupported_files_are_one_line(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown import kind 'widgets' \\(one of: sites, staff"):
        import_file(db, "widgets", tmp_path / "w.csv", dry_run=False, actor="test")
    report = import_file(db, "sites", tmp_path / "sites.xls", dry_run=False, actor="test")
    assert report.errors == [
        f"{tmp_path / 'sites.xls'}: unsupported file type '.xls' (use .csv or .xlsx)"
    ]
    report = import_file(db, "sites", tmp_path / "nope.csv", dry_run=False, actor="test")
    assert report.errors == [f"{tmp_path / 'nope.csv'}: no such file"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "code,name,timezone\nMTY1,Monterrey Clínica,America/Monterrey\n".encode("cp1252")
    )
    report = import_file(db, "sites", latin, dry_run=False, actor="test")
    assert report.errors == [f"{latin}: not UTF-8 text (byte 36); save it as 'CSV UTF-8'"]
