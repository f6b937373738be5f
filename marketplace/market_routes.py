"""The buyers' side of the marketplace: browse, like, follow, offer, accept, buy, write to a
seller and read what sellers wrote.

Buyers sign up with one call and get a buyer token; a buyer token can never reach the
seller endpoints and a seller token can never act as a buyer.
"""

from datetime import timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from marketplace.auth import BuyerDep, StateDep
from marketplace.credentials import issue_token
from marketplace.feed import record_event
from marketplace.ids import IdPath
from marketplace.market_schemas import (
    BuyerCreate,
    BuyerCreated,
    BuyerMessageCreate,
    BuyerOfferCreate,
    FollowState,
    LikeState,
    MessageFromSeller,
    MessageFromSellerList,
    NotificationList,
    NotificationOut,
    PublicListing,
    PublicListingPage,
    PurchaseCreate,
)
from marketplace.models import (
    Buyer,
    BuyerMessage,
    Follow,
    Like,
    Listing,
    Message,
    Notification,
    Offer,
    Seller,
    utcnow,
)
from marketplace.offers import expire_due_offers, record_offer
from marketplace.orders import create_order, ensure_available
from marketplace.problems import ProblemError, not_found, rate_limited
from marketplace.representations import buyer_ref, listing_out, offer_out, order_out
from marketplace.schemas import BuyerMessageOut, OfferList, OfferOut, OrderOut
from marketplace.state import client_address

Row = TypeVar("Row")
router = APIRouter(prefix="/v1/market", tags=["market (buyers)"])
ListingLimit = Annotated[int, Query(ge=1, le=500)]


def _seller_named(session: Session, name: str) -> Seller:
    seller = session.exec(select(Seller).where(Seller.name == name)).first()
    if seller is None:
        raise not_found("seller")
    return seller


def _listing(session: Session, listing_id: int) -> Listing:
    listing = session.get(Listing, listing_id)
    if listing is None or listing.status == "delisted":
        raise not_found("listing")
    return listing


def _buyer(session: Session, buyer_id: int) -> Buyer:
    buyer = session.get(Buyer, buyer_id)
    assert buyer is not None
    return buyer


def _seller_of(session: Session, listing: Listing) -> Seller:
    seller = session.get(Seller, listing.seller_id)
    assert seller is not None
    return seller


def _newest(session: Session, query: SelectOfScalar[Row], id_column: Any, limit: int) -> list[Row]:
    return list(session.exec(query.order_by(id_column.desc()).limit(limit)))


@router.post("/buyers", response_model=BuyerCreated, status_code=201)
def create_buyer(body: BuyerCreate, state: StateDep, request: Request) -> BuyerCreated:
    # Sign-up needs no credentials, so the only thing to hold a flood to is its address.
    wait = state.signup_limiter.acquire(client_address(request))
    if wait is not None:
        raise rate_limited(wait, "Too many sign-ups from this address; retry after Retry-After.")
    with state.db.write() as session:
        buyer = Buyer(name=body.name, address=body.address.model_dump())
        session.add(buyer)
        session.flush()
        assert buyer.id is not None
        token = issue_token(session, "buyer", buyer_id=buyer.id)
        return BuyerCreated(id=buyer.id, name=buyer.name, token=token)


@router.get("/sellers/{seller_name}/listings", response_model=PublicListingPage)
def browse(
    seller_name: str,
    state: StateDep,
    after_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: ListingLimit = 100,
) -> PublicListingPage:
    with state.db.read() as session:
        seller = _seller_named(session, seller_name)
        rows = list(
            session.exec(
                select(Listing)
                .where(
                    Listing.seller_id == seller.id,
                    Listing.status != "delisted",
                    col(Listing.id) > after_id,
                )
                .order_by(col(Listing.id))
                .limit(limit + 1)
            )
        )
        page = [
            PublicListing.model_validate(listing_out(session, row).model_dump())
            for row in rows[:limit]
        ]
    return PublicListingPage(
        seller=seller.name,
        listings=page,
        next_after_id=page[-1].id if len(rows) > limit else None,
    )


