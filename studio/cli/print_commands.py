"""`studio print pick-list|slips|labels|cards|tags|batch`: the window's documents from a
script, into a PDF or onto a printer."""

import argparse
import sys
from pathlib import Path

from studio.orders import service as orders
from studio.storage.database import open_database

DOCUMENTS = ("pick-list", "slips", "labels", "cards", "tags", "batch")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "print",
        help="print or save pick lists, packing slips, labels, thank-you cards or SKU tags",
        description="Without --pdf or --printer, each document goes to the printer its "
        "printer profile names.",
    )
    parser.add_argument("document", choices=DOCUMENTS)
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--orders", help="order numbers (or ids), comma-separated")
    chosen.add_argument("--today", action="store_true", help="every order still to ship")
    parser.add_argument("--items", help="SKUs for tags, comma-separated")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--pdf", type=Path, help="write the pages to this PDF file")
    target.add_argument("--printer", help="send every page to this printer")
    parser.set_defaults(func=run)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    from studio.printing.documents import Documents, destinations
    from studio.printing.output import PrintProblem, print_pages, write_pdf
    from studio.printing.qt_app import ensure_gui_application

    if args.document == "tags" and not args.items:
        print("Name the items to tag with --items SKU1,SKU2", file=sys.stderr)
        return 2
    if args.document != "tags" and not (args.orders or args.today):
        print("Choose the orders with --orders NUMBERS or --today", file=sys.stderr)
        return 2
    ensure_gui_application()
    database = open_database(args.data_dir)
    try:
        with database.transaction() as session:
            try:
                ids = (
                    [o.id for o in orders.todays_batch(session)]
                    if args.today
                    else orders.find_order_ids(session, _split(args.orders))
                )
                views = orders.load_orders(session, ids)
            except orders.OrderError as error:
                print(error, file=sys.stderr)
                return 1
            documents = Documents(session, args.data_dir)
            build = {
                "pick-list": documents.pick_list,
                "slips": documents.slips,
                "labels": documents.labels,
                "cards": documents.cards,
                "batch": documents.batch,
            }
            if args.document == "tags":
                pages = documents.tags(_split(args.items))
            else:
                pages = build[args.document](views) if views else []
            where = destinations(session, args.printer or "")
        for warning in documents.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if not pages:
            print("Nothing to print.", file=sys.stderr)
            return 1
        try:
            if args.pdf:
                write_pdf(pages, args.pdf, title=f"Seller Studio {args.document}")
                print(f"Wrote {len(pages)} page(s) to {args.pdf}")
            else:
                used = print_pages(pages, where.__getitem__, f"Seller Studio {args.document}")
                print(f"Sent {len(pages)} page(s) to {', '.join(dict.fromkeys(used))}")
        except PrintProblem as problem:
            print(problem, file=sys.stderr)
            return 1
    finally:
        database.close()
    return 0
