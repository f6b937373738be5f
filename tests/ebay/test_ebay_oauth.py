"""Signing in with the seller's own keyset: the consent page, the code from the pasted
address, the token exchange and refresh with Basic auth, and what is kept."""

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from studio.marketplaces.ebay.environments import PRODUCTION, SANDBOX, environment_of
from studio.marketplaces.ebay.oauth import (
    SCOPES,
    EbayTokens,
    Keyset,
    SignInProblem,
    code_from_pasted,
    consent_url,
    exchange_code,
    signin_expiry,
)
from studio.storage.credentials import PrivateFileStore

KEYS = Keyset(
    "JaneDoe-Studio-SBX-1a2b3c4d5-6e7f8a9b",
    "SBX-1a2b3c4d5e6f-7a8b",
    "Jane_Doe-JaneDoe-Studio-abcde",
)
NOW = datetime(2026, 5, 11, 10, 0, tzinfo=UTC)
# eBay's documented answer to an authorization code grant.
GRANTED = {
    "access_token": "v^1.1#i^1#p^3#r^1#access",
    "expires_in": 7200,
    "refresh_token": "v^1.1#i^1#p^3#r^1#refresh",
    "refresh_token_expires_in": 47304000,
    "token_type": "User Access Token",
}


class TokenEndpoint:
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, dict, dict]] = []

    def __call__(self, url, data, headers, timeout):
        self.sent.append((url, data, headers))
        return self.answers.pop(0)


def test_the_consent_page_names_the_app_its_runame_and_the_scopes():
    query = parse_qs(urlsplit(consent_url(KEYS, SANDBOX, "s1")).query)
    assert consent_url(KEYS, SANDBOX, "s1").startswith(
        "https://auth.sandbox.ebay.com/oauth2/authorize?"
    )
    assert query["client_id"] == [KEYS.app_id]
    assert query["redirect_uri"] == [KEYS.ru_name]
    assert query["response_type"] == ["code"] and query["state"] == ["s1"]
    assert query["scope"][0].split(" ") == list(SCOPES)
    assert consent_url(KEYS, PRODUCTION, "s1").startswith("https://auth.ebay.com/")


def test_the_code_is_read_from_the_pasted_address():
    pasted = "https://signin.ebay.com/ws/eBayISAPI.dll?ThirdPartyAuthSucessFailure&isAuthSuccessful=true&state=s1&code=v%5E1.1%23i%5E1%23f%5E0&expires_in=299"
    assert code_from_pasted(pasted, "s1") == "v^1.1#i^1#f^0"
    assert code_from_pasted("  code=abc&state=s1 ", "s1") == "abc"
    with pytest.raises(SignInProblem, match="no authorization code"):
        code_from_pasted("https://example.com/accepted?state=s1", "s1")
    with pytest.raises(SignInProblem, match="did not grant access"):
        code_from_pasted("https://example.com/declined?error=access_denied&state=s1", "s1")
    with pytest.raises(SignInProblem, match="another sign-in"):
        code_from_pasted("https://example.com/?code=abc&state=someone-else", "s1")


def test_a_keyset_that_cannot_work_is_refused_with_what_to_copy():
    with pytest.raises(SignInProblem, match="lacks cert_id"):
        Keyset("app", "", "ru")
    with pytest.raises(SignInProblem, match="not a web address"):
        Keyset("app", "cert", "https://example.com/accept")


def test_the_code_becomes_tokens_kept_with_when_the_sign_in_lapses():
    endpoint = TokenEndpoint(httpx.Response(200, json=GRANTED))
    secret = exchange_code(KEYS, SANDBOX, "the-code", post=endpoint, now=lambda: NOW)

    [(url, form, headers)] = endpoint.sent
    assert url == "https://api.sandbox.ebay.com/identity/v1/oauth2/token"
    assert form == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": KEYS.ru_name,
    }
    expected = base64.b64encode(f"{KEYS.app_id}:{KEYS.cert_id}".encode()).decode()
    assert headers["Authorization"] == f"Basic {expected}"
    assert secret["access_token"] == GRANTED["access_token"]
    assert secret["environment"] == "sandbox"
    assert signin_expiry(secret) == NOW + timedelta(seconds=47304000)  # about 18 months
    assert secret["access_expires_at"] == (NOW + timedelta(hours=2)).isoformat()


def test_a_stale_code_is_a_clear_problem():
    endpoint = TokenEndpoint(httpx.Response(400, json={"error": "invalid_grant"}))
    with pytest.raises(SignInProblem, match="five minutes and only once"):
        exchange_code(KEYS, SANDBOX, "old", post=endpoint, now=lambda: NOW)


def test_the_access_token_is_refreshed_shortly_before_it_lapses(tmp_path):
    store = PrivateFileStore(tmp_path)
    endpoint = TokenEndpoint(
        httpx.Response(200, json=GRANTED),
        httpx.Response(
            200,
            json={"access_token": "fresh", "expires_in": 7200, "token_type": "User Access Token"},
        ),
    )
    store.set("ebay", exchange_code(KEYS, SANDBOX, "c", post=endpoint, now=lambda: NOW))
    clock = [NOW + timedelta(minutes=100)]
    tokens = EbayTokens(store, "ebay", post=endpoint, now=lambda: clock[0])

    assert tokens.access_token() == GRANTED["access_token"]  # 20 minutes left: still good
    clock[0] = NOW + timedelta(minutes=117)
    assert tokens.access_token() == "fresh"  # under 5 minutes left: refreshed first
    _url, form, _headers = endpoint.sent[1]
    assert form["grant_type"] == "refresh_token"
    assert form["refresh_token"] == GRANTED["refresh_token"]
    kept = store.get("ebay")
    assert kept["refresh_token"] == GRANTED["refresh_token"]  # eBay's refresh keeps it
    assert tokens.expires_at() == NOW + timedelta(seconds=47304000)


def test_a_refused_refresh_means_signing_in_again(tmp_path):
    store = PrivateFileStore(tmp_path)
    store.set(
        "ebay",
        exchange_code(
            KEYS,
            SANDBOX,
            "c",
            post=TokenEndpoint(httpx.Response(200, json=GRANTED)),
            now=lambda: NOW,
        ),
    )
    endpoint = TokenEndpoint(httpx.Response(400, json={"error": "invalid_grant"}))
    tokens = EbayTokens(store, "ebay", post=endpoint, now=lambda: NOW)
    assert tokens.refresh() is False
    lapsed = EbayTokens(store, "ebay", post=endpoint, now=lambda: NOW + timedelta(days=600))
    assert lapsed.refresh() is False  # past the refresh token's life: not even asked
    assert len(endpoint.sent) == 1


def test_the_environment_follows_the_accounts_address():
    assert environment_of("https://api.sandbox.ebay.com/") is SANDBOX
    assert environment_of("https://api.ebay.com") is PRODUCTION
    with pytest.raises(ValueError, match="not an eBay address"):
        environment_of("https://api.ebay.example")
