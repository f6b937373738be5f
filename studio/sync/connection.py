"""Connecting a data dir to marketplaces, and building a client for each.

The one module of the engine that knows an adapter (studio/marketplaces/): everything else
in studio/sync speaks the port. The credential store is handed in by the process that built
it; this module never picks one.
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlmodel import col, select

from studio.inventory.tables import utc_now
from studio.marketplaces.ebay import oauth as ebay_oauth
from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.connecting import finish_sign_in, ledger_path
from studio.marketplaces.ebay.environments import PRODUCTION, SANDBOX, Environment
from studio.marketplaces.ebay.listing_details import EditorLookups
from studio.marketplaces.seller_api import oauth_login
from studio.marketplaces.seller_api.client import SellerApiClient
from studio.marketplaces.seller_api.tokens import (
    PersonalToken,
    access_token_of,
    personal_secret,
    signin_expiry,
    token_source,
)
from studio.orders.tables import LOCAL_MARKETPLACE
from studio.seller_tools.fees import FeeSchedule
from studio.storage.credentials import CredentialStore, Secret
from studio.storage.database import Database
from studio.sync import price_settings
from studio.sync.addresses import check_address
from studio.sync.marketplace_details import Lookups
from studio.sync.port import AuthFailed, Marketplace, MarketplaceError, NotConnected, Unreachable
from studio.sync.tables import MarketplaceAccount, SigninState

SELLER_API = SellerApiClient.kind  # the name an account gets when the seller gives none
ACCOUNT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def check_account_name(name: str) -> str:
    if not ACCOUNT_NAME.match(name) or name == LOCAL_MARKETPLACE:
        raise NotConnected(
            f"{name!r} cannot name a marketplace: use up to 32 lower-case letters, digits and "
            f"dashes (not {LOCAL_MARKETPLACE!r}), e.g. --name thrift-hub."
        )
    return name


def connect_with_token(
    database: Database,
    credentials: CredentialStore,
    base_url: str,
    token: str,
    name: str = SELLER_API,
    allow_insecure: bool = False,
) -> MarketplaceAccount:
    """Checks a personal API token against the server, then remembers the account and the token."""
    secret = personal_secret(token)
    return _remember(database, credentials, base_url, secret, name, allow_insecure)


def connect_with_browser(
    database: Database,
    credentials: CredentialStore,
    base_url: str,
    open_browser: Callable[[str], object] | None = None,
    show_url: Callable[[str], None] = lambda _url: None,
    timeout_s: float = oauth_login.LOGIN_TIMEOUT_S,
    cancel: threading.Event | None = None,
    name: str = SELLER_API,
    allow_insecure: bool = False,
) -> MarketplaceAccount:
    """Signs in through the browser, then remembers the account and its tokens."""
    check_account_name(name)
    base_url = check_address(base_url, allow_insecure)  # before any password is typed
    secret = oauth_login.sign_in(base_url, open_browser, show_url, timeout_s, cancel)
    return _remember(database, credentials, base_url, secret, name, allow_insecure)


def _seller_and_fees(base_url: str, access_token: str) -> tuple[str, FeeSchedule | None]:
    """Whose account the token opens, and the fees the marketplace states for it."""
    client = SellerApiClient(base_url, PersonalToken(access_token))
    try:
        return client.seller_name(), client.fee_schedule()
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
    database: Database,
    credentials: CredentialStore,
    base_url: str,
    secret: Secret,
    name: str,
    allow_insecure: bool = False,
) -> MarketplaceAccount:
    """Checks the access token against the server, then keeps `secret` in the credential store
    under the account's name and the account (never the secret) in the database. Connecting
    an account again (a sign-in that expired) keeps its cursor, links and queued edits."""
    check_account_name(name)
    base_url = check_address(base_url, allow_insecure)
    seller_name, fees = _seller_and_fees(base_url, access_token_of(secret))
    credentials.set(name, secret)
    return _signed_in(database, name, SellerApiClient.kind, base_url, seller_name, secret, fees)


def _signed_in(
    database: Database,
    name: str,
    kind: str,
    base_url: str,
    seller_name: str,
    secret: Secret,
    fees: FeeSchedule | None = None,
) -> MarketplaceAccount:
    """The account as a fresh sign-in leaves it: working, with its sign-in's lapse date."""
    with database.transaction() as session:
        account = session.get(MarketplaceAccount, name) or MarketplaceAccount(
            name=name, base_url=base_url
        )
        account.kind = kind
        account.base_url = base_url
        account.seller_name = seller_name
        account.connected_at = utc_now()
        account.blocked_until = None
        account.failures = 0
        account.last_error = ""
        account.signin_state = SigninState.OK.value
        account.signin_expires_at = signin_expiry(secret)
        price_settings.take_fees(account, fees)
        session.add(account)
    return account


def connected_accounts(database: Database) -> list[MarketplaceAccount]:
    """Every connected marketplace, in the order they were connected."""
    with database.session() as session:
        return list(
            session.exec(select(MarketplaceAccount).order_by(col(MarketplaceAccount.connected_at)))
        )


