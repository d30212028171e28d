"""One e-mail per recipient and run: every reminder due for them, grouped by section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Sections in the order they appear in the e-mail; unknown kinds follow by name.
SECTIONS: dict[str, str] = {
    "escalation": "Escalated: still not done past the policy's limit",
    "checklist": "Checklists not done",
    "corrective_action": "Corrective actions past due",
    "followup": "Incident follow-ups due",
    "certification": "Certificates",
    "equipment": "Equipment",
    "stock": "Stock",
    "drill": "Drills",
    "document": "Documents",
    "summary": "Weekly summary",
}
FOOTER = (
    "Sent by Readiness. Each reminder is sent once per step; the dashboard shows"
    " every item and its status."
)


@dataclass(frozen=True)
class DigestLine:
    """One entry of a digest: its section, a headline and a detail."""

    kind: str
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Digest:
    """One e-mail to one recipient carrying all their reminders of a run."""

    recipient: str
    subject: str
    body: str


def compose_digest(
    recipient: str, lines: Sequence[DigestLine], chain_head: tuple[int, str] | None = None
) -> Digest:
    """One e-mail listing every line, grouped by section, escalations first, and the audit
    chain head when given."""
    if not lines:
        raise ValueError("a digest needs at least one line")
    return Digest(recipient, digest_subject(lines), digest_body(lines, chain_head))


def digest_subject(lines: Sequence[DigestLine]) -> str:
    """E.g. "Readiness: 3 items need action (1 escalated)"."""
    actions = [line for line in lines if line.kind != "summary"]
    parts = []
    if actions:
        count = len(actions)
        parts.append("1 item needs action" if count == 1 else f"{count} items need action")
    if len(actions) < len(lines):
        parts.append("weekly summary")
    escalated = sum(line.kind == "escalation" for line in actions)
    return "Readiness: " + " and ".join(parts) + (f" ({escalated} escalated)" if escalated else "")


def digest_body(lines: Sequence[DigestLine], chain_head: tuple[int, str] | None = None) -> str:
    """The plain-text body: one block per section, the chain head, then the footer."""
    blocks = [
        _section(kind, [line for line in lines if line.kind == kind])
        for kind in sorted({line.kind for line in lines}, key=_section_order)
    ]
    if chain_head is not None:
        blocks.append(chain_head_block(*chain_head))
    return "\n\n".join([*blocks, FOOTER]) + "\n"


def chain_head_block(seq: int, digest: str) -> str:
    """The audit chain head, kept outside the database: a rewritten trail cannot match it."""
    return (
        f"Audit chain head: {seq}:{digest}\n"
        "Keep this e-mail. `readiness verify --head "
        f"{seq}:{digest}` proves the audit trail still holds this event, unrewritten."
    )


def _section(kind: str, lines: Sequence[DigestLine]) -> str:
    """A heading, then each line's title and indented detail."""
    heading = SECTIONS.get(kind, kind.replace("_", " ").capitalize())
    text = [heading, "-" * len(heading)]
    for line in sorted(lines, key=lambda entry: entry.title):
        text.append(f"* {line.title}")
        text += [f"  {part}" for part in line.detail.splitlines() if part.strip()]
    return "\n".join(text)


def _section_order(kind: str) -> tuple[int, str]:
    """Known sections in SECTIONS order, unknown ones after them by name."""
    order = list(SECTIONS)
    return (order.index(kind), "") if kind in SECTIONS else (len(order), kind)
