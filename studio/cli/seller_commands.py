"""`studio offers`, `studio price-drops`, `studio insights` and `studio suggest`."""

import argparse
import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from studio.inventory.tables import Item, utc_now
from studio.money import MoneyError, format_money, parse_money, to_cents
from studio.seller_tools import bundles, likers_offers, offer_rules, price_drops, smart_offers
from studio.seller_tools.insights import insights
from studio.seller_tools.insights_report import as_json, sales_csv
from studio.seller_tools.offers import OfferError
from studio.storage.database import open_database
from studio.storage.paths import photos_dir


def register(sub: argparse._SubParsersAction) -> None:
    offers = sub.add_parser("offers", help="offers to likers and smart offer suggestions")
    offers_sub = offers.add_subparsers(dest="offers_command", required=True)
    smart = offers_sub.add_parser("smart", help="which listings to send an offer on today")
    smart.add_argument("--json", action="store_true")
    smart.set_defaults(func=smart_command)
    send = offers_sub.add_parser("send", help="send an offer to every liker of the items")
    send.add_argument("skus", nargs="+", metavar="SKU")
    price = send.add_mutually_exclusive_group(required=True)
    price.add_argument("--price", help="the offer price, e.g. 39.00")
    price.add_argument("--percent-off", type=Decimal, help="e.g. 15")
    send.add_argument("--shipping-discount", default="0", help="e.g. 2.00")
    send.add_argument("--hours", type=int, default=24, help="how long the offer lasts")
    send.set_defaults(func=send_command)
    rule = offers_sub.add_parser(
        "rule", help="set, show or clear one item's offer rule (it overrides the global one)"
    )
    rule.add_argument("sku")
    rule.add_argument("--decline-below-floor", action="store_true")
    rule.add_argument("--counter-percent", type=int, metavar="N", help="e.g. 90")
    rule.add_argument("--accept-at", metavar="PRICE", help="e.g. 85.00")
    rule.add_argument("--clear", action="store_true", help="back to the global rule")
    rule.set_defaults(func=rule_command)

    drops = sub.add_parser("price-drops", help="scheduled price drops")
    drops_sub = drops.add_subparsers(dest="drops_command", required=True)
    plan = drops_sub.add_parser("plan", help="plan drops for items, down to their floor")
    plan.add_argument("skus", nargs="+", metavar="SKU")
    plan.add_argument("--percent", type=int, default=10)
    plan.add_argument("--every-days", type=int, default=7)
    plan.set_defaults(func=plan_command)
    show = drops_sub.add_parser("list", help="the plans and their timelines")
    show.set_defaults(func=list_plans_command)
    run = drops_sub.add_parser("run", help="apply the steps that are due now")
    run.set_defaults(func=run_drops_command)

    report = sub.add_parser("insights", help="sales, profit, sell-through and more")
    report.add_argument("--from", dest="start", type=date.fromisoformat)
    report.add_argument("--to", dest="end", type=date.fromisoformat)
    report.add_argument("--json", action="store_true", help="the figures as JSON")
    report.add_argument("--csv", action="store_true", help="every sale as CSV")
    report.set_defaults(func=insights_command)

    suggest = sub.add_parser("suggest", help="items that go with an item (bundle suggestions)")
    suggest.add_argument("sku")
    suggest.add_argument("--json", action="store_true")
    suggest.set_defaults(func=suggest_command)


def _items(session: Session, skus: list[str]) -> list[Item]:
    found = {i.sku: i for i in session.exec(select(Item).where(Item.sku.in_(skus)))}  # type: ignore[attr-defined]
    missing = [sku for sku in skus if sku not in found]
    if missing:
        raise OfferError(f"no item with SKU {', '.join(missing)}")
    return [found[sku] for sku in skus]


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def smart_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).session() as session:
        found = smart_offers.suggest(session, utc_now())
    if args.json:
        _print([{**s.__dict__} for s in found])
    for s in [] if args.json else found:
        print(f"{s.title}: {format_money(s.amount_cents)} — {s.reason}")
    if not found and not args.json:
        print("No listing needs an offer today.")
    return 0


