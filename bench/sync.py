"""`python -m bench sync`: the sync engine against the reference Seller API on loopback.

    python -m bench sync [--items 2000] [--photos 4] [--events 50000] [--edits 200]
                         [--window-items N]

Measures the first sync of a fresh inventory (items with photos, published) against the
server in a process of its own, with the server's own time for the same requests
(`server_time_s`, from its Server-Timing answers, and `server_cpu_s`, the CPU its process
used, beside the studio's own `studio_cpu_s`); a cycle when nothing changed and the
requests an offline edit costs; the same first sync run by the app's scheduler behind an
offscreen window, with the longest stall of the UI thread meanwhile (`ui_max_stall_ms`);
and the pull of a long feed into a fresh data dir (written straight into an embedded
server's database). Progress goes to stderr; the last line is one JSON object.
"""

import argparse
import itertools
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import insert, update
from sqlmodel import col, select

from bench.served import ServedMarketplace, ServerClock, served_marketplace
from marketplace.embedded import EmbeddedMarketplace, run_embedded
from marketplace.models import Event, Seller
from studio.imaging.store import PhotoStore
from studio.inventory import service as inventory
from studio.inventory.tables import Item, Photo
from studio.marketplaces.seller_api.client import IN_FLIGHT
from studio.storage.credentials import CredentialStore, credential_store
from studio.storage.database import Database, open_database
from studio.storage.paths import photos_dir
from studio.sync import outbox
from studio.sync.connection import SELLER_API, build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.port import Marketplace
from studio.sync.pull import pull
from studio.sync.tables import OPEN_STATES, OutboxOp

NOOP_RUNS = 5
CLOSET, WINDOW = "bench-closet", "bench-window"  # the served marketplace's two sellers
IDLE_S = 5.0  # the window left idle before its sync, for the stall it has anyway
FEED_LISTINGS = 100
FEED_BUYERS = ("Amara Velde", "Joss Pemberly", "Nadia Korvin", "Teo Almsgaard", "Ysolde Marr")
PHOTO_SIDE = 48  # small photos: the bench measures sync, not upload bandwidth


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _connected(
    base_url: str, credentials: CredentialStore, data_dir: Path, token: str
) -> Iterator[Database]:
    database = open_database(data_dir)
    connect_with_token(database, credentials, base_url, token)
    try:
        yield database
    finally:
        credentials.delete(SELLER_API)  # a bench token has no business outliving the bench
        database.close()


def open_ops(database: Database) -> int:
    with database.session() as session:
        return len(
            session.exec(select(OutboxOp.id).where(col(OutboxOp.state).in_(OPEN_STATES))).all()
        )


