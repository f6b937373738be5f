"""`studio show new|add|list|run-sheet`: a live show's line-up and its run sheet."""

import argparse
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.money import format_money
from studio.shows import service as shows
from studio.shows.service import ShowError
from studio.storage.database import open_database

EVENING = time(19, 0)  # a show without --at starts tomorrow at seven


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("show", help="live shows: line-up, run sheet")
    show_sub = parser.add_subparsers(dest="show_command", required=True)
    new = show_sub.add_parser("new", help="plan a show")
    new.add_argument("title")
    new.add_argument("--at", help="when it starts, e.g. '2026-12-06 19:00' (local time)")
    new.add_argument("--on", default="", metavar="MARKETPLACE", help="host it live there")
    new.set_defaults(func=new_command)
    add = show_sub.add_parser("add", help="put items in a show's line-up")
    add.add_argument("show", help="the show's number or title")
    add.add_argument("skus", nargs="+", metavar="SKU")
    add.add_argument("--position", type=int, help="where in the line-up (1 first); default last")
    add.set_defaults(func=add_command)
    listing = show_sub.add_parser("list", help="the shows, or one show's line-up")
    listing.add_argument("show", nargs="?", help="a show's number or title")
    listing.set_defaults(func=list_command)
    sheet = show_sub.add_parser("run-sheet", help="the run sheet and pull list as a PDF")
    sheet.add_argument("show", help="the show's number or title")
    sheet.add_argument("--pdf", type=Path, required=True, help="write the pages to this file")
    sheet.set_defaults(func=run_sheet_command)


def _starts_at(text: str | None) -> datetime:
    if text is None:
        tomorrow = datetime.now().astimezone().date() + timedelta(days=1)
        return datetime.combine(tomorrow, EVENING).astimezone()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ShowError(
            f"'{text}' is not a date and time; write it like 2026-12-06 19:00"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def new_command(args: argparse.Namespace) -> int:
    try:
        starts = _starts_at(args.at)
        with open_database(args.data_dir).transaction() as session:
            show = shows.create_show(session, args.title, starts, args.on)
            number = show.id
    except ShowError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Show {number}: {args.title.strip()}, {starts:%a %d %b %Y %H:%M}")
    return 0


def _item_ids(session: Session, skus: list[str]) -> list[int]:
    rows = session.exec(select(Item.sku, Item.id).where(col(Item.sku).in_(skus))).all()
    found = {sku: item_id for sku, item_id in rows if item_id is not None}
    missing = [sku for sku in skus if sku not in found]
    if missing:
        raise ShowError(f"No item with SKU {', '.join(missing)}.")
    return [found[sku] for sku in skus]


def add_command(args: argparse.Namespace) -> int:
    if args.position is not None and args.position < 1:
        print("--position counts from 1 (the first item on air).", file=sys.stderr)
        return 2
    try:
        with open_database(args.data_dir).transaction() as session:
            show = shows.find_show(session, args.show)
            at = None if args.position is None else args.position - 1
            added = shows.add_items(session, show.id or 0, _item_ids(session, args.skus), at)
            view = shows.lineup(session, show.id or 0)
    except ShowError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Added {added} item(s) to {view.title}; its line-up has {len(view.rows)}.")
    return 0


def list_command(args: argparse.Namespace) -> int:
    try:
        with open_database(args.data_dir).session() as session:
            if args.show is None:
                summaries = shows.list_shows(session)
                view = None
            else:
                view = shows.lineup(session, shows.find_show(session, args.show).id or 0)
    except ShowError as error:
        print(error, file=sys.stderr)
        return 1
    if view is None:
        for s in summaries:
            sold = f", {s.sold} sold for {format_money(s.revenue_cents)}" if s.sold else ""
            print(
                f"{s.id}  {s.starts_at.astimezone():%Y-%m-%d %H:%M}  {s.title}  "
                f"({s.status}, {s.items} items{sold})"
            )
        if not summaries:
            print('No shows yet: `studio show new "Sunday denim" --at "2026-12-06 19:00"`.')
        return 0
    print(f"{view.title}, {view.starts_at.astimezone():%a %d %b %Y %H:%M} ({view.status})")
    for row in view.rows:
        sold = f"  sold to {row.sold_to} at {format_money(row.sold_cents)}" if row.sold_to else ""
        print(
            f"{row.position:>3}. {row.sku}  {row.title}  bin {row.bin_location or '-'}  "
            f"open {format_money(row.opening_cents) or '-'}  "
            f"floor {format_money(row.floor_cents) or '-'}{sold}"
        )
    return 0


def run_sheet_command(args: argparse.Namespace) -> int:
    from studio.printing.documents import Documents
    from studio.printing.output import PrintProblem, write_pdf
    from studio.printing.qt_app import ensure_gui_application

    ensure_gui_application()
    database = open_database(args.data_dir)
    try:
        with database.session() as session:
            view = shows.lineup(session, shows.find_show(session, args.show).id or 0)
            if not view.rows:
                raise ShowError(f"{view.title} has no items yet: `studio show add` some first.")
            pages = Documents(session, args.data_dir).run_sheet(view)
        write_pdf(pages, args.pdf, title=f"Run sheet: {view.title}")
    except (ShowError, PrintProblem) as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Cannot write {args.pdf} ({error.strerror or error}).", file=sys.stderr)
        return 1
    finally:
        database.close()
    print(f"Wrote {len(pages)} page(s) to {args.pdf}")
    return 0