def send_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    try:
        amount = to_cents(parse_money(args.price)) if args.price else None
        discount = to_cents(parse_money(args.shipping_discount)) or 0
        with database.transaction() as session:
            ids = [item.id or 0 for item in _items(session, args.skus)]
            quotes = likers_offers.quote(session, ids, amount, args.percent_off)
            sent = likers_offers.send_to_likers(
                session, ids, amount, args.percent_off, discount, args.hours
            )
    except (OfferError, MoneyError) as error:
        print(error, file=sys.stderr)
        return 1
    for q in quotes:
        where = f" on {q.marketplace}" if q.marketplace else ""
        print(
            f"{q.title}{where}: {format_money(q.amount_cents)} to {q.likers} liker(s), "
            f"you keep {format_money(q.net_cents)} after a {format_money(q.fee_cents)} fee"
        )
    print(f"Queued {len(sent)} offer(s); they go out with the next sync.")
    return 0


def rule_command(args: argparse.Namespace) -> int:
    setting = args.decline_below_floor or args.counter_percent is not None or args.accept_at
    if args.clear and setting:
        print("--clear cannot be combined with rule settings.", file=sys.stderr)
        return 1
    try:
        accept = to_cents(parse_money(args.accept_at)) if args.accept_at else None
        with open_database(args.data_dir).transaction() as session:
            [item] = _items(session, [args.sku])
            item_id = item.id or 0
            if args.clear:
                cleared = offer_rules.clear_rule(session, item_id)
                print(f"{item.sku}: " + ("rule cleared" if cleared else "had no rule of its own"))
            elif setting:
                terms = offer_rules.RuleTerms(
                    args.decline_below_floor, args.counter_percent, accept
                )
                offer_rules.save_rule(session, item_id, terms)
            applies = offer_rules.describe(offer_rules.rule_for(session, item_id))
            print(f"{item.sku} follows: {applies}")
    except ValueError as error:  # an unknown SKU, a bad price or percentage
        print(error, file=sys.stderr)
        return 1
    return 0


def plan_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    try:
        with database.transaction() as session:
            for item in _items(session, args.skus):
                plan = price_drops.create_plan(session, item.id or 0, args.percent, args.every_days)
                print(f"{item.sku}: plan {plan.id}, {args.percent}% every {args.every_days} days")
    except (OfferError, price_drops.PlanError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def list_plans_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).session() as session:
        plans = price_drops.timelines(session)
    for plan in plans:
        print(f"{plan.sku} {plan.title} ({plan.status}{': ' + plan.note if plan.note else ''})")
        for step in plan.steps:
            when = step.due_at.astimezone().strftime("%Y-%m-%d")
            print(f"  {step.number:>2}. {when} {format_money(step.price_cents):>10} {step.state}")
    if not plans:
        print("No price-drop plans.")
    return 0


def run_drops_command(args: argparse.Namespace) -> int:
    with open_database(args.data_dir).transaction() as session:
        done = price_drops.run_due_steps(session)
    for action in done:
        print(action.detail)
    print(f"{len(done)} price(s) dropped.")
    return 0


def insights_command(args: argparse.Namespace) -> int:
    end = args.end or date.today()
    start = args.start or end - timedelta(days=364)
    if start > end:
        print("--from must be on or before --to.", file=sys.stderr)
        return 1
    with open_database(args.data_dir).session() as session:
        if args.csv:
            sys.stdout.write(sales_csv(session, start, end))
            return 0
        figures = as_json(insights(session, start, end, utc_now()))
    if args.json:
        _print(figures)
        return 0
    totals = figures["totals"]
    print(f"{figures['from']} to {figures['to']}: {totals['sales']} sale(s)")
    for name in ("revenue", "cost", "fees", "shipping", "profit"):
        print(f"  {name:<9} {totals[name]:>12}")
    print(f"  sell-through {figures['sell_through_percent'] or '-'}%")
    print(f"  days to sell {figures['average_days_to_sell'] or '-'}")
    print(f"  best brands  {', '.join(figures['best_brands']) or '-'}")
    return 0


def suggest_command(args: argparse.Namespace) -> int:
    data_dir = args.data_dir
    with open_database(data_dir).transaction() as session:
        try:
            [item] = _items(session, [args.sku])
        except OfferError as error:
            print(error, file=sys.stderr)
            return 1
        found = bundles.suggest(session, [item.id or 0], photos_dir(data_dir))
    if args.json:
        _print(
            [
                {"sku": s.sku, "title": s.title, "score": s.score, "reasons": list(s.reasons)}
                for s in found
            ]
        )
        return 0
    for s in found:
        print(f"{s.sku} {s.title}: {'; '.join(s.reasons)}")
    if not found:
        print("Nothing in stock goes with it.")
    return 0
