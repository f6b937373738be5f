"""Live shows: the seller schedules a line-up of listings, starts the show, and buyers buy
its listings on air at their show prices; then the seller ends it.

Each purchase is an order like any other (`order.created`, `listing.sold`) and also a
`show.sale` in the seller's feed, so the seller's show screen can say who bought what.
"""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from marketplace.auth import BuyerDep, SellerDep, StateDep
from marketplace.feed import record_event
from marketplace.ids import IdField, IdPath
from marketplace.models import Buyer, Listing, LiveShow, Seller, ShowSlot, utcnow
from marketplace.orders import create_order
from marketplace.problems import ProblemError, not_found
from marketplace.representations import buyer_ref, order_out
from marketplace.schemas import OrderOut, PositiveCents, ShortText, StrictModel

router = APIRouter(tags=["shows"])
MAX_LINEUP = 200


class SlotIn(StrictModel):
    listing_id: IdField
    price_cents: PositiveCents | None = None


class ShowCreate(StrictModel):
    title: ShortText
    # RFC 3339 text in JSON: not strict, so the string is read as a time.
    starts_at: Annotated[datetime, Field(strict=False)]
    lineup: Annotated[list[SlotIn], Field(min_length=1, max_length=MAX_LINEUP)]


class SlotPrice(StrictModel):
    price_cents: PositiveCents


class ShowPurchase(StrictModel):
    listing_id: IdField


class SlotOut(BaseModel):
    listing_id: int
    position: int
    title: str
    price_cents: int  # the price on air
    status: Literal["active", "delisted", "sold"]


class ShowOut(BaseModel):
    id: int
    title: str
    starts_at: datetime
    status: Literal["scheduled", "live", "ended"]
    lineup: list[SlotOut]
    started_at: datetime | None
    ended_at: datetime | None
    created_at: datetime


class ShowList(BaseModel):
    shows: list[ShowOut]


def show_out(session: Session, show: LiveShow) -> ShowOut:
    rows = session.exec(
        select(ShowSlot, Listing)
        .join(Listing, col(Listing.id) == ShowSlot.listing_id)
        .where(ShowSlot.show_id == show.id)
        .order_by(col(ShowSlot.position))
    ).all()
    return ShowOut.model_validate(
        {
            **show.model_dump(),
            "lineup": [
                {
                    "listing_id": slot.listing_id,
                    "position": slot.position,
                    "title": listing.title,
                    "price_cents": slot.price_cents or listing.price_cents,
                    "status": listing.status,
                }
                for slot, listing in rows
            ],
        }
    )


def _owned_show(session: Session, seller_id: int, show_id: int) -> LiveShow:
    show = session.get(LiveShow, show_id)
    if show is None or show.seller_id != seller_id:
        raise not_found("show")
    return show


@router.post("/v1/shows", response_model=ShowOut, status_code=201)
def schedule_show(body: ShowCreate, seller: SellerDep, state: StateDep) -> ShowOut:
    """A line-up of the seller's listings for sale, in the order they go on air."""
    ids = [slot.listing_id for slot in body.lineup]
    if len(set(ids)) != len(ids):
        raise ProblemError(422, "duplicate_listing", "A listing appears twice in the line-up.")
    with state.db.write() as session:
        for listing_id in ids:
            listing = session.get(Listing, listing_id)
            if listing is None or listing.seller_id != seller.id:
                raise not_found("listing")
            if listing.status != "active":
                raise ProblemError(
                    409, "listing_not_available", f"Listing {listing_id} is {listing.status}."
                )
        show = LiveShow(seller_id=seller.id, title=body.title, starts_at=body.starts_at)
        session.add(show)
        session.flush()
        assert show.id is not None
        for position, slot in enumerate(body.lineup, start=1):
            session.add(
                ShowSlot(
                    show_id=show.id,
                    listing_id=slot.listing_id,
                    position=position,
                    price_cents=slot.price_cents,
                )
            )
        session.flush()
        return show_out(session, show)


@router.get("/v1/shows", response_model=ShowList)
def list_shows(seller: SellerDep, state: StateDep) -> ShowList:
    with state.db.read() as session:
        rows = session.exec(
            select(LiveShow).where(LiveShow.seller_id == seller.id).order_by(col(LiveShow.id))
        )
        return ShowList(shows=[show_out(session, show) for show in rows])


