"""The `readiness checklist due|submit|amend|close-action|set-pin` commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.clock import utc_now
from readiness.commands.common import actor, add_command, day, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    from readiness.checklist.due import Slot
    from readiness.commands.common import Subparsers
    from readiness.policy.templates import Item

# Heavy modules (pandas, via readiness.rules.slots) are imported inside the handlers, so that
# `readiness --help` and the other commands start quickly.

TABLE_COLUMNS = ("template", "asset", "date", "due_by", "status", "done_by")


def register(sub: Subparsers) -> None:
    """Add this module's subcommands to the parser."""
    checklist = add_command(
        sub,
        "checklist",
        "checklists due today, submit and amend them",
        description="The checklists (opening, laser pre-use, monthly checks and others): "
        "which are due at a site, submitting a signed one, correcting one, and closing the "
        "corrective actions that failed answers open.",
    )
    commands = checklist.add_subparsers(
        title="actions", dest="checklist_command", required=True, metavar="ACTION"
    )

    due = add_command(
        commands, "due", "the checklists of one site and day, and whether each is done"
    )
    due.add_argument("--site", required=True, metavar="CODE", help="the site's code")
    due.add_argument(
        "--date", type=day, metavar="DATE", help="the day, YYYY-MM-DD (default: today at the site)"
    )
    due.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="a table to read, or JSON for other programs (default: %(default)s)",
    )
    due.set_defaults(handler=cmd_due)

    submit = add_command(commands, "submit", "submit one signed checklist")
    submit.add_argument("--site", required=True, metavar="CODE", help="the site's code")
    submit.add_argument(
        "--template", required=True, metavar="ID", help="which checklist, e.g. opening-daily"
    )
    submit.add_argument("--by", required=True, metavar="STAFF_ID", help="who performed it")
    submit.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help='a JSON file of the answers, {"item_id": value, ...}',
    )
    submit.add_argument(
        "--date", type=day, metavar="DATE", help="the site-local day, YYYY-MM-DD (default: today)"
    )
    submit.add_argument("--asset", metavar="ASSET_ID", help="the device, for per-device checklists")
    submit.add_argument(
        "--key", help="a reference of your choice: submitting the same key twice records once"
    )
    submit.add_argument(
        "--pin-stdin", action="store_true", help="read the signer's PIN from standard input"
    )
    submit.set_defaults(handler=cmd_submit)

    amend = add_command(commands, "amend", "correct a submitted checklist, with a reason")
    amend.add_argument(
        "run_id", type=int, metavar="RUN_ID", help="the number of the run to correct"
    )
    amend.add_argument(
        "--answers", required=True, metavar="FILE", help="a JSON file of the corrected answers"
    )
    amend.add_argument("--reason", required=True, metavar="TEXT", help="why it is corrected")
    amend.add_argument("--key", help="a reference of your choice: the same key twice amends once")
    amend.set_defaults(handler=cmd_amend)

    close = add_command(commands, "close-action", "close a corrective action")
    close.add_argument("action_id", type=int, metavar="ID", help="the corrective action's number")
    close.add_argument("--resolution", required=True, metavar="TEXT", help="what was done")
    close.add_argument("--by", required=True, metavar="NAME", help="who closed it")
    close.set_defaults(handler=cmd_close_action)

    pin = add_command(
        commands,
        "set-pin",
        "set a staff member's sign-off PIN, read from standard input",
    )
    pin.add_argument("staff_id", metavar="STAFF_ID", help="the staff member's id")
    pin.set_defaults(handler=cmd_set_pin)


def cmd_due(args: argparse.Namespace, settings: Settings) -> int:
    """Print the slots of a site's day as a table or as JSON."""
    from readiness.checklist import due_slots, templates_in_force
    from readiness.checklist.lookup import site_by_code
    from readiness.rules.slots import site_today

    templates = templates_in_force(settings.checklists_dir)
    now = utc_now()
    with open_db(args, settings).read() as session:
        site = site_by_code(session, args.site)
        on = args.date or site_today(now, site.timezone)
        found = due_slots(session, site.code, on, now, templates)
    if args.format == "json":
        print(json.dumps([slot_json(slot) for slot in found], indent=2, ensure_ascii=False))
    else:
        print(_table(found) if found else f"{args.site}: no checklists due on {on}")
    return 0


def cmd_submit(args: argparse.Namespace, settings: Settings) -> int:
    """Submit one checklist from an answers file; print a one-line confirmation."""
    from readiness.checklist import templates_in_force
    from readiness.services.checklist_runs import submit_checklist

    answers = read_answers(Path(args.answers))
    pin = sys.stdin.readline().strip() if args.pin_stdin else None
    templates = templates_in_force(settings.checklists_dir)
    with open_db(args, settings).write() as session, _answers_problems(args.answers):
        submission = submit_checklist(
            session,
            site_code=args.site,
            template_id=args.template,
            staff_id=args.by,
            answers=answers,
            slot_date=args.date,
            asset_id=args.asset,
            key=args.key,
            pin=pin,
            actor=actor(args, settings),
            now_utc=utc_now(),
            templates=templates,
        )
        line = submission.describe()
    print(line)
    return 0


