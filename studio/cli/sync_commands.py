"""`studio connect`, `studio accounts`, `studio publish` and `studio sync`."""

import argparse
import os
import sys
import time
import webbrowser
from decimal import Decimal

from sqlmodel import col, select

from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.money import MoneyError, parse_money, to_cents
from studio.seller_tools.fees import FeeSchedule
from studio.storage.credentials import CredentialStore, credential_store
from studio.storage.database import Database, open_database
from studio.sync import closet_import, outbox, pricing
from studio.sync.accounts import Health, account_states, remove_account
from studio.sync.addresses import LAN_FLAG, check_address
from studio.sync.connection import (
    EBAY,
    EBAY_KEYS,
    SELLER_API,
    build_client,
    build_clients,
    connect_ebay,
    connect_with_browser,
    connect_with_token,
    connected_accounts,
    start_ebay_sign_in,
)
from studio.sync.engine import SyncEngine
from studio.sync.port import NotConnected
from studio.sync.price_settings import set_terms
from studio.sync.tables import OPEN_STATES, MarketplaceAccount, OpState, OutboxOp


def register(sub: argparse._SubParsersAction) -> None:
    connect = sub.add_parser("connect", help="connect this inventory to a marketplace")
    connect.add_argument(
        "url", help="a Seller API server, e.g. https://market.example.com, or `ebay`"
    )
    connect.add_argument(
        "--name",
        help=f"your name for this marketplace (default {SELLER_API}, or ebay); connecting a "
        "name again signs it in again",
    )
    connect.add_argument(
        "--token", help="a personal API token (without it, sign in through the browser)"
    )
    connect.add_argument(
        "--sandbox", action="store_true", help="eBay: the sandbox rather than the live site"
    )
    connect.add_argument(
        LAN_FLAG,
        dest="allow_insecure_lan",
        action="store_true",
        help="allow plain http to a test server on your own network (the sign-in travels "
        "unencrypted); https is required otherwise, except on this computer",
    )
    connect.set_defaults(func=connect_command)

    accounts = sub.add_parser("accounts", help="the connected marketplaces")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    accounts_sub.add_parser("list", help="each marketplace and its state").set_defaults(
        func=accounts_list_command
    )
    remove = accounts_sub.add_parser("remove", help="disconnect a marketplace (items stay)")
    remove.add_argument("name")
    remove.add_argument(
        "--drop-waiting",
        action="store_true",
        help="remove it even though changes still wait to reach it (they are dropped)",
    )
    remove.set_defaults(func=accounts_remove_command)
    terms = accounts_sub.add_parser(
        "set",
        help="a marketplace's price rule and fee (what is not given stays as it is)",
        description="Sets the price rule the studio lists with on a marketplace (the list "
        "price plus a percentage, then rounded to an ending, never below a minimum) and the "
        "fee the marketplace keeps, used for every net shown. A new rule re-prices the "
        "listings already there with the next sync.",
    )
    terms.add_argument("name")
    terms.add_argument(
        "--price-percent", type=int, metavar="N", help="add N%% to the list price (0: none)"
    )
    terms.add_argument(
        "--price-ending",
        choices=("00", "99", "keep"),
        help="the nearest price ending in .00 or .99, or keep the cents",
    )
    terms.add_argument(
        "--price-minimum", metavar="AMOUNT", help="never below this, e.g. 5.00 (0: none)"
    )
    terms.add_argument(
        "--fee-percent", type=Decimal, metavar="PERCENT", help="the fee on a sale, e.g. 20 or 12.5"
    )
    terms.add_argument(
        "--flat-fee", metavar="AMOUNT", help="the fee instead, below --flat-fee-below, e.g. 2.95"
    )
    terms.add_argument("--flat-fee-below", metavar="AMOUNT", help="e.g. 15.00 (0: no flat fee)")
    terms.set_defaults(func=accounts_set_command)

    publish = sub.add_parser("publish", help="queue items for listing on marketplaces")
    publish.add_argument("skus", nargs="*", metavar="SKU")
    publish.add_argument("--all-ready", action="store_true", help="every item marked ready")
    publish.add_argument(
        "--to",
        metavar="NAME[,NAME...]",
        help="the marketplaces to list on (default: every connected marketplace)",
    )
    publish.set_defaults(func=publish_command)

    sync = sub.add_parser("sync", help="fetch what buyers did, then send queued changes")
    sync.add_argument("--status", action="store_true", help="only show what is queued")
    sync.set_defaults(func=sync_command)

    closet = sub.add_parser(
        "import-listings",
        help="bring a marketplace's existing listings in as items",
        description="Matches every listing on the marketplace that no item is linked to with "
        "your inventory (by SKU, then by title, price and cover photo) and prints what will be "
        "linked, created or left alone; then creates the new items with their photos, likes "
        "and offers. Stopped or cut off, run it again: it carries on without duplicates.",
    )
    closet.add_argument("name", metavar="NAME", help="the marketplace, as `accounts list` names it")
    closet.add_argument(
        "--dry-run", action="store_true", help="only print what would be linked, created or left"
    )
    closet.set_defaults(func=import_listings_command)


