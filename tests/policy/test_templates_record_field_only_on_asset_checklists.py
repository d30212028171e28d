"""A template date item may name the asset record field its reading must match; only a
checklist of one asset can say so, and only of a date item; the shipped AED inspection
reads its pads and battery dates against the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readiness.policy.templates import TemplateError, load_templates, parse_template, record_readers

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"


def template(applies_to: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "label-check",
        "title": "Label check",
        "applies_to": applies_to,
        "frequency": "monthly",
        "items": [{"id": "label", "text": "Date on the label", **item}],
    }


def test_the_aed_inspection_reads_pads_and_battery_against_the_record() -> None:
    readers = record_readers(load_templates(CHECKLISTS))
    assert readers == {
        ("aed-monthly", "pads_expiry"): "pads_expire_on",
        ("aed-monthly", "battery_expiry"): "battery_expires_on",
    }


def test_an_asset_checklist_may_name_the_field() -> None:
    parsed = parse_template(template("aed", {"type": "date", "record_field": "battery_expires_on"}))
    assert parsed.items[0].record_field == "battery_expires_on"


@pytest.mark.parametrize(
    ("applies_to", "item", "problem"),
    [
        (
            "site",
            {"type": "date", "record_field": "pads_expire_on"},
            "items[label].record_field: only a checklist of one asset",
        ),
        (
            "aed",
            {"type": "text", "record_field": "pads_expire_on"},
            "'record_field' does not apply to text items",
        ),
        ("aed", {"type": "date", "record_field": "serial_number"}, "items[label].record_field"),
    ],
    ids=["site-checklist", "text-item", "unknown-field"],
)
def test_a_misplaced_record_field_names_the_item(
    applies_to: str, item: dict[str, Any], problem: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(template(applies_to, item), "label-check.yaml")
    assert problem in str(caught.value)
