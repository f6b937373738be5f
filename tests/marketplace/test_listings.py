"""Listings: idempotent create, versioned update, status changes, photos by hash."""

import hashlib
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest


@pytest.mark.postgres_too
def test_twenty_parallel_creates_with_one_key_make_one_listing(market, seller, kit):
    body = {"title": "Silk scarf", "price_cents": 1800, "sku": "SCARF-1"}

    def create(_: int) -> httpx.Response:
        with kit.seller_client(market, seller.headers["Authorization"].split()[1]) as client:
            return client.post("/v1/listings", json=body, headers={"Idempotency-Key": "op-1"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(create, range(20)))

    assert {response.status_code for response in responses} == {201}
    assert len({response.json()["id"] for response in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 19
    listings = seller.get("/v1/listings", params={"sku": "SCARF-1"}).json()["listings"]
    assert len(listings) == 1
    created = [e for e in kit.all_events(seller) if e["type"] == "listing.created"]
    assert len(created) == 1


@pytest.mark.postgres_too
def test_same_key_with_another_body_is_refused(seller):
    headers = {"Idempotency-Key": "op-2"}
    first = seller.post("/v1/listings", json={"title": "A", "price_cents": 100}, headers=headers)
    assert first.status_code == 201

    second = seller.post("/v1/listings", json={"title": "B", "price_cents": 100}, headers=headers)

    assert second.status_code == 422
    assert second.json()["code"] == "idempotency_key_reused"
    assert len(seller.get("/v1/listings").json()["listings"]) == 1


@pytest.mark.postgres_too
def test_stale_version_gets_412_with_current_state(seller, kit):
    listing = kit.create_listing(seller, title="Denim jacket", price_cents=4000)
    path = f"/v1/listings/{listing['id']}"
    first = seller.patch(path, json={"title": "Denim jacket, size M"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert first.headers["etag"] == '"2"'

    stale = seller.patch(path, json={"price_cents": 3500}, headers={"If-Match": '"1"'})

    assert stale.status_code == 412
    problem = stale.json()
    assert problem["code"] == "version_mismatch"
    assert problem["current"]["version"] == 2
    assert problem["current"]["title"] == "Denim jacket, size M"
    assert seller.get(path).json()["price_cents"] == 4000


def test_update_without_if_match_is_428(seller, kit):
    listing = kit.create_listing(seller)
    response = seller.patch(f"/v1/listings/{listing['id']}", json={"title": "New"})
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


def test_unchanged_update_keeps_the_version(seller, kit):
    listing = kit.create_listing(seller, title="Same")
    response = seller.patch(
        f"/v1/listings/{listing['id']}", json={"title": "Same"}, headers={"If-Match": '"1"'}
    )
    assert response.json()["version"] == 1


def test_delist_relist_and_mark_sold_elsewhere(seller, kit):
    listing = kit.create_listing(seller)
    path = f"/v1/listings/{listing['id']}"

    assert seller.post(f"{path}/delist").json()["status"] == "delisted"
    relisted = seller.post(f"{path}/relist")
    assert relisted.json()["status"] == "active"
    stale = seller.post(f"{path}/mark-sold", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    sold = seller.post(f"{path}/mark-sold", headers={"If-Match": f'"{relisted.json()["version"]}"'})
    assert sold.json()["status"] == "sold"
    assert sold.json()["sold_via"] == "elsewhere"
    assert seller.post(f"{path}/relist").status_code == 409
    types = [e["type"] for e in kit.all_events(seller)]
    assert types == [
        "listing.created",
        "listing.delisted",
        "listing.updated",
        "listing.sold",
    ]


def test_photos_by_hash_are_stored_once_and_ordered(market, seller, kit):
    red, blue = kit.png_bytes((255, 0, 0)), kit.png_bytes((0, 0, 255))
    red_sha = kit.upload_photo(seller, red)
    again = seller.put(f"/v1/photos/{red_sha}", content=red, headers={"Content-Type": "image/png"})
    assert again.status_code == 200
    blue_sha = kit.upload_photo(seller, blue)
    stored = list((market.state.settings.photo_dir / red_sha[:2]).glob(red_sha + "*"))
    assert len(stored) == 1

    listing = kit.create_listing(seller, photos=[blue_sha, red_sha])

    assert [p["sha256"] for p in listing["photos"]] == [blue_sha, red_sha]
    cover = httpx.get(market.base_url + listing["photos"][0]["url"])
    assert cover.content == blue
    assert cover.headers["content-type"] == "image/png"
    reordered = seller.patch(
        f"/v1/listings/{listing['id']}",
        json={"photos": [red_sha, blue_sha]},
        headers={"If-Match": '"1"'},
    )
    assert [p["sha256"] for p in reordered.json()["photos"]] == [red_sha, blue_sha]


def test_photo_uploads_are_checked(seller, kit):
    text = b"definitely not a picture"
    sha = hashlib.sha256(text).hexdigest()
    not_image = seller.put(f"/v1/photos/{sha}", content=text, headers={"Content-Type": "image/png"})
    assert not_image.status_code == 415
    assert not_image.json()["code"] == "not_an_image"

    data = kit.png_bytes((1, 2, 3))
    mismatch = seller.put(f"/v1/photos/{'0' * 64}", content=data)
    assert mismatch.status_code == 422
    assert mismatch.json()["code"] == "hash_mismatch"

    unknown = seller.post("/v1/listings", json={"title": "x", "price_cents": 100, "photos": [sha]})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_photo"


@pytest.mark.postgres_too
def test_lookup_by_sku(seller, kit):
    kit.create_listing(seller, sku="TEE-7")
    kit.create_listing(seller, sku="TEE-8")
    found = seller.get("/v1/listings", params={"sku": "TEE-8"}).json()["listings"]
    assert [item["sku"] for item in found] == ["TEE-8"]