def connect_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    credentials = credential_store(args.data_dir)
    try:
        if args.url.lower() == EBAY:
            account = _connect_ebay(database, credentials, args.name or EBAY, args.sandbox)
            return _connected(account, credentials)
        # Checked before anything is sent: neither the token nor the browser sign-in may
        # travel in clear to a host the seller did not explicitly accept.
        insecure = args.allow_insecure_lan
        url = check_address(args.url, allow_insecure=insecure)
        if args.token:
            name = args.name or SELLER_API
            account = connect_with_token(database, credentials, url, args.token, name, insecure)
        else:
            account = connect_with_browser(
                database,
                credentials,
                url,
                show_url=_show_sign_in,
                name=args.name or SELLER_API,
                allow_insecure=insecure,
            )
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Sign-in cancelled; nothing was connected.", file=sys.stderr)
        return 1
    return _connected(account, credentials)


def _connected(account: MarketplaceAccount, credentials: CredentialStore) -> int:
    print(f"Connected {account.name} ({account.base_url}) as {account.seller_name}.")
    print(f"The credentials are kept in {credentials.where}.")
    return 0


def _connect_ebay(
    database: Database, credentials: CredentialStore, name: str, sandbox: bool
) -> MarketplaceAccount:
    """eBay signs a desktop app in through the seller's own developer keys and their RuName:
    eBay shows the code on its accept page's address, which the seller pastes here."""
    keys = {key: os.environ.get(f"EBAY_{key.upper()}", "") for key in EBAY_KEYS}
    for key, label in EBAY_KEYS.items():
        while not keys[key]:
            keys[key] = input(f"{label} (or set EBAY_{key.upper()}): ").strip()
    sign_in = start_ebay_sign_in(keys, sandbox)
    site = sign_in.environment.name
    print(f"Sign in to eBay ({site}) in your browser and agree. If it does not open, visit:")
    print(f"  {sign_in.url}", flush=True)
    webbrowser.open(sign_in.url)
    pasted = input("Then paste here the whole address your browser shows: ")
    return connect_ebay(database, credentials, name, sign_in, pasted)


def _show_sign_in(url: str) -> None:
    print("Sign in to the marketplace in your browser. If it does not open, visit:")
    print(f"  {url}", flush=True)


def accounts_list_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    with database.session() as session:
        states = account_states(session, utc_now())
        terms_by_name = {market.name: market for market in pricing.connected_terms(session)}
    if not states:
        print("No marketplace is connected. Run `studio connect URL --name NAME`.")
        return 0
    for state in states:
        last = state.last_sync_at.astimezone() if state.last_sync_at else "never"
        print(f"{state.name:<16} {state.health:<10} {state.base_url}")
        print(f"  {state.words}; last sync {last}; {state.waiting_ops} change(s) waiting")
        if state.name in terms_by_name:
            print(f"  {terms_by_name[state.name].words}")
    return 0


def accounts_remove_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    try:
        dropped = remove_account(
            database, credential_store(args.data_dir), args.name, args.drop_waiting
        )
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Removed {args.name}; its items stay in your inventory.")
    if dropped:
        print(f"{dropped} change(s) that had not reached it were dropped.")
    return 0


def accounts_set_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    try:
        with database.transaction() as session:
            if session.get(MarketplaceAccount, args.name) is None:
                raise NotConnected(
                    f"No marketplace is called {args.name!r}; see `studio accounts list`."
                )
            now = pricing.terms_for(session, args.name)
            rule, fees = _rule_asked(args, now.rule), _fees_asked(args, now.fees)
            repriced = set_terms(session, args.name, rule, fees)
            words = pricing.terms_for(session, args.name).words
    except (pricing.PricingError, MoneyError, NotConnected) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.name}: {words}.")
    if repriced:
        print(
            f"Queued {repriced} price update(s) for the listings there; `studio sync` sends them."
        )
    return 0


def _cents_asked(text: str | None, current: int) -> int:
    return current if text is None else to_cents(parse_money(text)) or 0


def _rule_asked(args: argparse.Namespace, current: pricing.PriceRule) -> pricing.PriceRule:
    ending = current.ending if args.price_ending is None else args.price_ending
    return pricing.PriceRule(
        current.percent if args.price_percent is None else args.price_percent,
        "" if ending == "keep" else ending,
        _cents_asked(args.price_minimum, current.minimum_cents),
    )


def _fees_asked(args: argparse.Namespace, current: FeeSchedule) -> FeeSchedule:
    rate = current.rate_bp
    if args.fee_percent is not None:
        rate = pricing.basis_points(args.fee_percent)
    return FeeSchedule(
        rate,
        _cents_asked(args.flat_fee, current.flat_cents),
        _cents_asked(args.flat_fee_below, current.flat_below_cents),
    )


