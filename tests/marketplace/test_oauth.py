"""OAuth 2.0 authorization code + PKCE with a loopback redirect, end to end over HTTP."""

import base64
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from marketplace.embedded import EmbeddedMarketplace, run_embedded

CLIENT = "seller-studio"
REDIRECT = "http://127.0.0.1:53682/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(
    base_url: str, seller: str, password: str, challenge: str, decision: str = "allow"
) -> dict[str, list[str]]:
    """Walk the consent page like a browser would; returns the redirect's query."""
    params = {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": REDIRECT,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "xyz-123",
    }
    page = httpx.get(f"{base_url}/oauth/authorize", params=params)
    assert page.status_code == 200
    assert "Allow <strong>seller-studio</strong>" in page.text
    form = {key: value for key, value in params.items() if key != "response_type"}
    form.update(seller=seller, password=password, decision=decision)
    answer = httpx.post(f"{base_url}/oauth/authorize", data=form)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


def exchange(base_url: str, code: str, verifier: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": CLIENT,
            "code_verifier": verifier,
        },
    )


def me(base_url: str, token: str) -> httpx.Response:
    return httpx.get(f"{base_url}/v1/me", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def oauth_seller(market: EmbeddedMarketplace) -> str:
    name = f"oauth-{secrets.token_hex(4)}"
    market.create_seller(name, password="correct horse")
    return name


def test_code_flow_with_pkce_gives_working_tokens(market, oauth_seller):
    verifier, challenge = pkce_pair()
    query = authorize(market.base_url, oauth_seller, "correct horse", challenge)
    assert query["state"] == ["xyz-123"]

    response = exchange(market.base_url, query["code"][0], verifier)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert me(market.base_url, tokens["access_token"]).json()["name"] == oauth_seller
    # The refresh token rotates: the new pair works, the old refresh token does not.
    refreshed = httpx.post(
        f"{market.base_url}/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": CLIENT,
        },
    )
    assert refreshed.status_code == 200
    assert me(market.base_url, refreshed.json()["access_token"]).status_code == 200
    again = httpx.post(
        f"{market.base_url}/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": CLIENT,
        },
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_verifier_is_rejected(market, oauth_seller):
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    query = authorize(market.base_url, oauth_seller, "correct horse", challenge)

    response = exchange(market.base_url, query["code"][0], other_verifier)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_grant"


def test_code_reuse_is_rejected_and_revokes_its_tokens(market, oauth_seller):
    verifier, challenge = pkce_pair()
    code = authorize(market.base_url, oauth_seller, "correct horse", challenge)["code"][0]
    first = exchange(market.base_url, code, verifier)
    assert first.status_code == 200

    second = exchange(market.base_url, code, verifier)

    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    revoked = me(market.base_url, first.json()["access_token"])
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "token_revoked"


def test_deny_and_wrong_password(market, oauth_seller):
    _, challenge = pkce_pair()
    denied = authorize(market.base_url, oauth_seller, "correct horse", challenge, "deny")
    assert denied["error"] == ["access_denied"]
    assert "code" not in denied

    wrong = httpx.post(
        f"{market.base_url}/oauth/authorize",
        data={
            "client_id": CLIENT,
            "redirect_uri": REDIRECT,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "seller": oauth_seller,
            "password": "wrong",
            "decision": "allow",
        },
    )
    assert wrong.status_code == 401
    assert "Wrong seller name or password" in wrong.text


@pytest.mark.parametrize(
    ("redirect_uri", "method"),
    [
        ("http://evil.example/callback", "S256"),
        ("https://127.0.0.1:5000/cb", "S256"),
        ("http://localhost:5000/cb", "S256"),
    ],
)
def test_non_loopback_redirects_are_refused_without_redirecting(market, redirect_uri, method):
    _, challenge = pkce_pair()
    response = httpx.get(
        f"{market.base_url}/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT,
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": method,
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_redirect_uri"


def test_plain_pkce_is_refused(market):
    response = httpx.get(
        f"{market.base_url}/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT,
            "redirect_uri": REDIRECT,
            "code_challenge": "a" * 43,
            "code_challenge_method": "plain",
            "state": "s",
        },
    )
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["invalid_request"]


def test_revoked_access_token_is_refused(market, oauth_seller):
    verifier, challenge = pkce_pair()
    code = authorize(market.base_url, oauth_seller, "correct horse", challenge)["code"][0]
    access = exchange(market.base_url, code, verifier).json()["access_token"]
    assert me(market.base_url, access).status_code == 200

    revoke = httpx.post(f"{market.base_url}/oauth/revoke", data={"token": access})

    assert revoke.status_code == 200
    response = me(market.base_url, access)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.fixture
def short_lived_market(tmp_path: Path) -> Iterator[EmbeddedMarketplace]:
    # Access tokens that are already expired when issued: no waiting in the test.
    with run_embedded(tmp_path, access_token_ttl_s=0) as server:
        yield server


def test_expired_access_token_is_refused(short_lived_market):
    market = short_lived_market
    market.create_seller("brief", password="pw")
    verifier, challenge = pkce_pair()
    code = authorize(market.base_url, "brief", "pw", challenge)["code"][0]
    access = exchange(market.base_url, code, verifier).json()["access_token"]

    response = me(market.base_url, access)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "authorization_code", "client_id": "someone-else"}, "invalid_client"),
        ({"grant_type": "password", "client_id": CLIENT}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "client_id": CLIENT, "code": "x"}, "invalid_grant"),
        (
            {"grant_type": "refresh_token", "client_id": CLIENT, "refresh_token": "x"},
            "invalid_grant",
        ),
    ],
)
def test_token_errors_keep_rfc_6749_fields_and_carry_the_request_id(market, form, error):
    answer = httpx.post(f"{market.base_url}/oauth/token", data=form)
    assert answer.status_code == 400
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    # RFC 6749 section 5.2, for OAuth clients ...
    assert body["error"] == error and body["error_description"]
    # ... and a problem document like every other answer, matched to the log by its id.
    assert answer.headers["content-type"] == "application/problem+json"
    assert (body["code"], body["status"], body["instance"]) == (error, 400, "/oauth/token")
    assert body["request_id"] == answer.headers["x-request-id"]
    assert len(body["request_id"]) == 32
