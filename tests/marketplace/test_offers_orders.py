"""Likes, offers, orders, labels and messages, as the seller and buyers see them."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader


def normalised(text: str) -> str:
    # pypdf separates words with tabs or newlines; compare on single spaces.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_seller_sees_likers(market, seller, kit):
    listing = kit.create_listing(seller)
    fans = [kit.make_buyer(market, name) for name in ("Chloé Lefèvre", "Νίκος Γεωργίου")]
    for fan in fans:
        fan.put(f"/v1/market/listings/{listing['id']}/like")
    fans[0].put(f"/v1/market/listings/{listing['id']}/like")  # liking twice counts once

    likes = seller.get(f"/v1/listings/{listing['id']}/likes").json()

    assert likes["likes_count"] == 2
    assert [liker["name"] for liker in likes["likers"]] == ["Chloé Lefèvre", "Νίκος Γεωργίου"]


@pytest.mark.postgres_too
def test_offer_below_floor_is_declined_and_counter_can_be_accepted(seller, buyer, kit):
    listing = kit.create_listing(seller, price_cents=5000, floor_price_cents=4000)
    path = f"/v1/market/listings/{listing['id']}/offers"
    low = buyer.post(path, json={"amount_cents": 2000}).json()
    assert (low["status"], low["reason"]) == ("declined", "below_floor")
    fair = buyer.post(path, json={"amount_cents": 4200}).json()
    assert fair["status"] == "pending"

    counter = seller.post(f"/v1/offers/{fair['id']}/counter", json={"amount_cents": 4600})
    assert counter.status_code == 201
    assert seller.get(f"/v1/offers/{fair['id']}").json()["status"] == "countered"
    order = buyer.post(f"/v1/market/offers/{counter.json()['id']}/accept")

    assert order.status_code == 201
    assert order.json()["subtotal_cents"] == 4600
    types = [e["type"] for e in kit.all_events(seller)]
    assert types == [
        "listing.created",
        "offer.received",
        "offer.declined",
        "offer.received",
        "offer.countered",
        "offer.accepted",
        "order.created",
        "listing.sold",
    ]


def test_offer_to_likers_reaches_every_current_liker(market, seller, kit):
    listing = kit.create_listing(seller, price_cents=6000, shipping_cents=800)
    likers = [kit.make_buyer(market, f"Liker {i}") for i in range(3)]
    for liker in likers:
        liker.put(f"/v1/market/listings/{listing['id']}/like")
    likers[2].delete(f"/v1/market/listings/{listing['id']}/like")

    sent = seller.post(
        f"/v1/listings/{listing['id']}/offer-to-likers",
        json={"amount_cents": 5000, "shipping_discount_cents": 500, "expires_in_hours": 24},
    ).json()

    assert sent["likers_reached"] == 2
    inbox = [liker.get("/v1/market/offers").json()["offers"] for liker in likers]
    assert [len(offers) for offers in inbox] == [1, 1, 0]
    accepted = likers[1].post(f"/v1/market/offers/{inbox[1][0]['id']}/accept").json()
    assert accepted["subtotal_cents"] == 5000
    assert accepted["shipping_discount_cents"] == 500
    assert accepted["total_cents"] == 5000 + 800 - 500
    # The other liker's offer closed with the sale.
    assert likers[0].get("/v1/market/offers").json()["offers"][0]["status"] == "declined"


def test_price_cut_of_ten_percent_notifies_likers(seller, buyer, kit):
    listing = kit.create_listing(seller, price_cents=10000)
    buyer.put(f"/v1/market/listings/{listing['id']}/like")
    path = f"/v1/listings/{listing['id']}"
    small = seller.patch(path, json={"price_cents": 9500}, headers={"If-Match": '"1"'}).json()
    seller.patch(path, json={"price_cents": 8000}, headers={"If-Match": f'"{small["version"]}"'})

    notes = buyer.get("/v1/market/notifications").json()["notifications"]
    assert [(n["old_price_cents"], n["new_price_cents"]) for n in notes] == [(9500, 8000)]
    updates = [e for e in kit.all_events(seller) if e["type"] == "listing.updated"]
    assert updates[0]["data"]["price_drop"] is None
    assert updates[1]["data"]["price_drop"] == {
        "old_price_cents": 9500,
        "new_price_cents": 8000,
        "likers_notified": 1,
    }


@pytest.mark.postgres_too
def test_bundle_order_label_ship_and_cancel(market, seller, kit):
    seller.patch(
        "/v1/me",
        json={
            "ship_from": {
                "name": "Second Life Closet",
                "line1": "12 Harbour Road",
                "city": "Bristol",
                "postal_code": "BS1 5TY",
                "country": "GB",
            }
        },
    )
    shoes = kit.create_listing(seller, title="Leather boots", price_cents=4000, shipping_cents=700)
    belt = kit.create_listing(seller, title="Belt", price_cents=1000, shipping_cents=500)
    buyer = kit.make_buyer(market, "Олена Коваль")
    order = buyer.post("/v1/market/orders", json={"listing_ids": [shoes["id"], belt["id"]]}).json()

    assert [line["title"] for line in order["lines"]] == ["Leather boots", "Belt"]
    assert order["subtotal_cents"] == 5000
    assert order["shipping_cents"] == 700
    assert order["marketplace_fee_cents"] == 1000
    assert order["seller_earnings_cents"] == 4000
    assert order["buyer_name"] == "Олена Коваль"

    label = seller.get(order["label_url"])
    assert label.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(label.content))
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288.0, 432.0)
    text = normalised(page.extract_text())
    tracking = order["tracking_number"]
    grouped = " ".join(tracking[i : i + 4] for i in range(0, len(tracking), 4))
    for expected in (
        "Олена Коваль",
        "ул. Македонија 12",
        "Скопје 1000",
        "Second Life Closet",
        "Bristol BS1 5TY",
        grouped,
        "SHIP TO",
    ):
        assert expected in text, (expected, text)
    # Code 128 bars are filled rectangles in the page's content stream.
    content = page.get_contents().get_data().decode("latin-1")
    assert len(re.findall(r" re\b", content)) > 30

    cancelled = seller.post(f"/v1/orders/{order['id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert seller.get(f"/v1/listings/{shoes['id']}").json()["status"] == "active"
    assert seller.get(order["label_url"]).status_code == 409
    types = [e["type"] for e in kit.all_events(seller)][-5:]
    assert types == [
        "listing.sold",
        "listing.sold",
        "order.cancelled",
        "listing.updated",
        "listing.updated",
    ]


def test_ship_then_cancel_is_refused(seller, buyer, kit):
    listing = kit.create_listing(seller)
    order = buyer.post("/v1/market/orders", json={"listing_ids": [listing["id"]]}).json()
    shipped = seller.post(f"/v1/orders/{order['id']}/ship").json()
    assert shipped["status"] == "shipped"
    refused = seller.post(f"/v1/orders/{order['id']}/cancel")
    assert refused.status_code == 409
    assert refused.json()["code"] == "order_shipped"


@pytest.mark.postgres_too
def test_sold_listing_cannot_be_bought_twice(seller, buyer, kit):
    listing = kit.create_listing(seller)
    assert buyer.post("/v1/market/orders", json={"listing_ids": [listing["id"]]}).status_code == 201
    again = buyer.post("/v1/market/orders", json={"listing_ids": [listing["id"]]})
    assert again.status_code == 409
    assert again.json()["code"] == "listing_not_available"


def test_messages_to_buyers(seller, buyer, kit):
    first = kit.create_listing(seller, title="Skirt")
    second = kit.create_listing(seller, title="Top")
    me = buyer.put(f"/v1/market/listings/{first['id']}/like").json()
    assert me["liked"] is True
    buyer_id = seller.get(f"/v1/listings/{first['id']}/likes").json()["likers"][0]["id"]

    greeting = seller.post("/v1/messages", json={"buyer_id": buyer_id, "kind": "greeting"})
    bundle = seller.post(
        "/v1/messages",
        json={
            "buyer_id": buyer_id,
            "kind": "bundle_suggestion",
            "listing_ids": [first["id"], second["id"]],
        },
    )
    stranger = seller.post("/v1/messages", json={"buyer_id": 10**9, "kind": "thank_you"})

    assert greeting.status_code == 201
    assert "Ана Ѓорѓиева" in greeting.json()["body"]
    assert bundle.json()["listing_ids"] == [first["id"], second["id"]]
    assert stranger.status_code == 404
    kinds = [m["kind"] for m in seller.get("/v1/messages").json()["messages"]]
    assert kinds == ["bundle_suggestion", "greeting"]
