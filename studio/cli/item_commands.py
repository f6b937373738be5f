"""`studio items list|add|import|export`."""

import argparse
import sys
from pathlib import Path

from studio.inventory import service as inventory
from studio.inventory import sku as skus
from studio.inventory.csv_export import export_csv
from studio.inventory.csv_import import ImportFailed, import_csv
from studio.inventory.fields import FIELDS
from studio.inventory.queries import ItemQuery, fetch_rows, search_ids
from studio.money import format_money
from studio.storage.database import open_database


def register(sub: argparse._SubParsersAction) -> None:
    items = sub.add_parser("items", help="list, add, import and export items")
    actions = items.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="print items, newest first")
    listing.add_argument("query", nargs="?", default="", help="search words, e.g. 'lulu leg'")
    listing.add_argument("--status", action="append", default=[], help="only this status")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=list_items)

    add = actions.add_parser("add", help="add one item")
    for spec in FIELDS:
        flag = "--" + spec.name.removesuffix("_cents").replace("_", "-")
        add.add_argument(flag, dest=spec.name, required=spec.name == "title")
    add.set_defaults(func=add_item)

    importing = actions.add_parser("import", help="import a CSV file (all rows or none)")
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--update-existing", action="store_true", help="update items whose SKU already exists"
    )
    importing.set_defaults(func=import_items)

    prefix = actions.add_parser("prefix", help="show or set a category's SKU prefix")
    prefix.add_argument("category", nargs="?", help="e.g. Bags (omit to list them all)")
    prefix.add_argument("prefix", nargs="?", help="e.g. BAG; new SKUs of the category use it")
    prefix.set_defaults(func=sku_prefix)

    exporting = actions.add_parser("export", help="export items to a CSV file")
    exporting.add_argument("file", type=Path)
    exporting.add_argument("query", nargs="?", default="", help="only items matching these words")
    exporting.add_argument("--status", action="append", default=[], help="only this status")
    exporting.set_defaults(func=export_items)


def _query(args: argparse.Namespace) -> ItemQuery:
    return ItemQuery(text=args.query, statuses=tuple(args.status))


def list_items(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    with database.session() as session:
        ids = search_ids(session, _query(args))
        rows = fetch_rows(session, ids[: args.limit])
    for item_id in ids[: args.limit]:
        row = rows[item_id]
        price = format_money(row.list_price_cents)
        print(f"{row.sku:<12} {row.status:<9} {price:>10}  {row.bin_location:<8} {row.title}")
    print(f"{len(ids)} item(s)" + (f", first {args.limit} shown" if len(ids) > args.limit else ""))
    return 0


def add_item(args: argparse.Namespace) -> int:
    raw = {spec.name: getattr(args, spec.name) for spec in FIELDS}
    raw = {name: value for name, value in raw.items() if value is not None}
    database = open_database(args.data_dir)
    try:
        with database.transaction() as session:
            item = inventory.create_item(session, inventory.parse_values(raw))
    except inventory.ValidationError as error:
        print(f"Not added. {error}", file=sys.stderr)
        return 1
    print(f"Added {item.sku}: {item.title}")
    return 0


def import_items(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"{args.file} does not exist; give the path of a CSV file.", file=sys.stderr)
        return 1
    database = open_database(args.data_dir)
    try:
        with database.transaction() as session:
            report = import_csv(session, args.file, update_existing=args.update_existing)
    except ImportFailed as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Imported {report.created} new and updated {report.updated} item(s).")
    if report.ignored_columns:
        print(f"Ignored columns: {', '.join(report.ignored_columns)}")
    return 0


def export_items(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    with database.session() as session:
        query = _query(args)
        ids = None if query == ItemQuery() else search_ids(session, query)
        count = export_csv(session, args.file, ids)
    print(f"Exported {count} item(s) to {args.file}")
    return 0


def sku_prefix(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    if args.category is None or args.prefix is None:
        with database.session() as session:
            known = skus.prefixes(session)
        for category in sorted(known, key=str.lower):
            if args.category in (None, category):
                print(f"{category or '(no category)':<20} {known[category]}")
        return 0
    try:
        with database.transaction() as session:
            skus.set_prefix(session, args.category, args.prefix)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"New {args.category} items get SKUs starting with {args.prefix.upper()}-.")
    return 0
