"""A bad template stops the load with its file, the item id and the problem."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.policy.templates import TemplateError, load_template_file, load_templates

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
Edit = Callable[[dict[str, Any]], None]


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    """The raw item dict with this id."""
    return next(item for item in data["items"] if item["id"] == item_id)


def _set(item_id: str, **values: object) -> Edit:
    """An edit that sets keys on one item."""
    return lambda data: _item(data, item_id).update(values)


def _top(**values: object) -> Edit:
    """An edit that sets top-level keys."""
    return lambda data: data.update(values)


def _rename(item_id: str, new_id: str) -> Edit:
    """An edit that changes an item's id."""
    return _set(item_id, id=new_id)


CASES = [
    (_set("o2_psi", min="lots"), "items[o2_psi].min: Input should be a valid number"),
    (_set("o2_psi", max="high"), "items[o2_psi].max: Input should be a valid number"),
    (_set("storage_temp_c", min=40), "items[storage_temp_c]: min 40 is greater than max 30"),
    (_set("o2_psi", type="tickbox"), "items[o2_psi].type: Input should be 'pass_fail'"),
    (_rename("kit_seal", "o2_psi"), "items[o2_psi]: duplicate item id"),
    (_set("o2_psi", minimum=500), "items[o2_psi].minimum: unknown key"),
    (_set("aed_ready", unit="psi"), "items[aed_ready]: 'unit' does not apply to pass_fail items"),
    (_set("epi_adult_count", max=9), "items[epi_adult_count]: 'max' does not apply to count"),
    (_set("epi_adult_count", min=1.5), "items[epi_adult_count]: min of a count item"),
    (_set("kit_seal", on_fail={"severity": "major", "action": "x"}), "items[kit_seal]: on_fail"),
    (_set("o2_psi", text="  "), "items[o2_psi].text: String should have at least 1 character"),
    (_set("aed_ready", on_fail={"severity": "urgent", "action": "x"}), "items[aed_ready].on_fail"),
    (_set("o2_psi", satisfies="oxygen.weekly"), "items[o2_psi].satisfies[0]: Input should be"),
    (_set("o2_psi", satisfies="laser.daily_check"), "items[o2_psi].satisfies: 'laser.daily_check'"),
    (
        _set("o2_psi", satisfies=["oxygen.daily_pressure"] * 2),
        "items[o2_psi].satisfies: oxygen.daily_pressure listed more than once",
    ),
    (_set("o2_psi", id="O2 psi"), "items[O2 psi].id: String should match pattern"),
    (_top(due_by="10am"), 'due_by: must be a 24-hour time "HH:MM"'),
    (_top(due_by="25:00"), 'due_by: must be a 24-hour time "HH:MM"'),
    (_top(due_by="10:00:00"), 'due_by: must be a 24-hour time "HH:MM"'),
    (_top(frequency="hourly"), "frequency: Input should be 'daily', 'weekly', 'monthly' or"),
    (_top(frequency="per_use"), "due_by: per_use checklists have no due time"),
    (_top(applies_to="fridge"), "applies_to: Input should be 'site', 'laser', 'aed'"),
    (_top(applies_to="sites"), "applies_to: Input should be"),
    (_top(satisfies=["aed.daily_check"] * 2), "satisfies: aed.daily_check listed more than once"),
    (_top(items=[]), "items: a checklist needs at least one item"),
    (_top(id="Opening Daily"), "id: String should match pattern"),
    (_top(colour="red"), "colour: unknown key"),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_a_bad_template_names_file_item_and_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "checklists"
    folder.mkdir()
    data = copy.deepcopy(yaml.safe_load((SHIPPED / "opening-daily.yaml").read_text()))
    edit(data)
    (folder / "opening-daily.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(TemplateError) as raised:
        load_templates(folder)
    message = str(raised.value)
    assert message.startswith("checklists/opening-daily.yaml: "), message
    assert expected in message


def test_the_whole_message_reads_as_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = yaml.safe_load((SHIPPED / "opening-daily.yaml").read_text())
    _item(data, "o2_psi")["min"] = "lots"
    _item(data, "aed_ready")["type"] = "tick"
    (tmp_path / "opening-daily.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(TemplateError) as raised:
        load_template_file(tmp_path / "opening-daily.yaml")
    assert str(raised.value).splitlines() == [
        "opening-daily.yaml: items[aed_ready].type: Input should be 'pass_fail', 'number', "
        "'count', 'seal', 'date', 'text' or 'handout' (got 'tick')",
        "opening-daily.yaml: items[o2_psi].min: Input should be a valid number (got 'lots')",
    ]


def test_duplicate_template_ids_across_files_name_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SHIPPED / "aed-monthly.yaml", tmp_path / "a.yaml")
    shutil.copy(SHIPPED / "aed-monthly.yaml", tmp_path / "b.yaml")
    with pytest.raises(TemplateError, match=r"^b\.yaml: id: duplicate template id 'aed-monthly' "):
        load_templates(tmp_path)
    with pytest.raises(TemplateError, match=r"\(also in a\.yaml\)"):
        load_templates(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\nitems: [\n", "broken.yaml: line 3, column 1: invalid YAML"),
        (
            "id: x\nid: y\nitems: []\n",
            "broken.yaml: line 2, column 1: invalid YAML: key 'id' is given twice",
        ),
        ("id: x\ntitle: T\napplies_to: site\nfrequency: daily\n", "broken.yaml: items: Field"),
    ],
)
def test_broken_yaml_names_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yaml").write_text(text)
    with pytest.raises(TemplateError) as raised:
        load_templates(tmp_path)
    assert str(raised.value).startswith(expected), str(raised.value)


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="no such directory"):
        load_templates(tmp_path / "nowhere")


def test_an_unquoted_due_by_is_read_as_a_time_not_base_60(tmp_path: Path) -> None:
    text = (SHIPPED / "opening-daily.yaml").read_text().replace('due_by: "10:00"', "due_by: 10:00")
    (tmp_path / "opening-daily.yaml").write_text(text)
    assert load_templates(tmp_path)["opening-daily"].snapshot()["due_by"] == "10:00"
