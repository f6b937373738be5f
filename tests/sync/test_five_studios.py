"""Five studios, one seller (issue 15): a small team runs the studio on five laptops against
one marketplace account.

Each studio is a data dir of its own (its own SQLite file, credentials and sync engine),
all signed in to one seller on one reference server over real HTTP on 127.0.0.1, run on
SQLite and on PostgreSQL. The team's stock is on every laptop (one spreadsheet imported
everywhere, so the same SKUs). In rounds that start together, five threads each edit,
publish and sync at once while a buyer buys; afterwards the studios must agree with the
server and with each other: one listing per SKU, every edit there, every order once in
every studio, and a conflict shown wherever two people changed the same field.
"""

import itertools
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from postgres import run_server_on
from sqlmodel import select

from marketplace.embedded import EmbeddedMarketplace
from studio.inventory import service as inventory
from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.orders.tables import Order
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import Database, open_database
from studio.sync import conflicts, outbox
from studio.sync.connection import SELLER_API, build_client, connect_with_token
from studio.sync.engine import CycleReport, SyncEngine
from studio.sync.listing_fields import ITEM_TO_LISTING, listing_value
from studio.sync.tables import Conflict

STUDIOS = 5
STOCK = 10  # items 0-7 are edited; 8 and 9 are bought
ROUNDS = 3
SYNCED = ("title", "description", "size", "price_cents")
_sellers = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def market(request, tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    data_dir = tmp_path_factory.mktemp(f"market-{request.param}")
    with run_server_on(request.param, data_dir, rate_limit_per_minute=0) as server:
        yield server


class Clock:
    """The studios' clock, moved ahead between settling passes so that a retry an engine
    put off (a listing that kept changing under five writers) is due at once."""

    def __init__(self) -> None:
        self.ahead = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.ahead


@dataclass
class Studio:
    number: int
    data_dir: Path
    database: Database
    engine: SyncEngine
    ids: dict[str, int] = field(default_factory=dict)  # item id by SKU

    def edit(self, sku: str, **raw: str) -> None:
        with self.database.transaction() as session:
            inventory.update_item(session, self.ids[sku], inventory.parse_values(raw))

    def publish(self, sku: str) -> None:
        with self.database.transaction() as session:
            outbox.publish(session, inventory.get_item(session, self.ids[sku]), SELLER_API)

    def conflicts(self) -> list[Conflict]:
        with self.database.session() as session:
            return conflicts.open_conflicts(session)

    def items(self) -> dict[str, Item]:
        with self.database.session() as session:
            return {item.sku: item for item in session.exec(select(Item))}

    def orders(self) -> list[str]:
        with self.database.session() as session:
            return list(session.exec(select(Order.remote_id)))


def sku(index: int) -> str:
    return f"TEAM-{index:03d}"


@pytest.fixture
def team(market, tmp_path) -> Iterator[tuple[list[Studio], Clock, str]]:
    token = market.create_seller(f"team-{next(_sellers)}")
    clock = Clock()
    studios = []
    for number in range(STUDIOS):
        data_dir = tmp_path / f"studio-{number}"
        database = open_database(data_dir)
        credentials = PrivateFileStore(data_dir)
        connect_with_token(database, credentials, market.base_url, token)
        client = build_client(database, credentials)
        engine = SyncEngine(database, data_dir, [client], now=clock)
        studio = Studio(number, data_dir, database, engine)
        with database.transaction() as session:
            for index in range(STOCK):
                raw = {"sku": sku(index), "title": f"Coat {index}", "list_price_cents": "40"}
                studio.ids[sku(index)] = inventory.create_item(
                    session, inventory.parse_values(raw)
                ).id
        studios.append(studio)
    yield studios, clock, token
    for studio in studios:
        for client in studio.engine.markets:
            client.close()
        studio.database.close()


def together(studios: list[Studio], work: Callable[[Studio], None]) -> None:
    """Runs `work` for every studio at the same moment, each on a thread of its own."""
    start = threading.Barrier(len(studios))
    failures: list[BaseException] = []

    def run(studio: Studio) -> None:
        start.wait()
        try:
            work(studio)
        except BaseException as error:  # re-raised on the test's thread below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(studio,)) for studio in studios]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]


def settle(studios: list[Studio], clock: Clock) -> None:
    """Syncs every studio at once, again and again, until a pass where nobody sent or
    received anything."""
    reports: dict[int, CycleReport] = {}

    def sync(studio: Studio) -> None:
        reports[studio.number] = studio.engine.cycle()

    for _pass in range(12):
        together(studios, sync)
        clock.ahead += timedelta(minutes=15)
        quiet = all(
            report.push.sent == 0 and (report.pull is None or report.pull.events == 0)
            for report in reports.values()
        )
        if quiet:
            return
    raise AssertionError("the studios never settled")


def api(market: EmbeddedMarketplace, token: str, path: str, **params: object) -> dict:
    reply = httpx.get(
        f"{market.base_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}
    )
    reply.raise_for_status()
    return reply.json()


def buy(market: EmbeddedMarketplace, listing_id: int) -> None:
    address = {"name": "Mia", "line1": "1 Main St", "city": "Town", "postal_code": "1000"}
    signup = httpx.post(
        f"{market.base_url}/v1/market/buyers",
        json={"name": "Mia", "address": {**address, "country": "US"}},
    )
    bought = httpx.post(
        f"{market.base_url}/v1/market/orders",
        json={"listing_ids": [listing_id]},
        headers={"Authorization": f"Bearer {signup.json()['token']}"},
    )
    assert bought.status_code == 201, bought.text


def test_five_studios_on_one_seller_converge(market, team):
    studios, clock, token = team
    expected: dict[tuple[str, str], object] = {
        (sku(i), name): value
        for i in range(STOCK)
        for name, value in (("title", f"Coat {i}"), ("price_cents", 4000))
    }

    # Publishing at once: each item is published by two studios (item j by studios j and
    # j-1, modulo five); the others learn of its listing from the feed. Two people gave
    # item 0 a title of their own before publishing it.
    studios[0].edit(sku(0), title="Coat 0, navy")
    studios[4].edit(sku(0), title="Coat 0, dark blue")

    def publish_and_sync(studio: Studio) -> None:
        for index in range(STOCK):
            if studio.number in (index % STUDIOS, (index - 1) % STUDIOS):
                studio.publish(sku(index))
        studio.engine.cycle()

    together(studios, publish_and_sync)
    settle(studios, clock)
    listings = api(market, token, "/v1/listings", limit=200)["listings"]
    assert sorted(listing["sku"] for listing in listings) == [sku(i) for i in range(STOCK)]
    by_sku = {listing["sku"]: listing for listing in listings}
    # The two titles of item 0 were not silently settled: the second publisher sees both.
    published_titles = {"Coat 0, navy", "Coat 0, dark blue"}
    assert by_sku[sku(0)]["title"] in published_titles
    clashes = [c for s in (studios[0], studios[4]) for c in s.conflicts()]
    assert [(c.field, conflicts.value_of(c.remote_value)) for c in clashes] == [
        ("title", by_sku[sku(0)]["title"])
    ]
    assert {conflicts.value_of(clashes[0].local_value), by_sku[sku(0)]["title"]} == (
        published_titles
    )
    expected[(sku(0), "title")] = by_sku[sku(0)]["title"]  # resolved below: take theirs

    # Rounds of edits: studio i alone writes item i's description and item i+2's price;
    # in round r studios r and r+1 both retitle item 5+r (a clash). A buyer buys item 7+r
    # while the studios sync.
    collisions: dict[str, tuple[int, int, int]] = {}  # SKU: (round, studio, studio)
    for round_number in range(ROUNDS):
        clashing = (round_number % STUDIOS, (round_number + 1) % STUDIOS)
        target = sku(5 + round_number)
        collisions[target] = (round_number, *clashing)

        def edit_and_sync(studio: Studio, r: int = round_number, pair=clashing, target=target):
            description = f"Measured by studio {studio.number} in round {r}"
            studio.edit(sku(studio.number), description=description)
            price = 4100 + 100 * r + studio.number
            studio.edit(sku(studio.number + 2), list_price_cents=f"{price / 100:.2f}")
            if studio.number in pair:
                studio.edit(target, title=f"Coat {5 + r} as studio {studio.number} sees it")
            studio.engine.cycle()

        with ThreadPoolExecutor(1) as buyer:
            bought = by_sku[sku(7 + round_number)]["id"] if round_number else None
            sale = buyer.submit(buy, market, bought) if bought is not None else None
            together(studios, edit_and_sync)
            if sale is not None:
                sale.result()  # the buyer's own assertion, on this thread
        for studio in studios:
            expected[(sku(studio.number), "description")] = (
                f"Measured by studio {studio.number} in round {round_number}"
            )
            expected[(sku(studio.number + 2), "price_cents")] = (
                4100 + 100 * round_number + studio.number
            )
    settle(studios, clock)

    # Every clash is shown to one of the two people, with both titles; the other's title
    # stands until the one who sees the conflict decides. The first is kept, the others taken.
    remote = {
        listing["sku"]: listing
        for listing in api(market, token, "/v1/listings", limit=200)["listings"]
    }
    for target, (round_number, first, second) in collisions.items():
        titles = {f"Coat {5 + round_number} as studio {n} sees it": n for n in (first, second)}
        shown = [
            (studio, clash)
            for studio in (studios[first], studios[second])
            for clash in studio.conflicts()
            if clash.item_id == studio.ids[target]
        ]
        assert len(shown) == 1, f"the clash on {target} was shown {len(shown)} times"
        studio, clash = shown[0]
        mine, theirs = conflicts.value_of(clash.local_value), conflicts.value_of(clash.remote_value)
        other = first + second - studio.number
        assert (clash.field, titles[mine], titles[theirs]) == ("title", studio.number, other)
        assert remote[target]["title"] == theirs
        keep_mine = round_number == 0
        with studio.database.transaction() as session:
            conflicts.resolve(session, clash.id, keep_mine=keep_mine)
        expected[(target, "title")] = mine if keep_mine else theirs
    for studio in (studios[0], studios[4]):
        for clash in studio.conflicts():  # item 0's title from publishing: take theirs
            with studio.database.transaction() as session:
                conflicts.resolve(session, clash.id, keep_mine=False)
    settle(studios, clock)

    # One listing per SKU, holding every edit; every studio holds the same.
    listings = api(market, token, "/v1/listings", limit=200)["listings"]
    assert Counter(listing["sku"] for listing in listings) == {sku(i): 1 for i in range(STOCK)}
    remote = {listing["sku"]: listing for listing in listings}
    for (item_sku, name), value in expected.items():
        assert remote[item_sku][name] == value, (item_sku, name)
    for studio in studios:
        assert studio.conflicts() == []
        items = studio.items()
        for item_sku, listing in remote.items():
            local = {
                ITEM_TO_LISTING[name]: listing_value(name, getattr(items[item_sku], name))
                for name in ("title", "description", "size", "list_price_cents")
            }
            assert local == {name: listing[name] for name in SYNCED}, (studio.number, item_sku)
    # Every order once in every studio, and its item sold there.
    orders = api(market, token, "/v1/orders", limit=100)["orders"]
    assert len(orders) == ROUNDS - 1
    for studio in studios:
        assert sorted(studio.orders()) == sorted(str(order["id"]) for order in orders)
        items = studio.items()
        for round_number in range(1, ROUNDS):
            assert items[sku(7 + round_number)].status == ItemStatus.SOLD.value
