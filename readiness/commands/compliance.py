"""The `readiness status` and `readiness scenarios` commands: reports, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from readiness.collector import collector_paused
from readiness.commands.common import add_command, day, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

    from readiness.commands.common import Subparsers
    from readiness.policy.pack import Policy
    from readiness.policy.templates import Template

# pandas and the engine are imported inside the functions that use them, so that
# `readiness --help` and the other commands start quickly.

REPORT_NOTE = (
    "The exit status is 0 whenever the report is produced, whatever the statuses in it "
    "(it is a report, not a check); it is non-zero only when the command itself fails, "
    "e.g. an unknown site code or a database error. Dates are YYYY-MM-DD; --as-of "
    "defaults to today in each site's time zone, and a past date uses only the facts "
    "recorded for that day or before."
)
STATUS_HEADERS = ("STATUS", "SITE", "REQUIREMENT", "SUBJECT", "DUE", "LAST DONE", "DETAIL")
SCENARIO_HEADERS = ("SITE", "SCENARIO", "READY", "BLOCKING")


def register(sub: Subparsers) -> None:
    """Add `status` and `scenarios` to the parser."""
    status = add_command(
        sub,
        "status",
        "every compliance item and its status",
        description="Every compliance item of every site (or one site) and its status, "
        "most severe first in the table.",
        epilog=REPORT_NOTE,
    )
    _common(status)
    status.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="a table to read, JSON for other programs, or CSV for a spreadsheet "
        "(default: %(default)s)",
    )
    status.set_defaults(handler=cmd_status)

    scenarios = add_command(
        sub,
        "scenarios",
        "per site and emergency scenario: ready or not, and what blocks it",
        description="Per site and emergency scenario of the policy: ready, or the items "
        "(failed, overdue, expired or missing) that block it.",
        epilog=REPORT_NOTE,
    )
    _common(scenarios)
    scenarios.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="a table to read, or JSON for other programs (default: %(default)s)",
    )
    scenarios.set_defaults(handler=cmd_scenarios)


def _common(parser: argparse.ArgumentParser) -> None:
    """The --site and --as-of options of both reports."""
    parser.add_argument("--site", metavar="CODE", help="only this site (default: every site)")
    parser.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="judge as of this date, YYYY-MM-DD, using only what was recorded by then "
        "(default: today)",
    )


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print every compliance item."""
    with collector_paused():
        items = _items(args, settings)[0]
        if args.format == "json":
            _print_status_json(items)
        elif args.format == "csv":
            _print_csv(items)
        else:
            _print_status_table(items)
    return 0


def cmd_scenarios(args: argparse.Namespace, settings: Settings) -> int:
    """Print scenario readiness per site."""
    with collector_paused():
        from readiness.compliance import scenario_readiness

        items, policy = _items(args, settings)
        table = scenario_readiness(items, policy)
        if args.format == "json":
            _print_json([{str(k): v for k, v in row.items()} for row in table.to_dict("records")])
        else:
            _print_scenario_table(table, list(policy.scenarios))
    return 0


def _items(args: argparse.Namespace, settings: Settings) -> tuple[pd.DataFrame, Policy]:
    """Compliance items for the command's site and date, and the policy that judged them."""
    from readiness.compliance import compliance_items
    from readiness.policy.pack import POLICY_FILE, load_policy

    policy = load_policy(settings.checklists_dir / POLICY_FILE, settings.policy_overrides)
    templates = _templates(settings)
    sites = [args.site] if args.site else None
    with open_db(args, settings).read() as session:
        items = compliance_items(
            session, policy, as_of=args.as_of, sites=sites, templates=templates
        )
    return items, policy


def _templates(settings: Settings) -> dict[str, Template]:
    """The checklist templates; a bad file is a one-line UserError."""
    from readiness.policy.templates import TemplateError, load_templates

    try:
        return load_templates(settings.checklists_dir)
    except TemplateError as error:
        raise UserError(str(error).splitlines()[0]) from None


# --- output ----------------------------------------------------------------------------


