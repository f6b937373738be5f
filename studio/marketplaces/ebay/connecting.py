"""Connecting an eBay account, the adapter's half: the code from the pasted address becomes
tokens, the tokens are tried (whose account is it?), and the business policies and location
listings will use are chosen. The engine's half (the account row) is sync/connection.py's.

    state = oauth.new_state()
    open_in_browser(oauth.consent_url(keyset, env, state))
    secret, seller = finish_sign_in(credentials, "ebay", keyset, env, pasted, state)
"""

from pathlib import Path

import httpx

from studio.marketplaces.ebay import oauth
from studio.marketplaces.ebay.client import EbayClient
from studio.marketplaces.ebay.environments import Environment
from studio.marketplaces.ebay.ledger import Ledger
from studio.marketplaces.ebay.listing_setup import ListingSetup, choose, site_named
from studio.storage.credentials import CredentialStore, Secret


def finish_sign_in(
    credentials: CredentialStore,
    name: str,
    keyset: oauth.Keyset,
    env: Environment,
    pasted: str,
    state: str,
    marketplace_id: str = "EBAY_US",
    wanted: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    post: oauth.Post = httpx.post,
) -> tuple[Secret, str]:
    """Keeps the sign-in under `name` and returns it with the seller's eBay user id. Raises
    SignInProblem for what was pasted, ValueError for policies that cannot be chosen, and
    the port's errors when eBay cannot be reached or refuses the tokens."""
    site_named(marketplace_id)
    code = oauth.code_from_pasted(pasted, state)
    previous = credentials.get(name)
    secret = oauth.exchange_code(keyset, env, code, post=post)
    credentials.set(name, secret)
    try:
        tokens = oauth.EbayTokens(credentials, name, post=post)
        unchosen = ListingSetup(marketplace_id, "", "", "", "")
        probe = EbayClient(tokens, env, unchosen, Ledger(None), name, transport)
        try:
            seller = probe.seller_name()
            choices = probe.listing_setup_choices()
        finally:
            probe.close()
        setup = choose(
            marketplace_id,
            choices["payment"],
            choices["return"],
            choices["fulfillment"],
            choices["location"],
            wanted,
        )
    except BaseException:
        # A sign-in that did not finish leaves the one before it (a reconnect) in place.
        if previous is not None:
            credentials.set(name, previous)
        else:
            credentials.delete(name)
        raise
    kept = {**(credentials.get(name) or secret), "listing_setup": setup.as_secret()}
    credentials.set(name, kept)
    return kept, seller


def ledger_path(data_dir: Path, name: str) -> Path:
    """Where an account's ledger lives in the data dir (remove it with the account)."""
    return data_dir / "marketplaces" / f"{name}.json"
