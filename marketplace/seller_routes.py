"""The seller's account, followers, messages to buyers and the change feed."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from marketplace.auth import SellerDep, StateDep
from marketplace.config import FeeSchedule
from marketplace.feed import read_events
from marketplace.models import (
    Buyer,
    BuyerMessage,
    Follow,
    Like,
    Listing,
    Message,
    Offer,
    Order,
    Seller,
)
from marketplace.offers import expire_due_offers
from marketplace.problems import ProblemError, not_found
from marketplace.representations import buyer_ref
from marketplace.schemas import (
    BuyerRef,
    EventOut,
    EventPage,
    FeesOut,
    FollowerList,
    LikeOut,
    LikePage,
    MessageCreate,
    MessageList,
    MessageOut,
    SellerOut,
    SellerUpdate,
)

router = APIRouter(prefix="/v1", tags=["seller"])

GREETINGS = {  # what a message sent without a body says; a reply always has one
    "greeting": "Hi {name}, thanks for stopping by my closet! Ask me anything.",
    "thank_you": "Thank you for your order, {name}! It is packed with care.",
    "bundle_suggestion": "Hi {name}, these go well together; bundle them and save on shipping.",
}


def seller_out(session: Session, seller: Seller, fees: FeeSchedule) -> SellerOut:
    followers = session.exec(
        select(func.count()).select_from(Follow).where(Follow.seller_id == seller.id)
    ).one()
    return SellerOut(
        name=seller.name,
        display_name=seller.display_name,
        currency=seller.currency,
        ship_from=seller.ship_from,
        followers_count=followers,
        closet_url=f"/closet/{seller.name}",
        fees=FeesOut(
            rate_basis_points=fees.rate_bp,
            flat_cents=fees.flat_cents,
            flat_below_cents=fees.flat_below_cents,
        ),
    )


@router.get("/me", response_model=SellerOut)
def me(seller: SellerDep, state: StateDep) -> SellerOut:
    with state.db.read() as session:
        row = session.get(Seller, seller.id)
        assert row is not None
        return seller_out(session, row, state.settings.fees)


@router.patch("/me", response_model=SellerOut)
def update_me(body: SellerUpdate, seller: SellerDep, state: StateDep) -> SellerOut:
    with state.db.write() as session:
        row = session.get(Seller, seller.id)
        assert row is not None
        if body.display_name is not None:
            row.display_name = body.display_name
        if body.ship_from is not None:
            row.ship_from = body.ship_from.model_dump()
        session.add(row)
        return seller_out(session, row, state.settings.fees)


@router.get("/followers", response_model=FollowerList)
def followers(seller: SellerDep, state: StateDep) -> FollowerList:
    with state.db.read() as session:
        ids = session.exec(
            select(Follow.buyer_id)
            .where(Follow.seller_id == seller.id)
            .order_by(col(Follow.created_at))
        )
        return FollowerList(followers=[buyer_ref(session, buyer_id) for buyer_id in ids])


@router.get("/likes", response_model=LikePage, tags=["listings"])
def likes(
    seller: SellerDep,
    state: StateDep,
    after: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{1,18}-[0-9]{1,18}$",
            description="The `next_after` of the page before (listing id - buyer id).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> LikePage:
    """Every current like on the seller's listings in one walk, for a client that brings a
    whole closet in (one request per listing would cost thousands)."""
    query = (
        select(Like, Buyer.name)
        .join(Listing, col(Listing.id) == Like.listing_id)
        .join(Buyer, col(Buyer.id) == Like.buyer_id)
        .where(Listing.seller_id == seller.id)
    )
    if after is not None:
        listing_id, buyer_id = (int(part) for part in after.split("-"))
        query = query.where(
            or_(
                col(Like.listing_id) > listing_id,
                and_(col(Like.listing_id) == listing_id, col(Like.buyer_id) > buyer_id),
            )
        )
    query = query.order_by(col(Like.listing_id), col(Like.buyer_id)).limit(limit + 1)
    with state.db.read() as session:
        rows = list(session.exec(query))
    page = [
        LikeOut(
            listing_id=like.listing_id,
            buyer=BuyerRef(id=like.buyer_id, name=name),
            created_at=like.created_at,
        )
        for like, name in rows[:limit]
    ]
    last = page[-1] if len(rows) > limit else None
    return LikePage(likes=page, next_after=f"{last.listing_id}-{last.buyer.id}" if last else None)


@router.get("/events", response_model=EventPage)
def events(
    seller: SellerDep,
    state: StateDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="The last cursor you applied.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventPage:
    expire_due_offers(state.db, seller.id)
    with state.db.read() as session:
        rows = read_events(session, seller.id, after, limit + 1)
    page = [
        EventOut(cursor=row.seq, type=row.type, created_at=row.created_at, data=row.data)
        for row in rows[:limit]
    ]
    return EventPage(
        events=page,
        next_cursor=page[-1].cursor if page else after,
        has_more=len(rows) > limit,
    )


def _knows_seller(session: Session, seller_id: int, buyer_id: int) -> bool:
    """A seller may message buyers who liked, followed, bought, made an offer or wrote to
    them, never strangers."""
    if session.get(Follow, (buyer_id, seller_id)) is not None:
        return True
    liked = (
        select(Like.buyer_id)
        .join(Listing, col(Listing.id) == Like.listing_id)
        .where(Like.buyer_id == buyer_id, Listing.seller_id == seller_id)
    )
    dealt_with = [
        select(row.buyer_id).where(row.buyer_id == buyer_id, row.seller_id == seller_id)
        for row in (Order, Offer, BuyerMessage)
    ]
    return any(session.exec(query).first() is not None for query in (liked, *dealt_with))


def message_out(session: Session, message: Message) -> MessageOut:
    return MessageOut.model_validate(
        {**message.model_dump(), "buyer": buyer_ref(session, message.buyer_id)}
    )


@router.post("/messages", response_model=MessageOut, status_code=201, tags=["messages"])
def send_message(body: MessageCreate, seller: SellerDep, state: StateDep) -> MessageOut:
    with state.db.write() as session:
        buyer = session.get(Buyer, body.buyer_id)
        if buyer is None or not _knows_seller(session, seller.id, body.buyer_id):
            raise not_found("buyer")
        if body.kind == "reply" and body.body is None:
            raise ProblemError(422, "body_required", "A reply needs its text.")
        if body.kind == "bundle_suggestion":
            if not body.listing_ids:
                raise ProblemError(422, "listings_required", "Name the listings to bundle.")
            active = set(
                session.exec(
                    select(Listing.id).where(
                        Listing.seller_id == seller.id,
                        Listing.status == "active",
                        col(Listing.id).in_(body.listing_ids),
                    )
                )
            )
            if active != set(body.listing_ids):
                raise not_found("listing")
        text = body.body or GREETINGS[body.kind].format(name=buyer.name)
        message = Message(
            seller_id=seller.id,
            buyer_id=body.buyer_id,
            kind=body.kind,
            body=text,
            listing_ids=body.listing_ids,
        )
        session.add(message)
        session.flush()
        return message_out(session, message)


@router.get("/messages", response_model=MessageList, tags=["messages"])
def list_messages(
    seller: SellerDep, state: StateDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> MessageList:
    with state.db.read() as session:
        rows = session.exec(
            select(Message)
            .where(Message.seller_id == seller.id)
            .order_by(col(Message.id).desc())
            .limit(limit)
        )
        return MessageList(messages=[message_out(session, row) for row in rows])
