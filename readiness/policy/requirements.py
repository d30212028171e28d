"""The kinds of requirement a policy pack may hold, and the vocabulary they use.

Each model validates one `requirements:` entry of checklists/requirements.yaml; the
`kind` field picks the model. Cross-field checks raise FieldProblem so the error is
reported at the key that is wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from readiness.rules import due as rules

Category = Literal["equipment", "stock", "certification", "drill", "checklist", "document"]
SubjectType = Literal["site", "staff", "asset"]
SourceLabel = Literal["REG", "ACC", "STD", "MFR", "PRAC"]
Role = Literal[
    "medical_director", "physician", "np", "pa", "rn", "aesthetician", "front_desk", "other"
]
AssetKind = Literal[
    "laser", "aed", "oxygen", "emergency_kit", "eyewear", "fire_extinguisher", "suction", "other"
]
ServiceKind = Literal["calibration", "service", "inspection", "repair"]
Frequency = Literal["daily", "weekly", "monthly"]
# The old one-word form of applies_if (a site yes/no column); the mapping form replaces it.
SiteCondition = Literal["treats_children"]
# Kept in step with readiness.models LASER_KINDS and PROCEDURES (the import columns).
LaserKind = Literal[
    "alexandrite",
    "nd_yag",
    "diode",
    "ipl",
    "pulsed_dye",
    "ktp",
    "ruby",
    "co2",
    "erbium",
    "picosecond",
]
Procedure = Literal[
    "laser_vein", "laser_hair_removal", "tattoo_removal", "skin_resurfacing", "photofacial"
]
StaffFlag = Literal["is_lso"]
ExpiryField = Literal["pads_expire_on", "battery_expires_on"]
DrillTimer = Literal["time_to_aed_s", "time_to_epinephrine_s", "time_to_oxygen_s"]
# The `kind` of each requirement model below, in the order of the domain rules.
REQUIREMENT_KINDS = (
    "interval",
    "expiry",
    "stock",
    "expired_stock",
    "certification",
    "designation",
    "drill",
    "document",
    "checklist",
    "record_match",
    "presence",
    "eyewear_match",
    "acknowledgement",
)

RequirementId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FieldProblem(ValueError):
    """A cross-field check's failure, reported at `field` rather than at the whole model."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field = field


# --- models -------------------------------------------------------------------


class StrictModel(BaseModel):
    # extra="forbid": a misspelt key is an error, not a silently ignored default.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_or_many(value: object) -> object:
    """Accept a single mapping where a list of them is expected."""
    return [value] if isinstance(value, dict) else value


class Source(StrictModel):
    """Where a figure comes from, so an inspector can check it."""

    label: SourceLabel
    text: Text


Sources = Annotated[list[Source], BeforeValidator(_one_or_many), Field(min_length=1)]


def _condition_as_mapping(value: object) -> object:
    """The old `applies_if: treats_children` (deprecated) as {treats_children: true}."""
    if isinstance(value, str):
        if value not in get_args(SiteCondition):
            raise ValueError(
                f"unknown site condition {value!r}; give a mapping of state, treats_children,"
                " laser_kind, procedure"
            )
        return {value: True}
    return value


class AppliesIf(StrictModel):
    """Where a requirement applies: every key given must hold at the site."""

    # The site's US state is one of these.
    state: list[StateCode] | None = Field(default=None, min_length=1)
    # The site treats (true) or does not treat (false) children.
    treats_children: bool | None = None
    # The site has a laser, not retired, of one of these kinds.
    laser_kind: list[LaserKind] | None = Field(default=None, min_length=1)
    # The site performs one of these procedures.
    procedure: list[Procedure] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _something_given(self) -> AppliesIf:
        if not self.model_fields_set:
            raise ValueError("give at least one of state, treats_children, laser_kind, procedure")
        return self

    @property
    def words(self) -> str:
        """The conditions in words, e.g. "sites in TX with an ipl laser"."""
        parts = []
        if self.state is not None:
            parts.append("in " + " or ".join(self.state))
        if self.treats_children is not None:
            parts.append("treating children" if self.treats_children else "not treating children")
        if self.laser_kind is not None:
            parts.append("with a laser of kind " + " or ".join(self.laser_kind))
        if self.procedure is not None:
            parts.append("performing " + " or ".join(self.procedure))
        return "sites " + ", ".join(parts)


