"""The desktop sign-in (RFC 8252 loopback redirect + RFC 7636 PKCE) against the real server.

`open_browser` is a function that plays the person at the browser: it opens the authorize
page, fills in the consent form and follows the redirect back to the studio's listener, all
over real HTTP on 127.0.0.1.
"""

import itertools
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from browser_person import Person
from sqlmodel import select

from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.cli import main as studio_main
from studio.inventory import service as inventory
from studio.marketplaces.seller_api.oauth_login import LoginFailed, Pkce
from studio.marketplaces.seller_api.tokens import OAuthTokens
from studio.storage.credentials import PrivateFileStore, credential_store
from studio.storage.database import Database, open_database
from studio.sync import outbox
from studio.sync.connection import SELLER_API, build_client, connect_with_browser
from studio.sync.engine import SyncEngine
from studio.sync.tables import MarketplaceAccount

# Long enough for a sign-in to be checked against /v1/me, short enough to outlive in a test.
ACCESS_TOKEN_TTL_S = 3
PASSWORD = "plum-velvet-47"
_sellers = itertools.count(1)


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    with run_embedded(
        tmp_path_factory.mktemp("oauth-market"),
        rate_limit_per_minute=0,
        access_token_ttl_s=ACCESS_TOKEN_TTL_S,
    ) as server:
        yield server


@pytest.fixture
def seller(market) -> str:
    name = f"oauth-closet-{next(_sellers)}"
    market.create_seller(name, password=PASSWORD)
    return name


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "studio"


@pytest.fixture
def store(data_dir) -> PrivateFileStore:
    return PrivateFileStore(data_dir)


@pytest.fixture
def database(data_dir) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.close()


def _with_state(location: str, state: str) -> str:
    parts = urlsplit(location)
    query = dict(parse_qsl(parts.query))
    return urlunsplit(parts._replace(query=urlencode({**query, "state": state})))


def _stored_files(data_dir: Path) -> dict[Path, bytes]:
    store_file = PrivateFileStore(data_dir).file
    return {
        path: path.read_bytes()
        for path in data_dir.rglob("*")
        if path.is_file() and path != store_file
    }


def _wait_until_expired(market: EmbeddedMarketplace, access_token: str) -> None:
    for _ in range(100):
        me = httpx.get(
            f"{market.base_url}/v1/me", headers={"Authorization": f"Bearer {access_token}"}
        )
        if me.status_code == 401:
            assert me.json()["code"] == "token_expired"
            return
        time.sleep(0.1)
    pytest.fail("the access token never expired")


def test_pkce_is_an_s256_challenge_of_a_fresh_32_byte_verifier():
    # RFC 7636 appendix B's example pair.
    example = Pkce.from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert example.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    pkce = Pkce.new()
    assert len(pkce.verifier) == 43 and "=" not in pkce.verifier  # 32 bytes, base64url
    assert pkce == Pkce.from_verifier(pkce.verifier)
    assert Pkce.new().verifier != pkce.verifier


def test_browser_sign_in_connects_and_syncs_with_the_oauth_token(
    market, seller, data_dir, database, store
):
    person = Person(seller, PASSWORD)
    shown: list[str] = []

    account = connect_with_browser(
        database, store, market.base_url, open_browser=person, show_url=shown.append
    )

    assert account.seller_name == seller
    [url] = person.opened
    assert shown == [url]
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["client_id"] == "seller-studio"
    assert query["code_challenge_method"] == "S256"
    assert urlsplit(query["redirect_uri"]).hostname == "127.0.0.1"
    assert "close this tab" in person.landing
    secret = store.get(SELLER_API)
    assert secret is not None and secret["kind"] == "oauth"
    assert secret["access_token"].startswith("mkp_at_")
    assert secret["refresh_token"].startswith("mkp_rt_")
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600

    with database.transaction() as session:
        values = inventory.parse_values({"title": "Corduroy blazer", "list_price_cents": "52"})
        outbox.publish(session, inventory.create_item(session, values), SELLER_API)
    client = build_client(database, store)
    assert isinstance(client.tokens, OAuthTokens)
    report = SyncEngine(database, data_dir, [client]).cycle()
    client.close()

    assert report.push.acked == 1 and not report.push.stopped
    listings = httpx.get(
        f"{market.base_url}/v1/listings",
        headers={"Authorization": f"Bearer {secret['access_token']}"},
    ).json()["listings"]
    assert [listing["title"] for listing in listings] == ["Corduroy blazer"]
    for path, content in _stored_files(data_dir).items():
        for token in (secret["access_token"], secret["refresh_token"]):
            assert token.encode() not in content, f"a token leaked into {path}"


