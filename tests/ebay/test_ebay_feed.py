"""The feed eBay does not have, synthesized from polled orders, watch counts and best offers:
what becomes an event, that a page seen twice changes nothing, and that nothing is lost."""

from datetime import timedelta

from ebay_setup import coat, make_client, publish

from studio.marketplaces.ebay.feed import PollEvery
from studio.sync.port import (
    LikeAdded,
    LikeRemoved,
    OfferChanged,
    OfferState,
    OrderChanged,
    OrderState,
)


def kinds(page):
    return [type(event.change).__name__ for event in page.events]


def test_a_sale_arrives_as_an_order_naming_the_listing_by_its_sku(client, fake):
    publish(client, coat())
    order_id = fake.sell("COAT-0007", buyer="ada_b", name="Ada Byron")

    page = client.events(0, 50)

    [event] = [e for e in page.events if isinstance(e.change, OrderChanged)]
    order = event.change.order
    assert order.id == order_id
    assert order.status is OrderState.PAID
    assert [(line.listing_id, line.sku, line.price_cents) for line in order.lines] == [
        ("COAT-0007", "COAT-0007", 4800)
    ]
    assert order.buyer.id == "ada_b" and order.ship_to.name == "Ada Byron"
    assert order.ship_to.postal_code == "95125"
    assert (order.subtotal_cents, order.shipping_cents, order.fee_cents) == (4800, 500, 636)
    assert event.created_at == order.created_at  # eBay's clock, not this laptop's


def test_the_overlap_reads_an_order_again_but_it_becomes_one_event(client, fake):
    publish(client, coat())
    fake.sell("COAT-0007")
    first = client.events(0, 50)
    assert kinds(first).count("OrderChanged") == 1

    again = client.events(first.next_cursor, 50)  # polls again, through the overlap

    assert again.events == []
    assert again.next_cursor == first.next_cursor
    assert fake.contract.operations["getOrders"] == 2


def test_a_page_the_engine_did_not_commit_is_served_again_and_a_committed_one_is_not(client, fake):
    publish(client, coat())
    fake.sell("COAT-0007")
    page = client.events(0, 50)

    # The engine crashed before committing: it asks again from the cursor it holds.
    assert client.events(0, 50).events == page.events
    # It committed: the events are gone for good.
    assert client.events(page.next_cursor, 50).events == []
    assert client.events(0, 50).events == []


def test_the_feed_survives_a_new_client_and_pages_through_a_backlog(fake, tmp_path):
    ledger = tmp_path / "ledger.json"
    first = make_client(fake, ledger)
    for n in range(3):
        publish(first, coat(f"COAT-000{n}"))
        fake.sell(f"COAT-000{n}")
    page = first.events(0, 2)
    assert len(page.events) == 2 and page.has_more
    first.close()

    second = make_client(fake, ledger)  # the next sync job builds its own client
    rest = second.events(page.next_cursor, 2)
    orders_polled = fake.contract.operations["getOrders"]
    assert len(rest.events) == 1 and not rest.has_more
    assert {e.change.order.lines[0].sku for e in (*page.events, *rest.events)} == {
        "COAT-0000",
        "COAT-0001",
        "COAT-0002",
    }
    assert fake.contract.operations["getOrders"] == orders_polled  # a backlog is not re-polled
    second.close()


def test_a_shipment_on_ebay_is_an_order_event_with_its_tracking_number(client, fake):
    publish(client, coat())
    order_id = fake.sell("COAT-0007")
    cursor = client.events(0, 50).next_cursor
    fake.clock_offset = timedelta(seconds=5)
    client.ship_order(order_id, "9400 1000 0000 0000 0000 00")

    [event] = client.events(cursor, 50).events
    order = event.change.order
    assert order.status is OrderState.SHIPPED
    assert order.tracking_number == "9400100000000000000000"
    assert order.shipped_at is not None


def test_watch_counts_become_anonymous_likes_added_and_taken_back(client, fake):
    publish(client, coat())
    fake.watch("COAT-0007", 2)
    page = client.events(0, 50)
    likes = [e.change.like for e in page.events if isinstance(e.change, LikeAdded)]
    assert [(like.listing_id, like.likes_count) for like in likes] == [
        ("COAT-0007", 1),
        ("COAT-0007", 2),
    ]
    assert len({like.buyer.id for like in likes}) == 2

    fake.watch("COAT-0007", 1)
    later = client.events(page.next_cursor, 50)
    [removed] = [e.change.like for e in later.events if isinstance(e.change, LikeRemoved)]
    assert removed.buyer == likes[1].buyer and removed.likes_count == 1
    assert client.get_listing("COAT-0007").likes_count == 1


def test_a_best_offer_is_an_offer_event_and_is_not_repeated_until_it_changes(client, fake):
    publish(client, coat())
    offer_id = fake.place_best_offer("COAT-0007", "vintage_hunter_88", "40.0")
    page = client.events(0, 50)
    [event] = [e for e in page.events if isinstance(e.change, OfferChanged)]
    offer = event.change.offer
    assert offer.listing_id == "COAT-0007"
    assert offer.amount_cents == 4000 and offer.status is OfferState.PENDING
    assert offer.buyer.id == "vintage_hunter_88"
    assert offer.id.endswith(offer_id)

    assert client.events(page.next_cursor, 50).events == []  # unchanged: no event
    fake.best_offers[offer_id].status = "Expired"
    [expired] = client.events(page.next_cursor, 50).events
    assert expired.change.offer.status is OfferState.EXPIRED


def test_the_trading_api_is_polled_far_less_often_than_orders(fake, tmp_path):
    client = make_client(fake, tmp_path / "ledger.json")
    client.poll_every = PollEvery()  # the defaults: orders every 20 s, Trading every 10 min
    cursor = 0
    for _ in range(5):
        cursor = client.events(cursor, 50).next_cursor
    assert fake.contract.operations["GetMyeBaySelling"] == 1
    assert fake.contract.operations["GetBestOffers"] == 1
    assert fake.contract.operations["getOrders"] == 1
    client.close()


def test_a_refused_trading_api_does_not_hold_up_the_orders(client, fake):
    publish(client, coat())
    fake.sell("COAT-0007")
    real = fake._trading_GetMyeBaySelling

    def refuse(sent, root):
        root.find("{urn:ebay:apis:eBLBaseComponents}Ack").text = "Failure"
        errors = root.makeelement("{urn:ebay:apis:eBLBaseComponents}Errors", {})
        for name, text in (
            ("LongMessage", "Not allowed."),
            ("ErrorCode", "21917236"),
            ("SeverityCode", "Error"),
        ):
            child = errors.makeelement(f"{{urn:ebay:apis:eBLBaseComponents}}{name}", {})
            child.text = text
            errors.append(child)
        root.append(errors)

    fake._trading_GetMyeBaySelling = refuse
    page = client.events(0, 50)
    fake._trading_GetMyeBaySelling = real
    assert kinds(page) == ["OrderChanged"]
