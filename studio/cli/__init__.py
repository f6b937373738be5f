"""The `studio` command line. Each area registers its sub-commands from its own module."""

import argparse
import sys
from collections.abc import Sequence

from studio import __version__
from studio.cli import (
    db_commands,
    expense_commands,
    item_commands,
    misc_commands,
    model_commands,
    photo_commands,
    print_commands,
    seller_commands,
    sync_commands,
)
from studio.storage.database import DatabaseProblem
from studio.storage.paths import data_dir

# Each module exposes `register(subparsers)` and sets `func(args) -> int` on its parsers.
COMMAND_MODULES = [
    item_commands,
    db_commands,
    misc_commands,
    photo_commands,
    model_commands,
    sync_commands,
    print_commands,
    seller_commands,
    expense_commands,
]


def build_parser() -> argparse.ArgumentParser:
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from studio.self_test import main as self_test

        return self_test()
    if args.demo and not args.data_dir:
        from studio.demo.mode import demo_data_dir

        args.data_dir = demo_data_dir()
    args.data_dir = data_dir(args.data_dir)
    if args.command is None:
        from studio.ui.app import run_app

        return run_app(args.data_dir, demo=args.demo)
    try:
        return int(args.func(args))
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
