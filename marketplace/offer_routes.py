"""The seller's side of offers: read, accept, decline, counter, and offers to likers."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session, col, select

from marketplace.auth import SellerContext, SellerDep, StateDep
from marketplace.ids import IdPath
from marketplace.listings import owned_listing
from marketplace.models import Buyer, Like, Offer, Seller, utcnow
from marketplace.offers import expire_due_offers, record_offer
from marketplace.orders import create_order, ensure_available
from marketplace.problems import ProblemError, not_found
from marketplace.representations import offer_out
from marketplace.schemas import (
    CounterOffer,
    OfferList,
    OfferOut,
    OfferToLikers,
    OfferToLikersResult,
)

router = APIRouter(tags=["offers"])


def _owned_offer(session: Session, seller_id: int, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or offer.seller_id != seller_id:
        raise not_found("offer")
    return offer


def _open_buyer_offer(session: Session, seller_id: int, offer_id: int) -> Offer:
    offer = _owned_offer(session, seller_id, offer_id)
    if offer.kind != "buyer" or offer.status != "pending":
        raise ProblemError(
            409,
            "offer_not_open",
            f"Only a pending buyer offer can be answered; it is {offer.status}.",
        )
    return offer


@router.get("/v1/offers", response_model=OfferList)
def list_offers(
    seller: SellerDep,
    state: StateDep,
    status: Annotated[
        str | None, Query(pattern="^(pending|accepted|declined|countered|expired)$")
    ] = None,
    listing_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    before_id: Annotated[
        int | None, Query(ge=1, le=2**62, description="Only offers older than this id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OfferList:
    """Newest first; while `next_before_id` is not null, more are older than this page."""
    expire_due_offers(state.db, seller.id)
    query = select(Offer).where(Offer.seller_id == seller.id)
    if status is not None:
        query = query.where(Offer.status == status)
    if listing_id is not None:
        query = query.where(Offer.listing_id == listing_id)
    if before_id is not None:
        query = query.where(col(Offer.id) < before_id)
    with state.db.read() as session:
        rows = list(session.exec(query.order_by(col(Offer.id).desc()).limit(limit + 1)))
        page = [offer_out(session, row, seller.currency) for row in rows[:limit]]
    return OfferList(offers=page, next_before_id=page[-1].id if len(rows) > limit else None)


@router.get("/v1/offers/{offer_id}", response_model=OfferOut)
def get_offer(offer_id: IdPath, seller: SellerDep, state: StateDep) -> OfferOut:
    expire_due_offers(state.db, seller.id)
    with state.db.read() as session:
        return offer_out(session, _owned_offer(session, seller.id, offer_id), seller.currency)


def _answer(state: StateDep, seller: SellerContext, offer_id: int, status: str) -> OfferOut:
    expire_due_offers(state.db, seller.id)
    with state.db.write() as session:
        offer = _open_buyer_offer(session, seller.id, offer_id)
        offer.status = status
        offer.updated_at = utcnow()
        session.add(offer)
        if status == "accepted":
            listing = owned_listing(session, seller.id, offer.listing_id)
            ensure_available(listing)
            record_offer(session, offer, "offer.accepted")
            seller_row = session.get(Seller, seller.id)
            buyer = session.get(Buyer, offer.buyer_id)
            assert seller_row is not None and buyer is not None
            create_order(
                session, seller_row, buyer, [listing], fees=state.settings.fees, offer=offer
            )
        else:
            offer.reason = "seller_declined"
            record_offer(session, offer, "offer.declined")
        return offer_out(session, offer, seller.currency)


@router.post("/v1/offers/{offer_id}/accept", response_model=OfferOut)
def accept_offer(offer_id: IdPath, seller: SellerDep, state: StateDep) -> OfferOut:
    return _answer(state, seller, offer_id, "accepted")


@router.post("/v1/offers/{offer_id}/decline", response_model=OfferOut)
def decline_offer(offer_id: IdPath, seller: SellerDep, state: StateDep) -> OfferOut:
    return _answer(state, seller, offer_id, "declined")


@router.post("/v1/offers/{offer_id}/counter", response_model=OfferOut, status_code=201)
def counter_offer(
    offer_id: IdPath, body: CounterOffer, seller: SellerDep, state: StateDep
) -> OfferOut:
    """Answer with another price; returns the new counter offer sent to the buyer."""
    expire_due_offers(state.db, seller.id)
    with state.db.write() as session:
        offer = _open_buyer_offer(session, seller.id, offer_id)
        ensure_available(owned_listing(session, seller.id, offer.listing_id))
        offer.status = "countered"
        offer.updated_at = utcnow()
        session.add(offer)
        counter = Offer(
            seller_id=seller.id,
            listing_id=offer.listing_id,
            buyer_id=offer.buyer_id,
            kind="counter",
            amount_cents=body.amount_cents,
            parent_id=offer.id,
            expires_at=utcnow() + timedelta(seconds=state.settings.offer_ttl_s),
        )
        session.add(counter)
        session.flush()
        counter_json = offer_out(session, counter, seller.currency).model_dump(mode="json")
        record_offer(session, offer, "offer.countered", counter=counter_json)
        return offer_out(session, counter, seller.currency)


@router.post(
    "/v1/listings/{listing_id}/offer-to-likers",
    response_model=OfferToLikersResult,
    status_code=201,
    tags=["listings"],
)
def offer_to_likers(
    listing_id: IdPath, body: OfferToLikers, seller: SellerDep, state: StateDep
) -> OfferToLikersResult:
    with state.db.write() as session:
        listing = owned_listing(session, seller.id, listing_id)
        ensure_available(listing)
        if body.amount_cents >= listing.price_cents:
            raise ProblemError(
                422, "offer_not_lower", "An offer to likers must be below the listing price."
            )
        likers = session.exec(
            select(Like.buyer_id).where(Like.listing_id == listing_id).order_by(col(Like.buyer_id))
        )
        expires = utcnow() + timedelta(hours=body.expires_in_hours)
        offers = [
            Offer(
                seller_id=seller.id,
                listing_id=listing_id,
                buyer_id=buyer_id,
                kind="to_likers",
                amount_cents=body.amount_cents,
                shipping_discount_cents=min(body.shipping_discount_cents, listing.shipping_cents),
                expires_at=expires,
            )
            for buyer_id in likers
        ]
        session.add_all(offers)
        session.flush()
        return OfferToLikersResult(
            listing_id=listing_id,
            likers_reached=len(offers),
            offers=[offer_out(session, offer, seller.currency) for offer in offers],
        )
