"""The emergency action plan: one page per site for the wall, then the protocols."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer
from sqlalchemy.orm import Session

from readiness.checklist.lookup import site_by_code
from readiness.compliance.plan_versions import plan_versions
from readiness.db import Database
from readiness.export.plan import pdf
from readiness.export.plan.facts import (
    CONTACT_FIELDS,
    DUTY_WORDS,
    Readiness,
    SiteFacts,
    plan_facts,
)
from readiness.models.site_contact import EMERGENCY_DUTIES
from readiness.policy.pack import Policy
from readiness.policy.protocols import Protocol, Protocols
from readiness.policy.templates import Template
from readiness.rules.plan_version import short

# Blocking items listed per scenario on the wall page; the rest are counted.
MOST_BLOCKING_SHOWN = 4
# The numbers block: (label, fields printed on one line), in the order staff look for them.
NUMBERS = (
    ("Emergency", ("emergency_number",)),
    ("Poison control", ("poison_control",)),
    ("Emergency department", ("ed_name", "ed_address", "ed_phone")),
    ("Drive time and route", ("drive_minutes", "route_notes")),
    ("Transfer hospital", ("transfer_hospital",)),
    ("Medical director", ("medical_director_phone",)),
    ("Laser safety officer", ("lso_phone",)),
)
PLACES = (
    ("AED", "aed_location"),
    ("Emergency kit and epinephrine", "kit_location"),
    ("Oxygen", "oxygen_location"),
    ("Fire extinguisher", "extinguisher_location"),
)


def plan_bytes(
    db: Database,
    codes: list[str],
    policy: Policy,
    protocols: Protocols,
    *,
    as_of: date | None = None,
    templates: dict[str, Template] | None = None,
    printed_at: datetime,
) -> bytes:
    """The plan of the sites as PDF bytes (the dashboard's download and the command)."""
    with db.read() as session:
        sites = [
            plan_facts(session, code, policy, as_of=as_of, templates=templates) for code in codes
        ]
        versions = site_plan_versions(session, codes, protocols, as_of=as_of)
    return plan_pdf(
        sites,
        protocols,
        policy_version=policy.version,
        printed_at=printed_at,
        plan_versions=versions,
    )


def site_plan_versions(
    session: Session, codes: list[str], protocols: Protocols, *, as_of: date | None = None
) -> dict[str, str]:
    """Site code -> the plan version staff acknowledge (the Today page's), for the protocols
    printed, as in force on `as_of` (None: each site's today): an inspector matches the
    acknowledgements to the paper by it."""
    pks = {code: site_by_code(session, code).id for code in codes}
    versions = plan_versions(session, list(pks.values()), protocols, as_of=as_of)
    return {code: versions[pk] for code, pk in pks.items()}


def plan_pdf(
    sites: list[SiteFacts],
    protocols: Protocols,
    *,
    policy_version: str,
    printed_at: datetime,
    plan_versions: dict[str, str] | None = None,
) -> bytes:
    """Wall pages of the sites, then every protocol, as PDF bytes."""
    look = pdf.styles()
    story: list[Any] = []
    for facts in sites:
        version = (plan_versions or {}).get(facts.code)
        story += wall_page(
            facts, protocols, look, policy_version=policy_version, plan_version=version
        )
        story.append(PageBreak())
    story += protocol_pages(protocols, look)
    names = ", ".join(f.code for f in sites)
    footer = (
        f"Emergency action plan {names} - protocols version {protocols.version[:12]}"
        f" - policy version {policy_version[:12]} - printed {printed_at:%Y-%m-%d %H:%M} UTC"
    )
    return pdf.render(story, title=f"Emergency action plan {names}", footer=footer)


def wall_page(
    facts: SiteFacts,
    protocols: Protocols,
    look: dict[str, Any],
    *,
    policy_version: str,
    plan_version: str | None = None,
) -> list[Any]:
    """One site's page: numbers, hospital and route, roles, places, readiness."""
    where = " - ".join(t for t in (facts.address, facts.phone and f"clinic {facts.phone}") if t)
    story: list[Any] = [
        Paragraph(pdf.text(f"Emergency action plan - {facts.name} ({facts.code})"), look["title"]),
        Paragraph(pdf.text(where) if where else pdf.missing("No address on file"), look["body"]),
    ]
    if plan_version:
        # The same short version the Today page shows when staff acknowledge the plan.
        story.append(
            Paragraph(
                pdf.text(f"Plan version {short(plan_version)} - staff acknowledge this version"),
                look["subheading"],
            )
        )
    story += [
        Paragraph(
            pdf.text(
                f"As of {facts.on.isoformat()} - protocols version {protocols.version[:12]}"
                f" - policy version {policy_version[:12]}"
            ),
            look["small"],
        ),
        Spacer(1, 4),
        _numbers(facts, look),
        Paragraph("Where things are", look["heading"]),
        _places(facts, look),
        Paragraph("Who does what", look["heading"]),
        _roles(facts, protocols, look),
        Paragraph("Readiness today", look["heading"]),
    ]
    story += [_readiness_line(r, look) for r in facts.readiness]
    return story


def _numbers(facts: SiteFacts, look: dict[str, Any]) -> Any:
    rows = []
    for label, fields in NUMBERS:
        style = look["big"] if label in {"Emergency", "Poison control"} else look["body"]
        shown = [_field(facts, name) for name in fields]
        rows.append(
            [Paragraph(pdf.text(label), look["subheading"]), Paragraph(", ".join(shown), style)]
        )
    return pdf.grid(rows, [1.9 * inch, 5.6 * inch])


def _field(facts: SiteFacts, name: str) -> str:
    """One contact field as markup, or its red gap line."""
    value = facts.contacts.get(name)
    if name == "drive_minutes" and value:
        value = f"{value} minutes by car"
    if name == "emergency_number" and not value:
        # A gap on the wall must still tell staff what to dial.
        return pdf.missing("No emergency number on file - in the US dial 911")
    return pdf.value_or_missing(value, CONTACT_FIELDS[name])


def _places(facts: SiteFacts, look: dict[str, Any]) -> Any:
    rows = [
        [
            Paragraph(pdf.text(label), look["subheading"]),
            Paragraph(_field(facts, name), look["body"]),
        ]
        for label, name in PLACES
    ]
    return pdf.grid(rows, [1.9 * inch, 5.6 * inch])


def _roles(facts: SiteFacts, protocols: Protocols, look: dict[str, Any]) -> Any:
    header = [Paragraph("Emergency", look["subheading"])] + [
        Paragraph(DUTY_WORDS[d], look["subheading"]) for d in EMERGENCY_DUTIES
    ]
    rows: list[list[Any]] = [header]
    for name, protocol in protocols.of_kind("emergency").items():
        cells: list[Any] = [Paragraph(pdf.text(protocol.title), look["body"])]
        for duty in EMERGENCY_DUTIES:
            who = facts.role(name, duty)
            if who is None:
                markup = pdf.missing("No one named")
            else:
                markup = pdf.text(who.text) if who.known else pdf.missing(who.text)
            cells.append(Paragraph(markup, look["body"]))
        rows.append(cells)
    return pdf.grid(rows, [1.75 * inch] + [1.15 * inch] * len(EMERGENCY_DUTIES), header=True)


def readiness_text(readiness: Readiness) -> str:
    """ "Anaphylaxis: ready" or "Anaphylaxis: NOT READY - blocked by ..." (plain text)."""
    if readiness.ready:
        return f"{readiness.title}: ready"
    shown = readiness.blocking[:MOST_BLOCKING_SHOWN]
    parts = [f"{b['requirement']} {b['subject']} {b['status']}" for b in shown]
    more = len(readiness.blocking) - len(shown)
    if more:
        parts.append(f"and {more} more")
    return f"{readiness.title}: NOT READY - blocked by {'; '.join(parts)}"


def _readiness_line(readiness: Readiness, look: dict[str, Any]) -> Paragraph:
    line = pdf.text(readiness_text(readiness))
    markup = line if readiness.ready else f'<font color="{pdf.MISSING_RED}">{line}</font>'
    return Paragraph(markup, look["bullet"], bulletText="•")


def protocol_pages(protocols: Protocols, look: dict[str, Any]) -> list[Any]:
    """Every protocol, emergencies first, then the complications after treatment."""
    story: list[Any] = [
        Paragraph("Emergency protocols", look["title"]),
        Paragraph(
            pdf.text(
                f"Protocols version {protocols.version[:12]}. Sources are labelled REG (law),"
                " ACC (accreditor), STD (consensus standard), MFR (manufacturer), PRAC"
                " (common clinical practice, where no rule exists)."
            ),
            look["small"],
        ),
    ]
    for kind, heading in (("emergency", None), ("complication", "Complications after treatment")):
        if heading:
            story += [PageBreak(), Paragraph(heading, look["title"])]
        story += [_protocol(n, p, protocols, look) for n, p in protocols.of_kind(kind).items()]
    return story


def _protocol(name: str, protocol: Protocol, protocols: Protocols, look: dict[str, Any]) -> Any:
    parts: list[Any] = [
        Paragraph(pdf.text(protocol.title), look["heading"]),
        # What an incident records as the protocol followed.
        Paragraph(pdf.text(f"Version {protocols.version_of(name)}"), look["small"]),
    ]
    for heading, section in protocol.sections().items():
        parts += pdf.section_flowables(heading, section, look)
        if heading == "Steps" and protocol.doses:
            parts += _doses(protocol, look)
    # Kept on one page where it fits; a longer one flows on.
    return KeepTogether(parts)


def _doses(protocol: Protocol, look: dict[str, Any]) -> list[Any]:
    rows: list[list[Any]] = [
        [Paragraph(h, look["subheading"]) for h in ("Drug", "Dose and route", "For", "Repeat")]
    ]
    for dose in protocol.doses:
        rows.append(
            [
                Paragraph(pdf.text(dose.drug), look["body"]),
                Paragraph(pdf.text(f"{dose.dose}, {dose.route}"), look["body"]),
                Paragraph(pdf.text(dose.who), look["body"]),
                Paragraph(pdf.text(dose.repeat or "-"), look["body"]),
            ]
        )
    sources = "; ".join(f"{s.label} - {s.text}" for d in protocol.doses for s in d.source)
    return [
        Paragraph("Doses", look["subheading"]),
        pdf.grid(rows, [1.7 * inch, 1.7 * inch, 1.8 * inch, 2.3 * inch], header=True),
        Paragraph(pdf.text("Source: " + sources), look["small"]),
    ]
