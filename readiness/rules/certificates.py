"""The field rules of a certificate's dates, one set for the service and the importer."""

from __future__ import annotations

from datetime import date


def certificate_date_problems(
    issued_on: date, expires_on: date | None, today: date
) -> list[tuple[str, str]]:
    """(field, reason) for each rule the dates break, in the order a person fixes them.

    `today` is the day in the site's time zone: a card cannot be issued after it, and an
    expiry (read off the card or derived from the policy) must come after the issue date.
    """
    problems = []
    if issued_on > today:
        problems.append(("issued_on", f"issued on {issued_on} is in the future"))
    if expires_on is not None and expires_on <= issued_on:
        reason = f"the expiry date {expires_on} must be after the issue date {issued_on}"
        problems.append(("expires_on", reason))
    return problems
