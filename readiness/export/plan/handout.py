"""The patient aftercare handout of one procedure at one site: no patient data, only the
clinic's instructions, warning signs and numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.platypus import Paragraph, Spacer

from readiness.export.plan import pdf
from readiness.export.plan.facts import SiteFacts
from readiness.policy.handouts import version_of
from readiness.policy.protocols import Protocols


def handout_pdf(
    facts: SiteFacts, protocols: Protocols, procedure: str, *, printed_at: datetime
) -> bytes:
    """The aftercare sheet as PDF bytes; PolicyError for a procedure without aftercare."""
    care = protocols.aftercare_for(procedure)
    look = pdf.styles()
    story: list[Any] = [
        Paragraph(pdf.text(care.title), look["title"]),
        Paragraph(
            pdf.text(f"{facts.name}" + (f" - {facts.address}" if facts.address else "")),
            look["body"],
        ),
        Spacer(1, 6),
        Paragraph("Your clinic", look["heading"]),
        _line("Clinic phone", pdf.value_or_missing(facts.phone, "clinic phone number"), look),
        _line("After hours", _contact(facts, "after_hours_phone", "after-hours number"), look),
        _line("Nearest emergency department", _hospital(facts), look),
        _line("Emergency", _contact(facts, "emergency_number", "emergency number"), look),
    ]
    story += pdf.section_flowables("Caring for the treated area", care.instructions, look)
    story += pdf.section_flowables("Call the clinic if you notice", care.call_the_clinic, look)
    story += pdf.section_flowables(
        "Call 911 or go to the emergency department now for", care.call_911, look
    )
    # The handout version is what the procedure time-out records as given.
    footer = (
        f"{facts.code} aftercare - handout version {version_of(protocols, procedure)}"
        f" - protocols version {protocols.version[:12]} - printed {printed_at:%Y-%m-%d}"
    )
    return pdf.render(story, title=care.title, footer=footer)


def _line(label: str, markup: str, look: dict[str, Any]) -> Paragraph:
    return Paragraph(f"<b>{pdf.text(label)}:</b> {markup}", look["big"])


def _contact(facts: SiteFacts, name: str, what: str) -> str:
    return pdf.value_or_missing(facts.contacts.get(name), what)


def _hospital(facts: SiteFacts) -> str:
    """Name, address and phone of the emergency department, gaps in red."""
    parts = [
        _contact(facts, "ed_name", "emergency department"),
        _contact(facts, "ed_address", "emergency department address"),
        _contact(facts, "ed_phone", "emergency department phone"),
    ]
    return ", ".join(parts)
