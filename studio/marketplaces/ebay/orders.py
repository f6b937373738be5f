"""eBay's orders (Fulfillment API) as the port's RemoteOrder.

Order lines name the listing by its SKU, the listing id here (listing_json.remote_listing);
an order line without a SKU (a listing made on eBay's site) names eBay's item number.
"""

from datetime import datetime
from typing import Any

from studio.marketplaces.ebay.listing_json import cents_of
from studio.sync.port import Buyer, OrderState, RemoteOrder, RemoteOrderLine, ShipTo


def when(text: Any) -> datetime:
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _cents(amount: Any) -> int:
    return cents_of(amount) or 0


def state_of(order: dict[str, Any]) -> OrderState:
    if (order.get("cancelStatus") or {}).get("cancelState") == "CANCELED":
        return OrderState.CANCELLED
    if order.get("orderPaymentStatus") == "FULLY_REFUNDED":
        return OrderState.CANCELLED
    if order.get("orderFulfillmentStatus") == "FULFILLED":
        return OrderState.SHIPPED
    return OrderState.PAID


def ship_to(order: dict[str, Any]) -> ShipTo:
    steps = order.get("fulfillmentStartInstructions") or [{}]
    contact = ((steps[0] or {}).get("shippingStep") or {}).get("shipTo") or {}
    address = contact.get("contactAddress") or {}
    return ShipTo(
        name=str(contact.get("fullName") or ""),
        line1=str(address.get("addressLine1") or ""),
        line2=str(address.get("addressLine2") or ""),
        city=str(address.get("city") or ""),
        region=str(address.get("stateOrProvince") or ""),
        postal_code=str(address.get("postalCode") or ""),
        country=str(address.get("countryCode") or ""),
    )


def remote_order(order: dict[str, Any], fulfillments: list[dict[str, Any]]) -> RemoteOrder:
    """`fulfillments` are the order's shipping fulfillments (getShippingFulfillments): the
    tracking number and ship date of a shipped order live there."""
    summary = order.get("pricingSummary") or {}
    lines = tuple(
        RemoteOrderLine(
            listing_id=str(line.get("sku") or line.get("legacyItemId") or ""),
            title=str(line.get("title") or ""),
            sku=str(line.get("sku") or ""),
            price_cents=_cents(line.get("lineItemCost")),
        )
        for line in order.get("lineItems") or []
    )
    shipped = fulfillments[0] if fulfillments else {}
    username = str((order.get("buyer") or {}).get("username") or "")
    return RemoteOrder(
        id=str(order["orderId"]),
        status=state_of(order),
        buyer=Buyer(id=username, name=ship_to(order).name or username),
        ship_to=ship_to(order),
        lines=lines,
        subtotal_cents=_cents(summary.get("priceSubtotal")),
        shipping_cents=_cents(summary.get("deliveryCost")),
        fee_cents=_cents(order.get("totalMarketplaceFee")),
        tracking_number=str(shipped.get("shipmentTrackingNumber") or ""),
        created_at=when(order["creationDate"]),
        shipped_at=when(shipped["shippedDate"]) if shipped.get("shippedDate") else None,
    )


def line_items(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's lines as a shipping fulfillment names them."""
    return [
        {"lineItemId": str(line["lineItemId"]), "quantity": int(line.get("quantity") or 1)}
        for line in order.get("lineItems") or []
        if line.get("lineItemId")
    ]


def carrier_for(tracking_number: str) -> str:
    """eBay needs the carrier with a tracking number; the studio's labels say only the number,
    so the carrier is told from its shape (eBay's ShippingCarrier codes)."""
    number = tracking_number.upper()
    if number.startswith("1Z"):
        return "UPS"
    if number.isdigit() and len(number) in (20, 22, 26, 30, 34) and number[0] == "9":
        return "USPS"
    if number.isdigit() and len(number) in (12, 15):
        return "FedEx"
    if len(number) == 13 and number[:2].isalpha() and number[-2:] == "US":
        return "USPS"
    return "Other"


def clean_tracking(tracking_number: str) -> str:
    """eBay takes letters and digits only: no spaces or dashes."""
    return "".join(ch for ch in tracking_number if ch.isalnum())
