"""Writers racing on one listing: every check a route makes before it writes (the version
an If-Match names, a listing still for sale) holds against parallel requests, on SQLite and
on PostgreSQL, whose row locks alone would let two requests both pass (marketplace/db.py)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.postgres_too
PARALLEL = 8


def test_parallel_updates_of_one_version_leave_one_winner(seller, kit):
    listing = kit.create_listing(seller)

    def update(n: int) -> int:
        answer = seller.patch(
            f"/v1/listings/{listing['id']}",
            json={"title": f"Linen shirt {n}"},
            headers={"If-Match": '"1"'},
        )
        return answer.status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = sorted(pool.map(update, range(PARALLEL)))
    assert statuses == [200] + [412] * (PARALLEL - 1)
    now = seller.get(f"/v1/listings/{listing['id']}").json()
    assert now["version"] == 2


def test_parallel_buyers_of_one_listing_make_one_order(market, seller, kit):
    listing = kit.create_listing(seller)
    buyers = [kit.make_buyer(market, f"Buyer {n}") for n in range(PARALLEL)]

    def buy(buyer) -> int:
        return buyer.post("/v1/market/orders", json={"listing_ids": [listing["id"]]}).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(buy, buyers))
    for buyer in buyers:
        buyer.close()
    assert sorted(statuses) == [201] + [409] * (PARALLEL - 1)
    assert len(seller.get("/v1/orders").json()["orders"]) == 1
