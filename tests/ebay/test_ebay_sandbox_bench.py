"""`python -m bench ebay_sandbox` cannot reach eBay here; its steps run against the fake."""

import json

import httpx

from bench import ebay_sandbox

ENV = {
    "EBAY_SANDBOX_APP_ID": "app",
    "EBAY_SANDBOX_CERT_ID": "cert",
    "EBAY_SANDBOX_RU_NAME": "Jane_Doe-JaneDoe-Studio-abcde",
    "EBAY_SANDBOX_REFRESH_TOKEN": "v^1.1#refresh",
    "EBAY_SANDBOX_FULFILLMENT_POLICY": "USPS Priority",
}


def test_without_keys_it_says_what_to_set_and_fails(monkeypatch, capsys):
    for name in ebay_sandbox.REQUIRED:
        monkeypatch.delenv(name, raising=False)
    assert ebay_sandbox.main([]) == 2
    out, err = capsys.readouterr()
    assert "EBAY_SANDBOX_REFRESH_TOKEN" in err
    assert json.loads(out.strip().splitlines()[-1])["ok"] is False


def test_it_publishes_revises_and_withdraws_one_item(fake):
    def token_endpoint(url, data, headers, timeout):
        assert url == "https://api.sandbox.ebay.com/identity/v1/oauth2/token"
        assert data["grant_type"] == "refresh_token"
        return httpx.Response(200, json={"access_token": "fresh", "expires_in": 7200})

    steps: list[dict] = []
    summary = ebay_sandbox.run(ENV, steps, fake.transport, token_endpoint)

    assert summary["ok"] is True
    assert [step["step"] for step in steps] == [
        "sign in",
        "listing setup",
        "publish",
        "price",
        "revise",
        "withdraw",
    ]
    assert steps[-1]["status"] == "delisted"
    sku = summary["sku"]
    assert fake.offer_of(sku)["status"] == "UNPUBLISHED"
    assert fake.items[sku]["product"]["title"].endswith("(revised)")