def publish_command(args: argparse.Namespace) -> int:
    if not args.skus and not args.all_ready:
        print("Name the SKUs to publish, or use --all-ready.", file=sys.stderr)
        return 2
    database = open_database(args.data_dir)
    connected = [account.name for account in connected_accounts(database)]
    targets = (
        [name.strip() for name in args.to.split(",") if name.strip()] if args.to else connected
    )
    unknown = sorted(set(targets) - set(connected))
    if not connected or unknown:
        known = ", ".join(connected) or "none yet; run `studio connect URL --name NAME`"
        print(
            f"No marketplace is called {', '.join(unknown)}; connected: {known}.", file=sys.stderr
        )
        return 1
    with database.transaction() as session:
        query = select(Item)
        if args.all_ready:
            query = query.where(Item.status == ItemStatus.READY.value)
        else:
            query = query.where(col(Item.sku).in_([sku.upper() for sku in args.skus]))
        items = list(session.exec(query).all())
        missing = sorted({s.upper() for s in args.skus} - {item.sku for item in items})
        if missing:
            print(f"No item has SKU {', '.join(missing)}; nothing was queued.", file=sys.stderr)
            session.rollback()
            return 1
        queued = [
            f"{item.sku} on {name}"
            for name in targets
            for item in items
            if outbox.publish(session, item, name)
        ]
    print(f"Queued {len(queued)} listing(s)" + (f": {', '.join(queued)}" if queued else ""))
    print("Run `studio sync` (or keep the app open) to send them.")
    return 0


def import_listings_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    try:
        client = build_client(database, credential_store(args.data_dir), args.name)
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    progress = _ImportProgress()
    try:
        if args.dry_run:
            plan = closet_import.preview(database, client, progress)
            print("\n".join(plan.lines()))
            print("Dry run: nothing was changed.")
            return 0
        report = closet_import.run_import(
            database, args.data_dir, client, progress, on_plan=_print_plan
        )
    except closet_import.ImportStopped as stopped:
        print(stopped, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "Stopped; what was imported is kept. Run the same command again to carry on.",
            file=sys.stderr,
        )
        return 1
    finally:
        client.close()
    for problem in report.problems:
        print(f"  {problem}")
    print(report.summary())
    if report.seconds >= 1:
        print(f"{report.done:,} listing(s) in {report.seconds:.1f} s ({report.per_second:.1f}/s).")
    return 1 if report.cancelled else 0


def _print_plan(plan: closet_import.ImportPlan) -> None:
    print("\n".join(plan.lines()), flush=True)


class _ImportProgress:
    """How far the import is, on stderr, every couple of seconds."""

    def __init__(self) -> None:
        self.shown = 0.0

    def __call__(self, done: int, total: int, text: str) -> bool:
        now = time.monotonic()
        if now - self.shown >= 2 or (done and done == total):
            self.shown = now
            where = f"{done:,} of {total:,} listing(s), " if total > 1 else ""
            print(f"Import: {where}{text}", file=sys.stderr, flush=True)
        return True


def sync_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    if args.status:
        return _status(database)
    clients, missing = build_clients(database, credential_store(args.data_dir))
    for problem in missing:
        print(problem, file=sys.stderr)
    if not clients:
        if not missing:
            print(
                "No marketplace is connected yet. Run `studio connect URL --name NAME`.",
                file=sys.stderr,
            )
        return 1
    try:
        report = SyncEngine(database, args.data_dir, clients).cycle()
    finally:
        for client in clients:
            client.close()
    print(report.summary())
    skipped = any(r.skipped for r in report.accounts.values())
    return 1 if report.push.stopped or report.skipped or skipped or missing else 0


def _status(database: Database) -> int:
    with database.session() as session:
        ops = session.exec(
            select(OutboxOp)
            .where(col(OutboxOp.state).in_((*OPEN_STATES, OpState.PARKED.value)))
            .order_by(col(OutboxOp.id))
        ).all()
        states = account_states(session, utc_now())
        errors = {a.name: a.last_error for a in session.exec(select(MarketplaceAccount))}
    if not states:
        print("No marketplace is connected yet. Run `studio connect URL --name NAME`.")
    for state in states:
        last = state.last_sync_at.astimezone() if state.last_sync_at else None
        print(f"{state.name}: {state.base_url}, last sync {last or 'never'}")
        if state.health is not Health.OK:
            print(f"  {'Attention' if state.needs_attention else 'Note'}: {state.words}")
        if errors.get(state.name):
            print(f"  Last error: {errors[state.name]}")
    waiting = [op for op in ops if op.state in OPEN_STATES]
    parked = [op for op in ops if op.state == OpState.PARKED.value]
    print(f"{len(waiting)} change(s) waiting, {len(parked)} parked")
    for op in (*waiting, *parked):
        note = f" ({op.last_error})" if op.last_error else ""
        print(f"  {op.state:<9} {op.kind:<15} {op.marketplace:<12} {op.entity}{note}")
    return 0