@router.put("/sellers/{seller_name}/follow", response_model=FollowState)
def follow(seller_name: str, buyer_id: BuyerDep, state: StateDep) -> FollowState:
    with state.db.write() as session:
        seller = _seller_named(session, seller_name)
        assert seller.id is not None
        if session.get(Follow, (buyer_id, seller.id)) is None:
            session.add(Follow(buyer_id=buyer_id, seller_id=seller.id))
            session.flush()
            record_event(
                session,
                seller.id,
                "follower.added",
                {"buyer": buyer_ref(session, buyer_id).model_dump()},
            )
        return FollowState(seller=seller.name, following=True)


def _set_like(state: StateDep, buyer_id: int, listing_id: int, liked: bool) -> LikeState:
    with state.db.write() as session:
        listing = _listing(session, listing_id)
        existing = session.get(Like, (buyer_id, listing_id))
        if liked and existing is None:
            ensure_available(listing)
            session.add(Like(buyer_id=buyer_id, listing_id=listing_id))
            listing.likes_count += 1
        elif not liked and existing is not None:
            session.delete(existing)
            listing.likes_count -= 1
        else:
            return LikeState(listing_id=listing_id, liked=liked, likes_count=listing.likes_count)
        session.add(listing)
        session.flush()
        record_event(
            session,
            listing.seller_id,
            "like.added" if liked else "like.removed",
            {
                "listing_id": listing_id,
                "buyer": buyer_ref(session, buyer_id).model_dump(),
                "likes_count": listing.likes_count,
            },
        )
        return LikeState(listing_id=listing_id, liked=liked, likes_count=listing.likes_count)


@router.put("/listings/{listing_id}/like", response_model=LikeState)
def like(listing_id: IdPath, buyer_id: BuyerDep, state: StateDep) -> LikeState:
    return _set_like(state, buyer_id, listing_id, True)


@router.delete("/listings/{listing_id}/like", response_model=LikeState)
def unlike(listing_id: IdPath, buyer_id: BuyerDep, state: StateDep) -> LikeState:
    return _set_like(state, buyer_id, listing_id, False)


@router.post("/listings/{listing_id}/offers", response_model=OfferOut, status_code=201)
def make_offer(
    listing_id: IdPath, body: BuyerOfferCreate, buyer_id: BuyerDep, state: StateDep
) -> OfferOut:
    """Offers below the seller's floor price are declined at once (reason `below_floor`)."""
    with state.db.write() as session:
        listing = _listing(session, listing_id)
        ensure_available(listing)
        if body.amount_cents >= listing.price_cents:
            raise ProblemError(422, "offer_not_lower", "Offer less than the price, or just buy.")
        offer = Offer(
            seller_id=listing.seller_id,
            listing_id=listing_id,
            buyer_id=buyer_id,
            kind="buyer",
            amount_cents=body.amount_cents,
            expires_at=utcnow() + timedelta(seconds=state.settings.offer_ttl_s),
        )
        session.add(offer)
        record_offer(session, offer, "offer.received")
        if listing.floor_price_cents is not None and body.amount_cents < listing.floor_price_cents:
            offer.status = "declined"
            offer.reason = "below_floor"
            session.add(offer)
            record_offer(session, offer, "offer.declined")
        return offer_out(session, offer, listing.currency)


@router.get("/offers", response_model=OfferList)
def my_offers(buyer_id: BuyerDep, state: StateDep, limit: ListingLimit = 100) -> OfferList:
    with state.db.read() as session:
        rows = _newest(session, select(Offer).where(Offer.buyer_id == buyer_id), Offer.id, limit)
        return OfferList(
            offers=[offer_out(session, row, _listing_any(session, row).currency) for row in rows]
        )


def _listing_any(session: Session, offer: Offer) -> Listing:
    listing = session.get(Listing, offer.listing_id)
    assert listing is not None
    return listing


