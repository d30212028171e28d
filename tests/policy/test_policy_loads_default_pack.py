"""The default policy pack loads, carries every stable id and scenario, and the spec's figures."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

from readiness.models.asset import ASSET_KINDS, SERVICE_KINDS
from readiness.models.staff import STAFF_ROLES
from readiness.policy.pack import Policy, default_policy_path, load_policy
from readiness.policy.requirements import (
    AssetKind,
    CertificationRequirement,
    ChecklistRequirement,
    DesignationRequirement,
    ExpiryRequirement,
    IntervalRequirement,
    Role,
    ServiceKind,
    StockRequirement,
)

REPO_POLICY = Path(__file__).resolve().parents[2] / "checklists" / "requirements.yaml"

STABLE_IDS = [
    "laser.service",
    "laser.daily_check",
    "laser.inventory",
    "eyewear.inspection",
    "site.lso_designated",
    "aed.daily_check",
    "aed.monthly_inspection",
    "aed.pads",
    "aed.battery",
    "stock.epinephrine_adult",
    "stock.epinephrine_pediatric",
    "kit.seal_daily",
    "kit.monthly_inventory",
    "oxygen.daily_pressure",
    "extinguisher.monthly",
    "extinguisher.annual_service",
    "cert.bls",
    "cert.acls",
    "cert.lso",
    "drill.anaphylaxis",
    "drill.cardiac_arrest",
    "drill.laser_burn",
    "drill.laser_eye",
    "drill.fire",
    "doc.emergency_plan",
    "doc.transfer_agreement",
    # Presence of the essentials.
    "aed.present",
    "kit.present",
    "oxygen.present",
    "extinguisher.present",
    "eyewear.matched",
]
SCENARIOS = ["anaphylaxis", "cardiac_arrest", "laser_burn", "laser_eye_exposure", "fire"]
CLINICAL = ["medical_director", "physician", "np", "pa", "rn", "aesthetician"]


@pytest.fixture(autouse=True)
def _no_policy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READINESS_CHECKLISTS_DIR", raising=False)
    monkeypatch.delenv("READINESS_POLICY_OVERRIDES", raising=False)


@pytest.fixture(scope="module")
def policy() -> Iterator[Policy]:
    yield load_policy(REPO_POLICY)


def test_it_finds_the_repository_file_by_default() -> None:
    assert default_policy_path() == REPO_POLICY
    assert load_policy().files == (REPO_POLICY,)


@pytest.mark.parametrize("requirement_id", STABLE_IDS)
def test_it_has_every_stable_id(policy: Policy, requirement_id: str) -> None:
    assert policy.requirement(requirement_id).id == requirement_id


def test_it_adds_only_the_documented_site_staffing_requirement(policy: Policy) -> None:
    added = set(policy.requirements) - set(STABLE_IDS) - EXPIRED_STOCK - STATE_ADDITIONS
    # aed.records_match: a label read on the AED inspection must agree with the record.
    # plan.acknowledged: each member of staff signs the current emergency plan (OSHA).
    assert added == {"staffing.bls_clinician", "aed.records_match", "plan.acknowledged"}


# What a state adds, applying only there (README: "What each state adds").
STATE_ADDITIONS = {"tx.hair_removal_operator", "az.hair_removal_operator", "ca.laser_protocols"}


# Expired units on hand are a finding of their own, beside the stable in-date minimums.
EXPIRED_STOCK = {"stock.expired_epinephrine_adult", "stock.expired_epinephrine_pediatric"}


def test_it_has_the_five_scenarios_in_order(policy: Policy) -> None:
    assert list(policy.scenarios) == SCENARIOS
    assert all(policy.scenario(name).title for name in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_blocking_requirement_supports_its_scenario(policy: Policy, scenario: str) -> None:
    blocking = policy.blocking(scenario)
    assert blocking
    assert all(scenario in requirement.scenarios for requirement in blocking)


@pytest.mark.parametrize(
    ("scenario", "must_block"),
    [
        ("anaphylaxis", {"stock.epinephrine_adult", "oxygen.daily_pressure", "drill.anaphylaxis"}),
        ("anaphylaxis", {"staffing.bls_clinician", "stock.epinephrine_pediatric"}),
        ("cardiac_arrest", {"aed.pads", "aed.battery", "aed.daily_check", "drill.cardiac_arrest"}),
        ("laser_burn", {"laser.service", "site.lso_designated", "drill.laser_burn"}),
        ("laser_eye_exposure", {"eyewear.inspection", "drill.laser_eye"}),
        ("fire", {"extinguisher.monthly", "extinguisher.annual_service", "drill.fire"}),
    ],
)
def test_scenarios_are_blocked_by_the_spec_items(
    policy: Policy, scenario: str, must_block: set[str]
) -> None:
    assert must_block <= set(policy.scenario(scenario).requires)


def test_one_persons_certificate_never_blocks_a_scenario(policy: Policy) -> None:
    blocking = {rid for name in SCENARIOS for rid in policy.scenario(name).requires}
    assert not blocking & {"cert.bls", "cert.acls", "cert.lso"}


@pytest.mark.parametrize(
    ("requirement_id", "tiers"),
    [
        ("cert.bls", [90, 60, 30]),
        ("cert.acls", [90, 60, 30]),
        ("cert.lso", [90, 60, 30]),
        ("aed.pads", [60]),
        ("aed.battery", [60]),
        ("stock.epinephrine_adult", [60]),
        ("stock.epinephrine_pediatric", [60]),
        ("laser.service", [30]),
    ],
)
def test_warning_tiers_follow_the_domain_rules(
    policy: Policy, requirement_id: str, tiers: list[int]
) -> None:
    assert policy.requirement(requirement_id).warn_days == tiers


@pytest.mark.parametrize(
    ("requirement_id", "months", "days"),
    [
        ("laser.service", 12, None),
        ("laser.inventory", 12, None),
        ("extinguisher.annual_service", 12, None),
        ("drill.anaphylaxis", 3, None),
        ("drill.cardiac_arrest", 3, None),
        ("drill.fire", 3, None),
        ("drill.laser_burn", 12, None),
        ("drill.laser_eye", 12, None),
        ("doc.emergency_plan", 12, None),
        ("doc.transfer_agreement", 12, None),
    ],
)
def test_intervals_follow_the_domain_rules(
    policy: Policy, requirement_id: str, months: int | None, days: int | None
) -> None:
    interval = getattr(policy.requirement(requirement_id), "interval")  # noqa: B009
    assert (interval.months, interval.days) == (months, days)


@pytest.mark.parametrize(
    ("requirement_id", "frequency"),
    [
        ("laser.daily_check", "daily"),
        ("aed.daily_check", "daily"),
        ("kit.seal_daily", "daily"),
        ("oxygen.daily_pressure", "daily"),
        ("eyewear.inspection", "monthly"),
        ("aed.monthly_inspection", "monthly"),
        ("kit.monthly_inventory", "monthly"),
        ("extinguisher.monthly", "monthly"),
    ],
)
def test_checklist_requirements_have_their_frequency(
    policy: Policy, requirement_id: str, frequency: str
) -> None:
    requirement = policy.requirement(requirement_id)
    assert isinstance(requirement, ChecklistRequirement)
    assert requirement.frequency == frequency


def test_laser_service_lets_an_asset_override_the_interval(policy: Policy) -> None:
    service = policy.requirement("laser.service")
    assert isinstance(service, IntervalRequirement)
    assert service.asset_interval_field == "service_interval_months"
    assert service.asset_kinds == ["laser"]
    assert service.interval.next_due(date(2025, 8, 31)) == date(2026, 8, 31)


def test_oxygen_minimum_defaults_to_the_stricter_1000_psi(policy: Policy) -> None:
    oxygen = policy.requirement("oxygen.daily_pressure")
    assert isinstance(oxygen, ChecklistRequirement)
    assert oxygen.min_psi == 1000


def test_epinephrine_minimums_and_the_children_condition(policy: Policy) -> None:
    adult = policy.requirement("stock.epinephrine_adult")
    pediatric = policy.requirement("stock.epinephrine_pediatric")
    assert isinstance(adult, StockRequirement)
    assert isinstance(pediatric, StockRequirement)
    assert (adult.item, adult.minimum, adult.applies_if) == ("epinephrine_adult", 2, None)
    assert pediatric.item == "epinephrine_pediatric"
    assert pediatric.applies_if is not None
    assert pediatric.applies_if.model_dump(exclude_none=True) == {"treats_children": True}


def test_certificates_apply_to_the_roles_of_the_domain_rules(policy: Policy) -> None:
    bls, acls, lso = (policy.requirement(f"cert.{name}") for name in ("bls", "acls", "lso"))
    assert isinstance(bls, CertificationRequirement)
    assert isinstance(acls, CertificationRequirement)
    assert isinstance(lso, CertificationRequirement)
    assert bls.roles == CLINICAL
    assert acls.roles == ["medical_director", "physician", "np", "pa", "rn"]
    assert (lso.roles, lso.staff_flag, lso.cert_type) == ([], "is_lso", "lso")


def test_the_site_needs_a_current_lso_and_a_bls_clinician(policy: Policy) -> None:
    lso = policy.requirement("site.lso_designated")
    staffing = policy.requirement("staffing.bls_clinician")
    assert isinstance(lso, DesignationRequirement)
    assert isinstance(staffing, DesignationRequirement)
    assert (lso.staff_flag, lso.cert_type, lso.minimum) == ("is_lso", "lso", 1)
    assert (staffing.roles, staffing.cert_type, staffing.minimum) == (CLINICAL, "bls", 1)


@pytest.mark.parametrize(
    ("requirement_id", "valid_through"),
    [
        ("aed.pads", False),
        ("aed.battery", False),
        ("stock.epinephrine_adult", False),
        ("stock.epinephrine_pediatric", False),
        ("cert.bls", True),
        ("cert.acls", True),
        ("cert.lso", True),
        ("site.lso_designated", True),
        ("staffing.bls_clinician", True),
    ],
)
def test_expiry_reading_is_explicit(
    policy: Policy, requirement_id: str, valid_through: bool
) -> None:
    requirement = policy.requirement(requirement_id)
    assert isinstance(
        requirement,
        ExpiryRequirement | StockRequirement | CertificationRequirement | DesignationRequirement,
    )
    assert requirement.valid_through_expiry_date is valid_through
    assert requirement.due_kind == "expiry"


@pytest.mark.parametrize("cert_type", ["bls", "acls", "pals"])
def test_aha_cards_are_valid_two_years_to_the_end_of_the_month(
    policy: Policy, cert_type: str
) -> None:
    validity = policy.certificate_validity(cert_type)
    assert (validity.validity_months, validity.end_of_month) == (24, True)
    assert validity.expiry_for(date(2024, 3, 15)) == date(2026, 3, 31)


@pytest.mark.parametrize("cert_type", ["lso", "laser_operator"])
def test_other_certificates_have_a_configurable_validity(policy: Policy, cert_type: str) -> None:
    assert policy.certificate_validity(cert_type).validity_months is not None


def test_the_vocabulary_matches_the_import_columns() -> None:
    assert get_args(Role) == STAFF_ROLES
    assert get_args(AssetKind) == ASSET_KINDS
    assert get_args(ServiceKind) == SERVICE_KINDS


def test_global_settings_are_data(policy: Policy) -> None:
    settings = policy.settings
    assert settings.retention_years == 7
    assert settings.overdue_reminder_every_days == 7
    assert settings.escalation_after_days > 0
    assert (settings.incident_retraining.incidents, settings.incident_retraining.window_days) == (
        3,
        90,
    )
    deadlines = {state: rule.deadline_days for state, rule in settings.incident_reporting.items()}
    assert deadlines == {"FL": 15, "NY": 7, "TX": 1}


def test_every_requirement_cites_a_source(policy: Policy) -> None:
    for requirement in policy.requirements.values():
        assert requirement.source, requirement.id
        assert all(source.text for source in requirement.source)


def test_categories_are_the_spec_vocabulary(policy: Policy) -> None:
    categories = {requirement.category for requirement in policy.requirements.values()}
    assert categories == {"equipment", "stock", "certification", "drill", "checklist", "document"}


def test_version_is_the_sha256_of_the_file(policy: Policy) -> None:
    assert policy.version == hashlib.sha256(REPO_POLICY.read_bytes()).hexdigest()


def test_unknown_lookups_name_the_missing_key(policy: Policy) -> None:
    with pytest.raises(KeyError, match=r"cert\.cpr"):
        policy.requirement("cert.cpr")
    with pytest.raises(KeyError, match="flood"):
        policy.scenario("flood")
    with pytest.raises(KeyError, match="nrp"):
        policy.certificate_validity("nrp")


def test_the_checklists_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPO_POLICY, tmp_path / "requirements.yaml")
    monkeypatch.setenv("READINESS_CHECKLISTS_DIR", str(tmp_path))
    assert load_policy().files == (tmp_path / "requirements.yaml",)
