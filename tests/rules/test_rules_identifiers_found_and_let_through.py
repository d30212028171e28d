"""The identifier detector: what it finds (kind and text) and the clinical text it lets through."""

from __future__ import annotations

from datetime import date

import pytest

from readiness.errors import UserError
from readiness.rules.identifiers import (
    BIRTH_DATE,
    EMAIL,
    MRN,
    PHONE,
    SSN,
    WORD,
    check_free_text,
    find_identifiers,
    refusal,
)

TODAY = date(2026, 3, 9)

FOUND = [
    ("Jane Doe DOB 04/12/1985 tel 555-867-5309",
     [(WORD, "DOB"), (BIRTH_DATE, "04/12/1985"), (PHONE, "555-867-5309")]),
    ("seen 1985-04-12", [(BIRTH_DATE, "1985-04-12")]),
    ("born 12 Apr 1985", [(BIRTH_DATE, "12 Apr 1985")]),
    ("April 12, 1985", [(BIRTH_DATE, "April 12, 1985")]),
    ("12.04.1985", [(BIRTH_DATE, "12.04.1985")]),
    ("04/12/85", [(BIRTH_DATE, "04/12/85")]),
    ("exactly twelve years: 2014-03-09", [(BIRTH_DATE, "2014-03-09")]),
    ("call (555) 867-5309", [(PHONE, "(555) 867-5309")]),
    ("mobile +44 20 7946 0958", [(PHONE, "+44 20 7946 0958")]),
    ("phone: 5558675309", [(PHONE, "5558675309")]),
    ("mail jane.doe@example.com", [(EMAIL, "jane.doe@example.com")]),
    ("SSN 123-45-6789", [(WORD, "SSN"), (SSN, "123-45-6789")]),
    ("MRN 12345", [(MRN, "MRN 12345")]),
    ("medical record number 445566", [(MRN, "medical record number 445566")]),
    ("ask for the date of birth", [(WORD, "date of birth")]),
    ("patient name on the consent", [(WORD, "patient name")]),
    ("no MRN given", [(WORD, "MRN")]),
]  # fmt: skip

LET_THROUGH = [
    "1064 nm at 35 J/cm2, 3 ms",
    "BP 120/80, HR 72, SpO2 98% at 10:42",
    "time to AED 140 s",
    "seal 004512 replaced, kit opened for a vasovagal episode",
    "lot EPA-2410, expires 2027-01-31",
    "follow up 2026-03-12",
    "one day short of twelve years: 2014-03-10",
    "firmware 10.4.12",
    "treated 3/4/25",
    "pH 7.4 - 7.45",
    "O2 2000 psi, 15 L/min",
    "case C-2026-0042, cooled 10 min, referred to the physician",
    "",
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_it_finds_each_identifier_with_its_kind_and_text(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(f.kind, f.text) for f in find_identifiers(text, TODAY)] == expected


@pytest.mark.parametrize("text", LET_THROUGH)
def test_clinical_text_and_recent_dates_pass(text: str) -> None:
    assert find_identifiers(text, TODAY) == []


def test_the_birth_year_range_moves_with_today() -> None:
    assert find_identifiers("2014-03-09", date(2026, 3, 8)) == []
    assert find_identifiers("2014-03-09", date(2026, 3, 9)) != []
    # Too old to be anyone's birth date: 121 years.
    assert find_identifiers("1905-03-08", TODAY) == []


def test_the_refusal_says_what_was_found_and_what_to_write() -> None:
    said = refusal("the debrief", "rang her on 555-867-5309", TODAY)
    assert said == (
        "the debrief looks like a phone number: 555-867-5309; write a pseudonymous case"
        " reference such as C-2026-0014 and no contact details"
    )
    assert refusal("the debrief", "1064 nm at 35 J/cm2", TODAY) is None


def test_check_free_text_names_every_field_at_once() -> None:
    fields = {
        "what happened": "DOB 04/12/1985",
        "the referral": "x@y.org",
        "the vitals": "BP 120/80",
    }
    with pytest.raises(UserError) as caught:
        check_free_text(fields, TODAY)
    message = str(caught.value)
    assert (
        "what happened names a patient identifier: DOB; looks like a date of birth: 04/12/1985"
        in message
    )
    assert "the referral looks like an e-mail address: x@y.org" in message
    assert "the vitals" not in message