@router.post("/offers/{offer_id}/accept", response_model=OrderOut, status_code=201)
def accept_seller_offer(offer_id: IdPath, buyer_id: BuyerDep, state: StateDep) -> OrderOut:
    """Accept a seller's counter offer or offer to likers; the order is created at once."""
    with state.db.read() as session:
        found = session.get(Offer, offer_id)
    if found is None or found.buyer_id != buyer_id:
        raise not_found("offer")
    expire_due_offers(state.db, found.seller_id)
    with state.db.write() as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        if offer.kind == "buyer" or offer.status != "pending":
            raise ProblemError(
                409,
                "offer_not_open",
                f"Only a pending seller offer can be accepted; it is {offer.status}.",
            )
        listing = _listing_any(session, offer)
        ensure_available(listing)
        offer.status = "accepted"
        offer.updated_at = utcnow()
        session.add(offer)
        record_offer(session, offer, "offer.accepted")
        order = create_order(
            session,
            _seller_of(session, listing),
            _buyer(session, buyer_id),
            [listing],
            fees=state.settings.fees,
            offer=offer,
        )
        return order_out(session, order)


@router.post("/orders", response_model=OrderOut, status_code=201)
def buy(body: PurchaseCreate, buyer_id: BuyerDep, state: StateDep) -> OrderOut:
    """Buy one listing, or several of one seller's listings as a bundle (one parcel)."""
    if len(set(body.listing_ids)) != len(body.listing_ids):
        raise ProblemError(422, "duplicate_listing", "A listing appears twice.")
    with state.db.write() as session:
        listings = [_listing(session, listing_id) for listing_id in body.listing_ids]
        if len({listing.seller_id for listing in listings}) > 1:
            raise ProblemError(422, "mixed_sellers", "A bundle comes from one seller.")
        order = create_order(
            session,
            _seller_of(session, listings[0]),
            _buyer(session, buyer_id),
            listings,
            fees=state.settings.fees,
        )
        return order_out(session, order)


@router.get("/notifications", response_model=NotificationList)
def notifications(
    buyer_id: BuyerDep, state: StateDep, limit: ListingLimit = 100
) -> NotificationList:
    with state.db.read() as session:
        query = select(Notification).where(Notification.buyer_id == buyer_id)
        rows = _newest(session, query, Notification.id, limit)
        return NotificationList(
            notifications=[NotificationOut.model_validate(row.model_dump()) for row in rows]
        )


@router.post("/sellers/{seller_name}/messages", response_model=BuyerMessageOut, status_code=201)
def write_to_seller(
    seller_name: str, body: BuyerMessageCreate, buyer_id: BuyerDep, state: StateDep
) -> BuyerMessageOut:
    """A question to a seller, about one of their listings or not; it reaches the seller as
    `message.received` in their feed, and the seller may then message this buyer."""
    with state.db.write() as session:
        seller = _seller_named(session, seller_name)
        assert seller.id is not None
        about = body.listing_id
        if about is not None and _listing(session, about).seller_id != seller.id:
            raise not_found("listing")
        message = BuyerMessage(
            seller_id=seller.id, buyer_id=buyer_id, listing_id=about, body=body.body
        )
        session.add(message)
        session.flush()
        out = BuyerMessageOut.model_validate(
            {**message.model_dump(), "buyer": buyer_ref(session, buyer_id)}
        )
        record_event(
            session, seller.id, "message.received", {"message": out.model_dump(mode="json")}
        )
        return out


@router.get("/messages", response_model=MessageFromSellerList)
def messages_from_sellers(
    buyer_id: BuyerDep, state: StateDep, limit: ListingLimit = 100
) -> MessageFromSellerList:
    """What sellers sent this buyer (greetings, thanks, suggestions, replies), newest first."""
    with state.db.read() as session:
        rows = session.exec(
            select(Message, Seller.name)
            .join(Seller, col(Seller.id) == Message.seller_id)
            .where(Message.buyer_id == buyer_id)
            .order_by(col(Message.id).desc())
            .limit(limit)
        )
        return MessageFromSellerList(
            messages=[
                MessageFromSeller.model_validate({**message.model_dump(), "seller": seller})
                for message, seller in rows
            ]
        )
