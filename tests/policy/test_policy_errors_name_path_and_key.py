"""A bad policy file stops the load with its path, the key (by requirement id) and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.errors import UserError
from readiness.policy.pack import PolicyError, load_policy

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"
SHOWN = "checklists/requirements.yaml"

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture(autouse=True)
def _in_a_practice_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are shown relative to the working directory, as the user typed them.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checklists").mkdir()
    monkeypatch.delenv("READINESS_POLICY_OVERRIDES", raising=False)


def default_data() -> dict[str, Any]:
    data = yaml.safe_load(REPO_POLICY.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def entry(data: dict[str, Any], requirement_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in data["requirements"] if e["id"] == requirement_id)
    return found


def load_text(text: str, name: str = SHOWN) -> str:
    Path(name).write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(Path(name))
    return str(caught.value)


def load_mutated(mutate: Mutation) -> str:
    data = default_data()
    mutate(data)
    return load_text(yaml.safe_dump(data, sort_keys=False))


def set_field(requirement_id: str, key: str, value: object) -> Mutation:
    return lambda data: entry(data, requirement_id).__setitem__(key, value)


def drop_field(requirement_id: str, key: str) -> Mutation:
    return lambda data: entry(data, requirement_id).pop(key)


def add_duplicate(data: dict[str, Any]) -> None:
    data["requirements"].append(dict(entry(data, "cert.bls")))


def rename_in_scenario(data: dict[str, Any]) -> None:
    requires = data["scenarios"]["fire"]["requires"]
    requires[requires.index("drill.fire")] = "drill.fyre"


def drop_id(data: dict[str, Any]) -> None:
    entry(data, "aed.pads").pop("id")


def requirements_as_mapping(data: dict[str, Any]) -> None:
    data["requirements"] = {e["id"]: e for e in data["requirements"]}


def untie_blocking(data: dict[str, Any]) -> None:
    entry(data, "drill.fire")["scenarios"] = []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            set_field("cert.bls", "warn_days", 90),
            "requirements[cert.bls].warn_days: Input should be a valid list",
            id="warn-days-not-a-list",
        ),
        pytest.param(
            set_field("cert.bls", "warn_days", [90, -60]),
            "requirements[cert.bls].warn_days[1]: Input should be greater than 0",
            id="negative-tier",
        ),
        pytest.param(
            set_field("aed.pads", "category", "equipmnt"),
            "requirements[aed.pads].category: Input should be 'equipment', 'stock'",
            id="unknown-category",
        ),
        pytest.param(
            set_field("drill.fire", "kind", "drils"),
            "requirements[drill.fire].kind: unknown kind 'drils'; expected one of interval,",
            id="unknown-kind",
        ),
        pytest.param(
            drop_field("drill.fire", "kind"),
            "requirements[drill.fire].kind: Field required",
            id="missing-kind",
        ),
        pytest.param(
            add_duplicate,
            "requirements: duplicate requirement id 'cert.bls'",
            id="duplicate-id",
        ),
        pytest.param(
            rename_in_scenario,
            "scenarios[fire].requires: unknown requirement id 'drill.fyre'",
            id="scenario-names-unknown-requirement",
        ),
        pytest.param(
            untie_blocking,
            "requirements[drill.fire].scenarios: should name 'fire', whose requires lists it",
            id="blocking-without-support",
        ),
        pytest.param(
            set_field("drill.fire", "scenarios", ["fires"]),
            "requirements[drill.fire].scenarios: unknown scenario 'fires'",
            id="requirement-names-unknown-scenario",
        ),
        pytest.param(
            set_field("drill.fire", "scenario", "flood"),
            "requirements[drill.fire].scenario: unknown scenario 'flood'",
            id="drill-of-unknown-scenario",
        ),
        pytest.param(
            set_field("cert.acls", "cert_type", "acl"),
            "requirements[cert.acls].cert_type: unknown certificate type 'acl'",
            id="unknown-certificate-type",
        ),
        pytest.param(
            set_field("stock.epinephrine_adult", "minimun", 2),
            "requirements[stock.epinephrine_adult].minimun: Extra inputs are not permitted",
            id="misspelt-key",
        ),
        pytest.param(
            drop_field("stock.epinephrine_adult", "minimum"),
            "requirements[stock.epinephrine_adult].minimum: Field required",
            id="missing-minimum",
        ),
        pytest.param(
            set_field("aed.pads", "subject", "site"),
            "requirements[aed.pads].subject: Input should be 'asset' (got 'site')",
            id="subject-wrong-for-kind",
        ),
        pytest.param(
            drop_field("eyewear.inspection", "asset_kinds"),
            "requirements[eyewear.inspection].asset_kinds: list the asset kinds",
            id="asset-subject-without-kinds",
        ),
        pytest.param(
            set_field("laser.service", "asset_kinds", ["lazer"]),
            "requirements[laser.service].asset_kinds[0]: Input should be 'laser'",
            id="unknown-asset-kind",
        ),
        pytest.param(
            drop_field("cert.lso", "staff_flag"),
            "requirements[cert.lso].roles: give the roles or a staff_flag",
            id="certificate-for-nobody",
        ),
        pytest.param(
            set_field("cert.bls", "roles", ["nurse"]),
            "requirements[cert.bls].roles[0]: Input should be 'medical_director'",
            id="unknown-role",
        ),
        pytest.param(
            set_field("drill.cardiac_arrest", "interval", {}),
            "requirements[drill.cardiac_arrest].interval: give exactly one of months or days",
            id="interval-without-unit",
        ),
        pytest.param(
            set_field("drill.cardiac_arrest", "interval", {"weeks": 12}),
            "requirements[drill.cardiac_arrest].interval.weeks: Extra inputs are not permitted",
            id="interval-in-weeks",
        ),
        pytest.param(
            set_field("laser.service", "source", [{"label": "STDX", "text": "x"}]),
            "requirements[laser.service].source[0].label: Input should be 'REG', 'ACC'",
            id="unknown-source-label",
        ),
        pytest.param(
            drop_field("laser.service", "source"),
            "requirements[laser.service].source: Field required",
            id="no-source",
        ),
        pytest.param(
            set_field("cert.bls", "id", "Cert BLS"),
            "requirements[Cert BLS].id: String should match pattern",
            id="malformed-id",
        ),
        pytest.param(
            drop_id,
            "requirements[#8].id: Field required",
            id="entry-without-id",
        ),
        pytest.param(
            requirements_as_mapping,
            "requirements: should be a list of requirements, each with an id",
            id="requirements-not-a-list",
        ),
        pytest.param(
            lambda data: data["settings"].__setitem__("retention_years", "seven"),
            "settings.retention_years: Input should be a valid integer",
            id="retention-not-a-number",
        ),
        pytest.param(
            lambda data: data["settings"]["incident_reporting"]["FL"].pop("deadline_days"),
            "settings.incident_reporting[FL].deadline_days: Field required",
            id="state-without-deadline",
        ),
        pytest.param(
            lambda data: data["certificate_types"]["bls"].__setitem__("validity_months", 0),
            "certificate_types[bls].validity_months: Input should be greater than 0",
            id="zero-validity",
        ),
        pytest.param(
            lambda data: data["scenarios"]["fire"].__setitem__("requires", []),
            "scenarios[fire].requires: List should have at least 1 item",
            id="scenario-without-requirements",
        ),
        pytest.param(
            lambda data: data.__setitem__("scenario", {}),
            "scenario: Extra inputs are not permitted",
            id="misspelt-top-level-key",
        ),
    ],
)
def test_it_names_path_key_and_problem(mutate: Mutation, expected: str) -> None:
    assert f"{SHOWN}: {expected}" in load_mutated(mutate)


def test_the_example_message_of_the_brief_is_exact() -> None:
    message = load_mutated(set_field("cert.bls", "warn_days", 90))
    assert message == (
        "checklists/requirements.yaml: requirements[cert.bls].warn_days: "
        "Input should be a valid list (got 90)"
    )


def test_entry_numbers_count_from_one() -> None:
    # The eighth entry of the default file is aed.pads (drop_id above relies on it).
    assert [e["id"] for e in default_data()["requirements"]].index("aed.pads") == 7


def test_yaml_syntax_errors_give_the_line() -> None:
    text = "settings:\n  retention_years: 7\n  bad: [unclosed\nscenarios: {}\n"
    message = load_text(text)
    assert message.startswith(f"{SHOWN}: line ")
    assert "invalid YAML" in message


def test_a_key_given_twice_is_an_error_with_its_line() -> None:
    text = REPO_POLICY.read_text(encoding="utf-8").replace(
        "    item: epinephrine_adult\n", "    item: epinephrine_adult\n    item: epinephrine\n"
    )
    line = text.splitlines().index("    item: epinephrine") + 1
    assert f"{SHOWN}: line {line}, column 5: invalid YAML: key 'item' is given twice" in load_text(
        text
    )


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a list\n", "just text\n"])
def test_a_file_that_is_not_a_mapping_is_refused(text: str) -> None:
    assert load_text(text) == f"{SHOWN}: expected a mapping of settings, scenarios, requirements"


def test_a_missing_file_is_named() -> None:
    with pytest.raises(PolicyError, match=r"^checklists/nowhere\.yaml: no such file$"):
        load_policy(Path("checklists/nowhere.yaml"))


def test_a_bad_overrides_file_is_blamed_not_the_default_pack() -> None:
    Path("overrides.yaml").write_text(
        "requirements:\n  laser.service: {interval: {weeks: 26}}\n", encoding="utf-8"
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(REPO_POLICY, Path("overrides.yaml"))
    assert str(caught.value) == (
        "overrides.yaml: requirements[laser.service].interval.weeks: "
        "Extra inputs are not permitted (got 26)"
    )


def test_an_incomplete_new_requirement_in_overrides_is_named_by_its_id() -> None:
    Path("overrides.yaml").write_text(
        "requirements:\n  laser.servce: {interval: {months: 6}}\n", encoding="utf-8"
    )
    with pytest.raises(PolicyError, match=r"overrides\.yaml: requirements\[laser\.servce\]"):
        load_policy(REPO_POLICY, Path("overrides.yaml"))


def test_every_problem_is_kept_and_the_message_stays_one_line() -> None:
    def break_many(data: dict[str, Any]) -> None:
        for e in data["requirements"][:8]:
            e["category"] = "nope"

    Path(SHOWN).write_text(yaml.safe_dump(_mutated(break_many)), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(Path(SHOWN))
    assert len(caught.value.problems) == 8
    assert "\n" not in str(caught.value)
    assert str(caught.value).endswith("; and 3 more problems")


def test_a_policy_error_is_a_user_error() -> None:
    # The command line prints a UserError as one line, never a traceback.
    assert issubclass(PolicyError, UserError)


def _mutated(mutate: Mutation) -> dict[str, Any]:
    data = default_data()
    mutate(data)
    return data