@router.get("/v1/shows/{show_id}", response_model=ShowOut)
def get_show(show_id: IdPath, seller: SellerDep, state: StateDep) -> ShowOut:
    with state.db.read() as session:
        return show_out(session, _owned_show(session, seller.id, show_id))


def _move(state: StateDep, seller_id: int, show_id: int, target: str) -> ShowOut:
    """scheduled -> live -> ended; repeating a move is a no-op, going back is a 409."""
    order = ("scheduled", "live", "ended")
    with state.db.write() as session:
        show = _owned_show(session, seller_id, show_id)
        if order.index(show.status) > order.index(target):
            raise ProblemError(409, "show_ended", "The show has ended; schedule a new one.")
        if show.status != target:
            now = utcnow()
            if target == "live":
                show.started_at = now
            else:
                show.started_at = show.started_at or now
                show.ended_at = now
            show.status = target
            session.add(show)
            session.flush()
            record_event(
                session, seller_id, f"show.{'started' if target == 'live' else 'ended'}",
                {"show": show_out(session, show).model_dump(mode="json")},
            )  # fmt: skip
        return show_out(session, show)


@router.post("/v1/shows/{show_id}/start", response_model=ShowOut)
def start_show(show_id: IdPath, seller: SellerDep, state: StateDep) -> ShowOut:
    return _move(state, seller.id, show_id, "live")


@router.post("/v1/shows/{show_id}/end", response_model=ShowOut)
def end_show(show_id: IdPath, seller: SellerDep, state: StateDep) -> ShowOut:
    return _move(state, seller.id, show_id, "ended")


@router.put("/v1/shows/{show_id}/lineup/{listing_id}", response_model=ShowOut)
def price_on_air(
    show_id: IdPath, listing_id: IdPath, body: SlotPrice, seller: SellerDep, state: StateDep
) -> ShowOut:
    """A new show price for one listing of the line-up, such as a price cut on air."""
    with state.db.write() as session:
        show = _owned_show(session, seller.id, show_id)
        if show.status == "ended":
            raise ProblemError(409, "show_ended", "The show has ended; schedule a new one.")
        slot = session.get(ShowSlot, (show_id, listing_id))
        if slot is None:
            raise not_found("listing")
        slot.price_cents = body.price_cents
        session.add(slot)
        session.flush()
        return show_out(session, show)


@router.get("/v1/market/sellers/{seller_name}/shows", response_model=ShowList)
def seller_shows(seller_name: str, state: StateDep) -> ShowList:
    """A seller's scheduled and live shows, for buyers."""
    with state.db.read() as session:
        seller = session.exec(select(Seller).where(Seller.name == seller_name)).first()
        if seller is None:
            raise not_found("seller")
        rows = session.exec(
            select(LiveShow)
            .where(LiveShow.seller_id == seller.id, LiveShow.status != "ended")
            .order_by(col(LiveShow.starts_at))
        )
        return ShowList(shows=[show_out(session, show) for show in rows])


@router.post("/v1/market/shows/{show_id}/buy", response_model=OrderOut, status_code=201)
def buy_on_air(
    show_id: IdPath, body: ShowPurchase, buyer_id: BuyerDep, state: StateDep
) -> OrderOut:
    """Buy a listing of a live show at its show price."""
    with state.db.write() as session:
        show = session.get(LiveShow, show_id)
        if show is None:
            raise not_found("show")
        if show.status != "live":
            raise ProblemError(409, "show_not_live", f"The show is {show.status}, not live.")
        slot = session.get(ShowSlot, (show_id, body.listing_id))
        listing = session.get(Listing, body.listing_id)
        if slot is None or listing is None:
            raise not_found("listing")
        seller, buyer = session.get(Seller, show.seller_id), session.get(Buyer, buyer_id)
        assert seller is not None and buyer is not None
        price = slot.price_cents or listing.price_cents
        order = create_order(
            session, seller, buyer, [listing], fees=state.settings.fees, show_price_cents=price
        )
        record_event(
            session,
            show.seller_id,
            "show.sale",
            {
                "show_id": show_id,
                "listing_id": body.listing_id,
                "order_id": order.id,
                "buyer": buyer_ref(session, buyer_id).model_dump(),
                "price_cents": price,
            },
        )
        return order_out(session, order)
