"""Offer rules: expiry, and closing the open offers of a listing that is gone."""

from sqlmodel import Session, col, select

from marketplace.db import Database
from marketplace.feed import record_event
from marketplace.models import Listing, Offer, Seller, utcnow
from marketplace.representations import offer_out


def record_offer(session: Session, offer: Offer, event_type: str, **extra: object) -> None:
    session.flush()
    seller = session.get(Seller, offer.seller_id)
    assert seller is not None
    data = {"offer": offer_out(session, offer, seller.currency).model_dump(mode="json"), **extra}
    record_event(session, offer.seller_id, event_type, data)


def close_pending_offers(session: Session, listing: Listing, reason: str) -> None:
    pending = session.exec(
        select(Offer)
        .where(Offer.listing_id == listing.id, Offer.status == "pending")
        .order_by(col(Offer.id))
    )
    for offer in pending:
        offer.status = "declined"
        offer.reason = reason
        offer.updated_at = utcnow()
        session.add(offer)
        record_offer(session, offer, "offer.declined")


def _due_offers(session: Session, seller_id: int) -> list[Offer]:
    return list(
        session.exec(
            select(Offer)
            .where(
                Offer.seller_id == seller_id,
                Offer.status == "pending",
                col(Offer.expires_at) <= utcnow(),
            )
            .order_by(col(Offer.id))
        )
    )


def expire_due_offers(db: Database, seller_id: int) -> None:
    """Offers expire lazily, when the seller's data is next read or touched.

    The cheap read comes first so that a feed poll only takes the write lock when there is
    something to expire.
    """
    with db.read() as session:
        if not _due_offers(session, seller_id):
            return
    with db.write() as session:
        for offer in _due_offers(session, seller_id):
            offer.status = "expired"
            offer.updated_at = utcnow()
            session.add(offer)
            record_offer(session, offer, "offer.expired")
