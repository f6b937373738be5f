"""Issue 15: whatever a client sends, the server answers with a 4xx problem, never a 500;
and the 500s that remain (bugs) are logged with a request id the client also sees."""

import base64
import hashlib
import io
import logging
import struct
import time
import zlib
from pathlib import Path

import httpx
import pytest
from PIL import Image

from marketplace import seller_routes
from marketplace.embedded import run_embedded
from marketplace.ids import MAX_ID

HUGE = 2**70  # well past the 64-bit ids of the database


# --- 1. integers out of range ------------------------------------------------------------


@pytest.mark.postgres_too
@pytest.mark.parametrize(
    "path", ["/v1/listings/{}", "/v1/offers/{}", "/v1/orders/{}", "/v1/listings/{}/likes"]
)
def test_an_id_past_64_bits_in_a_path_is_a_422(seller, path):
    answer = seller.get(path.format(HUGE))
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "validation_failed"
    # The largest 64-bit id is valid and simply unknown.
    assert seller.get(path.format(MAX_ID)).status_code == 404


@pytest.mark.postgres_too
def test_an_id_past_64_bits_in_a_body_is_a_422(seller, buyer):
    message = {"buyer_id": HUGE, "kind": "greeting", "body": "Hello"}
    to_buyer = seller.post("/v1/messages", json=message)
    assert to_buyer.status_code == 422, to_buyer.text
    assert [error["loc"][-1] for error in to_buyer.json()["errors"]] == ["buyer_id"]
    in_list = seller.post("/v1/messages", json={**message, "buyer_id": 1, "listing_ids": [HUGE]})
    assert in_list.status_code == 422, in_list.text
    assert [error["loc"][-2:] for error in in_list.json()["errors"]] == [["listing_ids", "0"]]
    order = buyer.post("/v1/market/orders", json={"listing_ids": [HUGE]})
    assert order.status_code == 422, order.text
    like = buyer.put(f"/v1/market/listings/{HUGE}/like")
    assert like.status_code == 422, like.text


