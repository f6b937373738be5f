"""Connecting a data dir to a marketplace, and building the client for it.

The one module of the engine that knows an adapter (studio/marketplaces/): everything else
in studio/sync speaks the port. The credential store is handed in by the process that built
it; this module never picks one.
"""

import threading
from collections.abc import Callable

import httpx

from studio.inventory.tables import utc_now
from studio.marketplaces.seller_api import oauth_login
from studio.marketplaces.seller_api.client import SellerApiClient
from studio.marketplaces.seller_api.tokens import (
    PersonalToken,
    access_token_of,
    personal_secret,
    token_source,
)
from studio.storage.credentials import CredentialStore, Secret
from studio.storage.database import Database
from studio.sync.port import AuthFailed, Marketplace, MarketplaceError, NotConnected, Unreachable
from studio.sync.tables import MarketplaceAccount

SELLER_API = SellerApiClient.name


def connect_with_token(
    database: Database, credentials: CredentialStore, base_url: str, token: str
) -> MarketplaceAccount:
    """Checks a personal API token against the server, then remembers the account and the token."""
    return _remember(database, credentials, base_url, personal_secret(token))


def connect_with_browser(
    database: Database,
    credentials: CredentialStore,
    base_url: str,
    open_browser: Callable[[str], object] | None = None,
    show_url: Callable[[str], None] = lambda _url: None,
    timeout_s: float = oauth_login.LOGIN_TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> MarketplaceAccount:
    """Signs in through the browser, then remembers the account and its tokens."""
    secret = oauth_login.sign_in(base_url, open_browser, show_url, timeout_s, cancel)
    return _remember(database, credentials, base_url, secret)


def _seller_name(base_url: str, access_token: str) -> str:
    client = SellerApiClient(base_url, PersonalToken(access_token))
    try:
        return client.seller_name()
    except Unreachable as error:
        raise NotConnected(f"Cannot reach {base_url} ({error}); check the address.") from None
    except AuthFailed:
        raise NotConnected(
            "The marketplace did not accept the token; copy it or sign in again."
        ) from None
    except MarketplaceError as error:
        raise NotConnected(f"{base_url} answered {error}; is it a Seller API?") from None
    finally:
        client.close()


def _remember(
    database: Database, credentials: CredentialStore, base_url: str, secret: Secret
) -> MarketplaceAccount:
    """Checks the access token against the server, then keeps `secret` in the credential store
    and the account (never the secret) in the database."""
    base_url = base_url.rstrip("/")
    seller_name = _seller_name(base_url, access_token_of(secret))
    credentials.set(SELLER_API, secret)
    with database.transaction() as session:
        account = session.get(MarketplaceAccount, SELLER_API) or MarketplaceAccount(
            name=SELLER_API, base_url=base_url
        )
        account.base_url = base_url
        account.seller_name = seller_name
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
    database: Database,
    credentials: CredentialStore,
    transport: httpx.BaseTransport | None = None,
) -> Marketplace:
    account = connected_account(database)
    tokens = token_source(credentials, SELLER_API, account.base_url)
    if tokens is None:
        raise NotConnected(
            f"The token for {account.base_url} is missing from {credentials.where}; connect again."
        )
    return SellerApiClient(account.base_url, tokens, transport=transport)
