"""Static reference data of the demo practice: places, devices, people, and wording.

Everything here is invented for the demo. Phone numbers use the 555-01xx range that
is reserved for fiction; e-mail addresses use the reserved `.example` domain; patients
never appear by name, only as pseudonymous case references.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PRACTICE: Final = "Clearwater Laser & Vein"
EMAIL_DOMAIN: Final = "clearwater-demo.example"


@dataclass(frozen=True)
class City:
    """A city the practice has clinics in."""

    code: str
    name: str
    state: str
    timezone: str
    area_code: str


# Several US time zones, including America/Phoenix (no DST) and Pacific/Honolulu.
CITIES: Final[tuple[City, ...]] = (
    City("AUS", "Austin", "TX", "America/Chicago", "512"),
    City("PHX", "Phoenix", "AZ", "America/Phoenix", "602"),
    City("NYC", "New York", "NY", "America/New_York", "212"),
    City("CHI", "Chicago", "IL", "America/Chicago", "312"),
    City("MIA", "Miami", "FL", "America/New_York", "305"),
    City("DEN", "Denver", "CO", "America/Denver", "303"),
    City("LAX", "Los Angeles", "CA", "America/Los_Angeles", "213"),
    City("SEA", "Seattle", "WA", "America/Los_Angeles", "206"),
    City("ATL", "Atlanta", "GA", "America/New_York", "404"),
    City("DAL", "Dallas", "TX", "America/Chicago", "214"),
    City("BOS", "Boston", "MA", "America/New_York", "617"),
    City("SDG", "San Diego", "CA", "America/Los_Angeles", "619"),
    City("SLC", "Salt Lake City", "UT", "America/Denver", "801"),
    City("HOU", "Houston", "TX", "America/Chicago", "713"),
    City("TPA", "Tampa", "FL", "America/New_York", "813"),
    City("LAS", "Las Vegas", "NV", "America/Los_Angeles", "702"),
    City("TUS", "Tucson", "AZ", "America/Phoenix", "520"),
    City("PDX", "Portland", "OR", "America/Los_Angeles", "503"),
    City("MSP", "Minneapolis", "MN", "America/Chicago", "612"),
    City("NSH", "Nashville", "TN", "America/Chicago", "615"),
    City("CLT", "Charlotte", "NC", "America/New_York", "704"),
    City("SAT", "San Antonio", "TX", "America/Chicago", "210"),
    City("ORL", "Orlando", "FL", "America/New_York", "407"),
    City("HNL", "Honolulu", "HI", "Pacific/Honolulu", "808"),
)

NEIGHBOURHOODS: Final = (
    "Downtown",
    "Northside",
    "Westgate",
    "Lakeside",
    "Midtown",
    "Riverside",
    "Eastside",
    "Uptown",
    "Southpark",
    "Hillcrest",
)
STREETS: Final = (
    "Lakeview Ave",
    "Congress St",
    "Oak Park Blvd",
    "Main St",
    "Cedar Ridge Dr",
    "Harbor Way",
    "Market St",
    "Willow Creek Rd",
    "Park Plaza",
    "Canyon View Dr",
)
HOSPITAL_KINDS: Final = (
    "General Hospital",
    "Medical Center",
    "Memorial Hospital",
    "Regional Medical Center",
    "University Hospital",
)

# Open-day patterns and how often they occur.
OPEN_DAYS: Final = (
    ("mon,tue,wed,thu,fri,sat", 5),
    ("mon,tue,wed,thu,fri", 3),
    ("tue,wed,thu,fri,sat", 2),
)

FIRST_NAMES: Final = (
    "Ana", "Ben", "Carmen", "David", "Elena", "Farah", "Grace", "Hector", "Imani", "James",
    "Keiko", "Liam", "Maya", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tessa",
    "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Aaron", "Bianca", "Caleb", "Diana",
    "Ethan", "Fiona", "Gabriel", "Hana", "Isaac", "Julia", "Kofi", "Lena", "Marco", "Noor",
    "Olivia", "Pablo", "Rachel", "Sofia", "Tomas", "Valerie", "Wei", "Yusuf", "Amara", "Chloe",
)  # fmt: skip
LAST_NAMES: Final = (
    "Alvarez", "Brennan", "Castillo", "Daniels", "Eriksen", "Fischer", "Gupta", "Hoang",
    "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Morales", "Nakamura", "Okafor", "Patel",
    "Quintero", "Rossi", "Sato", "Thompson", "Usman", "Varga", "Whitaker", "Xu", "Yilmaz",
    "Zimmerman", "Abbott", "Bauer", "Chen", "Delgado", "Ellis", "Flores", "Greene", "Haddad",
    "Iverson", "Jovanovic", "Kim", "Lopez", "Mbeki", "Novak", "Ortega", "Park", "Reyes",
    "Schmidt", "Tanaka", "Walsh", "Young", "Zhang", "Moreau", "Santos",
)  # fmt: skip


@dataclass(frozen=True)
class LaserModel:
    """A laser platform as a clinic would list it in its inventory."""

    manufacturer: str
    model: str
    name: str
    wavelength_nm: str
    optical_density: str
    serial_prefix: str
    service_interval_months: int | None = None
    # The matching eyewear's label: the bands it covers and its OD over them.
    eyewear_nm: str = ""
    eyewear_od: str = ""


LASERS: Final[tuple[LaserModel, ...]] = (
    LaserModel(
        "Candela", "GentleMax Pro", "Alexandrite / Nd:YAG laser", "755/1064",
        "OD 7+ 740-1100 nm", "GMP", eyewear_nm="740-1100", eyewear_od="OD 7+",
    ),
    LaserModel(
        "Cutera", "excel V+", "KTP / Nd:YAG vascular laser", "532/1064",
        "OD 6+ 532 nm, OD 7+ 1064 nm", "XVP", eyewear_nm="190-534/740-1100",
        eyewear_od="OD 6+ 190-534 nm, OD 7+ 740-1100 nm",
    ),
    LaserModel(
        "Lumenis", "M22", "IPL / Nd:YAG / ResurFX platform", "515-1200/1064/1565",
        "OD 5+ 515-1200 nm, OD 4+ 1565 nm", "M22", eyewear_nm="500-1200, 1500-1600",
        eyewear_od="OD 5+ 500-1200 nm, OD 4+ 1500-1600 nm",
    ),
    LaserModel(
        "Cynosure", "Elite iQ", "Alexandrite / Nd:YAG laser", "755/1064",
        "OD 7+ 740-1100 nm", "EIQ", eyewear_nm="740-1100", eyewear_od="OD 7+",
    ),
    # The maker asks for a service every 6 months on this one: a per-asset override.
    LaserModel(
        "Candela", "Vbeam Prima", "Pulsed dye / Nd:YAG vascular laser", "595/1064",
        "OD 5+ 585-600 nm, OD 6+ 1064 nm", "VBP", 6, eyewear_nm="580-600/740-1100",
        eyewear_od="OD 5+ 580-600 nm, OD 6+ 740-1100 nm",
    ),
    LaserModel(
        "Sciton", "Joule X", "Nd:YAG / Er:YAG platform", "1064/2940",
        "OD 6+ 1064 nm, OD 5+ 2940 nm", "JLX", eyewear_nm="740-1100/2800-3100",
        eyewear_od="OD 6+ 740-1100 nm, OD 5+ 2800-3100 nm",
    ),
    LaserModel(
        "Lumenis", "LightSheer Desire", "Diode hair-removal laser", "805",
        "OD 5+ 790-830 nm", "LSD", eyewear_nm="700-1000", eyewear_od="OD 5+",
    ),
)  # fmt: skip

EYEWEAR_MAKERS: Final = ("NoIR LaserShields", "Laservision", "Innovative Optics")


@dataclass(frozen=True)
class AedModel:
    """An AED and the shelf lives of its pads and battery."""

    manufacturer: str
    model: str
    pads_months: int
    battery_months: int


AEDS: Final[tuple[AedModel, ...]] = (
    AedModel("ZOLL", "AED Plus", 60, 60),
    AedModel("Philips", "HeartStart FRx", 24, 48),
    AedModel("Philips", "HeartStart OnSite", 24, 48),
    AedModel("Cardiac Science", "Powerheart G5", 24, 48),
)
EXTINGUISHERS: Final = (("Amerex", "B402 5 lb ABC"), ("Kidde", "Pro 5 MP ABC"))
OXYGEN: Final = ("Responsive Respiratory", "E cylinder with regulator")

SERVICE_VENDORS: Final = {
    "Candela": "Candela Field Service",
    "Cutera": "Cutera Technical Services",
    "Lumenis": "Lumenis Service",
    "Cynosure": "Cynosure Field Service",
    "Sciton": "Sciton Service",
    "fire_extinguisher": "Cintas Fire Protection",
}
ENGINEERS: Final = ("M. Alvarez", "J. Ortiz", "K. Brandt", "S. Mehta", "T. Wallace", "R. Osei")

# --- drills ----------------------------------------------------------------------

# Scenario names as the policy's drill requirements spell them, and months between.
DRILL_INTERVALS: Final = {
    "anaphylaxis": 3,
    "cardiac_arrest": 3,
    "fire": 3,
    "laser_burn": 12,
    "laser_eye_exposure": 12,
}
DRILL_PASS_DEBRIEFS: Final = {
    "anaphylaxis": (
        "Recognised within a minute; epinephrine given by the RN, 911 called, O2 started.",
        "Trainer auto-injector used correctly; roles called out clearly; timing good.",
        "Good teamwork; reminded front desk to meet EMS at the entrance.",
    ),
    "cardiac_arrest": (
        "CPR started at once; AED on and pads placed; hand-offs smooth.",
        "Compressions good depth and rate; AED arrived in time; recorder kept times.",
        "Team rotated compressors every 2 minutes; EMS hand-off rehearsed.",
    ),
    "fire": (
        "Building cleared in under 3 minutes; everyone at the assembly point; headcount done.",
        "Alarm pulled, oxygen shut off, doors closed; evacuation orderly.",
    ),
    "laser_burn": (
        "Laser put in standby at once; burn cooled with saline; LSO informed.",
        "Drape fire simulated: beam stopped, water used, extinguisher ready.",
    ),
    "laser_eye_exposure": (
        "Laser stopped, eye shielded, ophthalmology referral called; LSO informed.",
        "Exposure logged; eyewear of everyone in the room checked against the laser.",
    ),
}
DRILL_FAIL: Final = {
    "anaphylaxis": (
        "Epinephrine took too long: the auto-injectors were in the locked cabinet.",
        "Keep the kit unlocked during opening hours; repeat the drill within 30 days.",
    ),
    "cardiac_arrest": (
        "AED arrived late: it was stored in the back office.",
        "Move the AED to the treatment corridor and re-drill within 30 days.",
    ),
    "fire": (
        "Two staff did not know the assembly point.",
        "Post the evacuation map in every room and brief all staff; re-drill next month.",
    ),
    "laser_burn": (
        "No water at hand in treatment room 2.",
        "Add water and extinguisher to the laser pre-use check; re-drill.",
    ),
    "laser_eye_exposure": (
        "Ophthalmology referral number not posted.",
        "Post the referral number by every laser; re-drill.",
    ),
}

# --- documents ---------------------------------------------------------------------

DOCUMENT_TYPES: Final = ("emergency_plan", "transfer_agreement", "laser_inventory")

# --- incidents ---------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentKind:
    """How an incident type reads, how severe it tends to be, and what follows it."""

    weight: float
    severities: tuple[str, ...]
    laser: bool
    descriptions: tuple[str, ...]
    actions: tuple[str, ...]
    referral: str | None = None
    followup_days: tuple[int, ...] = ()
    corrective: str | None = None


INCIDENT_KINDS: Final[dict[str, IncidentKind]] = {
    "burn": IncidentKind(
        20, ("minor", "minor", "moderate"), True,
        ("Superficial burn in the treatment area after a leg vein pass.",
         "Epidermal burn along one pulse line after treatment."),
        ("Treatment stopped; cooled with saline compresses; wound care given.",),
        "Referred to dermatology", (7, 30),
        "Review the test-spot protocol and fluence settings with the operator",
    ),
    "blistering": IncidentKind(
        24, ("minor", "moderate"), True,
        ("Blistering noted at the 48-hour check after laser vein treatment.",
         "Small blisters in the treated area reported by the client the next day."),
        ("Advised cool compresses and wound care; photographed; follow-up booked.",),
        None, (7, 30),
    ),
    "hyperpigmentation": IncidentKind(
        18, ("minor",), True,
        ("Hyperpigmentation along treated veins at the 6-week review.",),
        ("Sun protection advised; topical treatment per protocol.",),
        None, (30, 90),
    ),
    "hypopigmentation": IncidentKind(
        4, ("minor", "moderate"), True,
        ("Hypopigmented spots in the treated area at the 8-week review.",),
        ("Documented and photographed; physician review booked.",),
        "Referred to dermatology", (30, 90),
    ),
    "infection": IncidentKind(
        3, ("moderate",), False,
        ("Signs of local infection at a treated site.",),
        ("Physician review; oral antibiotics prescribed.",),
        None, (7,),
    ),
    "syncope": IncidentKind(
        12, ("minor", "minor", "moderate"), False,
        ("Client felt faint and briefly lost consciousness after treatment.",),
        ("Placed supine, legs raised; vital signs monitored; recovered within minutes.",),
    ),
    "allergic_reaction": IncidentKind(
        8, ("minor", "moderate"), False,
        ("Urticaria after the topical anaesthetic was applied.",),
        ("Antihistamine given; observed for 60 minutes; resolved.",),
        None, (7,),
    ),
    "device_malfunction": IncidentKind(
        6, ("minor", "moderate"), True,
        ("Laser stopped mid-treatment with a cooling fault.",
         "Handpiece error code during treatment; output unstable."),
        ("Treatment stopped; device put in standby; service engineer called.",),
        None, (), "Service engineer visit and output verification before next use",
    ),
    "anaphylaxis": IncidentKind(
        1.5, ("critical", "major"), False,
        ("Anaphylaxis after the topical anaesthetic: wheeze, hypotension, urticaria.",),
        ("Epinephrine 0.3 mg IM given, 911 called, oxygen started; EMS transfer.",),
        "EMS transfer to the nearest emergency department", (1, 7),
        "Review allergy screening and restock the emergency kit",
    ),
    "laser_eye_exposure": IncidentKind(
        1.5, ("major",), True,
        ("Possible stray-beam exposure: staff member's eyewear had slipped.",),
        ("Laser stopped; eye examined; same-day ophthalmology review arranged.",),
        "Referred to ophthalmology the same day", (1, 14),
        "Check eyewear fit for everyone in the room; LSO to retrain the team",
    ),
}  # fmt: skip

# Days a state gives to report an incident that may be reportable (None = no rule).
REPORTING_DAYS: Final = {"FL": 15, "NY": 7, "TX": 1}

# --- checklist failures -------------------------------------------------------------

FAIL_NOTES: Final = {
    "o2_psi": "Cylinder below 1000 psi; spare cylinder swapped in.",
    "storage_temp_c": "Thermostat fault in the storage room overnight.",
    "kit_seal_intact": "Seal found broken at opening; kit checked against its list.",
    "epi_adult_count": "Only one adult auto-injector in date in the kit.",
    "emergency_numbers_posted": "Emergency numbers sheet missing by the front-desk phone.",
    "error_log": "Unresolved cooling warning in the error log.",
    "handpiece_cooling": "Handpiece window smudged; cooling slow to reach temperature.",
    "warning_sign": "Warning sign not on the door at opening.",
}
RESOLUTIONS: Final = {
    "o2_psi": "Full cylinder installed; supplier refill booked.",
    "storage_temp_c": "Thermostat repaired; epinephrine quarantined and replaced.",
    "kit_seal_intact": "Kit checked, restocked and resealed.",
    "epi_adult_count": "New EpiPen 2-pack received and placed in the kit.",
    "emergency_numbers_posted": "Current emergency numbers printed and posted.",
    "error_log": "Service engineer cleared the warning; self-test passes.",
    "handpiece_cooling": "Handpiece cleaned; cooling verified before treatment.",
}
DEFAULT_FAIL_NOTE: Final = "Found at the check and reported to the clinic lead."
DEFAULT_RESOLUTION: Final = "Corrected and re-checked; the item passes."
