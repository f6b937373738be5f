"""A fake eBay, because eBay cannot be reached from here: the REST calls and Trading calls
the adapter makes, answered from state held in memory, through a ContractTransport, so
every request and every answer is checked against eBay's definitions as it passes.

It is a fake, not eBay: it keeps only what the tests need (one seller, fixed-price listings
of one each, a category or two with their required item specifics), and its answers are
shaped the way eBay's definitions and documented samples say. The buyer side (a sale, a
watcher, a best offer) is driven by the test through its methods.
"""

import itertools
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx
from ebay_contract import TRADING_NS, Contract, ContractTransport

COATS = "57988"  # Men's Coats, Jackets & Vests: needs Brand and Size
SCARVES = "45238"  # Women's Scarves & Wraps: needs Brand
MENS_JEANS = "11483"  # Men's Jeans, and Women's: need Department and Size Type too
WOMENS_JEANS = "11554"
JEANS_NEED = ["Brand", "Size", "Department", "Size Type"]
REQUIRED_ASPECTS = {
    COATS: ["Brand", "Size"],
    SCARVES: ["Brand"],
    MENS_JEANS: JEANS_NEED,
    WOMENS_JEANS: JEANS_NEED,
}
TREE_ID = "0"
CLOTHING = ("11450", "Clothing, Shoes & Accessories")
MENS, WOMENS = ("1059", "Men's Clothing"), ("15724", "Women's Clothing")
# The categories suggested for a word in the query, best first, each with its parent.
SUGGESTED = {
    "coat": [(COATS, "Coats, Jackets & Vests", MENS)],
    "jeans": [(MENS_JEANS, "Jeans", MENS), (WOMENS_JEANS, "Jeans", WOMENS)],
}
ELSE_SUGGESTED = [(SCARVES, "Scarves & Wraps", MENS)]


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def error(status: int, error_id: int, message: str, **parameters: str) -> httpx.Response:
    row: dict[str, Any] = {
        "errorId": error_id,
        "domain": "API_INVENTORY",
        "category": "REQUEST" if status < 500 else "APPLICATION",
        "message": message,
    }
    if parameters:
        row["parameters"] = [{"name": k, "value": v} for k, v in parameters.items()]
    return httpx.Response(status, json={"errors": [row]})


@dataclass
class BestOffer:
    offer_id: str
    item_id: str
    buyer: str
    amount: str
    status: str = "Pending"
    code_type: str = "BuyerBestOffer"
    expires: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(hours=48))


@dataclass
class Fault:
    status: int
    error_id: int
    message: str
    path_contains: str