def _records(items: pd.DataFrame) -> list[dict[str, Any]]:
    """Items as JSON-ready dicts with the documented keys; dates "YYYY-MM-DD" or null."""
    from readiness.compliance import COLUMNS

    columns = _columns(items)
    return [dict(zip(COLUMNS, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _columns(items: pd.DataFrame) -> dict[str, list[str | None]]:
    """The documented columns as lists of text, dates "YYYY-MM-DD" or None."""
    from readiness.compliance import COLUMNS

    return {c: _dates(items[c]) if c.endswith("_on") else items[c].tolist() for c in COLUMNS}


def _dates(values: pd.Series) -> list[str | None]:
    """Dates as "YYYY-MM-DD", None where unknown (one vectorised pass, not one call per date)."""
    import pandas as pd

    text = pd.Series(values.to_numpy(dtype="datetime64[s]")).dt.strftime("%Y-%m-%d")
    return text.astype(object).where(text.notna(), None).tolist()


def _print_json(rows: list[dict[str, Any]]) -> None:
    json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _print_status_json(items: pd.DataFrame) -> None:
    """The items as `json.dump(_records(items), indent=2)` prints them, written in one piece.

    json's indenting encoder is pure Python and writes each token (half a million for a
    large practice); every value here is text or null, so each is encoded by the C string
    encoder and the lines are joined once.
    """
    if items.empty:
        _print_json([])
        return
    columns = _columns(items)
    keys = [f"    {encode_basestring(column)}: " for column in columns]
    # As json.dumps(value, ensure_ascii=False) writes each value: text or null.
    encoded = [
        ["null" if value is None else encode_basestring(value) for value in values]
        for values in columns.values()
    ]
    rows = (
        "  {\n" + ",\n".join(key + value for key, value in zip(keys, row, strict=True)) + "\n  }"
        for row in zip(*encoded, strict=True)
    )
    sys.stdout.write("[\n" + ",\n".join(rows) + "\n]\n")


def _print_csv(items: pd.DataFrame) -> None:
    from readiness.compliance import COLUMNS

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _records(items):
        writer.writerow(["" if value is None else value for value in row.values()])


def _print_status_table(items: pd.DataFrame) -> None:
    """Most severe first, then by site, requirement and subject; a count per status below."""
    from readiness.rules.status import SEVERITY, SEVERITY_ORDER

    ordered = items.assign(_rank=items["status"].map(SEVERITY)).sort_values(
        ["_rank", "site", "requirement", "subject"], ascending=[False, True, True, True]
    )
    rows = [
        [
            r["status"],
            r["site"],
            r["requirement"],
            r["subject"],
            r["due_on"],
            r["last_done_on"],
            r["detail"],
        ]
        for r in _records(ordered)
    ]
    _print_table(STATUS_HEADERS, [[v or "" for v in row] for row in rows])
    counts = items["status"].value_counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in SEVERITY_ORDER if s in counts)
    sites = items["site"].nunique()
    print(f"\n{len(items)} items at {sites} site{'' if sites == 1 else 's'}: {summary or 'none'}")


def _print_scenario_table(table: pd.DataFrame, order: list[str]) -> None:
    """Not-ready scenarios first, then by site and the policy's scenario order."""
    ordered = table.assign(_order=table["scenario"].map(order.index)).sort_values(
        ["ready", "site", "_order"]
    )
    rows = [
        [str(site), str(scenario), "yes" if ready else "NO", _blocking_text(blocking)]
        for site, scenario, ready, blocking in zip(
            ordered["site"], ordered["scenario"], ordered["ready"], ordered["blocking"], strict=True
        )
    ]
    _print_table(SCENARIO_HEADERS, rows)


def _blocking_text(blocking: list[dict[str, str]]) -> str:
    """Blocking items as "stock.epinephrine_adult AUS1 missing; ..."."""
    return "; ".join(f"{b['requirement']} {b['subject']} {b['status']}" for b in blocking)


def _print_table(headers: Sequence[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; the last column is left ragged."""
    widths = [max([len(h), *(len(str(row[i])) for row in rows)]) for i, h in enumerate(headers)]
    for row in [list(headers), *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        print("  ".join([*cells, str(row[-1])]).rstrip())
