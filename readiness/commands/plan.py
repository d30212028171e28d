"""The `readiness plan` and `readiness handout` commands: printable PDFs for the clinic."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.commands.common import add_command, day, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers
    from readiness.policy.protocols import Protocols

# reportlab, the engine and the database are imported inside the handlers: `--help` stays fast.

PLAN_NOTE = (
    "The numbers, hospital, route and equipment places come from the site_contacts import, "
    "the roles from emergency_roles, the protocols from checklists/protocols/. Anything not "
    "on file is printed in red, never left blank."
)


def register(sub: Subparsers) -> None:
    """Add `plan` and `handout` to the parser."""
    plan = add_command(
        sub,
        "plan",
        "the site's printable emergency action plan and its protocols (PDF)",
        description="One page per site for the wall (emergency numbers, hospital and route, "
        "who does what, where the equipment is, readiness per scenario), then the protocols.",
        epilog=PLAN_NOTE,
    )
    plan.add_argument(
        "--site",
        required=True,
        metavar="CODE",
        help="the site code; several codes separated by commas give one page each",
    )
    plan.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write"
    )
    plan.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="judge readiness as of this date, YYYY-MM-DD (default: today at the site)",
    )
    plan.set_defaults(handler=cmd_plan)

    handout = add_command(
        sub,
        "handout",
        "the patient aftercare and emergency-contact sheet (PDF, no patient data)",
        epilog="The instructions come from checklists/protocols/ (aftercare), the numbers "
        "from the sites and site_contacts imports.",
    )
    handout.add_argument("--site", required=True, metavar="CODE", help="the site code")
    handout.add_argument(
        "--procedure",
        required=True,
        metavar="ID",
        help="the procedure whose aftercare to print, e.g. laser_vein",
    )
    handout.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write"
    )
    handout.set_defaults(handler=cmd_handout)


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    """Write the emergency action plan of the sites."""
    from readiness import clock
    from readiness.export.plan import plan_bytes
    from readiness.policy.pack import POLICY_FILE, load_policy
    from readiness.policy.templates import TemplateError, load_templates

    codes = [c.strip() for c in args.site.split(",") if c.strip()]
    if not codes:
        raise UserError("--site: give at least one site code")
    policy = load_policy(settings.checklists_dir / POLICY_FILE, settings.policy_overrides)
    try:
        templates = load_templates(settings.checklists_dir)
    except TemplateError as error:
        raise UserError(str(error).splitlines()[0]) from None
    data = plan_bytes(
        open_db(args, settings),
        codes,
        policy,
        _protocols(settings),
        as_of=args.as_of,
        templates=templates,
        printed_at=clock.utc_now(),
    )
    _write(Path(args.output), data)
    print(f"wrote {args.output} ({', '.join(codes)})")
    return 0


def cmd_handout(args: argparse.Namespace, settings: Settings) -> int:
    """Write the aftercare handout of one procedure at one site."""
    from readiness import clock
    from readiness.export.plan import handout_pdf, site_facts

    protocols = _protocols(settings)
    protocols.aftercare_for(args.procedure)  # an unknown procedure fails before the database
    with open_db(args, settings).read() as session:
        facts = site_facts(session, args.site)
    data = handout_pdf(facts, protocols, args.procedure, printed_at=clock.utc_now())
    _write(Path(args.output), data)
    print(f"wrote {args.output} ({args.site}, {args.procedure})")
    return 0


def _protocols(settings: Settings) -> Protocols:
    from readiness.policy.protocols import PROTOCOLS_FILE, PROTOCOLS_FOLDER, load_protocols

    return load_protocols(settings.checklists_dir / PROTOCOLS_FOLDER / PROTOCOLS_FILE)


def _write(path: Path, data: bytes) -> None:
    """Write the file, or a one-line UserError."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror}") from None
