"""Turning a purchase (a buy, or an accepted offer) into an order."""

import secrets

from sqlmodel import Session

from marketplace.config import FeeSchedule
from marketplace.feed import record_event
from marketplace.listings import bump, record_listing
from marketplace.models import Buyer, Listing, Offer, Order, OrderLine, Seller
from marketplace.offers import close_pending_offers
from marketplace.problems import ProblemError
from marketplace.representations import order_out


def tracking_number() -> str:
    return "9400" + "".join(str(secrets.randbelow(10)) for _ in range(18))


def ensure_available(listing: Listing) -> None:
    if listing.status != "active":
        raise ProblemError(
            409, "listing_not_available", f"The listing is {listing.status}, not for sale."
        )


def create_order(
    session: Session,
    seller: Seller,
    buyer: Buyer,
    listings: list[Listing],
    *,
    fees: FeeSchedule,
    offer: Offer | None = None,
    show_price_cents: int | None = None,
) -> Order:
    """Sell `listings` to `buyer` at their prices, or at the offer's price (or a live show's
    price) for one listing; the marketplace keeps its fee by `fees` (the server's setting)."""
    for listing in listings:
        ensure_available(listing)
    one_price = offer.amount_cents if offer else show_price_cents
    subtotal = one_price if one_price is not None else sum(item.price_cents for item in listings)
    shipping = max(item.shipping_cents for item in listings)
    discount = min(offer.shipping_discount_cents if offer else 0, shipping)
    fee = fees.fee_cents(subtotal)
    assert seller.id is not None and buyer.id is not None
    order = Order(
        seller_id=seller.id,
        buyer_id=buyer.id,
        offer_id=offer.id if offer else None,
        buyer_name=buyer.name,
        ship_to=buyer.address,
        ship_from=seller.ship_from or {"name": seller.display_name},
        currency=seller.currency,
        subtotal_cents=subtotal,
        shipping_cents=shipping,
        shipping_discount_cents=discount,
        marketplace_fee_cents=fee,
        total_cents=subtotal + shipping - discount,
        seller_earnings_cents=subtotal - fee,
        tracking_number=tracking_number(),
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    for listing in listings:
        assert listing.id is not None
        price = one_price if one_price is not None else listing.price_cents
        session.add(
            OrderLine(
                order_id=order.id,
                listing_id=listing.id,
                title=listing.title,
                sku=listing.sku,
                price_cents=price,
            )
        )
        listing.status = "sold"
        listing.sold_via = "marketplace"
        bump(listing)
        session.add(listing)
    session.flush()
    record_order(session, order, "order.created")
    for listing in listings:
        record_listing(session, listing, "listing.sold", order_id=order.id)
        close_pending_offers(session, listing, "listing_sold")
    return order


def record_order(session: Session, order: Order, event_type: str) -> None:
    session.flush()
    data = {"order": order_out(session, order).model_dump(mode="json")}
    record_event(session, order.seller_id, event_type, data)
