"""Offers to likers: one price (or a % off) for one or many listings, with what the seller
keeps after the fee shown before anything is sent, and never below the floor price.

An item listed on several marketplaces gets an offer on each where someone likes it: a % off
is taken from the price buyers see there (the seller's price rule, studio/sync/pricing.py)
and the net is after that marketplace's fee."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from studio.inventory.tables import Item, ItemStatus
from studio.money import format_money
from studio.seller_tools.fees import percent_of
from studio.seller_tools.offers import OfferError
from studio.seller_tools.tables import LikersOffer
from studio.sync import outbox
from studio.sync.pricing import MarketplaceTerms, connected_terms
from studio.sync.tables import Like, ListingLink, OpKind

MAX_EXPIRY_HOURS = 168  # the marketplace's limit


@dataclass(frozen=True)
class Quote:
    """One listing's offer on one marketplace, as it would go out."""

    item_id: int
    title: str
    price_cents: int  # as buyers see it there
    amount_cents: int
    fee_cents: int  # that marketplace's fee on the amount
    net_cents: int
    likers: int  # there
    floor_cents: int | None
    problem: str  # why it cannot be sent; "" when it can
    marketplace: str = ""  # "" for an item listed nowhere: nothing would go out

    @property
    def sendable(self) -> bool:
        return not self.problem


def offer_amount(price_cents: int, amount_cents: int | None, percent_off: Decimal | None) -> int:
    if amount_cents is not None:
        return amount_cents
    if percent_off is None:
        raise OfferError("Give a price or a percentage off.")
    return price_cents - percent_of(price_cents, percent_off)


def liker_counts(session: Session, item_ids: list[int]) -> dict[tuple[int, str], int]:
    """Current likers by item and marketplace."""
    rows = session.exec(
        select(Like.item_id, Like.marketplace, func.count())
        .where(col(Like.item_id).in_(item_ids), col(Like.active).is_(True))
        .group_by(col(Like.item_id), col(Like.marketplace))
    ).all()
    return {(item_id, market): count for item_id, market, count in rows if item_id is not None}


def listed_on(session: Session, item_ids: list[int]) -> dict[int, list[MarketplaceTerms]]:
    """The terms of each marketplace each item is listed on, in the order they were connected."""
    linked = set(
        session.exec(
            select(ListingLink.item_id, ListingLink.marketplace).where(
                col(ListingLink.item_id).in_(item_ids)
            )
        ).all()
    )
    markets = connected_terms(session)
    return {
        item_id: [terms for terms in markets if (item_id, terms.name) in linked]
        for item_id in item_ids
    }


def quote(
    session: Session,
    item_ids: list[int],
    amount_cents: int | None = None,
    percent_off: Decimal | None = None,
) -> list[Quote]:
    """Each item's offer on each marketplace it is listed on where someone likes it (all of
    them, each with its problem, when nobody does anywhere), by item id."""
    counts = liker_counts(session, item_ids)
    where = listed_on(session, item_ids)
    quotes = []
    for item in session.exec(select(Item).where(col(Item.id).in_(item_ids)).order_by(col(Item.id))):
        assert item.id is not None
        markets = where[item.id] or [MarketplaceTerms("")]
        liked = [market for market in markets if counts.get((item.id, market.name))]
        for market in liked or markets:
            price = market.price(item.list_price_cents or 0)
            amount = offer_amount(price, amount_cents, percent_off)
            fee = market.fees.fee_cents(amount)
            likers = counts.get((item.id, market.name), 0)
            quotes.append(
                Quote(
                    item_id=item.id,
                    title=item.title,
                    price_cents=price,
                    amount_cents=amount,
                    fee_cents=fee,
                    net_cents=amount - fee,
                    likers=likers,
                    floor_cents=item.floor_price_cents,
                    problem=_problem(item, price, amount, likers),
                    marketplace=market.name,
                )
            )
    return quotes


def _problem(item: Item, price: int, amount: int, likers: int) -> str:
    if item.status != ItemStatus.LISTED.value:
        return f"it is {item.status}, not on sale"
    if amount < 1:
        return "the offer must be above zero"
    if item.floor_price_cents is not None and amount < item.floor_price_cents:
        return (
            f"{format_money(amount)} is below its floor price "
            f"{format_money(item.floor_price_cents)}"
        )
    if item.list_price_cents is not None and amount >= price:
        return "an offer must be below the listing price"
    if likers == 0:
        return "nobody likes it yet"
    return ""


def send_to_likers(
    session: Session,
    item_ids: list[int],
    amount_cents: int | None = None,
    percent_off: Decimal | None = None,
    shipping_discount_cents: int = 0,
    expires_in_hours: int = 24,
) -> list[LikersOffer]:
    """Queues the offer for every listing; refuses all of them if any one cannot go."""
    if not 1 <= expires_in_hours <= MAX_EXPIRY_HOURS:
        raise OfferError(f"An offer lasts between 1 and {MAX_EXPIRY_HOURS} hours.")
    if shipping_discount_cents < 0:
        raise OfferError("A shipping discount cannot be negative.")
    quotes = quote(session, item_ids, amount_cents, percent_off)
    refused = [f"{q.title}: {q.problem}" for q in quotes if q.problem]
    if refused:
        raise OfferError("Nothing was sent. " + "; ".join(refused) + ".")
    sent = []
    for q in quotes:
        if not q.marketplace:
            continue  # listed nowhere (and so liked nowhere): nothing can go out
        op = outbox.add_op(
            session,
            q.marketplace,
            OpKind.OFFER_TO_LIKERS,
            outbox.entity_of(q.item_id),
            {
                "amount_cents": q.amount_cents,
                "shipping_discount_cents": shipping_discount_cents,
                "expires_in_hours": expires_in_hours,
            },
            q.item_id,
        )
        record = LikersOffer(
            item_id=q.item_id,
            amount_cents=q.amount_cents,
            shipping_discount_cents=shipping_discount_cents,
            expires_in_hours=expires_in_hours,
            net_cents=q.net_cents,
            likers=q.likers,
            op_id=op.op_id,
        )
        session.add(record)
        sent.append(record)
    session.flush()
    return sent


def last_offer_times(session: Session, item_ids: list[int]) -> dict[int, datetime]:
    rows = session.exec(
        select(LikersOffer.item_id, func.max(LikersOffer.created_at))
        .where(col(LikersOffer.item_id).in_(item_ids))
        .group_by(col(LikersOffer.item_id))
    ).all()
    return {item_id: at for item_id, at in rows}