@pytest.mark.parametrize(
    "value",
    [
        '"٣"'.encode(),  # Arabic-Indic three, sent as UTF-8
        b'"\xb2"',  # superscript two in Latin-1: str.isdigit() says yes, int() raises
        '"' + "9" * 40 + '"',  # ASCII, but no 64-bit version
    ],
)
def test_if_match_with_non_ascii_or_huge_digits_is_a_400(seller, kit, value):
    listing = kit.create_listing(seller)
    answer = seller.patch(
        f"/v1/listings/{listing['id']}", json={"title": "Wool"}, headers={"If-Match": value}
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "invalid_if_match"


@pytest.mark.postgres_too
def test_text_with_a_nul_character_is_a_422_wherever_it_comes(market, seller):
    """PostgreSQL cannot store U+0000, so it is refused before any statement, on both."""
    address = {"name": "N", "line1": "1 Main St", "city": "Cork", "postal_code": "T12"}
    answers = [
        seller.post("/v1/listings", json={"title": "Linen\u0000shirt", "price_cents": 100}),
        seller.get("/v1/listings", params={"sku": "TEE\x00"}),
        httpx.post(
            f"{market.base_url}/v1/market/buyers",
            json={"name": "N\u0000", "address": {**address, "country": "IE"}},
        ),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "nul_character"
    assert seller.get("/v1/listings").json()["listings"] == []  # nothing half-written


# --- 2. images -----------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares width x height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _put(client: httpx.Client, data: bytes) -> tuple[str, httpx.Response]:
    sha = hashlib.sha256(data).hexdigest()
    answer = client.put(f"/v1/photos/{sha}", content=data, headers={"Content-Type": "image/png"})
    return sha, answer


def test_a_decompression_bomb_is_refused(seller):
    data = bomb_png(100_000, 100_000)  # 10 gigapixels in under 100 bytes
    assert len(data) < 200
    sha, answer = _put(seller, data)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "image_too_large"
    assert "50 megapixels" in answer.json()["detail"]
    assert seller.get(f"/v1/photos/{sha}").status_code == 404


# Pillow warns (in the server's thread) on opening it; the server refuses it regardless.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_120_megapixel_image_is_refused_and_not_stored(seller):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 10_000)).save(buffer, "PNG")  # a real image, small when packed
    sha, answer = _put(seller, buffer.getvalue())
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "image_too_large"
    assert "12000x10000" in body["detail"]
    assert seller.get(f"/v1/photos/{sha}").status_code == 404


# --- 3. authentication ---------------------------------------------------------------------

_VERIFIER_DIGEST = hashlib.sha256(b"a verifier long enough for the tests here").digest()
CHALLENGE = base64.urlsafe_b64encode(_VERIFIER_DIGEST).rstrip(b"=").decode()
CONSENT = {
    "client_id": "seller-studio",
    "redirect_uri": "http://127.0.0.1:8123/callback",
    "code_challenge": CHALLENGE,
    "code_challenge_method": "S256",
    "state": "s",
    "decision": "allow",
}


def _sign_in(base_url: str, seller: str, password: str) -> httpx.Response:
    form = {**CONSENT, "seller": seller, "password": password}
    return httpx.post(f"{base_url}/oauth/authorize", data=form)


def test_repeated_wrong_consent_logins_lock_the_seller_out(tmp_path: Path):
    with run_embedded(tmp_path, login_lockout_s=1.0) as market:
        market.create_seller("guarded", password="right one")
        market.create_seller("bystander", password="pw")
        answers = [_sign_in(market.base_url, "guarded", "guess") for _ in range(6)]
        # Locked now: even the right password is not checked.
        right = _sign_in(market.base_url, "guarded", "right one")
        bystander = _sign_in(market.base_url, "bystander", "pw")
        time.sleep(1.1)  # the first lockout is over; the next failure locks out for longer
        again = _sign_in(market.base_url, "guarded", "guess")

    assert [a.status_code for a in answers[:4]] == [401] * 4
    for locked in (answers[4], answers[5], right, again):
        assert locked.status_code == 429, locked.text
        assert locked.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert "Too many failed sign-ins" in locked.text
    assert int(answers[4].headers["retry-after"]) == 1
    assert int(again.headers["retry-after"]) == 2  # doubled
    # Another seller at the same address is not locked out by one seller's lockout.
    assert bystander.status_code == 303


def test_wrong_logins_across_sellers_lock_the_address_out(tmp_path: Path):
    with run_embedded(tmp_path, login_failures_per_address=3) as market:
        market.create_seller("target", password="pw")
        sprayed = [_sign_in(market.base_url, f"victim-{n}", "guess") for n in range(3)]
        right = _sign_in(market.base_url, "target", "pw")

    assert [a.status_code for a in sprayed] == [401, 401, 429]
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= 1


def test_a_flood_of_invalid_tokens_is_throttled(tmp_path: Path):
    with run_embedded(tmp_path, bad_tokens_per_minute=30, bad_token_burst=5) as market:
        answers = [
            httpx.get(f"{market.base_url}/v1/me", headers={"Authorization": f"Bearer guess-{n}"})
            for n in range(8)
        ]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    for limited in answers[5:]:
        assert limited.status_code == 429, limited.text
        assert limited.json()["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1


def test_anonymous_buyer_sign_ups_are_throttled(tmp_path: Path):
    body = {
        "name": "Flood",
        "address": {
            "name": "Flood",
            "line1": "1 Main St",
            "city": "Cork",
            "postal_code": "T12",
            "country": "IE",
        },
    }
    with run_embedded(tmp_path, signups_per_minute=10, signup_burst=3) as market:
        answers = [httpx.post(f"{market.base_url}/v1/market/buyers", json=body) for _ in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert int(answers[3].headers["retry-after"]) >= 1
    assert answers[3].json()["code"] == "rate_limited"


def test_html_pages_cannot_be_framed(market):
    params = {k: v for k, v in CONSENT.items() if k != "decision"}
    page = httpx.get(f"{market.base_url}/oauth/authorize", params=params)
    wrong = _sign_in(market.base_url, "nobody-like-this", "x")
    for answer in (page, wrong):
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert answer.headers["x-frame-options"] == "DENY"


# --- 4. the 500s that remain -----------------------------------------------------------------


def test_an_unexpected_error_is_logged_with_the_request_id_it_answers_with(
    seller, monkeypatch, caplog
):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the server")

    monkeypatch.setattr(seller_routes, "seller_out", broken)
    with caplog.at_level(logging.ERROR, logger="marketplace.errors"):
        answer = seller.get("/v1/me")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    request_id = answer.headers["x-request-id"]
    assert body["code"] == "internal_error"
    assert body["request_id"] == request_id
    assert request_id in body["detail"]
    assert "a bug in the server" not in answer.text  # no internals leak to the client
    [record] = [r for r in caplog.records if r.name == "marketplace.errors"]
    assert request_id in record.getMessage()
    assert record.exc_info is not None and "a bug in the server" in str(record.exc_info[1])


def test_every_answer_carries_a_request_id(seller):
    ok = seller.get("/v1/me")
    missing = seller.get("/v1/listings/424242")
    assert len(ok.headers["x-request-id"]) == 32
    assert missing.json()["request_id"] == missing.headers["x-request-id"]
    assert missing.headers["x-request-id"] != ok.headers["x-request-id"]