Applicability = Annotated[AppliesIf, BeforeValidator(_condition_as_mapping)]


class Interval(StrictModel):
    """A repeat interval in calendar months or in days (exactly one)."""

    months: PositiveInt | None = None
    days: PositiveInt | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Interval:
        if (self.months is None) == (self.days is None):
            raise ValueError("give exactly one of months or days")
        return self

    def next_due(self, last_done_on: date) -> date:
        """Due date after something done on `last_done_on`."""
        return rules.next_due(last_done_on, months=self.months, days=self.days)

    @property
    def label(self) -> str:
        """The interval in words, e.g. "12 months"."""
        count, unit = (self.months, "month") if self.months is not None else (self.days, "day")
        return f"{count} {unit}{'' if count == 1 else 's'}"


class _RequirementBase(StrictModel):
    id: RequirementId
    title: Text
    description: str = ""
    category: Category
    subject: SubjectType
    asset_kinds: list[AssetKind] = []
    warn_days: list[PositiveInt] = []
    scenarios: list[Name] = []
    applies_if: Applicability | None = None
    source: Sources

    # How the compliance engine reads the requirement's date: due or expiring.
    due_kind: ClassVar[rules.DueKind] = "recurring"
    # True where a site-level requirement counts the site's assets of `asset_kinds`.
    counts_assets: ClassVar[bool] = False

    @field_validator("warn_days")
    @classmethod
    def _widest_tier_first(cls, tiers: list[int]) -> list[int]:
        return sorted(set(tiers), reverse=True)

    @model_validator(mode="after")
    def _asset_kinds_match_subject(self) -> _RequirementBase:
        if self.subject == "asset" and not self.asset_kinds:
            raise FieldProblem("asset_kinds", "list the asset kinds when subject is asset")
        if self.subject != "asset" and self.asset_kinds and not self.counts_assets:
            raise FieldProblem("asset_kinds", f"only for subject asset, not {self.subject}")
        return self

    @property
    def warning_window(self) -> int:
        """Days before the due date at which the requirement turns due_soon."""
        return rules.warning_window(self.warn_days)


class _StaffSelection(StrictModel):
    """Which staff a certificate is required of: by role, by a staff flag, or both."""

    roles: list[Role] = []
    staff_flag: StaffFlag | None = None

    @model_validator(mode="after")
    def _someone_selected(self) -> _StaffSelection:
        if not self.roles and self.staff_flag is None:
            raise FieldProblem("roles", "give the roles or a staff_flag the requirement applies to")
        return self


class _Expiring(StrictModel):
    """A requirement met by something with an expiry date, read as its source prints it."""

    # True: still valid on the printed date (AHA cards, "valid through").  False:
    # expired on it (pads, batteries, epinephrine: replace before, not on, the date).
    valid_through_expiry_date: bool
    # Subclasses list this mixin before _RequirementBase so that this due_kind wins.
    due_kind: ClassVar[rules.DueKind] = "expiry"


class IntervalRequirement(_RequirementBase):
    """Done again every interval, from service events of an asset (e.g. laser service)."""

    kind: Literal["interval"]
    subject: Literal["asset"]
    interval: Interval
    event_kinds: list[ServiceKind] = Field(min_length=1)
    # Only a passing event restarts the interval; a failed service is not evidence.
    requires_pass: bool = True
    # Asset column whose value, when set, wins over `interval` (a maker asking for 6 months).
    asset_interval_field: Literal["service_interval_months"] | None = None


class ExpiryRequirement(_Expiring, _RequirementBase):
    """An expiry date carried by the asset itself (AED pads, battery)."""

    kind: Literal["expiry"]
    subject: Literal["asset"]
    expiry_field: ExpiryField


class StockRequirement(_Expiring, _RequirementBase):
    """A minimum quantity of in-date stock of an item per site."""

    kind: Literal["stock"]
    subject: Literal["site"]
    item: Name
    minimum: PositiveInt


