"""The real sync engine with two marketplaces at once: the reference Seller API server over
HTTP on 127.0.0.1, and eBay, served by the contract-checking fake eBay (a fake because eBay
cannot be reached from here; every request the adapter sends and every answer it gets is
checked against eBay's definitions on the way)."""

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from ebay_setup import EVERY_TIME, remember_account
from fake_ebay import FakeEbay
from sample_photos import SAMPLE_PHOTOS
from sqlmodel import select

from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.imaging.store import PhotoStore
from studio.inventory import service as inventory
from studio.inventory.tables import Item, Photo
from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.connecting import ledger_path
from studio.orders.service import mark_shipped
from studio.orders.tables import Order
from studio.seller_tools import offers as offer_answers
from studio.seller_tools.likers_offers import send_to_likers
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import Database, open_database
from studio.storage.paths import photos_dir
from studio.sync import outbox
from studio.sync.connection import build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.tables import Like, ListingLink, Offer, OpKind, OutboxOp

EBAY = "ebay"
SELLER_API = "seller-api"
_sellers = itertools.count(1)
TRACKING = "9400 1000 0000 0000 0000 00"


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    with run_embedded(tmp_path_factory.mktemp("market"), rate_limit_per_minute=0) as server:
        yield server


@dataclass
class TwoMarkets:
    data_dir: Path
    database: Database
    credentials: PrivateFileStore
    market: EmbeddedMarketplace
    token: str
    fake: FakeEbay

    def engine(self) -> SyncEngine:
        seller_api = build_client(self.database, self.credentials, SELLER_API)
        seller_api._sleep = lambda _seconds: None
        # What studio/sync/connection.py will build for an account of kind "ebay".
        ebay = EbayClient.for_account(
            self.credentials,
            EBAY,
            ledger_path(self.data_dir, EBAY),
            transport=self.fake.transport,
        )
        ebay.http.sleep = lambda _seconds: None
        ebay.poll_every = EVERY_TIME
        return SyncEngine(self.database, self.data_dir, [seller_api, ebay])

    def seller_api_listing(self, listing_id: str) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.get(f"{self.market.base_url}/v1/listings/{listing_id}", headers=headers).json()

    def link(self, item_id: int, marketplace: str) -> ListingLink:
        with self.database.session() as session:
            return session.exec(
                select(ListingLink).where(
                    ListingLink.item_id == item_id, ListingLink.marketplace == marketplace
                )
            ).one()

    def op_note(self, kind: OpKind, marketplace: str) -> list[tuple[str, str]]:
        with self.database.session() as session:
            ops = session.exec(
                select(OutboxOp).where(
                    OutboxOp.kind == kind.value, OutboxOp.marketplace == marketplace
                )
            ).all()
            return [(op.state, op.last_error) for op in ops]


@pytest.fixture
def two(market, tmp_path) -> Iterator[TwoMarkets]:
    data_dir = tmp_path / "studio"
    database = open_database(data_dir)
    credentials = PrivateFileStore(data_dir)
    token = market.create_seller(f"ebay-crosslister-{next(_sellers)}")
    connect_with_token(database, credentials, market.base_url, token, name=SELLER_API)
    remember_account(
        database,
        credentials,
        EBAY,
        seller_name="closet_of_jane",
        fee_rate_bp=1325,
        flat_fee_cents=30,
        flat_fee_below_cents=0,
    )
    yield TwoMarkets(data_dir, database, credentials, market, token, FakeEbay())
    database.close()


def listed_on_both(two: TwoMarkets, tmp_path: Path, **raw: str) -> Item:
    raw = {
        "title": "Vintage wool coat, camel",
        "brand": "Barbour",
        "size": "M",
        "condition": "Excellent",
        "list_price_cents": "48",
        "floor_price_cents": "30",
        **raw,
    }
    photo_file = tmp_path / "coat.jpg"
    shutil.copy(SAMPLE_PHOTOS / "product.jpg", photo_file)
    stored = PhotoStore(photos_dir(two.data_dir)).import_file(photo_file)
    with two.database.transaction() as session:
        item = inventory.create_item(session, inventory.parse_values(raw))
        session.add(Photo(item_id=item.id, position=0, file_hash=stored.file_hash))
        session.flush()
        outbox.publish(session, item, SELLER_API)
        outbox.publish(session, item, EBAY)
    report = two.engine().cycle()
    assert report.accounts[EBAY].push.acked == 1, report.summary()
    assert report.accounts[SELLER_API].push.acked == 1, report.summary()
    return item


