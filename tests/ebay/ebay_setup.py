"""What the eBay tests share: the account's listing setup, a sign-in that stays good, a
client on the fake eBay, and a coat to list."""

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fake_ebay import FakeEbay

from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.environments import SANDBOX
from studio.marketplaces.ebay.feed import PollEvery
from studio.marketplaces.ebay.ledger import Ledger
from studio.marketplaces.ebay.listing_setup import ListingSetup
from studio.storage.credentials import CredentialStore
from studio.storage.database import Database
from studio.sync.tables import MarketplaceAccount

SETUP = ListingSetup(
    marketplace_id="EBAY_US",
    payment_policy_id="6196947000",
    return_policy_id="6196948000",
    fulfillment_policy_id="6196949000",
    merchant_location_key="home-studio",
)
EVERY_TIME = PollEvery(orders=timedelta(0), trading=timedelta(0))


class StaticTokens:
    """A sign-in that stays good: the tests of the sign-in itself are in test_ebay_oauth."""

    def __init__(self) -> None:
        self.refreshes = 0

    def access_token(self) -> str:
        return "v^1.1#i^1#user-token"

    def refresh(self) -> bool:
        self.refreshes += 1
        return False

    def expires_at(self) -> datetime | None:
        return datetime.now(UTC) + timedelta(days=500)


def make_client(fake: FakeEbay, ledger_path: Path | None, name: str = "ebay") -> EbayClient:
    return EbayClient(
        StaticTokens(),
        SANDBOX,
        SETUP,
        Ledger(ledger_path),
        name=name,
        transport=fake.transport,
        sleep=lambda _s: None,
        poll_every=EVERY_TIME,
    )


def remember_account(
    database: Database, credentials: CredentialStore, name: str = "ebay", **account
) -> None:
    """An eBay account as its sign-in leaves it: the tokens and the listing setup in the
    credential store, the account (kind "ebay") in the database."""
    now = datetime.now(UTC)
    credentials.set(
        name,
        {
            "kind": "ebay",
            "environment": "sandbox",
            "app_id": "JaneDoe-Studio-SBX-1",
            "cert_id": "SBX-cert",
            "ru_name": "Jane_Doe-JaneDoe-Studio-abcde",
            "access_token": "v^1.1#i^1#user-token",
            "access_expires_at": (now + timedelta(hours=2)).isoformat(),
            "refresh_token": "v^1.1#refresh",
            "refresh_expires_at": (now + timedelta(days=540)).isoformat(),
            "listing_setup": SETUP.as_secret(),
        },
    )
    with database.transaction() as session:
        session.add(MarketplaceAccount(name=name, kind="ebay", base_url=SANDBOX.api, **account))


PHOTO = b"\xff\xd8\xff\xe0 a jpeg of a coat"


def coat(sku: str = "COAT-0007", **fields):
    sha = hashlib.sha256(PHOTO + sku.encode()).hexdigest()
    listing = {
        "title": "Vintage wool coat, camel, M",
        "description": "Warm and heavy; a small mark on the left cuff.",
        "brand": "Barbour",
        "size": "M",
        "condition": "Excellent",
        "price_cents": 4800,
        "floor_price_cents": 3500,
        "sku": sku,
        "photos": [sha],
    }
    return {**listing, **fields}


def publish(client, fields):
    for sha in fields["photos"]:
        client.upload_photo(sha, PHOTO, "image/jpeg")
    return client.create_listing(fields, "op-1")