def test_an_expired_access_token_is_refreshed_and_the_rotated_pair_saved(
    market, seller, data_dir, database, store
):
    connect_with_browser(database, store, market.base_url, open_browser=Person(seller, PASSWORD))
    first = store.get(SELLER_API)
    assert first is not None
    _wait_until_expired(market, first["access_token"])

    client = build_client(database, store)
    report = SyncEngine(database, data_dir, [client]).cycle()
    client.close()

    assert not report.push.stopped and not report.skipped
    # The feed read was refused once (expired), the token refreshed, and the read sent again.
    assert client.counters.by_path == {"GET /v1/events": 2}
    rotated = store.get(SELLER_API)
    assert rotated is not None
    assert rotated["access_token"] != first["access_token"]
    assert rotated["refresh_token"] != first["refresh_token"]
    # Only the saved, rotated refresh token is still good: the first one was used up.
    assert OAuthTokens(store, SELLER_API, market.base_url).refresh()
    reused = httpx.post(
        f"{market.base_url}/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": "seller-studio",
        },
    )
    assert reused.json()["error"] == "invalid_grant"


def test_a_revoked_grant_asks_the_seller_to_connect_again(
    market, seller, data_dir, database, store
):
    connect_with_browser(database, store, market.base_url, open_browser=Person(seller, PASSWORD))
    secret = store.get(SELLER_API)
    assert secret is not None
    httpx.post(f"{market.base_url}/oauth/revoke", data={"token": secret["refresh_token"]})

    client = build_client(database, store)
    report = SyncEngine(database, data_dir, [client]).cycle()
    client.close()

    assert "connect the marketplace again" in report.push.stopped


def _nothing_stored(database: Database, store: PrivateFileStore) -> None:
    assert store.get(SELLER_API) is None
    with database.session() as session:
        assert session.exec(select(MarketplaceAccount)).all() == []


def test_deny_in_the_browser_stores_nothing(market, seller, database, store):
    person = Person(seller, PASSWORD, decision="deny")
    with pytest.raises(LoginFailed, match="denied"):
        connect_with_browser(database, store, market.base_url, open_browser=person)
    assert "Not signed in" in person.landing
    _nothing_stored(database, store)


def test_an_answer_with_another_state_is_refused(market, seller, database, store):
    person = Person(
        seller, PASSWORD, alter_redirect=lambda location: _with_state(location, "forged")
    )
    with pytest.raises(LoginFailed, match="state differs"):
        connect_with_browser(database, store, market.base_url, open_browser=person)
    assert "Not signed in" in person.landing
    _nothing_stored(database, store)


def test_no_answer_ends_in_a_timeout_or_a_cancel(market, database, store):
    with pytest.raises(LoginFailed, match="No answer from the browser"):
        connect_with_browser(
            database, store, market.base_url, open_browser=lambda _url: True, timeout_s=0.3
        )
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(LoginFailed, match="cancelled"):
        connect_with_browser(
            database, store, market.base_url, open_browser=lambda _url: True, cancel=cancel
        )
    _nothing_stored(database, store)


def test_studio_connect_without_a_token_signs_in_through_the_browser(
    market, seller, data_dir, monkeypatch, capsys
):
    person = Person(seller, PASSWORD)
    monkeypatch.setattr("webbrowser.open", person)

    code = studio_main(["--data-dir", str(data_dir), "connect", market.base_url])

    out = capsys.readouterr().out
    assert code == 0, out
    assert person.opened[0] in out  # printed for a browser on another screen
    assert f"as {seller}" in out
    # Kept wherever the command's own store for the data dir is; removed again afterwards.
    credentials = credential_store(data_dir)
    assert credentials.get(SELLER_API)["kind"] == "oauth"
    credentials.delete(SELLER_API)
