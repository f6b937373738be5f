"""`studio connect`, `studio publish` and `studio sync`."""

import argparse
import sys

from sqlmodel import col, select

from studio.inventory.tables import Item, ItemStatus
from studio.storage.credentials import credential_store
from studio.storage.database import Database, open_database
from studio.sync import outbox
from studio.sync.connection import (
    SELLER_API,
    build_client,
    connect_with_browser,
    connect_with_token,
    connected_account,
)
from studio.sync.engine import SyncEngine
from studio.sync.port import NotConnected
from studio.sync.tables import OPEN_STATES, OpState, OutboxOp


def register(sub: argparse._SubParsersAction) -> None:
    connect = sub.add_parser("connect", help="connect this inventory to a Seller API server")
    connect.add_argument("url", help="the server, e.g. http://127.0.0.1:8765")
    connect.add_argument(
        "--token", help="a personal API token (without it, sign in through the browser)"
    )
    connect.set_defaults(func=connect_command)

    publish = sub.add_parser("publish", help="queue items for listing on the marketplace")
    publish.add_argument("skus", nargs="*", metavar="SKU")
    publish.add_argument("--all-ready", action="store_true", help="every item marked ready")
    publish.set_defaults(func=publish_command)

    sync = sub.add_parser("sync", help="fetch what buyers did, then send queued changes")
    sync.add_argument("--status", action="store_true", help="only show what is queued")
    sync.set_defaults(func=sync_command)


def connect_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    credentials = credential_store(args.data_dir)
    try:
        if args.token:
            account = connect_with_token(database, credentials, args.url, args.token)
        else:
            account = connect_with_browser(database, credentials, args.url, show_url=_show_sign_in)
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Sign-in cancelled; nothing was connected.", file=sys.stderr)
        return 1
    print(f"Connected to {account.base_url} as {account.seller_name}.")
    print(f"The credentials are kept in {credentials.where}.")
    return 0


def _show_sign_in(url: str) -> None:
    print("Sign in to the marketplace in your browser. If it does not open, visit:")
    print(f"  {url}", flush=True)


def publish_command(args: argparse.Namespace) -> int:
    if not args.skus and not args.all_ready:
        print("Name the SKUs to publish, or use --all-ready.", file=sys.stderr)
        return 2
    database = open_database(args.data_dir)
    try:
        account = connected_account(database)
    except NotConnected as error:
        print(error, file=sys.stderr)
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
        queued = [item.sku for item in items if outbox.publish(session, item, account.name)]
    print(
        f"Queued {len(queued)} item(s) for listing" + (f": {', '.join(queued)}" if queued else "")
    )
    print("Run `studio sync` (or keep the app open) to send them.")
    return 0


def sync_command(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    if args.status:
        return _status(database)
    try:
        client = build_client(database, credential_store(args.data_dir))
    except NotConnected as error:
        print(error, file=sys.stderr)
        return 1
    try:
        report = SyncEngine(database, args.data_dir, client).cycle()
    finally:
        client.close()
    print(report.summary())
    return 1 if report.push.stopped or report.skipped else 0


def _status(database: Database) -> int:
    with database.session() as session:
        ops = session.exec(
            select(OutboxOp)
            .where(col(OutboxOp.state).in_((*OPEN_STATES, OpState.PARKED.value)))
            .order_by(col(OutboxOp.id))
        ).all()
        try:
            account = connected_account(database)
        except NotConnected as error:
            print(error)
            account = None
    waiting = [op for op in ops if op.state in OPEN_STATES]
    parked = [op for op in ops if op.state == OpState.PARKED.value]
    if account is not None:
        last = account.last_sync_at.astimezone() if account.last_sync_at else None
        print(f"{SELLER_API}: {account.base_url}, last sync {last or 'never'}")
        if account.last_error:
            print(f"Last error: {account.last_error}")
    print(f"{len(waiting)} change(s) waiting, {len(parked)} parked")
    for op in (*waiting, *parked):
        note = f" ({op.last_error})" if op.last_error else ""
        print(f"  {op.state:<9} {op.kind:<15} {op.entity}{note}")
    return 0