class FakeEbay:
    api = "https://api.sandbox.ebay.com"
    apim = "https://apim.sandbox.ebay.com"

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.offers: dict[str, dict[str, Any]] = {}
        self.images: dict[str, dict[str, str]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.fulfillments: dict[str, list[dict[str, Any]]] = {}
        self.watchers: dict[str, int] = {}  # by item number
        self.best_offers: dict[str, BestOffer] = {}
        self.watcher_offers: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []  # RespondToBestOffer calls, as sent
        self.calls: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self._ids = itertools.count(1)
        self.clock_offset = timedelta(0)
        self.contract = Contract()
        self.transport = ContractTransport(self.handle, self.contract)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def _next(self) -> int:
        return next(self._ids)

    # The buyer side, driven by the tests
    def item_number(self, sku: str) -> str:
        offer = self.offer_of(sku)
        assert offer is not None and "listing" in offer, f"{sku} was never published"
        return str(offer["listing"]["listingId"])

    def offer_of(self, sku: str) -> dict[str, Any] | None:
        return next((o for o in self.offers.values() if o["sku"] == sku), None)

    def watch(self, sku: str, count: int) -> None:
        self.watchers[self.item_number(sku)] = count

    def place_best_offer(self, sku: str, buyer: str, amount: str) -> str:
        offer = BestOffer(str(5_099_238_000 + self._next()), self.item_number(sku), buyer, amount)
        self.best_offers[offer.offer_id] = offer
        return offer.offer_id

    def sell(self, sku: str, buyer: str = "quick_buyer_1", name: str = "Ada Byron") -> str:
        offer = self.offer_of(sku)
        assert offer is not None and offer["status"] == "PUBLISHED", f"{sku} is not on sale"
        price = offer["pricingSummary"]["price"]
        order_id = f"12-{10000 + self._next():05d}-{self._next():05d}"
        moment = stamp(self.now())
        offer["listing"].update(listingStatus="OUT_OF_STOCK", soldQuantity=1)
        self.orders[order_id] = {
            "orderId": order_id,
            "creationDate": moment,
            "lastModifiedDate": moment,
            "orderFulfillmentStatus": "NOT_STARTED",
            "orderPaymentStatus": "PAID",
            "sellerId": "closet_of_jane",
            "buyer": {"username": buyer},
            "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
            "pricingSummary": {
                "priceSubtotal": dict(price),
                "deliveryCost": {"value": "5.00", "currency": price["currency"]},
                "total": {"value": f"{float(price['value']) + 5:.2f}", "currency": "USD"},
            },
            "totalMarketplaceFee": {"value": "6.36", "currency": "USD"},
            "fulfillmentStartInstructions": [
                {
                    "fulfillmentInstructionsType": "SHIP_TO",
                    "shippingStep": {
                        "shipTo": {
                            "fullName": name,
                            "contactAddress": {
                                "addressLine1": "12 Analytical Row",
                                "city": "San Jose",
                                "stateOrProvince": "CA",
                                "postalCode": "95125",
                                "countryCode": "US",
                            },
                        },
                        "shippingServiceCode": "USPSPriority",
                    },
                }
            ],
            "lineItems": [
                {
                    "lineItemId": str(10_000_000_000 + self._next()),
                    "legacyItemId": offer["listing"]["listingId"],
                    "sku": sku,
                    "title": self.items[sku]["product"]["title"],
                    "lineItemCost": dict(price),
                    "quantity": 1,
                    "lineItemFulfillmentStatus": "NOT_STARTED",
                }
            ],
        }
        return order_id

    def fail_next(self, status: int, error_id: int, message: str, path_contains: str) -> None:
        self.faults.append(Fault(status, error_id, message, path_contains))

    # Serving
    def handle(self, request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.path)
        self.calls.append((request.method, path))
        for fault in self.faults:
            if fault.path_contains in path:
                self.faults.remove(fault)
                return error(fault.status, fault.error_id, fault.message)
        if path == "/ws/api.dll":
            return self._trading(request)
        body = json.loads(request.content) if request.content and _is_json(request) else None
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        for pattern, method, handler in self._routes():
            found = re.fullmatch(pattern, path)
            if found and request.method == method:
                return handler(*found.groups(), body=body, query=query, request=request)
        raise AssertionError(f"the fake eBay has no {request.method} {path}")

    def _routes(self) -> list[tuple[str, str, Any]]:
        inv = "/sell/inventory/v1"
        media = "/commerce/media/v1_beta"
        tax = "/commerce/taxonomy/v1"
        return [
            (f"{media}/image/create_image_from_file", "POST", self._create_image),
            (f"{media}/image/([^/]+)", "GET", self._get_image),
            (f"{inv}/inventory_item/([^/]+)", "PUT", self._put_item),
            (f"{inv}/inventory_item/([^/]+)", "GET", self._get_item),
            (f"{inv}/inventory_item", "GET", self._list_items),
            (f"{inv}/offer", "GET", self._get_offers),
            (f"{inv}/offer", "POST", self._create_offer),
            (f"{inv}/offer/([^/]+)", "PUT", self._update_offer),
            (f"{inv}/offer/([^/]+)/publish", "POST", self._publish),
            (f"{inv}/offer/([^/]+)/withdraw", "POST", self._withdraw),
            (f"{inv}/bulk_update_price_quantity", "POST", self._bulk_price),
            (f"{inv}/location", "GET", self._locations),
            ("/sell/fulfillment/v1/order", "GET", self._get_orders),
            ("/sell/fulfillment/v1/order/([^/]+)", "GET", self._get_order),
            ("/sell/fulfillment/v1/order/([^/]+)/shipping_fulfillment", "GET", self._get_ships),
            ("/sell/fulfillment/v1/order/([^/]+)/shipping_fulfillment", "POST", self._ship),
            ("/sell/negotiation/v1/find_eligible_items", "GET", self._eligible),
            ("/sell/negotiation/v1/send_offer_to_interested_buyers", "POST", self._send_offer),
            (f"{tax}/get_default_category_tree_id", "GET", self._tree),
            (f"{tax}/category_tree/([^/]+)/get_category_suggestions", "GET", self._suggest),
            (f"{tax}/category_tree/([^/]+)/get_item_aspects_for_category", "GET", self._aspects),
            (
                "/sell/metadata/v1/marketplace/([^/]+)/get_item_condition_policies",
                "GET",
                self._conditions,
            ),
            ("/sell/account/v1/payment_policy", "GET", self._payment_policies),
            ("/sell/account/v1/return_policy", "GET", self._return_policies),
            ("/sell/account/v1/fulfillment_policy", "GET", self._fulfillment_policies),
        ]

    # Media
    def _create_image(self, **_: Any) -> httpx.Response:
        image_id = f"img{self._next()}"
        image = {
            "imageUrl": f"https://i.ebayimg.sandbox.ebay.com/images/g/{image_id}/s-l1600.jpg",
            "expirationDate": stamp(self.now() + timedelta(days=30)),
        }
        self.images[image_id] = image
        location = f"{self.apim}/commerce/media/v1_beta/image/{image_id}"
        return httpx.Response(201, json=image, headers={"Location": location})

    def _get_image(self, image_id: str, **_: Any) -> httpx.Response:
        if image_id not in self.images:
            return error(404, 190001, "The image does not exist.")
        return httpx.Response(200, json=self.images[image_id])

    # Inventory items
    def _put_item(self, sku: str, body: dict[str, Any], **_: Any) -> httpx.Response:
        self.items[sku] = {**body, "sku": sku, "locale": "en_US"}
        return httpx.Response(204)

    def _get_item(self, sku: str, **_: Any) -> httpx.Response:
        if sku not in self.items:
            return error(404, 25702, f"The SKU {sku} could not be found.")
        return httpx.Response(200, json=self.items[sku])

    def _list_items(self, query: dict[str, str], **_: Any) -> httpx.Response:
        limit, offset = int(query.get("limit", 25)), int(query.get("offset", 0))
        rows = list(self.items.values())
        return httpx.Response(
            200,
            json={
                "total": len(rows),
                "size": len(rows[offset : offset + limit]),
                "limit": limit,
                "inventoryItems": rows[offset : offset + limit],
            },
        )

    # Offers
    def _get_offers(self, query: dict[str, str], **_: Any) -> httpx.Response:
        offer = self.offer_of(query.get("sku", ""))
        if offer is None:
            return error(404, 25713, "This Offer is not available.")
        return httpx.Response(
            200, json={"total": 1, "size": 1, "limit": 25, "offset": 0, "offers": [offer]}
        )

    def _create_offer(self, body: dict[str, Any], **_: Any) -> httpx.Response:
        if self.offer_of(body["sku"]) is not None:
            return error(400, 25002, "A user error has occurred. Offer entity already exists.")
        offer_id = str(7_000_000 + self._next())
        self.offers[offer_id] = {**body, "offerId": offer_id, "status": "UNPUBLISHED"}
        return httpx.Response(201, json={"offerId": offer_id})

    def _update_offer(self, offer_id: str, body: dict[str, Any], **_: Any) -> httpx.Response:
        offer = self.offers.get(offer_id)
        if offer is None:
            return error(404, 25713, "This Offer is not available.")
        kept = {k: offer[k] for k in ("offerId", "status", "sku", "marketplaceId", "format")}
        if "listing" in offer:
            kept["listing"] = offer["listing"]
        self.offers[offer_id] = {**body, **kept}
        return httpx.Response(204)

    def _publish(self, offer_id: str, **_: Any) -> httpx.Response:
        offer = self.offers.get(offer_id)
        if offer is None:
            return error(400, 25713, "This Offer is not available.")
        item = self.items.get(offer["sku"], {})
        aspects = (item.get("product") or {}).get("aspects") or {}
        for needed in REQUIRED_ASPECTS.get(offer.get("categoryId", ""), []):
            if not aspects.get(needed):
                text = f"The item specific {needed} is missing."
                return error(
                    400,
                    25002,
                    f"A user error has occurred. {text} Add {needed} to this listing, enter a "
                    "valid value, and then try again.",
                    **{"0": text, "2": needed},
                )
        listing = offer.get("listing") or {}
        if offer["status"] != "PUBLISHED":
            # A relist of a withdrawn offer is a new listing, with a new item number.
            listing = {"listingId": str(110_554_900_000 + self._next())}
        offer["listing"] = {**listing, "listingStatus": "ACTIVE", "soldQuantity": 0}
        offer["status"] = "PUBLISHED"
        return httpx.Response(200, json={"listingId": offer["listing"]["listingId"]})

    def _withdraw(self, offer_id: str, **_: Any) -> httpx.Response:
        offer = self.offers.get(offer_id)
        if offer is None or offer["status"] != "PUBLISHED":
            return error(400, 25713, "This Offer is not available : it is not published.")
        offer["status"] = "UNPUBLISHED"
        offer["listing"]["listingStatus"] = "ENDED"
        return httpx.Response(200, json={"listingId": offer["listing"]["listingId"]})

    def _bulk_price(self, body: dict[str, Any], **_: Any) -> httpx.Response:
        answers = []
        for row in body["requests"]:
            for change in row.get("offers", []):
                offer = self.offers[change["offerId"]]
                offer["pricingSummary"] = {"price": change["price"]}
                answers.append({"statusCode": 200, "sku": row["sku"], "offerId": offer["offerId"]})
        return httpx.Response(200, json={"responses": answers})

    def _locations(self, **_: Any) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "total": 1,
                "locations": [
                    {
                        "merchantLocationKey": "home-studio",
                        "merchantLocationStatus": "ENABLED",
                        "name": "Home studio",
                        "locationTypes": ["WAREHOUSE"],
                        "location": {"address": {"postalCode": "95125", "country": "US"}},
                    }
                ],
            },
        )

    # Orders
    def _get_orders(self, query: dict[str, str], **_: Any) -> httpx.Response:
        since = re.fullmatch(r"lastmodifieddate:\[(.+)\.\.\]", query.get("filter", ""))
        assert since, f"orders are asked for by lastmodifieddate, not {query.get('filter')}"
        start = when(since.group(1))
        rows = sorted(
            (o for o in self.orders.values() if when(o["lastModifiedDate"]) >= start),
            key=lambda o: o["lastModifiedDate"],
        )
        limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
        page = rows[offset : offset + limit]
        answer: dict[str, Any] = {
            "href": "https://api.sandbox.ebay.com/sell/fulfillment/v1/order",
            "total": len(rows),
            "limit": limit,
            "offset": offset,
            "orders": page,
        }
        if offset + limit < len(rows):
            answer["next"] = (
                f"https://api.sandbox.ebay.com/sell/fulfillment/v1/order?offset={offset + limit}"
            )
        return httpx.Response(200, json=answer)

    def _get_order(self, order_id: str, **_: Any) -> httpx.Response:
        if order_id not in self.orders:
            return error(404, 32100, "Invalid order ID.")
        return httpx.Response(200, json=self.orders[order_id])

    def _get_ships(self, order_id: str, **_: Any) -> httpx.Response:
        rows = self.fulfillments.get(order_id, [])
        return httpx.Response(200, json={"total": len(rows), "fulfillments": rows})

    def _ship(self, order_id: str, body: dict[str, Any], **_: Any) -> httpx.Response:
        order = self.orders[order_id]
        fulfillment_id = body.get("trackingNumber") or "999"
        self.fulfillments.setdefault(order_id, []).append(
            {
                "fulfillmentId": fulfillment_id,
                "lineItems": body["lineItems"],
                "shipmentTrackingNumber": body.get("trackingNumber", ""),
                "shippingCarrierCode": body.get("shippingCarrierCode", ""),
                "shippedDate": stamp(self.now()),
            }
        )
        order["orderFulfillmentStatus"] = "FULFILLED"
        order["lastModifiedDate"] = stamp(self.now())
        location = (
            f"{self.api}/sell/fulfillment/v1/order/{order_id}/shipping_fulfillment/{fulfillment_id}"
        )
        return httpx.Response(201, json={}, headers={"Location": location})

    # Negotiation
    def _eligible(self, query: dict[str, str], **_: Any) -> httpx.Response:
        rows = [{"listingId": item} for item, count in self.watchers.items() if count > 0]
        if not rows:
            return httpx.Response(204)
        return httpx.Response(
            200, json={"eligibleItems": rows, "total": len(rows), "limit": 200, "offset": 0}
        )

    def _send_offer(self, body: dict[str, Any], **_: Any) -> httpx.Response:
        [item] = body["offeredItems"]
        watchers = self.watchers.get(item["listingId"], 0)
        if not watchers:
            return error(409, 150020, f"Listing {item['listingId']} has no interested buyers.")
        self.watcher_offers.append(body)
        moment = stamp(self.now())
        offers = [
            {
                "offerId": str(600_000 + self._next()),
                "offerStatus": "PENDING",
                "offerType": "SELLER_INITIATED_OFFER",
                "buyer": {"maskedUsername": f"b***{n}"},
                "creationDate": moment,
                "offerDuration": body["offerDuration"],
                "offeredItems": body["offeredItems"],
                "allowCounterOffer": body.get("allowCounterOffer", False),
            }
            for n in range(watchers)
        ]
        return httpx.Response(200, json={"offers": offers})

    # Taxonomy, metadata, account
    def _tree(self, **_: Any) -> httpx.Response:
        return httpx.Response(200, json={"categoryTreeId": TREE_ID, "categoryTreeVersion": "130"})

    def _suggest(self, tree: str, query: dict[str, str], **_: Any) -> httpx.Response:
        words = query["q"].lower()
        found = next((rows for word, rows in SUGGESTED.items() if word in words), ELSE_SUGGESTED)
        return httpx.Response(
            200,
            json={
                "categoryTreeId": tree,
                "categoryTreeVersion": "130",
                "categorySuggestions": [
                    {
                        "category": {"categoryId": category, "categoryName": name},
                        "categoryTreeNodeAncestors": [
                            {
                                "categoryId": parent[0],
                                "categoryName": parent[1],
                                "categoryTreeNodeLevel": 2,
                            },
                            {
                                "categoryId": CLOTHING[0],
                                "categoryName": CLOTHING[1],
                                "categoryTreeNodeLevel": 1,
                            },
                        ],
                        "categoryTreeNodeLevel": 3,
                        "relevancy": "HIGH",
                    }
                    for category, name, parent in found
                ],
            },
        )

    def _aspects(self, tree: str, query: dict[str, str], **_: Any) -> httpx.Response:
        required = REQUIRED_ASPECTS.get(query["category_id"], [])
        names = [*required, "Color", "Material"]
        return httpx.Response(
            200,
            json={
                "aspects": [
                    {
                        "localizedAspectName": name,
                        "aspectConstraint": {
                            "aspectDataType": "STRING",
                            "aspectMode": "FREE_TEXT",
                            "aspectRequired": name in required,
                            "aspectUsage": "RECOMMENDED" if name != "Material" else "OPTIONAL",
                            "itemToAspectCardinality": "SINGLE",
                        },
                        "aspectValues": [{"localizedValue": v} for v in ("Levi's", "Barbour")]
                        if name == "Brand"
                        else [],
                    }
                    for name in names
                ]
            },
        )

    def _conditions(self, marketplace: str, query: dict[str, str], **_: Any) -> httpx.Response:
        ids = re.findall(r"\d+", query.get("filter", ""))
        return httpx.Response(
            200,
            json={
                "itemConditionPolicies": [
                    {
                        "categoryId": category,
                        "categoryTreeId": TREE_ID,
                        "itemConditionRequired": True,
                        "itemConditions": [
                            {"conditionId": "1000", "conditionDescription": "New with tags"},
                            {"conditionId": "3000", "conditionDescription": "Pre-owned"},
                        ],
                    }
                    for category in ids
                ]
            },
        )

    def _payment_policies(self, **_: Any) -> httpx.Response:
        rows = [{"paymentPolicyId": "6196947000", "name": "Pay now", "marketplaceId": "EBAY_US"}]
        return httpx.Response(200, json={"total": 1, "paymentPolicies": rows})

    def _return_policies(self, **_: Any) -> httpx.Response:
        rows = [{"returnPolicyId": "6196948000", "name": "30 days", "marketplaceId": "EBAY_US"}]
        return httpx.Response(200, json={"total": 1, "returnPolicies": rows})

    def _fulfillment_policies(self, **_: Any) -> httpx.Response:
        rows = [
            {
                "fulfillmentPolicyId": "6196949000",
                "name": "USPS Priority",
                "marketplaceId": "EBAY_US",
            },
            {
                "fulfillmentPolicyId": "6196949001",
                "name": "Free shipping",
                "marketplaceId": "EBAY_US",
            },
        ]
        return httpx.Response(200, json={"total": 2, "fulfillmentPolicies": rows})

    # Trading
    def _trading(self, request: httpx.Request) -> httpx.Response:
        call = request.headers["X-EBAY-API-CALL-NAME"]
        sent = ET.fromstring(request.content)
        root = _element(f"{call}Response")
        _sub(root, "Timestamp", stamp(self.now()))
        _sub(root, "Ack", "Success")
        _sub(root, "Version", "1349")
        _sub(root, "Build", "E1349_FAKE")
        getattr(self, f"_trading_{call}")(sent, root)
        body = ET.tostring(root, encoding="unicode")
        return httpx.Response(200, content=body.encode(), headers={"Content-Type": "text/xml"})

    def _trading_GetUser(self, sent: ET.Element, root: ET.Element) -> None:
        user = _sub(root, "User")
        _sub(user, "UserID", "closet_of_jane")

    def _trading_GetMyeBaySelling(self, sent: ET.Element, root: ET.Element) -> None:
        active = _sub(root, "ActiveList")
        array = _sub(active, "ItemArray")
        live = [
            o
            for o in self.offers.values()
            if o["status"] == "PUBLISHED" and o["listing"]["listingStatus"] == "ACTIVE"
        ]
        for offer in live:
            item = _sub(array, "Item")
            _sub(item, "ItemID", offer["listing"]["listingId"])
            status = _sub(item, "SellingStatus")
            price = _sub(status, "CurrentPrice", offer["pricingSummary"]["price"]["value"])
            price.set("currencyID", "USD")
            _sub(item, "SKU", offer["sku"])
            _sub(item, "Title", self.items[offer["sku"]]["product"]["title"])
            _sub(item, "WatchCount", str(self.watchers.get(offer["listing"]["listingId"], 0)))
        pages = _sub(active, "PaginationResult")
        _sub(pages, "TotalNumberOfEntries", str(len(live)))
        _sub(pages, "TotalNumberOfPages", "1")

    def _trading_GetBestOffers(self, sent: ET.Element, root: ET.Element) -> None:
        item_id = sent.findtext(f"{{{TRADING_NS}}}ItemID")
        offer_id = sent.findtext(f"{{{TRADING_NS}}}BestOfferID")
        chosen = [
            o
            for o in self.best_offers.values()
            if (item_id is None or o.item_id == item_id)
            and (offer_id is None or o.offer_id == offer_id)
        ]
        groups = _sub(root, "ItemBestOffersArray")
        for item in sorted({o.item_id for o in chosen}):
            group = _sub(groups, "ItemBestOffers")
            _sub(group, "Role", "Seller")
            array = _sub(group, "BestOfferArray")
            for offer in (o for o in chosen if o.item_id == item):
                node = _sub(array, "BestOffer")
                _sub(node, "BestOfferID", offer.offer_id)
                _sub(node, "ExpirationTime", stamp(offer.expires))
                buyer = _sub(node, "Buyer")
                _sub(buyer, "UserID", offer.buyer)
                _sub(node, "Price", offer.amount).set("currencyID", "USD")
                _sub(node, "Status", offer.status)
                _sub(node, "Quantity", "1")
                _sub(node, "BestOfferCodeType", offer.code_type)
            _sub(_sub(group, "Item"), "ItemID", item)
        pages = _sub(root, "PaginationResult")
        _sub(pages, "TotalNumberOfEntries", str(len(chosen)))
        _sub(pages, "TotalNumberOfPages", "1")

    def _trading_RespondToBestOffer(self, sent: ET.Element, root: ET.Element) -> None:
        def text(name: str) -> str:
            return sent.findtext(f"{{{TRADING_NS}}}{name}") or ""

        action, offer_id = text("Action"), text("BestOfferID")
        self.responses.append(
            {
                "action": action,
                "offer_id": offer_id,
                "item_id": text("ItemID"),
                "counter": text("CounterOfferPrice") or None,
            }
        )
        offer = self.best_offers[offer_id]
        offer.status = {"Accept": "Accepted", "Decline": "Declined", "Counter": "Countered"}[action]
        answer = _sub(_sub(root, "RespondToBestOffer"), "BestOffer")
        _sub(answer, "BestOfferID", offer_id)
        _sub(answer, "CallStatus", "Success")


def _is_json(request: httpx.Request) -> bool:
    return request.headers.get("content-type", "").startswith("application/json")


def _element(name: str) -> ET.Element:
    ET.register_namespace("", TRADING_NS)
    return ET.Element(f"{{{TRADING_NS}}}{name}")


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, f"{{{TRADING_NS}}}{name}")
    if text is not None:
        node.text = text
    return node
