"""Bad input gets the right status and a problem-details body, and writes nothing."""

from pathlib import Path

import httpx
import pytest

from marketplace.embedded import run_embedded

PROBLEM = "application/problem+json"


def listing_and_event_counts(seller: httpx.Client, kit) -> tuple[int, int]:
    return len(seller.get("/v1/listings").json()["listings"]), len(kit.all_events(seller))


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b'{"title": "x", "price_cents": 100', 400, "malformed_json"),
        (b'{"title": "x", "price_cents": "100"}', 422, "validation_failed"),
        (b'{"title": "x", "price_cents": 10.5}', 422, "validation_failed"),
        (b'{"title": "x", "price_cents": -100}', 422, "validation_failed"),
        (b'{"title": "x", "price_cents": 100, "colour": "red"}', 422, "validation_failed"),
        (b'{"title": "", "price_cents": 100}', 422, "validation_failed"),
        (b"[1, 2, 3]", 422, "validation_failed"),
        (b'{"title": "x", "price_cents": 100, "photos": ["nothex"]}', 422, "validation_failed"),
    ],
)
def test_bad_listing_bodies(seller, kit, content, status, code):
    before = listing_and_event_counts(seller, kit)

    response = seller.post(
        "/v1/listings", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == code
    assert problem["status"] == status
    assert problem["type"].endswith(code)
    assert listing_and_event_counts(seller, kit) == before


def test_unknown_field_is_named_in_the_problem(seller):
    response = seller.post("/v1/listings", json={"title": "x", "price_cents": 1, "colour": "red"})
    assert ["body", "colour"] in [error["loc"] for error in response.json()["errors"]]


def test_huge_bodies_are_refused(seller, kit):
    before = listing_and_event_counts(seller, kit)
    huge = b'{"title": "' + b"x" * 200_000 + b'", "price_cents": 100}'

    response = seller.post(
        "/v1/listings", content=huge, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert listing_and_event_counts(seller, kit) == before


def test_streamed_body_over_the_limit_is_refused(seller):
    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    response = seller.post(
        "/v1/listings", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_half_done_update_is_rolled_back(seller, kit):
    listing = kit.create_listing(seller, title="Before")
    # The title is valid, the photo is not: neither may stick.
    response = seller.patch(
        f"/v1/listings/{listing['id']}",
        json={"title": "After", "photos": ["a" * 64]},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 422
    current = seller.get(f"/v1/listings/{listing['id']}").json()
    assert (current["title"], current["version"]) == ("Before", 1)


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Bearer nope"}, "invalid_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_token"),
    ],
)
def test_missing_or_unknown_token(market, headers, code):
    response = httpx.get(f"{market.base_url}/v1/listings", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code


def test_unknown_ids_and_paths(seller):
    assert seller.get("/v1/listings/999999").json()["code"] == "not_found"
    assert seller.get("/v1/nothing-here").status_code == 404
    assert seller.get("/v1/listings/abc").status_code == 422


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path):
    with run_embedded(tmp_path, rate_limit_per_minute=60, rate_limit_burst=3) as market:
        token = market.create_seller("hasty")
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=market.base_url, headers=headers) as client:
            statuses = [client.get("/v1/me") for _ in range(5)]

    assert [r.status_code for r in statuses[:3]] == [200, 200, 200]
    limited = statuses[3]
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
