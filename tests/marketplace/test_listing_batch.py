"""Batch create (`POST /v1/listings:batch`), batch photo upload (`POST /v1/photos:batch`) and
the photo lookup (`GET /v1/photos?sha256=`)."""

import hashlib
from typing import Any

BATCH = "/v1/listings:batch"
PHOTO_BATCH = "/v1/photos:batch"


def entry(key: str, title: str, **fields: Any) -> dict[str, Any]:
    return {"idempotency_key": key, "listing": {"title": title, "price_cents": 2100, **fields}}


def test_each_entry_gets_its_own_result_and_a_bad_one_leaves_the_others(seller, kit):
    photo = kit.upload_photo(seller, kit.png_bytes((200, 40, 40)))
    body = {
        "listings": [
            entry("b-1", "Tweed blazer", sku="BLZ-1", photos=[photo]),
            entry("b-2", "Wrap dress", photos=["0" * 64]),  # never uploaded
            entry("b-3", "Canvas tote", sku="TOTE-1"),
        ]
    }

    response = seller.post(BATCH, json=body)

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["idempotency_key"] for r in results] == ["b-1", "b-2", "b-3"]
    assert [r["status"] for r in results] == [201, 422, 201]
    assert results[0]["listing"]["photos"][0]["sha256"] == photo
    assert results[1]["listing"] is None
    assert results[1]["problem"]["code"] == "unknown_photo"
    assert results[1]["problem"]["missing"] == ["0" * 64]
    listings = seller.get("/v1/listings").json()["listings"]
    assert sorted(listing["title"] for listing in listings) == ["Canvas tote", "Tweed blazer"]
    # The refused entry left no trace in the feed either: cursors stay without gaps.
    events = kit.all_events(seller)
    assert [e["type"] for e in events] == ["listing.created", "listing.created"]
    assert [e["cursor"] for e in events] == [1, 2]


def test_a_batch_sent_again_replays_every_result_and_matches_single_creates(seller):
    body = {"listings": [entry("r-1", "Mohair cardigan"), entry("r-2", "Suede loafers")]}
    first = seller.post(BATCH, json=body).json()["results"]

    again = seller.post(BATCH, json=body).json()["results"]
    # The same key alone, as a client that fell back to single creates would send it.
    single = seller.post(
        "/v1/listings", json=body["listings"][1]["listing"], headers={"Idempotency-Key": "r-2"}
    )

    assert [r["replayed"] for r in first] == [False, False]
    assert [r["replayed"] for r in again] == [True, True]
    assert [r["listing"]["id"] for r in again] == [r["listing"]["id"] for r in first]
    assert single.status_code == 201 and single.headers["Idempotent-Replayed"] == "true"
    assert single.json()["id"] == first[1]["listing"]["id"]
    assert len(seller.get("/v1/listings").json()["listings"]) == 2


def test_a_key_reused_for_another_listing_is_that_entrys_problem(seller):
    seller.post("/v1/listings", json={"title": "Wool coat", "price_cents": 100},
                headers={"Idempotency-Key": "u-1"})  # fmt: skip
    body = {"listings": [entry("u-1", "Not the wool coat"), entry("u-2", "Linen shirt")]}

    results = seller.post(BATCH, json=body).json()["results"]

    assert [r["status"] for r in results] == [422, 201]
    assert results[0]["problem"]["code"] == "idempotency_key_reused"
    assert len(seller.get("/v1/listings").json()["listings"]) == 2


def test_more_than_25_or_a_shared_key_is_refused_whole(seller):
    too_many = {"listings": [entry(f"m-{n}", f"Scarf {n}") for n in range(26)]}
    shared = {"listings": [entry("s-1", "Belt"), entry("s-1", "Another belt")]}

    big = seller.post(BATCH, json=too_many)
    twice = seller.post(BATCH, json=shared)

    assert big.status_code == 422
    assert big.json()["code"] == "batch_too_large" and big.json()["max_listings"] == 25
    assert "at most 25" in big.json()["detail"]
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate_idempotency_key"
    assert seller.get("/v1/listings").json()["listings"] == []


def test_the_photo_lookup_names_only_this_sellers_uploads(seller, new_seller, kit):
    other = new_seller()
    mine = kit.upload_photo(seller, kit.png_bytes((10, 120, 10)))
    theirs = kit.upload_photo(other, kit.png_bytes((10, 10, 120)))
    shared = kit.upload_photo(other, kit.png_bytes((90, 90, 90)))
    kit.upload_photo(seller, kit.png_bytes((90, 90, 90)))

    found = seller.get("/v1/photos", params={"sha256": [mine, theirs, shared, "f" * 64]})

    assert found.status_code == 200
    assert sorted(p["sha256"] for p in found.json()["photos"]) == sorted([mine, shared])
    assert seller.get("/v1/photos", params={"sha256": ["f" * 64] * 101}).status_code == 422


def test_a_photo_batch_stores_each_good_part_and_names_each_bad_one(seller, kit):
    good = [kit.png_bytes((30, 90, 160)), kit.png_bytes((160, 90, 30))]
    names = [hashlib.sha256(data).hexdigest() for data in good]
    parts = [
        ("photo", (names[0], good[0], "image/png")),
        ("photo", ("f" * 64, b"not a picture at all", "image/png")),  # named wrongly too
        ("photo", (names[1], good[1], "image/png")),
        ("photo", (hashlib.sha256(b"%PDF").hexdigest(), b"%PDF", "application/pdf")),
    ]

    results = seller.post(PHOTO_BATCH, files=parts).json()["results"]

    assert [(r["sha256"], r["status"]) for r in results] == [
        (names[0], 201),
        ("f" * 64, 422),
        (names[1], 201),
        (hashlib.sha256(b"%PDF").hexdigest(), 415),
    ]
    assert results[1]["problem"]["code"] == "hash_mismatch"
    assert results[3]["problem"]["code"] == "not_an_image"
    held = seller.get("/v1/photos", params={"sha256": names}).json()["photos"]
    assert sorted(photo["sha256"] for photo in held) == sorted(names)
    # Sent again: already the seller's, stored once.
    again = seller.post(PHOTO_BATCH, files=parts[:1]).json()["results"]
    assert again[0]["status"] == 200 and again[0]["photo"]["sha256"] == names[0]


def test_more_than_20_photos_are_refused_whole(seller, kit):
    data = kit.png_bytes((10, 10, 10))
    name = hashlib.sha256(data).hexdigest()
    response = seller.post(PHOTO_BATCH, files=[("photo", (name, data, "image/png"))] * 21)
    assert response.status_code == 422
    assert response.json()["code"] == "batch_too_large"
    assert seller.get("/v1/photos", params={"sha256": [name]}).json()["photos"] == []
