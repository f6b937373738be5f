"""`studio expenses` (add, list, mileage rate) and `studio profit-and-loss YEAR`."""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from studio.money import format_money
from studio.printing.settings import shop_profile
from studio.seller_tools import expenses
from studio.storage.database import open_database


def register(sub: argparse._SubParsersAction) -> None:
    spent = sub.add_parser("expenses", help="business expenses and mileage")
    spent_sub = spent.add_subparsers(dest="expenses_command", required=True)
    add = spent_sub.add_parser("add", help="record an expense, or miles driven for the business")
    add.add_argument("day", type=date.fromisoformat, metavar="DATE", help="YYYY-MM-DD")
    add.add_argument("category", help=f"e.g. {', '.join(expenses.CATEGORIES)}")
    add.add_argument("amount", help="money (12.50), or miles for Mileage (42.5)")
    add.add_argument("--note", default="")
    add.set_defaults(func=add_command)
    show = spent_sub.add_parser("list", help="the expenses of a year")
    show.add_argument("--year", type=int, default=date.today().year)
    show.set_defaults(func=list_command)
    rate = spent_sub.add_parser("rate", help="set a year's mileage rate in cents per mile")
    rate.add_argument("year", type=int)
    rate.add_argument("cents", help="e.g. 70")
    rate.set_defaults(func=rate_command)

    report = sub.add_parser("profit-and-loss", help="the year's profit and loss")
    report.add_argument("year", type=int)
    report.add_argument("--pdf", type=Path, help="write the printable page here")
    report.add_argument("--json", action="store_true")
    report.set_defaults(func=report_command)


def add_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).transaction() as session:
        try:
            row = expenses.add_expense(session, args.day, args.category, args.amount, args.note)
        except expenses.ExpenseError as error:
            print(error, file=sys.stderr)
            return 1
        cost = expenses.cost_of(row, expenses.mileage_rate(session, args.day.year))
    print(f"Recorded {row.category} on {row.spent_on}: {format_money(cost)}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).session() as session:
        rate = expenses.mileage_rate(session, args.year)
        rows = expenses.expenses(session, date(args.year, 1, 1), date(args.year, 12, 31))
        for row in rows:
            miles = f" ({row.miles_tenths / 10:g} mi)" if row.miles_tenths is not None else ""
            cost = format_money(expenses.cost_of(row, rate))
            print(f"{row.spent_on}  {row.category:<18} {cost:>10}{miles}  {row.note}")
    if not rows:
        print(f"No expenses recorded in {args.year}.")
    return 0


def rate_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).transaction() as session:
        try:
            expenses.set_mileage_rate(session, args.year, args.cents)
        except expenses.ExpenseError as error:
            print(error, file=sys.stderr)
            return 1
    print(f"Mileage in {args.year} is deducted at {args.cents} cents a mile.")
    return 0


def report_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).session() as session:
        report = expenses.profit_and_loss(session, args.year)
        shop_name = shop_profile(session).shop_name
    if args.json:
        print(json.dumps(_as_json(report), indent=2))
    else:
        for label, cents in _as_json(report).items():
            if isinstance(cents, int) and label.endswith("_cents"):
                print(
                    f"{label.removesuffix('_cents').replace('_', ' '):<22}{format_money(cents):>14}"
                )
    if args.pdf:
        from studio.printing.output import write_pdf
        from studio.printing.profit_and_loss import profit_and_loss_page
        from studio.printing.qt_app import ensure_gui_application

        ensure_gui_application()
        write_pdf([profit_and_loss_page(report, shop_name, date.today())], args.pdf)
        print(f"Wrote {args.pdf}", file=sys.stderr)
    return 0


def _as_json(report: expenses.ProfitAndLoss) -> dict[str, object]:
    return {
        "year": report.year,
        "sales": report.sales.sales,
        "revenue_cents": report.sales.revenue_cents,
        "cost_of_goods_cents": report.sales.cost_cents,
        "fees_cents": report.sales.fees_cents,
        "postage_cents": report.sales.shipping_cents,
        "gross_profit_cents": report.gross_profit_cents,
        "expenses_cents": report.expenses_cents,
        "net_profit_cents": report.net_profit_cents,
        "expenses_by_category_cents": report.expenses_by_category,
        "miles": report.miles_tenths / 10,
    }
