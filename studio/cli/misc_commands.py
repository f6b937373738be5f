"""`studio demo-data` and `studio screenshot`."""

import argparse
from pathlib import Path

from studio.demo.data import add_demo_items
from studio.storage.database import open_database


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo-data", help="fill the inventory with realistic fake items")
    demo.add_argument("--items", type=int, default=500)
    demo.add_argument("--seed", type=int, default=42)
    demo.set_defaults(func=demo_data)

    shot = sub.add_parser("screenshot", help="render the main window into a PNG, offscreen")
    shot.add_argument("out", type=Path)
    shot.add_argument("--section", default="inventory")
    shot.add_argument("--size", default="1440x900", help="window size, e.g. 1440x900")
    shot.add_argument("--edit", metavar="SKU", help="the item editor on this item instead")
    shot.add_argument("--tab", type=int, default=0, help="with --edit: the editor's tab, from 0")
    shot.set_defaults(func=screenshot)


def demo_data(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    with database.transaction() as session:
        count = add_demo_items(
            session,
            args.items,
            seed=args.seed,
            progress=lambda done, total: print(f"\r{done}/{total}", end="", flush=True),
        )
    print(f"\nAdded {count} demo items to {args.data_dir}")
    return 0


def screenshot(args: argparse.Namespace) -> int:
    from studio.ui.screenshot import take_screenshot

    width, height = (int(part) for part in args.size.lower().split("x"))
    take_screenshot(args.data_dir, args.out, args.section, (width, height), args.edit, args.tab)
    print(f"Saved {args.out}")
    return 0