def connected_account(database: Database, name: str | None = None) -> MarketplaceAccount:
    """The account called `name`; without a name, the only one (an error if there are several)."""
    accounts = connected_accounts(database)
    if not accounts:
        raise NotConnected(
            "No marketplace is connected yet. Run `studio connect URL --name NAME` to sign in "
            "(or use Connect marketplace in the Marketplace section)."
        )
    names = [account.name for account in accounts]
    if name is None:
        if len(accounts) > 1:
            raise NotConnected(f"Several marketplaces are connected; name one: {', '.join(names)}.")
        return accounts[0]
    for account in accounts:
        if account.name == name:
            return account
    raise NotConnected(f"No marketplace is called {name!r}; connected: {', '.join(names)}.")


def client_for(
    account: MarketplaceAccount,
    credentials: CredentialStore,
    transport: httpx.BaseTransport | None = None,
    data_dir: Path | None = None,
) -> Marketplace:
    if account.kind == EbayClient.kind:
        # eBay has no change feed: the adapter keeps what it has seen in a small ledger.
        ledger = ledger_path(data_dir, account.name) if data_dir is not None else None
        return EbayClient.for_account(credentials, account.name, ledger, transport)
    # A LAN address was allowed by the seller when connected; a public http address (stored
    # by an older version) is refused before the token goes out.
    check_address(account.base_url, allow_insecure=True)
    tokens = token_source(credentials, account.name, account.base_url)
    if tokens is None:
        raise NotConnected(
            f"The sign-in for {account.name} ({account.base_url}) is missing from "
            f"{credentials.where}; connect it again."
        )
    return SellerApiClient(account.base_url, tokens, name=account.name, transport=transport)


def listing_lookups(
    database: Database,
    credentials: CredentialStore,
    name: str,
    transport: httpx.BaseTransport | None = None,
) -> Lookups:
    """The item editor's look-ups (categories, item specifics, conditions) over the account's
    own sign-in and site; close them when done."""
    client = build_client(database, credentials, name, transport)
    if not isinstance(client, EbayClient):
        client.close()
        raise NotConnected(f"{name} lists without categories of its own: it has nothing to ask.")
    return EditorLookups(client.details)


def forget_adapter_state(data_dir: Path, name: str) -> None:
    """What an adapter kept in the data dir for a removed account (eBay's ledger)."""
    ledger_path(data_dir, name).unlink(missing_ok=True)


def build_clients(
    database: Database, credentials: CredentialStore
) -> tuple[list[Marketplace], list[str]]:
    """A client for every connected marketplace, and what is wrong with those that have none."""
    clients: list[Marketplace] = []
    problems: list[str] = []
    for account in connected_accounts(database):
        try:
            clients.append(client_for(account, credentials, data_dir=database.directory))
        except NotConnected as missing:
            problems.append(str(missing))
    return clients, problems


def build_client(
    database: Database,
    credentials: CredentialStore,
    name: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Marketplace:
    account = connected_account(database, name)
    return client_for(account, credentials, transport, database.directory)


EBAY = EbayClient.kind
EBAY_KEYS = {"app_id": "eBay App ID", "cert_id": "eBay Cert ID", "ru_name": "eBay RuName"}


@dataclass(frozen=True)
class EbaySignIn:
    """A started eBay sign-in: the seller's own keys, the site, and the state the pasted
    address must carry back."""

    keyset: ebay_oauth.Keyset
    environment: Environment
    state: str

    @property
    def url(self) -> str:
        return ebay_oauth.consent_url(self.keyset, self.environment, self.state)


def start_ebay_sign_in(keys: dict[str, str], sandbox: bool) -> EbaySignIn:
    try:
        keyset = ebay_oauth.Keyset(**keys)
    except ValueError as problem:
        raise NotConnected(str(problem)) from None
    environment = SANDBOX if sandbox else PRODUCTION
    return EbaySignIn(keyset, environment, ebay_oauth.new_state())


def connect_ebay(
    database: Database,
    credentials: CredentialStore,
    name: str,
    sign_in: EbaySignIn,
    pasted: str,
    transport: httpx.BaseTransport | None = None,
) -> MarketplaceAccount:
    """Finishes an eBay sign-in from the address the seller pasted after consenting, then
    remembers the account (its tokens and listing set-up stay in the credential store)."""
    check_account_name(name)
    environment = sign_in.environment
    try:
        secret, seller = finish_sign_in(
            credentials,
            name,
            sign_in.keyset,
            environment,
            pasted,
            sign_in.state,
            transport=transport,
        )
    except (ebay_oauth.SignInProblem, ValueError) as problem:
        raise NotConnected(str(problem)) from None
    except MarketplaceError as error:
        raise NotConnected(f"eBay did not complete the sign-in: {error}") from None
    return _signed_in(database, name, EbayClient.kind, environment.api, seller, secret)
