"""`python -m bench crosslist`: several marketplaces at once, each an embedded Seller API
server on loopback.

    python -m bench crosslist [--items 40] [--sales 5] [--import-listings 1000]

Publishes a closet with one photo per item to two marketplaces (requests per listing); then,
with the scheduler running at its default settings as in the app, buyers buy on the first
marketplace and the time from each sale's commit to the delist's commit on the second is
measured; then a closet of listings, each with three photos the size of a phone's product
shot (made distinct from the repository's sample photo), two likes and an offer, is imported
from a marketplace into a fresh data dir. Progress goes to stderr; the last line is one JSON
object.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlmodel import col, select

from bench.sync import distinct_jpegs, sync_until_sent
from marketplace.closet_seed import seed_closet
from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.imaging.store import PhotoStore
from studio.inventory import service as inventory
from studio.inventory.tables import Photo
from studio.jobs.scheduler import WATCH_SECONDS, start_jobs, stop_jobs
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import Database, open_database
from studio.storage.paths import photos_dir
from studio.sync import outbox
from studio.sync.closet_import import run_import
from studio.sync.connection import build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.tables import ListingLink

NAMES = ("first-market", "second-market")
SAMPLE_PHOTO = Path(__file__).resolve().parent.parent / "tests" / "data" / "photos" / "product.jpg"
POLL_S = 0.02
DELIST_TIMEOUT_S = 120.0


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stock(database: Database, data_dir: Path, items: int) -> None:
    store = PhotoStore(photos_dir(data_dir))
    camera = distinct_jpegs(data_dir.parent / "camera", items, seed=items)
    hashes = [store.import_file(path).file_hash for path in camera]
    with database.transaction() as session:
        for index in range(items):
            values = {"title": f"Crosslisted shirt {index}", "list_price_cents": str(20 + index)}
            item = inventory.create_item(session, inventory.parse_values(values))
            assert item.id is not None
            session.add(Photo(item_id=item.id, position=0, file_hash=hashes[index]))
            for name in NAMES:
                outbox.publish(session, item, name)


def _remote_ids(database: Database, name: str) -> list[str]:
    with database.session() as session:
        ids = session.exec(
            select(ListingLink.remote_id)
            .where(ListingLink.marketplace == name)
            .order_by(col(ListingLink.item_id))
        ).all()
    return [str(remote_id) for remote_id in ids]


def _buyer(market: EmbeddedMarketplace, name: str) -> str:
    address = {"name": name, "line1": "4 Harbour Rd", "city": "Leith", "postal_code": "EH6"}
    answer = httpx.post(
        f"{market.base_url}/v1/market/buyers",
        json={"name": name, "address": {**address, "country": "GB"}},
    )
    return str(answer.json()["token"])


def _delist_times(
    markets: list[EmbeddedMarketplace], tokens: list[str], pairs: list[tuple[str, str]]
) -> list[float]:
    buyer = _buyer(markets[0], "Bench Buyer")
    seller_b = {"Authorization": f"Bearer {tokens[1]}"}
    times = []
    rng = random.Random(len(pairs))
    with httpx.Client(timeout=10) as http:
        for first_id, second_id in pairs:
            # Sales come at any moment, not just after the watch has looked.
            time.sleep(rng.uniform(0, WATCH_SECONDS))
            http.post(
                f"{markets[0].base_url}/v1/market/orders",
                json={"listing_ids": [int(first_id)]},
                headers={"Authorization": f"Bearer {buyer}"},
            ).raise_for_status()
            sold_at = time.perf_counter()  # the order is committed once the answer is back
            deadline = sold_at + DELIST_TIMEOUT_S
            while time.perf_counter() < deadline:
                status = http.get(
                    f"{markets[1].base_url}/v1/listings/{second_id}", headers=seller_b
                ).json()["status"]
                if status == "delisted":
                    times.append(time.perf_counter() - sold_at)
                    break
                time.sleep(POLL_S)
            else:
                raise RuntimeError(f"listing {second_id} was not delisted in {DELIST_TIMEOUT_S} s")
            _progress(f"  delisted {times[-1]:.2f} s after the sale")
    return times


def _import_rate(market: EmbeddedMarketplace, root: Path, listings: int) -> float:
    token = market.create_seller("bench-closet-owner")
    seed_closet(
        market.state,
        "bench-closet-owner",
        listings,
        photos_per_listing=3,
        likes_per_listing=2,
        offers_per_listing=1,
        photo_template=SAMPLE_PHOTO.read_bytes(),
    )
    data_dir = root / "importer"
    database = open_database(data_dir)
    credentials = PrivateFileStore(data_dir)
    connect_with_token(database, credentials, market.base_url, token, "closet")
    client = build_client(database, credentials, "closet")
    try:
        report = run_import(database, data_dir, client)
    finally:
        client.close()
        database.close()
    if report.done != listings:
        raise RuntimeError(f"imported {report.done} of {listings} listings")
    return report.per_second


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench crosslist")
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--sales", type=int, default=5)
    parser.add_argument("--import-listings", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.sales > args.items:
        parser.error("--sales must not exceed --items")

    with (
        tempfile.TemporaryDirectory() as temp,
        run_embedded(Path(temp) / "a", rate_limit_per_minute=0) as first,
        run_embedded(Path(temp) / "b", rate_limit_per_minute=0) as second,
    ):
        markets = [first, second]
        data_dir = Path(temp) / "studio"
        database = open_database(data_dir)
        credentials = PrivateFileStore(data_dir)  # the store the scheduled jobs find too
        tokens = [market.create_seller("bench-crosslister") for market in markets]
        for name, market, token in zip(NAMES, markets, tokens, strict=True):
            connect_with_token(database, credentials, market.base_url, token, name)
        _progress(f"publishing {args.items} items with a photo each to {len(NAMES)} marketplaces")
        _stock(database, data_dir, args.items)
        clients = [build_client(database, credentials, name) for name in NAMES]
        sync_until_sent(SyncEngine(database, data_dir, clients))
        requests = sum(client.counters.requests for client in clients)
        for client in clients:
            client.close()
        pairs = list(zip(*(_remote_ids(database, name) for name in NAMES), strict=True))

        _progress(f"{args.sales} sales on {NAMES[0]}, with the scheduler at its defaults")
        scheduler = start_jobs(database)
        try:
            times = _delist_times(markets, tokens, pairs[: args.sales])
        finally:
            stop_jobs(scheduler, database)
            database.close()
        _progress(f"importing a closet of {args.import_listings} listings with photos")
        import_per_s = _import_rate(second, Path(temp), args.import_listings)
    print(
        json.dumps(
            {
                "marketplaces": len(NAMES),
                "items": args.items,
                "delist_after_sale_s": round(statistics.median(times), 2),
                "delist_after_sale_max_s": round(max(times), 2),
                "requests_per_item_published": round(requests / (args.items * len(NAMES)), 2),
                "import_listings": args.import_listings,
                "import_listings_per_s": round(import_per_s, 1),
            }
        )
    )
    return 0
