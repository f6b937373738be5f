"""Two marketplaces at once, each a real Seller API server over HTTP on 127.0.0.1: an item
listed on both, a sale on one delisted on the other in the same cycle, a double sale, one
marketplace down while the other syncs, and sign-ins that lapse."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fault_injection import drop_before
from market_buyers import new_buyer
from sqlmodel import select

from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.inventory.tables import Item, utc_now
from studio.orders.tables import Order
from studio.seller_tools.tables import SentMessage
from studio.sync import double_sales, outbox
from studio.sync.accounts import Health, account_states, health_of
from studio.sync.connection import build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.status import ItemSync, item_states
from studio.sync.tables import (
    DoubleSale,
    ListingLink,
    MarketplaceAccount,
    OpKind,
    OpState,
    OutboxOp,
    SigninState,
)

OTHER = "other-market"


@pytest.fixture(scope="module")
def other_market(tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    with run_embedded(tmp_path_factory.mktemp("other"), rate_limit_per_minute=0) as server:
        yield server


@dataclass
class TwoMarkets:
    studio: object
    other: EmbeddedMarketplace
    other_token: str

    def engine(self) -> SyncEngine:
        studio = self.studio
        first = build_client(
            studio.database, studio.credentials, "seller-api", transport=studio.faults
        )
        second = build_client(studio.database, studio.credentials, OTHER)
        for client in (first, second):
            client._sleep = lambda _seconds: None
        return SyncEngine(studio.database, studio.data_dir, [first, second])

    def other_listing(self, listing_id: str) -> dict:
        headers = {"Authorization": f"Bearer {self.other_token}"}
        response = httpx.get(f"{self.other.base_url}/v1/listings/{listing_id}", headers=headers)
        return response.json()


@pytest.fixture
def two(studio, other_market) -> TwoMarkets:
    token = other_market.create_seller(f"crosslister-{id(studio)}")
    connect_with_token(
        studio.database, studio.credentials, other_market.base_url, token, name=OTHER
    )
    return TwoMarkets(studio, other_market, token)


def listed_on_both(two: TwoMarkets, title: str = "Silk scarf") -> tuple[int, str, str]:
    item = two.studio.add_item(title=title, list_price_cents="30")
    with two.studio.database.transaction() as session:
        outbox.publish(session, session.get(Item, item.id), OTHER)
    report = two.engine().cycle()
    assert report.push.acked == 2, report.summary()
    with two.studio.database.session() as session:
        links = {
            link.marketplace: link.remote_id
            for link in session.exec(select(ListingLink).where(ListingLink.item_id == item.id))
        }
    return item.id, links["seller-api"], links[OTHER]


def test_a_sale_on_one_marketplace_is_delisted_on_the_other_in_the_same_cycle(two):
    item_id, first_id, other_id = listed_on_both(two)
    new_buyer(two.studio.market.base_url, "Oona Farrelly").buy(first_id)

    report = two.engine().cycle()

    assert report.accounts["seller-api"].pull.orders == 1
    assert report.accounts[OTHER].push.acked == 1  # the delist, in this very cycle
    assert two.other_listing(other_id)["status"] == "delisted"
    with two.studio.database.session() as session:
        assert session.get(Item, item_id).status == "sold"
        assert len(session.exec(select(Order)).all()) == 1
        assert session.exec(select(DoubleSale)).all() == []
        # Sold on one, delisted on the other: the item's badge says sold, whatever the order.
        assert item_states(session, [item_id]) == {item_id: ItemSync.SOLD}


def test_delists_go_out_before_other_queued_work(two):
    item_id, first_id, _other_id = listed_on_both(two)
    # A backlog of edits for the other marketplace, queued before the sale is known.
    for index in range(3):
        two.studio.add_item(publish=False, title=f"Backlog {index}")
    with two.studio.database.transaction() as session:
        for item in session.exec(select(Item).where(Item.title.startswith("Backlog"))):
            outbox.publish(session, item, OTHER)
    new_buyer(two.studio.market.base_url, "Pia Lindqvist").buy(first_id)

    two.engine().cycle()

    with two.studio.database.session() as session:
        sent = session.exec(
            select(OutboxOp)
            .where(OutboxOp.marketplace == OTHER, OutboxOp.state == OpState.ACKED.value)
            .order_by(OutboxOp.updated_at)
        ).all()
    kinds_after_sale = [
        op.kind for op in sent if op.item_id != item_id or op.kind != "create_listing"
    ]
    assert kinds_after_sale[0] == OpKind.DELIST.value


def test_a_double_sale_is_one_loud_alert_and_settling_it_cancels_the_other_order(two):
    item_id, first_id, other_id = listed_on_both(two, "Leather belt")
    # Both marketplaces sell the one item before any cycle can delist either.
    new_buyer(two.studio.market.base_url, "Ines Moreau").buy(first_id)
    other_buyer = new_buyer(two.other.base_url, "Rafe Okonkwo")
    other_buyer.buy(other_id)

    two.engine().cycle()
    two.engine().cycle()  # a second cycle changes nothing: still one alert

    with two.studio.database.session() as session:
        orders = session.exec(select(Order).order_by(Order.id)).all()
        [alert] = double_sales.open_alerts(session)
        assert len(session.exec(select(DoubleSale)).all()) == 1
    assert len(orders) == 2  # no order lost
    assert {alert.first.marketplace, alert.second.marketplace} == {"seller-api", OTHER}
    assert alert.first.number in alert.words and alert.second.number in alert.words
    keep = next(side for side in (alert.first, alert.second) if side.marketplace == "seller-api")
    cancel = alert.second if keep is alert.first else alert.first

    with two.studio.database.transaction() as session:
        apology = double_sales.apology_for(session, alert.id, cancel.id)
        double_sales.settle(session, alert.id, keep.id, apology)
    assert "Rafe" in apology and cancel.number in apology

    two.engine().cycle()  # the cancel and the apology go out
    two.engine().cycle()  # the other marketplace put the listing back: it comes down again

    headers = {"Authorization": f"Bearer {two.other_token}"}
    remote_orders = httpx.get(f"{two.other.base_url}/v1/orders", headers=headers).json()
    assert [o["status"] for o in remote_orders["orders"]] == ["cancelled"]
    assert two.other_listing(other_id)["status"] == "delisted"
    with two.studio.database.session() as session:
        assert double_sales.open_alerts(session) == []
        assert session.get(Item, item_id).status == "sold"  # the kept order still holds it
        [message] = session.exec(select(SentMessage)).all()
        assert message.marketplace == OTHER and message.body == apology
    inbox = other_buyer.call("GET", "/messages").json()
    assert [m["body"] for m in inbox["messages"]] == [apology]


def test_one_marketplace_down_does_not_hold_up_the_other(two):
    item_id, _first_id, other_id = listed_on_both(two)
    two.studio.edit(item_id, list_price_cents="25")
    for _ in range(3):  # the first marketplace drops every attempt, quick retries included
        two.studio.faults.add("GET /v1/events", drop_before)

    report = two.engine().cycle()

    assert report.accounts["seller-api"].push.stopped == "offline"
    assert report.accounts[OTHER].push.acked == 1
    assert two.other_listing(other_id)["price_cents"] == 2500
    with two.studio.database.session() as session:
        waiting = session.exec(
            select(OutboxOp).where(
                OutboxOp.marketplace == "seller-api", OutboxOp.state == OpState.PENDING.value
            )
        ).all()
    assert len(waiting) == 1  # kept for when it is back


def test_sign_in_warnings_follow_the_clock(two):
    now = utc_now()
    with two.studio.database.transaction() as session:
        account = session.get(MarketplaceAccount, OTHER)
        account.signin_expires_at = now + timedelta(days=20)
        session.add(account)
    with two.studio.database.session() as session:
        account = session.get(MarketplaceAccount, OTHER)
        assert health_of(account, now)[0] is Health.OK
        assert health_of(account, now + timedelta(days=7))[0] is Health.EXPIRING
        assert "13 day(s)" in health_of(account, now + timedelta(days=6, hours=1))[1]
        lapsed = health_of(account, now + timedelta(days=21))
        assert lapsed[0] is Health.SIGNED_OUT and "connect other-market again" in lapsed[1]
        states = {s.name: s for s in account_states(session, now + timedelta(days=7))}
    assert states[OTHER].needs_attention and not states["seller-api"].needs_attention


def test_a_revoked_sign_in_is_a_persistent_state_and_reconnecting_keeps_queued_edits(two):
    item_id, _first_id, other_id = listed_on_both(two)
    two.studio.edit(item_id, title="Silk scarf, hand-rolled hem")
    revoked = httpx.Response(401, json={"code": "invalid_token", "title": "Token revoked"})
    other_client = build_client(
        two.studio.database,
        two.studio.credentials,
        OTHER,
        transport=httpx.MockTransport(lambda _request: revoked),
    )
    first = build_client(two.studio.database, two.studio.credentials, "seller-api")
    engine = SyncEngine(two.studio.database, two.studio.data_dir, [first, other_client])

    report = engine.cycle()
    assert "signed out" in report.accounts[OTHER].push.stopped
    assert report.accounts["seller-api"].push.acked == 1  # the other one still synced
    again = engine.cycle()
    assert "connect it again" in again.accounts[OTHER].skipped  # loud, and no request made
    with two.studio.database.session() as session:
        account = session.get(MarketplaceAccount, OTHER)
        assert account.signin_state == SigninState.EXPIRED
        [state] = [s for s in account_states(session, utc_now()) if s.name == OTHER]
        assert state.health is Health.SIGNED_OUT and state.waiting_ops == 1

    connect_with_token(
        two.studio.database, two.studio.credentials, two.other.base_url, two.other_token, OTHER
    )
    two.engine().cycle()
    assert two.other_listing(other_id)["title"] == "Silk scarf, hand-rolled hem"