# First sync
def distinct_jpegs(folder: Path, count: int, seed: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        pixels = rng.randbytes(PHOTO_SIDE * PHOTO_SIDE * 3)  # noise: every photo its own hash
        path = folder / f"photo-{index:05d}.jpg"
        Image.frombytes("RGB", (PHOTO_SIDE, PHOTO_SIDE), pixels).save(path, "JPEG", quality=80)
        paths.append(path)
    return paths


def _stock_inventory(database: Database, data_dir: Path, items: int, photos: int) -> None:
    store = PhotoStore(photos_dir(data_dir))
    files = distinct_jpegs(data_dir.parent / "camera", items * photos, seed=items)
    hashes = [store.import_file(path).file_hash for path in files]
    with database.transaction() as session:
        for index in range(items):
            values = {"title": f"Bench jacket {index}", "list_price_cents": str(20 + index % 80)}
            item = inventory.create_item(session, inventory.parse_values(values))
            assert item.id is not None
            for position in range(photos):
                file_hash = hashes[index * photos + position]
                session.add(Photo(item_id=item.id, position=position, file_hash=file_hash))
            outbox.publish(session, item, SELLER_API)


def sync_until_sent(engine: SyncEngine) -> int:
    cycles = 0
    while open_ops(engine.database):
        report = engine.cycle()
        cycles += 1
        if report.push.stopped or report.skipped or report.push.parked:
            raise RuntimeError(f"the first sync stalled: {report.summary()}")
    return cycles


# A cycle with nothing to do, and offline edits
def _noop_cycle(engine: SyncEngine, client: Marketplace) -> tuple[int, list[float]]:
    engine.cycle()  # takes in the events our own pushes made
    timings = []
    requests = 0
    for _ in range(NOOP_RUNS):
        before = client.counters.requests
        started = time.perf_counter()
        engine.cycle()
        timings.append((time.perf_counter() - started) * 1000)
        requests = client.counters.requests - before
    return requests, timings


def _requests_per_edit(engine: SyncEngine, client: Marketplace, edits: int) -> float:
    with engine.database.session() as session:
        prices = session.exec(
            select(Item.id, Item.list_price_cents).order_by(col(Item.id)).limit(edits)
        ).all()
    for item_id, cents in prices:  # one transaction each, as a person edits one at a time
        assert item_id is not None and cents is not None
        with engine.database.transaction() as session:
            inventory.update_item(session, item_id, {"list_price_cents": cents - 100})
    before = client.counters.requests
    engine.cycle()
    if open_ops(engine.database):
        raise RuntimeError("the edits did not all go out in one cycle")
    return (client.counters.requests - before) / len(prices)


# A long feed
def _seed_feed(market: EmbeddedMarketplace, seller: str, token: str, events: int) -> None:
    """Real listings, buyers and follows through the API; then likes, unlikes and listing
    updates shaped like the server's, written straight into the feed, up to `events` in all."""
    with httpx.Client(base_url=market.base_url, timeout=30) as http:
        bearer = {"Authorization": f"Bearer {token}"}
        listings = [
            http.post(
                "/v1/listings",
                json={"title": f"Feed coat {n}", "price_cents": 3000 + n, "sku": f"FEED-{n}"},
                headers=bearer,
            ).json()
            for n in range(min(FEED_LISTINGS, events))
        ]
        buyers = []
        for name in FEED_BUYERS:
            address = {"name": name, "line1": "1 Quay St", "city": "Cork", "postal_code": "T12"}
            buyer = http.post(
                "/v1/market/buyers", json={"name": name, "address": {**address, "country": "IE"}}
            ).json()
            http.put(f"/v1/market/sellers/{seller}/follow", headers=_bearer(buyer["token"]))
            buyers.append({"id": buyer["id"], "name": name})
    with market.state.db.write() as session:
        row = session.exec(select(Seller).where(Seller.name == seller)).one()
        assert row.id is not None
        seq = row.event_seq
        rows = list(itertools.islice(_feed_rows(row.id, seq, listings, buyers), events - seq))
        session.execute(insert(Event), rows)
        # The cursor rule holds: one number per event, no gaps, all in this one transaction.
        session.execute(
            update(Seller).where(col(Seller.id) == row.id).values(event_seq=seq + len(rows))
        )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _feed_rows(
    seller_id: int, after: int, listings: list[dict[str, Any]], buyers: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    liked: set[tuple[int, int]] = set()
    versions = {listing["id"]: listing["version"] for listing in listings}
    for seq in itertools.count(after + 1):
        data: dict[str, Any]
        listing = listings[seq % len(listings)]
        buyer = buyers[(seq // len(listings)) % len(buyers)]
        if seq % 10 == 0:
            versions[listing["id"]] += 1
            snapshot = {**listing, "version": versions[listing["id"]]}
            kind, data = "listing.updated", {"listing": snapshot, "price_drop": None}
        else:
            key = (listing["id"], buyer["id"])
            kind = "like.removed" if key in liked else "like.added"
            liked ^= {key}
            count = sum(1 for pair in liked if pair[0] == listing["id"])
            data = {"listing_id": listing["id"], "buyer": buyer, "likes_count": count}
        yield {"seller_id": seller_id, "seq": seq, "type": kind, "data": data}


def _first_sync(served: ServedMarketplace, root: Path, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = root / "studio"
    credentials = credential_store(data_dir)
    with _connected(served.base_url, credentials, data_dir, served.tokens[CLOSET]) as database:
        _progress(f"stocking {args.items} items with {args.photos} photos each")
        _stock_inventory(database, data_dir, args.items, args.photos)
        clock = ServerClock(httpx.Limits(max_connections=IN_FLIGHT))
        client = build_client(database, credentials, transport=clock)
        engine = SyncEngine(database, data_dir, [client])
        _progress("first sync")
        cpu_before, studio_cpu = served.cpu_s(), time.process_time()
        started = time.perf_counter()
        cycles = sync_until_sent(engine)
        first_sync_s = time.perf_counter() - started
        cpu_after, studio_cpu = served.cpu_s(), time.process_time() - studio_cpu
        first_sync_requests, server_time_s = client.counters.requests, clock.seconds
        noop_requests, noop_timings = _noop_cycle(engine, client)
        _progress("offline edits")
        per_edit = _requests_per_edit(engine, client, min(args.edits, args.items))
        client.close()
    return {
        "first_sync_s": round(first_sync_s, 2),
        "first_sync_cycles": cycles,
        "first_sync_requests": first_sync_requests,
        "server_time_s": round(server_time_s, 2),
        "server_cpu_s": (
            round(cpu_after - cpu_before, 2)
            if cpu_before is not None and cpu_after is not None
            else None
        ),
        "studio_cpu_s": round(studio_cpu, 2),
        "noop_requests": noop_requests,
        "noop_ms": round(statistics.median(noop_timings), 2),
        "requests_per_edit": round(per_edit, 3),
    }


def _window_sync(served: ServedMarketplace, root: Path, items: int, photos: int) -> dict[str, Any]:
    """The first sync as the app runs it: the scheduler's job on its own thread, behind the
    real window (offscreen), whose screens take in every commit the sync makes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from bench.ui_stall import StallMeter
    from studio.jobs.scheduler import stop_jobs
    from studio.ui.app import application, build_services, settle_heap
    from studio.ui.main_window import MainWindow

    application()
    # The sale watch keeps asking for a sync that is already running: expected, not news.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    data_dir = root / "window"
    credentials = credential_store(data_dir)
    with _connected(served.base_url, credentials, data_dir, served.tokens[WINDOW]) as database:
        _progress(f"stocking {items} items for the window's sync")
        _stock_inventory(database, data_dir, items, photos)
        services = build_services(data_dir, database, background=False, credentials=credentials)
        window = MainWindow(services)
        loop = QEventLoop()
        window.ready.connect(loop.quit)
        window.show()
        loop.exec()  # until the inventory shows data, as a person would wait for it
        settle_heap()
        # The same window idle first: what this machine's load alone costs the UI thread.
        idle = StallMeter()
        idle.start()
        QTimer.singleShot(round(IDLE_S * 1000), loop.quit)
        loop.exec()
        idle.stop()
        window.sync.cycle_finished.connect(lambda _report: loop.quit())
        meter = StallMeter()
        _progress("first sync behind the window")
        meter.start()
        started = time.perf_counter()
        services.scheduler.resume()  # the window asked for a sync when it opened
        loop.exec()
        window_sync_s = time.perf_counter() - started
        meter.stop()
        stop_jobs(services.scheduler, database)
        services.runner.wait_all()
        window.close()
        if open_ops(database):
            raise RuntimeError("the window's first sync did not send everything in one cycle")
    return {
        "window_items": items,
        "window_first_sync_s": round(window_sync_s, 2),
        "ui_max_stall_ms": meter.max_stall_ms,
        "ui_idle_max_stall_ms": idle.max_stall_ms,
        "ui_stall_source": "10 ms QTimer on the Qt event loop while the scheduler's sync job "
        "runs a first sync behind the window",
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--photos", type=int, default=4, help="photos per item")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--edits", type=int, default=200, help="offline edits (at most --items)")
    parser.add_argument(
        "--window-items", type=int, help="items of the sync behind the window (default --items)"
    )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"items": args.items, "photos_per_item": args.photos}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        with served_marketplace(root / "served", [CLOSET, WINDOW]) as served:
            report.update(_first_sync(served, root, args))
            window_items = args.items if args.window_items is None else args.window_items
            report.update(_window_sync(served, root, window_items, args.photos))
        with run_embedded(root / "market", rate_limit_per_minute=0) as market:
            _progress(f"seeding a feed of {args.events} events")
            feed = market.create_seller("bench-feed")
            _seed_feed(market, "bench-feed", feed, args.events)
            credentials = credential_store(root / "fresh")
            with _connected(market.base_url, credentials, root / "fresh", feed) as database:
                client = build_client(database, credentials)
                _progress("pulling the feed into a fresh data dir")
                started = time.perf_counter()
                pulled = pull(database, client)
                pull_s = time.perf_counter() - started
                client.close()
    if pulled.events != args.events:
        print(f"pulled {pulled.events} events, expected {args.events}", file=sys.stderr)
        return 1
    report |= {"events": pulled.events, "pull_50k_events_s": round(pull_s, 2)}
    print(json.dumps(report))
    return 0
