"""`python -m bench ebay_sandbox`: the eBay adapter against eBay's real sandbox.

Publishes one test item (a generated photo, a title, a price), revises its price and its
title, withdraws it, and prints what happened as JSON on its last line. The tests use a fake
eBay checked against eBay's definitions; this is the check against eBay itself, run by hand
where eBay can be reached, with a sandbox keyset and a sandbox seller's refresh token:

    EBAY_SANDBOX_APP_ID, EBAY_SANDBOX_CERT_ID, EBAY_SANDBOX_RU_NAME   (developer.ebay.com keys)
    EBAY_SANDBOX_REFRESH_TOKEN   (a sandbox test seller's, from signing in once)
    optional: EBAY_SANDBOX_MARKETPLACE (EBAY_US), EBAY_SANDBOX_PAYMENT_POLICY,
    EBAY_SANDBOX_RETURN_POLICY, EBAY_SANDBOX_FULFILLMENT_POLICY, EBAY_SANDBOX_LOCATION
    (names or ids, when the seller has several)
"""

import argparse
import hashlib
import io
import json
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.environments import SANDBOX
from studio.marketplaces.ebay.ledger import Ledger
from studio.marketplaces.ebay.listing_setup import ListingSetup, choose, site_named
from studio.marketplaces.ebay.oauth import KIND, SCOPES, EbayTokens, Post
from studio.storage.credentials import Secret
from studio.sync.port import ListingAction, MarketplaceError

REQUIRED = (
    "EBAY_SANDBOX_APP_ID",
    "EBAY_SANDBOX_CERT_ID",
    "EBAY_SANDBOX_RU_NAME",
    "EBAY_SANDBOX_REFRESH_TOKEN",
)
ACCOUNT = "ebay-sandbox"


class MemoryCredentials:
    """The sign-in for this one run, never written anywhere."""

    where = "this run's memory"

    def __init__(self) -> None:
        self._secrets: dict[str, Secret] = {}

    def get(self, key: str) -> Secret | None:
        return self._secrets.get(key)

    def set(self, key: str, secret: Secret) -> None:
        self._secrets[key] = secret

    def delete(self, key: str) -> None:
        self._secrets.pop(key, None)


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 800), (214, 196, 160))
    ImageDraw.Draw(image).text((40, 380), f"Seller Studio sandbox {time.time():.0f}", fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def run(
    env: dict[str, str],
    steps: list[dict[str, Any]],
    transport: httpx.BaseTransport | None = None,
    post: Post = httpx.post,
) -> dict[str, Any]:
    """The check itself; `transport` and `post` let a test run it against a fake eBay."""
    credentials = MemoryCredentials()
    credentials.set(
        ACCOUNT,
        {
            "kind": KIND,
            "environment": SANDBOX.name,
            "app_id": env["EBAY_SANDBOX_APP_ID"],
            "cert_id": env["EBAY_SANDBOX_CERT_ID"],
            "ru_name": env["EBAY_SANDBOX_RU_NAME"],
            "refresh_token": env["EBAY_SANDBOX_REFRESH_TOKEN"],
            "access_token": "",
            "access_expires_at": datetime.now(UTC).isoformat(),  # refreshed on first use
            "scopes": list(SCOPES),
        },
    )
    marketplace_id = env.get("EBAY_SANDBOX_MARKETPLACE", "EBAY_US")
    site_named(marketplace_id)
    tokens = EbayTokens(credentials, ACCOUNT, post=post)
    placeholder = ListingSetup(marketplace_id, "", "", "", "")
    probe = EbayClient(tokens, SANDBOX, placeholder, Ledger(None), ACCOUNT, transport)
    try:
        seller = probe.seller_name()
        steps.append({"step": "sign in", "seller": seller})
        choices = probe.listing_setup_choices()
    finally:
        probe.close()
    wanted = {
        kind: env[f"EBAY_SANDBOX_{kind.upper()}_POLICY"]
        for kind in ("payment", "return", "fulfillment")
        if env.get(f"EBAY_SANDBOX_{kind.upper()}_POLICY")
    }
    if env.get("EBAY_SANDBOX_LOCATION"):
        wanted["location"] = env["EBAY_SANDBOX_LOCATION"]
    setup = choose(
        marketplace_id,
        choices["payment"],
        choices["return"],
        choices["fulfillment"],
        choices["location"],
        wanted,
    )
    steps.append({"step": "listing setup", **setup.as_secret()})
    client = EbayClient(tokens, SANDBOX, setup, Ledger(None), ACCOUNT, transport)
    try:
        photo = _photo()
        sha = hashlib.sha256(photo).hexdigest()
        sku = f"SS-SANDBOX-{int(time.time())}"
        started = time.monotonic()
        client.upload_photo(sha, photo, "image/jpeg")
        fields = {
            "title": "Seller Studio sandbox test: wool scarf",
            "description": "A test listing made by Seller Studio's sandbox check.",
            "brand": "Unbranded",
            "size": "One Size",
            "condition": "New with tags",
            "price_cents": 2500,
            "floor_price_cents": 1800,
            "sku": sku,
            "photos": [sha],
        }
        listing = client.create_listing(fields, sku)
        steps.append({"step": "publish", "sku": listing.id, "status": listing.status.value})
        listing = client.update_listing(sku, {"price_cents": 2300}, listing.version)
        steps.append({"step": "price", "price_cents": listing.fields["price_cents"]})
        listing = client.update_listing(sku, {"title": fields["title"] + " (revised)"}, 0)
        steps.append({"step": "revise", "title": listing.fields["title"]})
        listing = client.change_listing_status(sku, ListingAction.DELIST)
        steps.append({"step": "withdraw", "status": listing.status.value})
        return {
            "ok": True,
            "sku": sku,
            "seconds": round(time.monotonic() - started, 2),
            "requests": client.counters.requests,
            "by_path": client.counters.by_path,
        }
    finally:
        client.close()


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="python -m bench ebay_sandbox", description=__doc__).parse_args(
        argv
    )
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(
            "The eBay sandbox check needs a sandbox keyset and a sandbox seller's sign-in. Set "
            + ", ".join(missing)
            + " (App ID, Cert ID and RuName from developer.ebay.com > Application keys; the "
            "refresh token from signing in once as a sandbox test seller), then run it again.",
            file=sys.stderr,
        )
        print(json.dumps({"ok": False, "missing": missing}))
        return 2
    steps: list[dict[str, Any]] = []
    try:
        summary = run(dict(os.environ), steps)
    except (MarketplaceError, ValueError) as error:
        print(
            json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}", "steps": steps})
        )
        return 1
    for step in steps:
        print(json.dumps(step))
    print(json.dumps({**summary, "steps": steps}))
    return 0
