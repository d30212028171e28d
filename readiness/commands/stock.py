"""The `readiness stock receive|use|dispose` commands: record units of a lot moving."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from readiness.config import Settings

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

# The services (and SQLAlchemy) are imported inside the handler, so --help starts at once.

WHAT = {
    "receive": ("received", "record units received: a new lot, or more of a lot on file"),
    "use": ("used", "record units used (e.g. a pen given in an emergency)"),
    "dispose": ("disposed", "record units disposed of (e.g. expired pens removed)"),
}


def register(sub: Subparsers) -> None:
    """Add `stock` and its actions to the parser."""
    stock = sub.add_parser(
        "stock",
        help="record stock received, used or disposed",
        description=(
            "Record units of a stock lot received, used or disposed on a site-local day."
            " Each is a dated record in the audit trail; the lot itself is never"
            " overwritten, and the units on hand on any day are worked out from them."
        ),
    )
    actions = stock.add_subparsers(dest="stock_command", required=True, metavar="ACTION")
    for name, (_kind, summary) in WHAT.items():
        action = actions.add_parser(
            name, help=summary, description=summary[:1].upper() + summary[1:] + "."
        )
        action.add_argument(
            "--site", required=True, metavar="CODE", help="the site the units are at"
        )
        action.add_argument(
            "--lot", required=True, metavar="LOT_NUMBER", help="the lot number on the box"
        )
        action.add_argument(
            "--quantity", required=True, type=int, metavar="UNITS", help="how many units"
        )
        action.add_argument(
            "--item",
            required=name == "receive",
            metavar="ITEM",
            help="e.g. epinephrine_adult"
            + ("" if name == "receive" else " (only if two items share the lot number)"),
        )
        action.add_argument("--date", type=_day, help="the site-local day (default: today)")
        action.add_argument("--reason", help="why, or a note (e.g. 'expired', 'patient reaction')")
        action.add_argument("--key", help="idempotency key: the same key twice records once")
        if name == "receive":
            action.add_argument(
                "--expires", type=_day, metavar="YYYY-MM-DD", help="expiry date (new lots)"
            )
            action.add_argument("--location", help="where it is kept (new lots)")
        action.set_defaults(handler=cmd_stock)


def cmd_stock(args: argparse.Namespace, settings: Settings) -> int:
    """Record one movement; print a one-line confirmation."""
    from readiness.clock import utc_now
    from readiness.db import Database
    from readiness.services.stock import StockEntry, record_stock

    entry = StockEntry(
        kind=WHAT[args.stock_command][0],
        site_code=args.site,
        lot_number=args.lot,
        quantity=args.quantity,
        occurred_on=args.date,
        item=args.item,
        reason=args.reason,
        key=args.key,
        expires_on=getattr(args, "expires", None),
        location=getattr(args, "location", None),
    )
    db = Database(args.db or settings.db_url)
    try:
        with db.write() as session:
            line = record_stock(
                session, entry, actor=str(args.actor or settings.actor), now_utc=utc_now()
            ).describe()
    finally:
        db.dispose()
    print(line)
    return 0


def _day(text: str) -> date:
    """A YYYY-MM-DD argument; argparse reports anything else in one line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
