"""What eBay still needs before an item is published (studio/sync/marketplace_details.py),
asked of the contract-checking fake eBay through the account's connection: a category
suggested once and then remembered per studio category, the required item specifics the
item's fields leave missing, the condition against the category's, what is known kept for
offline use, and the listing eBay gets carrying the specifics and the confirmed category."""

import json
from dataclasses import dataclass

import httpx
import pytest
from ebay_setup import remember_account
from fake_ebay import COATS, MENS_JEANS, WOMENS_JEANS, FakeEbay
from sqlmodel import select

from marketplace.schemas import ListingCreate
from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.listing_json import ASPECT_OF_FIELD
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import Database
from studio.sync import outbox
from studio.sync.connection import listing_lookups
from studio.sync.listing_fields import listing_fields_for, loads
from studio.sync.marketplace_details import (
    CATEGORY_FIELD,
    EXTRA_FIELDS,
    Category,
    Known,
    ask,
    choose,
    needs_of,
    read_known_for,
    remember,
)
from studio.sync.port import Unreachable
from studio.sync.tables import MarketplaceAccount, OutboxOp

EBAY, SELLER_API = "ebay", "seller-api"
COATS_PATH = "Clothing, Shoes & Accessories > Men's Clothing > Coats, Jackets & Vests"


@dataclass
class Shop:
    database: Database
    credentials: PrivateFileStore
    fake: FakeEbay

    def known(self, item: Item) -> Known:
        with self.database.session() as session:
            return read_known_for(session, EBAY, item)

    def look_up(self, item: Item, transport: httpx.BaseTransport | None = None) -> Known:
        """What the editor does when it opens: ask eBay only what is not known yet."""
        question = self.known(item).question()
        if question is not None:
            lookups = listing_lookups(
                self.database, self.credentials, EBAY, transport or self.fake.transport
            )
            answers = ask(lookups, *question)
            with self.database.transaction() as session:
                remember(session, EBAY, answers)
        return self.known(item)

    def choose(self, studio_category: str, category: Category) -> None:
        with self.database.transaction() as session:
            choose(session, EBAY, studio_category, category)


@pytest.fixture
def shop(database, data_dir, fake) -> Shop:
    credentials = PrivateFileStore(data_dir)
    remember_account(database, credentials)
    return Shop(database, credentials, fake)


def test_ebay_is_asked_once_and_a_confirmed_category_serves_the_studio_category(shop, add_item):
    coat = add_item(title="Vintage wool coat, camel", category="Coats", brand="Barbour")
    known = shop.known(coat)
    assert known.category is None
    assert known.question() == ("vintage wool coat, camel coats", None)
    assert not needs_of(known, coat).known
    assert needs_of(known, coat).words() == (
        "eBay has not been asked about this item yet, so what it needs is not known: open the "
        "item while online."
    )

    known = shop.look_up(coat)
    assert known.category == Category(COATS, COATS_PATH) and known.chosen is None
    assert needs_of(known, coat).words() == "eBay needs: Size, Condition"
    # Kept: opening the item again asks eBay nothing.
    asked = len(shop.fake.calls)
    assert shop.known(coat).question() is None
    assert shop.look_up(coat) == known and len(shop.fake.calls) == asked

    # Confirmed for "Coats": a jacket of it is in that category too, though eBay would have
    # suggested another for its title, and needs nothing asked.
    shop.choose("Coats", known.category)
    jacket = add_item(
        title="Waxed jacket", category="Coats", brand="Barbour", size="L", condition="Good"
    )
    known = shop.look_up(jacket)
    assert known.chosen == Category(COATS, COATS_PATH) and known.suggestions is None
    assert needs_of(known, jacket).ready
    assert len(shop.fake.calls) == asked
    with shop.database.session() as session:
        assert listing_fields_for(session, jacket, EBAY)["ebay_category_id"] == COATS


