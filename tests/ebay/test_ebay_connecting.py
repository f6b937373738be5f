"""Connecting an eBay account: pasted address -> tokens -> whose account -> listing setup."""

import httpx
import pytest

from studio.marketplaces.ebay.connecting import finish_sign_in
from studio.marketplaces.ebay.environments import SANDBOX
from studio.marketplaces.ebay.oauth import Keyset, SignInProblem
from studio.storage.credentials import PrivateFileStore

KEYS = Keyset("app", "cert", "Jane_Doe-JaneDoe-Studio-abcde")
PASTED = "https://example.com/accepted?state=s1&code=v%5E1.1%23code&expires_in=299"


def token_endpoint(url, data, headers, timeout):
    return httpx.Response(
        200,
        json={
            "access_token": "v^1.1#access",
            "expires_in": 7200,
            "refresh_token": "r",
            "refresh_token_expires_in": 47304000,
            "token_type": "User Access Token",
        },
    )


def test_a_finished_sign_in_keeps_the_tokens_with_the_chosen_setup(fake, tmp_path):
    store = PrivateFileStore(tmp_path)
    secret, seller = finish_sign_in(
        store,
        "ebay",
        KEYS,
        SANDBOX,
        PASTED,
        "s1",
        wanted={"fulfillment": "Free shipping"},
        transport=fake.transport,
        post=token_endpoint,
    )
    assert seller == "closet_of_jane"
    assert store.get("ebay") == secret
    assert secret["listing_setup"]["fulfillment_policy_id"] == "6196949001"
    assert secret["listing_setup"]["merchant_location_key"] == "home-studio"
    assert secret["refresh_expires_at"]


def test_a_sign_in_that_cannot_finish_leaves_the_one_before_it(fake, tmp_path):
    store = PrivateFileStore(tmp_path)
    store.set("ebay", {"kind": "ebay", "access_token": "the old one"})
    with pytest.raises(ValueError, match="several fulfillment policies"):
        finish_sign_in(
            store,
            "ebay",
            KEYS,
            SANDBOX,
            PASTED,
            "s1",
            transport=fake.transport,
            post=token_endpoint,
        )
    assert store.get("ebay") == {"kind": "ebay", "access_token": "the old one"}
    with pytest.raises(SignInProblem):
        finish_sign_in(
            store,
            "ebay",
            KEYS,
            SANDBOX,
            "https://example.com/",
            "s1",
            transport=fake.transport,
            post=token_endpoint,
        )