def test_publish_reprice_sell_on_ebay_delist_elsewhere_and_ship(two, tmp_path):
    item = listed_on_both(two, tmp_path)
    sku = item.sku
    ebay_link, api_link = two.link(item.id, EBAY), two.link(item.id, SELLER_API)
    assert ebay_link.remote_id == sku and ebay_link.remote_status == "active"
    fake = two.fake
    assert fake.items[sku]["product"]["imageUrls"]  # the photo went through the Media API
    assert fake.offer_of(sku)["status"] == "PUBLISHED"

    # A price change reaches both; on eBay as a price-only revision.
    with two.database.transaction() as session:
        inventory.update_item(session, item.id, inventory.parse_values({"list_price_cents": "44"}))
    two.engine().cycle()
    assert fake.offer_of(sku)["pricingSummary"]["price"]["value"] == "44.00"
    assert fake.contract.operations["bulkUpdatePriceQuantity"] == 1
    assert two.seller_api_listing(api_link.remote_id)["price_cents"] == 4400

    # It sells on eBay: the order arrives and the Seller API listing comes down, same cycle.
    order_id = fake.sell(sku, buyer="ada_b", name="Ada Byron")
    report = two.engine().cycle()
    assert report.accounts[EBAY].pull.orders == 1
    assert report.accounts[SELLER_API].push.acked == 1
    assert two.seller_api_listing(api_link.remote_id)["status"] == "delisted"
    with two.database.session() as session:
        assert session.get(Item, item.id).status == "sold"
        order = session.exec(select(Order).where(Order.remote_id == order_id)).one()
        assert (order.marketplace, order.buyer_name, order.total_cents) == (EBAY, "Ada Byron", 4400)

    # Shipped: eBay gets a shipping fulfillment for the line, and its echo (the order's
    # new last-modified time) comes back as the order shipped.
    ship(two, order.id)
    [shipment] = fake.fulfillments[order_id]
    line = fake.orders[order_id]["lineItems"][0]["lineItemId"]
    assert shipment["lineItems"] == [{"lineItemId": line, "quantity": 1}]
    assert fake.orders[order_id]["orderFulfillmentStatus"] == "FULFILLED"
    report = two.engine().cycle()
    assert report.accounts[EBAY].pull.events == 1
    with two.database.session() as session:
        assert session.get(Order, order.id).status == "shipped"

    # A quiet cycle afterwards sends nothing to eBay and brings nothing new.
    before = dict(fake.contract.operations)
    report = two.engine().cycle()
    assert report.accounts[EBAY].pull.events == 0 and report.accounts[EBAY].push.sent == 0
    writes = {k for k, v in fake.contract.operations.items() if v != before.get(k)}
    assert writes <= {"getOrders", "GetMyeBaySelling", "GetBestOffers"}


def ship(two: TwoMarkets, order_id: int) -> None:
    with two.database.transaction() as session:
        mark_shipped(session, order_id, TRACKING)
    two.engine().cycle()


def test_the_tracking_number_reaches_ebay_through_the_engine(two, tmp_path):
    item = listed_on_both(two, tmp_path)
    order_id = two.fake.sell(item.sku)
    two.engine().cycle()
    with two.database.session() as session:
        order = session.exec(select(Order).where(Order.remote_id == order_id)).one()
    ship(two, order.id)
    two.engine().cycle()  # eBay's echo of the shipment must not lose the number either
    assert two.fake.fulfillments[order_id][0]["shipmentTrackingNumber"] == "9400100000000000000000"
    with two.database.session() as session:
        kept = session.get(Order, order.id).tracking_number
    assert kept.replace(" ", "") == TRACKING.replace(" ", "")  # eBay keeps letters and digits


def test_a_sale_on_the_seller_api_ends_the_ebay_listing(two, tmp_path):
    item = listed_on_both(two, tmp_path, title="Silk scarf")
    from market_buyers import new_buyer

    new_buyer(two.market.base_url, "Oona Farrelly").buy(two.link(item.id, SELLER_API).remote_id)
    report = two.engine().cycle()
    assert report.accounts[EBAY].push.acked == 1
    assert two.fake.offer_of(item.sku)["status"] == "UNPUBLISHED"  # withdrawn
    assert two.link(item.id, EBAY).remote_status == "delisted"


def test_watchers_get_an_offer_and_a_best_offer_is_countered(two, tmp_path):
    item = listed_on_both(two, tmp_path)
    fake = two.fake
    fake.watch(item.sku, 3)
    best = fake.place_best_offer(item.sku, "vintage_hunter_88", "36.0")
    two.engine().cycle()

    with two.database.session() as session:
        watchers = session.exec(
            select(Like).where(Like.marketplace == EBAY, Like.active == True)  # noqa: E712
        ).all()
        assert {like.item_id for like in watchers} == {item.id} and len(watchers) == 3
        offer = session.exec(select(Offer).where(Offer.marketplace == EBAY)).one()
        assert (offer.item_id, offer.amount_cents, offer.status) == (item.id, 3600, "pending")
    assert two.link(item.id, EBAY).likes_count == 3

    # An offer to the watchers: 10% off, which eBay accepts (it needs at least 5%).
    with two.database.transaction() as session:
        send_to_likers(session, [item.id], amount_cents=4320)
    two.engine().cycle()
    [sent] = fake.watcher_offers
    assert sent["offeredItems"][0]["price"]["value"] == "43.20"
    assert OutboxOp and ("acked", "reached 3 liker(s)") in two.op_note(OpKind.OFFER_TO_LIKERS, EBAY)

    # The best offer countered: RespondToBestOffer goes out, and eBay's word comes back.
    with two.database.transaction() as session:
        offer_answers.answer_offer(session, offer.id, "counter", 4400)
    two.engine().cycle()
    assert [(r["action"], r["offer_id"], r["counter"]) for r in fake.responses] == [
        ("Counter", best, "44.00")
    ]
    two.engine().cycle()
    with two.database.session() as session:
        assert session.get(Offer, offer.id).status == "countered"
