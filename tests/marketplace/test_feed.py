"""The change feed: typed, ordered, and complete while buyers and the seller write at once."""

import threading
from collections import Counter
from typing import Any

import pytest

from marketplace.simulator import Simulator


def seller_writes(seller, kit, count: int) -> None:
    for index in range(count):
        listing = kit.create_listing(
            seller, title=f"Knit {index}", price_cents=3000 + index, floor_price_cents=2000
        )
        seller.patch(
            f"/v1/listings/{listing['id']}",
            json={"price_cents": 2500},
            headers={"If-Match": f'"{listing["version"]}"'},
        )


def follow_feed(seller, stop: threading.Event, seen: list[dict[str, Any]]) -> None:
    """Poll like a syncing client: apply a page, move the cursor, repeat."""
    cursor = 0
    for _ in range(100_000):  # bounded; ends well before this once `stop` is set
        # Read `stop` before the page: only a page asked for after every write has finished
        # may end the loop, or the last events could be missed by the test, not the server.
        writers_done = stop.is_set()
        page = seller.get("/v1/events", params={"after": cursor, "limit": 25}).json()
        seen.extend(page["events"])
        cursor = page["next_cursor"]
        if writers_done and not page["has_more"]:
            return


@pytest.mark.postgres_too
def test_feed_is_ordered_and_complete_under_concurrent_writes(market, seller, kit):
    name = seller.headers["X-Test-Seller"]
    for index in range(8):
        kit.create_listing(
            seller, title=f"Starter {index}", price_cents=4000, floor_price_cents=3000
        )
    simulators = [Simulator(market.base_url, name, seed=seed, speed=0, buyers=4) for seed in (1, 2)]
    seen: list[dict[str, Any]] = []
    stop = threading.Event()
    writers = [threading.Thread(target=sim.run, kwargs={"actions": 120}) for sim in simulators] + [
        threading.Thread(target=seller_writes, args=(seller, kit, 25))
    ]
    reader = threading.Thread(target=follow_feed, args=(seller, stop, seen))
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()

    events = kit.all_events(seller)
    cursors = [event["cursor"] for event in events]
    assert cursors == list(range(1, len(events) + 1))
    # What the live follower saw is exactly the feed: nothing skipped, nothing twice. Offers
    # expire lazily when the feed is read, so the last read may add offer.expired events
    # after the follower stopped; those may only come at the end.
    seen_pairs = [(e["cursor"], e["type"]) for e in seen]
    feed_pairs = [(e["cursor"], e["type"]) for e in events[: len(seen)]]
    first_difference = next(
        (
            i
            for i, pair in enumerate(zip(seen_pairs, feed_pairs, strict=False))
            if pair[0] != pair[1]
        ),
        None,
    )
    assert first_difference is None, (
        f"at {first_difference}: saw {seen_pairs[first_difference : first_difference + 3]}, "
        f"feed has {feed_pairs[first_difference : first_difference + 3]}"
    )
    late = [(e["cursor"], e["type"]) for e in events[len(seen) :]]
    assert {kind for _cursor, kind in late} <= {"offer.expired"}, (
        f"{len(seen)} seen, {len(events)} in the feed; after the follower: {late[:5]}"
    )

    types = Counter(event["type"] for event in events)
    assert types["listing.created"] == 8 + 25
    assert types["like.added"] > 0 and types["offer.received"] > 0
    orders = seller.get("/v1/orders", params={"limit": 500}).json()["orders"]
    assert types["order.created"] == len(orders)
    listings = seller.get("/v1/listings", params={"limit": 500}).json()["listings"]
    net_likes: Counter[int] = Counter()
    for event in events:
        if event["type"] in ("like.added", "like.removed"):
            net_likes[event["data"]["listing_id"]] += 1 if event["type"] == "like.added" else -1
    assert {item["id"]: item["likes_count"] for item in listings if item["likes_count"]} == {
        key: value for key, value in net_likes.items() if value
    }
    # Each listing's events carry strictly increasing versions.
    versions: dict[int, int] = {}
    for event in events:
        if event["type"].startswith("listing."):
            listing = event["data"]["listing"]
            assert listing["version"] > versions.get(listing["id"], 0)
            versions[listing["id"]] = listing["version"]


@pytest.mark.postgres_too
def test_feed_pages_and_event_shapes(seller, buyer, kit):
    listing = kit.create_listing(seller, price_cents=5000)
    buyer.put(f"/v1/market/sellers/{seller.headers['X-Test-Seller']}/follow")
    buyer.put(f"/v1/market/listings/{listing['id']}/like")
    buyer.delete(f"/v1/market/listings/{listing['id']}/like")

    first = seller.get("/v1/events", params={"after": 0, "limit": 2}).json()
    rest = seller.get("/v1/events", params={"after": first["next_cursor"], "limit": 2}).json()

    assert first["has_more"] is True
    assert [e["type"] for e in first["events"]] == ["listing.created", "follower.added"]
    assert [e["type"] for e in rest["events"]] == ["like.added", "like.removed"]
    assert rest["has_more"] is False
    assert rest["events"][0]["data"]["likes_count"] == 1
    assert rest["events"][1]["data"]["likes_count"] == 0
    assert first["events"][1]["data"]["buyer"]["name"] == "Ана Ѓорѓиева"
    empty = seller.get("/v1/events", params={"after": rest["next_cursor"]}).json()
    assert empty == {"events": [], "next_cursor": rest["next_cursor"], "has_more": False}
