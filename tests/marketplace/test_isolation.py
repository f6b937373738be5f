"""One seller can never read or change another's data: their ids answer 404."""

import pytest


@pytest.mark.postgres_too
def test_other_sellers_ids_are_404(new_seller, buyer, kit):
    alice, bob = new_seller(), new_seller()
    listing = kit.create_listing(alice, price_cents=3000)
    buyer.put(f"/v1/market/listings/{listing['id']}/like")
    offer = buyer.post(
        f"/v1/market/listings/{listing['id']}/offers", json={"amount_cents": 2500}
    ).json()
    order = buyer.post("/v1/market/orders", json={"listing_ids": [listing["id"]]}).json()
    path = f"/v1/listings/{listing['id']}"

    attempts = [
        bob.get(path),
        bob.patch(path, json={"title": "mine now"}, headers={"If-Match": '"1"'}),
        bob.post(f"{path}/delist"),
        bob.post(f"{path}/mark-sold"),
        bob.get(f"{path}/likes"),
        bob.post(f"{path}/offer-to-likers", json={"amount_cents": 100}),
        bob.get(f"/v1/offers/{offer['id']}"),
        bob.post(f"/v1/offers/{offer['id']}/decline"),
        bob.get(f"/v1/orders/{order['id']}"),
        bob.get(f"/v1/orders/{order['id']}/label.pdf"),
        bob.post(f"/v1/orders/{order['id']}/cancel"),
    ]

    for response in attempts:
        assert response.status_code == 404, (response.request.url, response.text)
        assert response.json()["code"] == "not_found"
    assert bob.get("/v1/listings").json()["listings"] == []
    assert bob.get("/v1/orders").json()["orders"] == []
    assert kit.all_events(bob) == []
    assert alice.get(path).json()["title"] == listing["title"]
    assert alice.get(f"/v1/orders/{order['id']}").json()["status"] == "paid"


def test_buyer_tokens_cannot_use_seller_endpoints(buyer):
    response = buyer.get("/v1/listings")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