class ExpiredStockRequirement(_Expiring, _RequirementBase):
    """No expired unit of an item still on hand at a site, whatever the in-date count."""

    kind: Literal["expired_stock"]
    subject: Literal["site"]
    item: Name


class CertificationRequirement(_Expiring, _StaffSelection, _RequirementBase):
    """A current certificate of a type, required of each selected active staff member."""

    kind: Literal["certification"]
    subject: Literal["staff"]
    cert_type: Name


class DesignationRequirement(_Expiring, _StaffSelection, _RequirementBase):
    """A site needs at least `minimum` active, selected staff with a current certificate."""

    kind: Literal["designation"]
    subject: Literal["site"]
    cert_type: Name
    minimum: PositiveInt = 1


class DrillRequirement(_RequirementBase):
    """An emergency drill of one scenario per site, every interval."""

    kind: Literal["drill"]
    subject: Literal["site"]
    scenario: Name
    interval: Interval
    target_seconds: dict[DrillTimer, PositiveInt] = {}


class DocumentRequirement(_RequirementBase):
    """A site document reviewed every interval."""

    kind: Literal["document"]
    subject: Literal["site"]
    document_type: Name
    interval: Interval


class ChecklistRequirement(_RequirementBase):
    """Satisfied by runs of the checklist templates whose `satisfies` names this id."""

    kind: Literal["checklist"]
    subject: Literal["site", "asset"]
    frequency: Frequency
    # Lowest acceptable cylinder pressure; wins over a template item's own `min`.
    min_psi: PositiveInt | None = None
    # At most this many site-local days from one run to the next, beside the calendar
    # slots (NFPA 10: "at a minimum of 30-day intervals" is not "once a calendar month").
    max_gap_days: PositiveInt | None = None


class RecordMatchRequirement(_RequirementBase):
    """Dates read off labels on checklists (template items with `record_field`) agree with
    the asset record; the latest reading on or before as_of decides."""

    kind: Literal["record_match"]
    subject: Literal["asset"]
    record_fields: list[ExpiryField] = Field(min_length=1)


class PresenceRequirement(_RequirementBase):
    """A site needs at least `minimum` in-service assets of `asset_kinds` (an AED, a kit)."""

    kind: Literal["presence"]
    subject: Literal["site"]
    asset_kinds: list[AssetKind] = Field(min_length=1)
    minimum: PositiveInt = 1
    counts_assets: ClassVar[bool] = True


class EyewearMatchRequirement(_RequirementBase):
    """Per in-service laser: `minimum` in-service pairs of eyewear at its site rated for it.

    A pair is rated for the laser when its wavelengths cover every wavelength the
    laser emits and its optical density there is at least the laser's stated one.
    """

    kind: Literal["eyewear_match"]
    subject: Literal["asset"]
    asset_kinds: list[AssetKind] = Field(min_length=1)
    # Two: the operator's pair and the patient's.
    minimum: PositiveInt = 2

    @field_validator("asset_kinds")
    @classmethod
    def _lasers_only(cls, kinds: list[AssetKind]) -> list[AssetKind]:
        if set(kinds) != {"laser"}:
            raise ValueError("eyewear is matched to lasers: asset_kinds should be [laser]")
        return kinds


class AcknowledgementRequirement(_RequirementBase):
    """Each active staff member of a site has acknowledged the current version of one of
    its documents (the emergency action plan); a new version is owed again by everyone."""

    kind: Literal["acknowledgement"]
    subject: Literal["staff"]
    document: Literal["emergency_plan"]
    # Everyone, from the receptionist up, unless the policy names fewer roles.
    roles: list[Role] = Field(default_factory=lambda: list(get_args(Role)), min_length=1)
    staff_flag: ClassVar[None] = None


Requirement = Annotated[
    IntervalRequirement
    | ExpiryRequirement
    | StockRequirement
    | ExpiredStockRequirement
    | CertificationRequirement
    | DesignationRequirement
    | DrillRequirement
    | DocumentRequirement
    | ChecklistRequirement
    | RecordMatchRequirement
    | PresenceRequirement
    | EyewearMatchRequirement
    | AcknowledgementRequirement,
    Field(discriminator="kind"),
]
RequirementT = TypeVar("RequirementT", bound=_RequirementBase)
