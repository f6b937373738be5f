"""The contract checks themselves: what breaks eBay's definitions fails, so a passing test of
the adapter means something. And eBay's documented Trading samples read as the adapter expects."""

from pathlib import Path

import httpx
import pytest
from ebay_contract import HERE, Contract, ContractTransport, ContractViolation

from studio.marketplaces.ebay import trading
from studio.marketplaces.ebay.rest import trading_failure

API = "https://api.sandbox.ebay.com"
BEARER = {"Authorization": "Bearer token"}
SAMPLES = HERE / "trading"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract()


def put_item(body, **headers):
    return httpx.Request(
        "PUT",
        f"{API}/sell/inventory/v1/inventory_item/SKU-1",
        json=body,
        headers={**BEARER, **headers},
    )


def test_a_request_eBay_would_refuse_fails(contract):
    good = {"product": {"title": "Coat", "aspects": {"Brand": ["Barbour"]}}}
    assert contract.check_request(put_item(good, **{"Content-Language": "en-US"})).name == (
        "createOrReplaceInventoryItem"
    )
    with pytest.raises(ContractViolation, match="Content-Language"):
        contract.check_request(put_item(good))
    with pytest.raises(ContractViolation, match=r"body.product.titel"):
        contract.check_request(
            put_item({"product": {"titel": "Coat"}}, **{"Content-Language": "en"})
        )
    with pytest.raises(ContractViolation, match="not of type 'object'"):
        contract.check_request(
            put_item({"product": {"aspects": "Brand"}}, **{"Content-Language": "en"})
        )
    with pytest.raises(ContractViolation, match="bearer token"):
        contract.check_request(httpx.Request("GET", f"{API}/sell/inventory/v1/offer/1"))
    with pytest.raises(ContractViolation, match="no operation"):
        contract.check_request(
            httpx.Request("GET", f"{API}/sell/inventory/v1/nothing", headers=BEARER)
        )


def test_the_media_overlay_needs_the_image_part(contract):
    url = "https://apim.sandbox.ebay.com/commerce/media/v1_beta/image/create_image_from_file"
    good = httpx.Request(
        "POST", url, files={"image": ("a.jpg", b"\xff\xd8", "image/jpeg")}, headers=BEARER
    )
    assert contract.check_request(good).name == "createImageFromFile"
    bad = httpx.Request(
        "POST", url, files={"picture": ("a.jpg", b"\xff\xd8", "image/jpeg")}, headers=BEARER
    )
    with pytest.raises(ContractViolation, match="'image' is a required property"):
        contract.check_request(bad)


def test_an_answer_eBay_would_not_give_fails(contract):
    request = httpx.Request("POST", f"{API}/sell/inventory/v1/offer/7/publish", headers=BEARER)
    contract.check_response(request, httpx.Response(200, json={"listingId": "1105"}))
    with pytest.raises(ContractViolation, match="not of type 'string'"):
        contract.check_response(request, httpx.Response(200, json={"listingId": 1105}))
    with pytest.raises(ContractViolation, match="never answers 409"):
        contract.check_response(request, httpx.Response(409, json={"errors": [{"errorId": 1}]}))
    with pytest.raises(ContractViolation, match="errorId 99999"):
        contract.check_response(request, httpx.Response(400, json={"errors": [{"errorId": 99999}]}))
    with pytest.raises(ContractViolation, match="error shape"):
        contract.check_response(request, httpx.Response(400, json={"message": "no"}))


def test_trading_requests_and_answers_keep_to_the_shapes(contract):
    def call(name, body):
        headers = {
            "X-EBAY-API-CALL-NAME": name,
            "X-EBAY-API-SITEID": "0",
            "X-EBAY-API-COMPATIBILITY-LEVEL": "1349",
            "X-EBAY-API-IAF-TOKEN": "token",
            "Content-Type": "text/xml",
        }
        return httpx.Request("POST", f"{API}/ws/api.dll", content=body, headers=headers)

    ns = 'xmlns="urn:ebay:apis:eBLBaseComponents"'
    ok = (
        f"<RespondToBestOfferRequest {ns}><Action>Accept</Action><BestOfferID>5</BestOfferID>"
        "<ItemID>1</ItemID></RespondToBestOfferRequest>"
    )
    assert contract.check_trading_request(call("RespondToBestOffer", ok)) == "RespondToBestOffer"
    no_item = ok.replace("<ItemID>1</ItemID>", "")
    with pytest.raises(ContractViolation, match="must hold ItemID"):
        contract.check_trading_request(call("RespondToBestOffer", no_item))
    bad_action = ok.replace("Accept", "Approve")
    with pytest.raises(ContractViolation, match="cannot be 'Approve'"):
        contract.check_trading_request(call("RespondToBestOffer", bad_action))
    with pytest.raises(ContractViolation, match="headers"):
        contract.check_trading_request(httpx.Request("POST", f"{API}/ws/api.dll", content=ok))
    for sample in sorted(SAMPLES.glob("*.response.xml")):
        name = sample.name.split(".")[0]
        contract.check_trading_response(
            "GetMyeBaySelling" if name == "Failure" else name, sample.read_bytes()
        )


def test_the_documented_samples_read_as_the_adapter_expects():
    def root(name: str):
        import xml.etree.ElementTree as ET

        return ET.fromstring(Path(SAMPLES / f"{name}.response.xml").read_bytes())

    assert trading.user_id(root("GetUser")) == "closet_of_jane"
    items, pages = trading.active_items(root("GetMyeBaySelling"))
    assert [(i.item_id, i.sku, i.watch_count) for i in items] == [
        ("110554812370", "COAT-0007", 3),
        ("110554812371", "", 1),
    ]
    assert pages == 1
    [offer], _pages = trading.best_offers(root("GetBestOffers"))
    assert (offer.item_id, offer.offer_id, offer.buyer_id, offer.amount_cents, offer.status) == (
        "110554812370",
        "5099238012",
        "vintage_hunter_88",
        4000,
        "Pending",
    )
    assert trading.response_failures(root("RespondToBestOffer")) == []
    failure = trading_failure(root("Failure"))
    assert failure is not None and failure.code == "21917053"


def test_a_handler_cannot_slip_a_bad_answer_past_the_transport():
    transport = ContractTransport(lambda request: httpx.Response(200, json={"categoryTreeId": 0}))
    with httpx.Client(transport=transport) as client, pytest.raises(ContractViolation):
        client.get(
            f"{API}/commerce/taxonomy/v1/get_default_category_tree_id",
            params={"marketplace_id": "EBAY_US"},
            headers=BEARER,
        )
