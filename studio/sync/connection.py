"""Connecting a data dir to a marketplace, and building the client for it."""

from pathlib import Path
from typing import Any

import httpx

from studio.inventory.tables import utc_now
from studio.storage.database import Database
from studio.sync.credentials import CredentialStore
from studio.sync.seller_api import SellerApiClient, TokenSource
from studio.sync.tables import MarketplaceAccount
from studio.sync.tokens import OAuthTokens, PersonalToken

SELLER_API = SellerApiClient.name


class NotConnected(RuntimeError):
    pass


def connect_with_token(
    database: Database, store: CredentialStore, base_url: str, token: str
) -> MarketplaceAccount:
    """Checks a personal API token against the server, then remembers the account and the token."""
    return remember_connection(
        database, store, base_url, token, {"kind": "personal", "token": token}
    )


def remember_connection(
    database: Database,
    store: CredentialStore,
    base_url: str,
    access_token: str,
    secret: dict[str, Any],
) -> MarketplaceAccount:
    """Checks the access token against the server, then keeps `secret` in the credential store
    and the account (never the secret) in the database."""
    base_url = base_url.rstrip("/")
    try:
        response = httpx.get(
            f"{base_url}/v1/me", headers={"Authorization": f"Bearer {access_token}"}, timeout=10.0
        )
    except httpx.TransportError as error:
        raise NotConnected(f"Cannot reach {base_url} ({error}); check the address.") from None
    if response.status_code == 401:
        raise NotConnected("The marketplace did not accept the token; copy it or sign in again.")
    if response.status_code != 200:
        raise NotConnected(f"{base_url} answered {response.status_code}; is it a Seller API?")
    seller = response.json()
    store.save(SELLER_API, secret)
    with database.transaction() as session:
        account = session.get(MarketplaceAccount, SELLER_API) or MarketplaceAccount(
            name=SELLER_API, base_url=base_url
        )
        account.base_url = base_url
        account.seller_name = str(seller.get("name", ""))
        account.connected_at = utc_now()
        account.blocked_until = None
        account.failures = 0
        account.last_error = ""
        session.add(account)
    return account


def connected_account(database: Database) -> MarketplaceAccount:
    with database.session() as session:
        account = session.get(MarketplaceAccount, SELLER_API)
    if account is None:
        raise NotConnected(
            "No marketplace is connected yet. Run `studio connect URL` to sign in "
            "(or use Connect marketplace in Settings)."
        )
    return account


def build_client(
    database: Database, data_dir: Path, transport: httpx.BaseTransport | None = None
) -> SellerApiClient:
    account = connected_account(database)
    store = CredentialStore(data_dir)
    secret = store.load(SELLER_API)
    if secret is None:
        raise NotConnected(
            f"The token for {account.base_url} is missing from {store.where}; connect again."
        )
    tokens: TokenSource = (
        PersonalToken(secret["token"])
        if secret.get("kind") == "personal"
        else OAuthTokens(store, SELLER_API, account.base_url)
    )
    return SellerApiClient(account.base_url, tokens, transport=transport)
