"""The `readiness` command: builds the parser from readiness.commands, runs the handler, and
turns any failure into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import importlib.util
import os
import select
import sys
from collections.abc import Sequence

from readiness.commands.common import spell_site_codes
from readiness.config import load_settings
from readiness.errors import UserError

DESCRIPTION = """\
Readiness keeps the compliance records of a laser med spa practice: equipment service,
staff certifications, emergency stock, drills, documents and daily checklists, with an
audit trail that shows what was recorded, by whom and when. It tells each site what is
failed, overdue, expired, missing or due soon, and whether it is ready for each emergency.

The database is the one given by --db, else the READINESS_DB_URL setting, else the file
data/readiness.db in the current folder. Run `readiness init` once to create it."""

EPILOG = """\
Run `readiness COMMAND --help` for what a command does and its options.
Exit status: 0 done; 2 something to fix in the command or its files (the message says
what); 3 the database cannot be reached or is not set up (try `readiness init`); 1 a fault
in Readiness itself (run again with READINESS_DEBUG=1 and send the output to support)."""

# Every subcommand lives in one of these modules of readiness.commands, in the order of the
# help listing; each has `register(subparsers)`, which sets `handler=` with `set_defaults`.
# Command modules import only light modules at the top, so that --help starts at once.
COMMAND_MODULES = (
    "database",
    "dashboard",
    "checklist",
    "compliance",
    "stock",
    "export",
    "plan",
    "scheduler",
    "snapshot",
    "user",
    "practice",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="readiness",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the database to use, e.g. sqlite:///data/readiness.db or "
        "postgresql://user@host/readiness (default: READINESS_DB_URL, else data/readiness.db)",
    )
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="the name the audit trail records for this command's changes "
        "(default: READINESS_ACTOR, else your computer login)",
    )
    sub = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = f"readiness.commands.{name}"
        # A command module still being written is left out rather than breaking every command.
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script.

    Without `argv` this process is the command (its own command line); only then is
    pyarrow left out (`leave_out_pyarrow`): a program or test that calls `main` with
    arguments keeps the modules it has.
    """
    if argv is None:
        leave_out_pyarrow()
        # At exit the interpreter collects every object the libraries made at import
        # (about 0.2 s of `status`'s 1.5 s of CPU, measured alternated); the operating
        # system frees them anyway. Every command closes its files and commits on its own.
        atexit.register(gc.freeze)
    try:
        settings = load_settings()
        args = build_parser().parse_args(argv)
        spell_site_codes(args, settings)
        status = int(args.handler(args, settings))
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return status
    except UserError as exc:
        print(f"readiness: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("readiness: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
            # The reader stopped reading (`readiness status | head`): not an error. Later
            # writes, including the flush at exit, go nowhere instead of failing again.
            _silence_stdout()
            return 0
        if _debug():
            import traceback  # only on request: it loads tokenize and linecache

            traceback.print_exc()
        if (clash := _constraint_clash(exc)) is not None:
            print(f"readiness: error: {clash}", file=sys.stderr)
            return 2
        if (cause := _database_error(exc)) is not None:
            print(f"readiness: database error: {_one_line(cause)}", file=sys.stderr)
            return 3
        # A bug: still one line for the user, the traceback on request.
        print(
            f"readiness: internal error: {type(exc).__name__}: {_one_line(exc)}"
            " (set READINESS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


def leave_out_pyarrow() -> None:
    """Make pyarrow unimportable in this process, unless it is loaded already.

    pandas imports pyarrow whenever it is installed, for its Arrow-backed text: measured
    (alternated runs), 0.08 s of CPU and 37 MB of memory before a command reads anything
    (pandas alone: 67 MB; with pyarrow: 104 MB). The dashboard needs pyarrow (Streamlit
    sends tables to the browser as Arrow) but runs in its own process; no command does:
    the engine judges text on Python strings, and pandas' "str" dtype without pyarrow
    stores the same values as Python objects (tests compare `status` and the workbook
    both ways). A None entry in sys.modules is Python's documented way to make an import
    fail with ImportError, which pandas takes as "not installed"; pandas offers no option
    of its own, since it imports pyarrow before any option can be set.
    """
    if "pyarrow" not in sys.modules and "pandas" not in sys.modules:
        sys.modules["pyarrow"] = None  # type: ignore[assignment]


def _database_error(exc: Exception) -> BaseException | None:
    """The driver's error behind any SQLAlchemy database error, or a bare driver error
    (sqlite3, psycopg), else None."""
    # Only a command that opened the database can raise one: its modules are loaded by then,
    # and importing them here for every command would cost what --help must not.
    if "sqlalchemy.exc" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):  # operational, programming, data, internal errors
            return exc.orig or exc
    for module, name in (("sqlite3", "Error"), ("psycopg", "Error")):
        loaded = sys.modules.get(module)
        error_type = getattr(loaded, name, None) if loaded is not None else None
        if isinstance(error_type, type) and isinstance(exc, error_type):
            return exc
    return None


def _constraint_clash(exc: Exception) -> str | None:
    """A unique or foreign-key constraint refused a write: two people saved at once."""
    if "sqlalchemy.exc" not in sys.modules:
        return None
    from sqlalchemy.exc import IntegrityError

    if not isinstance(exc, IntegrityError):
        return None
    return (
        "the database refused the change because another one got there first"
        f" ({_one_line(exc.orig or exc)}); reload and try again"
    )


def _stdout_reader_gone() -> bool:
    """Whether stdout is a pipe nobody reads any more (a broken socket is a real error)."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _fd, events in poll.poll(0))
    except (OSError, ValueError, AttributeError):  # not a real file, or no poll()
        return False


def _silence_stdout() -> None:
    """Point stdout at the null device so that nothing more is written to the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file (captured in tests): nothing to do
        pass


def _debug() -> bool:
    return os.environ.get("READINESS_DEBUG", "").lower() in {"1", "true", "yes"}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
