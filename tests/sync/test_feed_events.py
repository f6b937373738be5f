"""Every kind of event the reference server puts in its feed reads as its typed port value.

The events are made for real (a seller and buyers on the embedded server), then read twice:
as raw JSON, to know what the server said, and through the Seller API adapter, which is all
the engine ever sees.
"""

from datetime import timedelta
from typing import Any

from market_buyers import new_buyer

from marketplace.models import Offer as ServerOffer
from marketplace.models import utcnow
from studio.marketplaces.seller_api import parse
from studio.sync.port import (
    FeedEvent,
    FollowerAdded,
    LikeAdded,
    LikeRemoved,
    ListingChanged,
    ListingState,
    MessageKind,
    MessageReceived,
    OfferChanged,
    OfferKind,
    OfferState,
    OrderChanged,
    OrderState,
    UnknownChange,
)
from studio.sync.pull import EventApplier, PullReport

# The feed's kinds (docs/seller-api.md, "The change feed") and what each must read as.
KINDS = {
    "listing.created": ListingChanged,
    "listing.updated": ListingChanged,
    "listing.delisted": ListingChanged,
    "listing.sold": ListingChanged,
    "like.added": LikeAdded,
    "like.removed": LikeRemoved,
    "offer.received": OfferChanged,
    "offer.accepted": OfferChanged,
    "offer.declined": OfferChanged,
    "offer.countered": OfferChanged,
    "offer.expired": OfferChanged,
    "order.created": OrderChanged,
    "order.shipped": OrderChanged,
    "order.cancelled": OrderChanged,
    "follower.added": FollowerAdded,
    "message.received": MessageReceived,
}


def _listing(studio, title: str, cents: int) -> dict[str, Any]:
    response = studio.api("POST", "/v1/listings", json={"title": title, "price_cents": cents})
    assert response.status_code == 201, response.text
    return response.json()


def _every_kind_of_event(studio) -> None:
    """Makes the server record each kind of event at least once."""
    seller = studio.api("GET", "/v1/me").json()["name"]
    coat = _listing(studio, "Wool coat", 9000)
    scarf = _listing(studio, "Silk scarf", 4000)
    boots = _listing(studio, "Chelsea boots", 7000)
    hat = _listing(studio, "Felt hat", 3000)
    studio.api(
        "PATCH", f"/v1/listings/{coat['id']}", json={"title": "Wool coat, navy"},
        headers={"If-Match": f'"{coat["version"]}"'},
    )  # fmt: skip
    studio.api("POST", f"/v1/listings/{hat['id']}/delist")
    fan = new_buyer(studio.market.base_url, "Ilse Marrowby")
    fan.follow(seller)
    fan.write(seller, "Pit to pit, please?", coat["id"])
    fan.like(coat["id"])
    assert fan.call("DELETE", f"/listings/{coat['id']}/like").status_code == 200
    countered = fan.offer(coat["id"], 7000)
    studio.api("POST", f"/v1/offers/{countered['id']}/counter", json={"amount_cents": 8000})
    declined = fan.offer(scarf["id"], 3000)
    studio.api("POST", f"/v1/offers/{declined['id']}/decline")
    expiring = fan.offer(scarf["id"], 3500)
    with studio.market.state.db.write() as session:  # a day later, as far as the offer knows
        offer = session.get(ServerOffer, expiring["id"])
        offer.expires_at = utcnow() - timedelta(minutes=1)
        session.add(offer)
    accepted = fan.offer(boots["id"], 6500)
    studio.api("POST", f"/v1/offers/{accepted['id']}/accept")  # an order, and a sale
    [shipped] = studio.api("GET", "/v1/orders").json()["orders"]
    studio.api("POST", f"/v1/orders/{shipped['id']}/ship")
    cancelled = fan.buy(scarf["id"])
    studio.api("POST", f"/v1/orders/{cancelled['id']}/cancel")


def test_every_kind_the_server_emits_reads_as_its_typed_value(studio):
    _every_kind_of_event(studio)
    client = studio.engine().markets[0]
    typed = client.events(0, 500)
    raw = studio.api("GET", "/v1/events", params={"after": 0, "limit": 500}).json()
    client.close()

    assert not typed.has_more and typed.next_cursor == raw["next_cursor"]
    assert {event["type"] for event in raw["events"]} == set(KINDS)
    assert [event.cursor for event in typed.events] == [e["cursor"] for e in raw["events"]]
    for event, data in zip(typed.events, raw["events"], strict=True):
        assert isinstance(event.change, KINDS[data["type"]]), data["type"]
        assert event.created_at.tzinfo is not None
        assert event == parse.feed_event(data)

    by_kind: dict[str, Any] = {}  # the first event of each kind
    for event, data in zip(typed.events, raw["events"], strict=True):
        by_kind.setdefault(data["type"], event.change)
    sold = by_kind["listing.sold"]
    assert isinstance(sold, ListingChanged) and sold.listing.status is ListingState.SOLD
    assert sold.listing.fields["title"] == "Chelsea boots"
    like = by_kind["like.added"]
    assert isinstance(like, LikeAdded) and like.like.buyer.name == "Ilse Marrowby"
    assert like.like.likes_count == 1
    counter = by_kind["offer.countered"]
    assert isinstance(counter, OfferChanged) and counter.counter is not None
    assert (counter.offer.status, counter.counter.kind) == (OfferState.COUNTERED, OfferKind.COUNTER)
    assert counter.counter.parent_id == counter.offer.id
    expired = by_kind["offer.expired"]
    assert isinstance(expired, OfferChanged) and expired.offer.status is OfferState.EXPIRED
    order = by_kind["order.shipped"]
    assert isinstance(order, OrderChanged) and order.order.status is OrderState.SHIPPED
    assert order.order.ship_to.city == "Dayton" and order.order.ship_to.line2 == ""
    assert [line.title for line in order.order.lines] == ["Chelsea boots"]
    assert order.order.buyer.name == "Ilse Marrowby" and order.order.shipped_at is not None
    follower = by_kind["follower.added"]
    assert isinstance(follower, FollowerAdded) and follower.follower.buyer.name == "Ilse Marrowby"
    question = by_kind["message.received"]
    assert isinstance(question, MessageReceived) and question.message.kind is MessageKind.BUYER
    assert (question.message.buyer.name, question.message.body) == (
        "Ilse Marrowby",
        "Pit to pit, please?",
    )
    coat = by_kind["listing.created"]  # the first listing made
    assert isinstance(coat, ListingChanged) and question.message.listing_id == coat.listing.id


def test_a_kind_this_version_does_not_know_is_skipped(studio):
    unknown = {
        "cursor": 7,
        "type": "review.posted",
        "created_at": "2026-03-01T09:30:00+00:00",
        "data": {"review": {"stars": 5}},
    }
    event = parse.feed_event(unknown)
    assert event == FeedEvent(7, event.created_at, UnknownChange("review.posted"))
    # A new kind in a family whose payload is not a snapshot is unknown too, not misread.
    assert parse.feed_event({**unknown, "type": "like.hidden"}).change == UnknownChange(
        "like.hidden"
    )

    report = PullReport()
    with studio.database.transaction() as session:
        EventApplier(session, "seller-api", report).apply_page([event])
        assert not session.new and not session.dirty
