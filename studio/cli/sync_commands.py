"""`studio connect`, `studio accounts`, `studio publish` and `studio sync`."""

import argparse
import sys

from sqlmodel import col, select

from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.storage.credentials import credential_store
from studio.storage.database import Database, open_database
from studio.sync import outbox
from studio.sync.accounts import Health, account_states, remove_account
from studio.sync.connection import (
    SELLER_API,
    build_clients,
    connect_with_browser,
    connect_with_token,
    connected_accounts,
)
from studio.sync.engine import SyncEngine
from studio.sync.port import NotConnected
from studio.sync.tables import OPEN_STATES, MarketplaceAccount, OpState, OutboxOp


def register(sub: argparse._SubParsersAction) -> None:
    connect = sub.add_parser("connect", help="connect this inventory to a marketplace")
    connect.add_argument("url", help="the server, e.g. http://127.0.0.1:8765")
    connect.add_argument(
        "--name",
        default=SELLER_API,
        help=f"your name for this marketplace (default {SELLER_API}); connecting a name "
        "again signs it in again",
    )
    connect.add_argument(
        "--token", help="a personal API token (without it, sign in through the browser)"
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


def connect_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    credentials = credential_store(args.data_dir)
    try:
        if args.token:
            account = connect_with_token(database, credentials, args.url, args.token, args.name)
        else:
            account = connect_with_browser(
                database, credentials, args.url, show_url=_show_sign_in, name=args.name
            )
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Sign-in cancelled; nothing was connected.", file=sys.stderr)
        return 1
    print(f"Connected {account.name} ({account.base_url}) as {account.seller_name}.")
    print(f"The credentials are kept in {credentials.where}.")
    return 0


def _show_sign_in(url: str) -> None:
    print("Sign in to the marketplace in your browser. If it does not open, visit:")
    print(f"  {url}", flush=True)


def accounts_list_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    with database.session() as session:
        states = account_states(session, utc_now())
    if not states:
        print("No marketplace is connected. Run `studio connect URL --name NAME`.")
        return 0
    for state in states:
        last = state.last_sync_at.astimezone() if state.last_sync_at else "never"
        print(f"{state.name:<16} {state.health:<10} {state.base_url}")
        print(f"  {state.words}; last sync {last}; {state.waiting_ops} change(s) waiting")
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
