"""Rows turned into the API's response bodies (also the payloads of feed events)."""

from sqlmodel import Session, col, select

from marketplace.models import Buyer, Listing, ListingPhoto, Offer, Order, OrderLine
from marketplace.schemas import BuyerRef, ListingOut, OfferOut, OrderLineOut, OrderOut, PhotoOut


def photo_url(sha256: str) -> str:
    return f"/v1/photos/{sha256}"


def listing_photos(session: Session, listing_id: int) -> list[str]:
    rows = session.exec(
        select(ListingPhoto.sha256)
        .where(ListingPhoto.listing_id == listing_id)
        .order_by(col(ListingPhoto.position))
    )
    return list(rows)


def listing_out(session: Session, listing: Listing) -> ListingOut:
    assert listing.id is not None
    photos = [
        PhotoOut(sha256=sha, url=photo_url(sha)) for sha in listing_photos(session, listing.id)
    ]
    return ListingOut.model_validate(
        {**listing.model_dump(exclude={"seller_id"}), "photos": photos}
    )


def buyer_ref(session: Session, buyer_id: int) -> BuyerRef:
    buyer = session.get(Buyer, buyer_id)
    assert buyer is not None and buyer.id is not None
    return BuyerRef(id=buyer.id, name=buyer.name)


def offer_out(session: Session, offer: Offer, currency: str) -> OfferOut:
    return OfferOut.model_validate(
        {
            **offer.model_dump(exclude={"seller_id", "buyer_id"}),
            "buyer": buyer_ref(session, offer.buyer_id),
            "currency": currency,
        }
    )


def order_out(session: Session, order: Order) -> OrderOut:
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))
    )
    return OrderOut.model_validate(
        {
            **order.model_dump(exclude={"seller_id", "buyer_id", "ship_from"}),
            "buyer": buyer_ref(session, order.buyer_id),
            "lines": [OrderLineOut.model_validate(line.model_dump()) for line in lines],
            "label_url": f"/v1/orders/{order.id}/label.pdf",
        }
    )
