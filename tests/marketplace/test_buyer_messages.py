"""Buyers write to sellers, the seller's feed carries it, the seller replies, the buyer reads it."""

import pytest

PROBLEM = "application/problem+json"


def seller_name(seller) -> str:
    return seller.headers["X-Test-Seller"]


def received(kit, seller) -> list[dict]:
    return [e["data"]["message"] for e in kit.all_events(seller) if e["type"] == "message.received"]


def test_a_question_reaches_the_feed_and_the_reply_reaches_the_buyer(seller, buyer, kit):
    listing = kit.create_listing(seller, title="Wool coat")
    path = f"/v1/market/sellers/{seller_name(seller)}/messages"

    about = buyer.post(path, json={"body": "Pit to pit?", "listing_id": listing["id"]})
    general = buyer.post(path, json={"body": "Do you combine shipping?"})

    assert about.status_code == general.status_code == 201
    first, second = received(kit, seller)
    assert first == about.json()
    assert (first["buyer"]["name"], first["listing_id"], first["body"]) == (
        "Ана Ѓорѓиева",
        listing["id"],
        "Pit to pit?",
    )
    assert second["listing_id"] is None and second["id"] > first["id"]

    # Writing made the buyer someone the seller may answer (no like, follow or purchase).
    buyer_id = first["buyer"]["id"]
    reply = seller.post(
        "/v1/messages", json={"buyer_id": buyer_id, "kind": "reply", "body": "56 cm, 104 cm."}
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["kind"] == "reply"
    [seen] = buyer.get("/v1/market/messages").json()["messages"]
    assert (seen["seller"], seen["kind"], seen["body"]) == (
        seller_name(seller),
        "reply",
        "56 cm, 104 cm.",
    )


def test_a_reply_needs_its_text(seller, buyer, kit):
    buyer.post(f"/v1/market/sellers/{seller_name(seller)}/messages", json={"body": "Hello?"})
    [message] = received(kit, seller)

    response = seller.post(
        "/v1/messages", json={"buyer_id": message["buyer"]["id"], "kind": "reply"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "body_required"
    assert seller.get("/v1/messages").json()["messages"] == []


def test_a_buyer_who_made_an_offer_can_be_answered(seller, buyer, kit):
    listing = kit.create_listing(seller, price_cents=3000)
    offer = buyer.post(f"/v1/market/listings/{listing['id']}/offers", json={"amount_cents": 2500})

    reply = seller.post(
        "/v1/messages",
        json={"buyer_id": offer.json()["buyer"]["id"], "kind": "reply", "body": "Meet at 28?"},
    )

    assert reply.status_code == 201, reply.text


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"body": ""}, 422, "validation_failed"),
        ({"body": "x" * 2001}, 422, "validation_failed"),
        ({"body": "Hi", "colour": "red"}, 422, "validation_failed"),
        ({"body": "Hi", "listing_id": "7"}, 422, "validation_failed"),
        ({"body": "Hi", "listing_id": 10**9}, 404, "not_found"),
    ],
)
def test_bad_messages_are_problems_and_write_nothing(seller, buyer, kit, body, status, code):
    response = buyer.post(f"/v1/market/sellers/{seller_name(seller)}/messages", json=body)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == code
    assert kit.all_events(seller) == []


def test_messages_stay_with_their_seller(new_seller, buyer, kit, market):
    alice, bob = new_seller(), new_seller()
    hers = kit.create_listing(alice)

    # Asking Bob about Alice's listing is asking about no listing of his.
    wrong = buyer.post(
        f"/v1/market/sellers/{seller_name(bob)}/messages",
        json={"body": "Is it still there?", "listing_id": hers["id"]},
    )
    nobody = buyer.post("/v1/market/sellers/nobody-at-all/messages", json={"body": "Hi"})
    right = buyer.post(
        f"/v1/market/sellers/{seller_name(alice)}/messages",
        json={"body": "Is it still there?", "listing_id": hers["id"]},
    )

    assert (wrong.status_code, nobody.status_code, right.status_code) == (404, 404, 201)
    assert kit.all_events(bob) == []
    [message] = received(kit, alice)
    # Bob never dealt with this buyer: he may not message them.
    stranger = bob.post(
        "/v1/messages",
        json={"buyer_id": message["buyer"]["id"], "kind": "reply", "body": "Mine is nicer."},
    )
    assert stranger.status_code == 404
    # A seller's token is no buyer's, and a buyer's is no seller's.
    as_seller = alice.post(f"/v1/market/sellers/{seller_name(bob)}/messages", json={"body": "Hi"})
    assert as_seller.status_code == 401
    assert buyer.get("/v1/messages").status_code == 401
    other = kit.make_buyer(market, "Ilse Marrowby")
    assert other.get("/v1/market/messages").json()["messages"] == []
    other.close()


def test_a_huge_message_is_refused_before_it_is_read(seller, buyer, kit):
    huge = b'{"body": "' + b"x" * 200_000 + b'"}'

    response = buyer.post(
        f"/v1/market/sellers/{seller_name(seller)}/messages",
        content=huge,
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert kit.all_events(seller) == []