def cmd_amend(args: argparse.Namespace, settings: Settings) -> int:
    """Supersede a run by corrected answers, with a reason."""
    from readiness.services.checklist_runs import amend_checklist

    answers = read_answers(Path(args.answers))
    with open_db(args, settings).write() as session, _answers_problems(args.answers):
        submission = amend_checklist(
            session,
            args.run_id,
            answers,
            args.reason,
            actor=actor(args, settings),
            now_utc=utc_now(),
            key=args.key,
        )
        line = submission.describe().replace("recorded run", "amended: recorded run", 1)
    print(f"{line} (supersedes run {args.run_id})")
    return 0


def cmd_close_action(args: argparse.Namespace, settings: Settings) -> int:
    """Close a corrective action with a resolution and the closer's name."""
    from readiness.services.corrective_actions import close_corrective_action

    with open_db(args, settings).write() as session:
        action = close_corrective_action(
            session, args.action_id, args.resolution, args.by, actor(args, settings), utc_now()
        )
        line = f"closed corrective action {action.id} ({action.requirement or 'no requirement'}"
        line += f" for {action.subject}) by {action.closed_by}"
    print(line)
    return 0


def cmd_set_pin(args: argparse.Namespace, settings: Settings) -> int:
    """Set a staff member's PIN, read from the first line of stdin."""
    from sqlalchemy import select

    from readiness.models import Staff
    from readiness.services.signatures import set_pin

    pin = sys.stdin.readline().strip()
    with open_db(args, settings).write() as session:
        person = session.scalar(select(Staff).where(Staff.staff_id == args.staff_id))
        if person is None:
            raise UserError(f"no staff member with id {args.staff_id!r}")
        set_pin(session, person, pin, actor(args, settings))
    print(f"sign-off PIN set for {args.staff_id}")
    return 0


# --- answers files ---------------------------------------------------------------------


def read_answers(path: Path) -> dict[str, Any]:
    """The JSON object of an answers file; a bad file is one line naming it and the problem."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            f"{path}: cannot read: {getattr(error, 'strerror', None) or error}"
        ) from None
    try:
        answers = json.loads(raw)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{path}: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(answers, dict):
        raise UserError(f'{path}: expected a JSON object {{"item_id": value}}')
    return answers


@contextmanager
def _answers_problems(path: str) -> Iterator[None]:
    """Turn AnswerError into a one-line UserError naming the answers file."""
    from readiness.policy.answers import AnswerError

    try:
        yield
    except AnswerError as error:
        raise UserError(
            f"{path}: {'; '.join(str(problem) for problem in error.problems)}"
        ) from None


# --- output ----------------------------------------------------------------------------


def slot_json(slot: Slot) -> dict[str, Any]:
    """One slot as `checklist due --format json` prints it (interfaces.md)."""
    template = slot.template
    return {
        "site": slot.site_code,
        "template": template.id,
        "title": template.title,
        "asset": slot.asset_id,
        "date": slot.slot_date.isoformat(),
        "due_by": template.due_by.strftime("%H:%M") if template.due_by else None,
        "status": slot.status,
        "items": [item_json(item) for item in template.items],
        # Extensions: when the slot falls due, and the run that satisfies it.
        "frequency": template.frequency,
        "due_on": slot.due_on.isoformat(),
        "due_at": slot.due_utc.isoformat().replace("+00:00", "Z"),
        "run": slot.run_id,
        "done_by": slot.done_by,
        "done_at": slot.done_at.isoformat().replace("+00:00", "Z") if slot.done_at else None,
    }


def item_json(item: Item) -> dict[str, Any]:
    """An item with the fields its type uses."""
    out: dict[str, Any] = {"id": item.id, "text": item.text, "type": item.type}
    if item.type == "number":
        out |= {"unit": item.unit, "min": _number(item.min), "max": _number(item.max)}
    elif item.type == "count":
        out["min"] = _number(item.min)
    return out


def _number(value: float | None) -> float | int | None:
    """1000.0 as 1000, as the template says it."""
    return int(value) if value is not None and value.is_integer() else value


def _table(found: list[Slot]) -> str:
    """Aligned plain-text columns."""
    rows = [
        (
            slot.template.id,
            slot.asset_id or "-",
            slot.slot_date.isoformat(),
            slot.template.due_by.strftime("%H:%M") if slot.template.due_by else "end of day",
            slot.status,
            slot.done_by or "",
        )
        for slot in found
    ]
    widths = [max(len(row[i]) for row in [TABLE_COLUMNS, *rows]) for i in range(len(TABLE_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [TABLE_COLUMNS, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)
