"""The `studio` command line. Each area registers its sub-commands from its own module."""

import argparse
import importlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError

from studio import __version__
from studio.logs import mask_secrets, record_crash
from studio.storage.database import DatabaseProblem
from studio.storage.paths import data_dir

# Each module exposes `register(subparsers)` and sets `func(args) -> int` on its parsers.
# They are imported only when a command is given: opening the window needs none of them,
# and between them they load most of the studio (photos, sync, printing).
COMMAND_MODULES = (
    "item_commands",
    "db_commands",
    "misc_commands",
    "photo_commands",
    "model_commands",
    "sync_commands",
    "print_commands",
    "seller_commands",
    "expense_commands",
    "show_commands",
    "video_commands",
)
WINDOW_FLAGS = ("--demo", "--self-test")


def opens_the_window(argv: Sequence[str]) -> bool:
    """Whether the arguments are global options only (no command, no --help)."""
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--data-dir" and rest:
            rest.pop(0)
        elif not (token.startswith("--data-dir=") or token in WINDOW_FLAGS):
            return False
    return True


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Seller Studio")
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    parser.add_argument(
        "--data-dir", help="folder holding the inventory (default: STUDIO_DATA_DIR or user dir)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo inventory, with a local marketplace and simulated buyers",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (database, photos, printing) in a temporary folder",
    )
    parser.set_defaults(command=None)
    if commands:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            importlib.import_module(f"studio.cli.{name}").register(sub)
    return parser


BUSY = (
    "The inventory is busy: another Seller Studio (the app, a sync or another command) is "
    "writing to it. Wait a moment and run the command again; nothing was changed."
)


def main(argv: Sequence[str] | None = None) -> int:
    # Arguments and file names may hold bytes that are not text (surrogate escapes): echoing
    # them in a message must not become an error of its own.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(commands=not opens_the_window(argv)).parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    except OperationalError as error:
        # SQLite gave up waiting (busy_timeout) for another process's write: say so plainly.
        if "locked" not in str(error) and "busy" not in str(error):
            return _unexpected(args, error)
        print(BUSY, file=sys.stderr)
        return 1
    except Exception as error:  # the last guard: no traceback ever reaches the terminal
        return _unexpected(args, error)


def _run(args: argparse.Namespace) -> int:
    if args.self_test:
        from studio.self_test import main as self_test

        return self_test()
    if args.demo and not args.data_dir:
        from studio.demo.mode import demo_data_dir

        args.data_dir = demo_data_dir()
    try:
        args.data_dir = data_dir(args.data_dir)
    except OSError as error:
        raise DatabaseProblem(
            f"Cannot keep the inventory in {error.filename or args.data_dir} "
            f"({error.strerror or error}); choose another folder with --data-dir."
        ) from error
    if args.command is None:
        from studio.ui.app import run_app

        return run_app(args.data_dir, demo=args.demo)
    return int(args.func(args))


def _unexpected(args: argparse.Namespace, error: Exception) -> int:
    """One short line on the terminal; the traceback goes to the data dir's log."""
    folder = args.data_dir if isinstance(args.data_dir, Path) else None
    log = record_crash(folder, error) if folder else None
    details = (
        f" The details are in {log}; please send that file with a report if it happens again."
        if log
        else ""
    )
    print(
        f"Seller Studio could not finish the command ({type(error).__name__}: "
        f"{_first_line(error)}).{details}",
        file=sys.stderr,
    )
    return 1


def _first_line(error: Exception) -> str:
    # Masked like the log: an HTTP error may quote a header with the token in it.
    return mask_secrets((str(error).strip().splitlines() or [""])[0][:200])


if __name__ == "__main__":
    sys.exit(main())