def test_missing_specifics_come_from_the_items_fields_and_the_condition_is_checked(shop, add_item):
    jeans = add_item(
        title="Levi's 501 jeans", category="Jeans", brand="Levi's", size="32", condition="Good"
    )
    known = shop.look_up(jeans)
    assert [c.category_id for c in known.choices] == [MENS_JEANS, WOMENS_JEANS]
    needs = needs_of(known, jeans)
    assert needs.names == ["Department", "Size Type"]
    # Department is one of the item's own fields; Size Type has none, so it is asked for.
    assert [aspect.field for aspect in needs.missing] == ["department", None]

    jeans.department = "Men"
    jeans.aspects = json.dumps({"size type": "Regular"})  # eBay's names, in any case
    assert needs_of(known, jeans).ready and needs_of(known, jeans).words() == ""
    # The category takes New with tags (1000) and Pre-owned (3000, the studio's "Good"):
    # "Excellent" lists as 2990, which it does not take.
    jeans.condition = "Excellent"
    assert needs_of(known, jeans).words() == (
        "eBay needs: a condition it takes here (New with tags or Good)"
    )
    jeans.condition = "NWT"
    assert needs_of(known, jeans).ready

    # Picking the other suggestion: its specifics are asked for, once.
    shop.choose("Jeans", known.choices[1])
    assert shop.known(jeans).question() == (None, WOMENS_JEANS)
    assert shop.look_up(jeans).question() is None


def test_offline_what_ebay_said_last_is_used_and_never_asked_is_said(shop, add_item):
    coat = add_item(
        title="Wool coat", category="Coats", brand="Barbour", size="M", condition="Used"
    )
    known = shop.look_up(coat)

    def no_network(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    offline = listing_lookups(
        shop.database, shop.credentials, EBAY, httpx.MockTransport(no_network)
    )
    offline.details.http.sleep = lambda _seconds: None  # type: ignore[attr-defined]
    with pytest.raises(Unreachable):
        ask(offline, "wool coat coats", None)
    assert needs_of(shop.known(coat), coat).ready and shop.known(coat) == known

    scarf = add_item(title="Silk scarf", category="Scarves")
    assert not needs_of(shop.known(scarf), scarf).known


def queued(database: Database, item_id: int) -> dict[str, dict]:
    with database.session() as session:
        ops = session.exec(select(OutboxOp).where(OutboxOp.item_id == item_id)).all()
        return {op.marketplace: loads(op.payload) for op in ops}


def test_the_listing_sent_to_ebay_carries_the_specifics_and_the_category(
    shop, add_item, client, database
):
    with database.transaction() as session:
        session.add(MarketplaceAccount(name=SELLER_API, base_url="http://127.0.0.1:9"))
    jeans = add_item(
        title="High-rise jeans",
        category="Jeans",
        brand="Levi's",
        size="28",
        color="Indigo",
        material="Cotton denim",
        department="Women",
        condition="Good",
        list_price_cents="42",
    )
    with database.transaction() as session:
        inventory.update_item(session, jeans.id, {"aspects": json.dumps({"Size Type": "Petite"})})
    known = shop.look_up(jeans)
    shop.choose("Jeans", known.choices[1])
    shop.look_up(jeans)  # the women's category's specifics, as the editor asks on a change
    with database.transaction() as session:
        item = session.get(Item, jeans.id)
        assert needs_of(read_known_for(session, EBAY, item), item).ready
        outbox.publish(session, item, EBAY)
        outbox.publish(session, item, SELLER_API)
    # An edit of a specific before the sync: only eBay's listing takes it.
    with database.transaction() as session:
        inventory.update_item(session, jeans.id, {"color": "Black"})

    sent = queued(database, jeans.id)
    ebay = sent[EBAY]
    assert ebay["ebay_category_id"] == WOMENS_JEANS
    assert (ebay["color"], ebay["department"]) == ("Black", "Women")
    assert ebay["aspects"] == {"Size Type": "Petite"}
    # The reference Seller API refuses a field it does not know: it gets none of them.
    assert not {"color", "department", "aspects", "ebay_category_id"} & set(sent[SELLER_API])
    ListingCreate.model_validate(sent[SELLER_API])

    # Through the adapter to the fake eBay, which checks each request against eBay's
    # definitions and refuses to publish a listing missing a required specific.
    listing = client.create_listing(ebay, "op-1")
    assert listing.status == "active"
    product = shop.fake.items[jeans.sku]["product"]
    assert product["aspects"] == {
        "Brand": ["Levi's"],
        "Size": ["28"],
        "Color": ["Black"],
        "Material": ["Cotton denim"],
        "Department": ["Women"],
        "Size Type": ["Petite"],
    }
    assert shop.fake.offer_of(jeans.sku)["categoryId"] == WOMENS_JEANS


def test_the_engine_names_ebay_and_its_fields_as_the_adapter_does():
    # The engine may not import the adapter, so it names them itself: they must agree.
    assert set(EXTRA_FIELDS) == set(CATEGORY_FIELD) == {EbayClient.kind}
    assert set(EXTRA_FIELDS[EbayClient.kind]) == {*ASPECT_OF_FIELD, "aspects"} - {"brand", "size"}
