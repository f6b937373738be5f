"""Sending what the seller does towards buyers: answers to offers, offers to likers, messages.

The Seller API takes no Idempotency-Key for these, so a retry (an earlier attempt may have
gone through with its answer lost) first asks the marketplace whether it did: an offer
already in the state asked for, or a likers' offer or message like ours made since the op
was queued. Offers below the item's floor price are refused here, at the last gate, whoever
queued them.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.sync.listing_fields import loads
from studio.sync.port import (
    Marketplace,
    MessageKind,
    OfferAnswer,
    OfferKind,
    OfferState,
    Refused,
)
from studio.sync.tables import ListingLink, OpKind, OutboxOp

BUYER_KINDS = frozenset(
    {
        OpKind.ACCEPT_OFFER,
        OpKind.DECLINE_OFFER,
        OpKind.COUNTER_OFFER,
        OpKind.OFFER_TO_LIKERS,
        OpKind.SEND_MESSAGE,
    }
)
ANSWERS = {OpKind.ACCEPT_OFFER: OfferAnswer.ACCEPT, OpKind.DECLINE_OFFER: OfferAnswer.DECLINE}
ANSWERED_STATUS = {
    OpKind.ACCEPT_OFFER: OfferState.ACCEPTED,
    OpKind.DECLINE_OFFER: OfferState.DECLINED,
    OpKind.COUNTER_OFFER: OfferState.COUNTERED,
}
# Refusals that mean the moment has passed (sold, answered, expired), not that we erred.
MOMENT_PASSED = frozenset({"listing_sold", "listing_not_available", "offer_not_open"})
# How far the marketplace's clock may be behind ours when matching a lost attempt.
CLOCK_SLACK = timedelta(minutes=10)


class MomentPassed(Exception):
    """The op no longer makes sense (the listing sold, the offer was answered or expired)."""


@dataclass(frozen=True)
class Outgoing:
    """An op with what it needs from the local database, read before the request."""

    kind: OpKind
    payload: dict[str, Any]
    created_at: datetime
    retry: bool
    floor_cents: int | None = None
    listing_id: str | None = None
    listing_ids: list[str] = field(default_factory=list)


def prepare(session: Session, op: OutboxOp, link: ListingLink | None) -> Outgoing:
    payload = loads(op.payload)
    item = session.get(Item, op.item_id) if op.item_id is not None else None
    linked = session.exec(
        select(ListingLink.item_id, ListingLink.remote_id).where(
            col(ListingLink.item_id).in_(payload.get("item_ids", [])),
            ListingLink.marketplace == op.marketplace,
        )
    ).all()
    remote_ids = dict(linked)
    missing = [i for i in payload.get("item_ids", []) if not remote_ids.get(i)]
    if missing:
        raise Refused(0, "not_listed", f"items {missing} are not on the marketplace yet")
    created = op.created_at if op.created_at.tzinfo else op.created_at.replace(tzinfo=UTC)
    return Outgoing(
        kind=OpKind(op.kind),
        payload=payload,
        created_at=created,
        retry=op.attempts > 1,
        floor_cents=item.floor_price_cents if item is not None else None,
        listing_id=link.remote_id if link is not None else None,
        listing_ids=[str(remote_ids[i]) for i in payload.get("item_ids", [])],
    )


def send(market: Marketplace, out: Outgoing) -> str:
    """Sends the op; returns a note for the log. Raises MomentPassed or a port error."""
    amount = out.payload.get("amount_cents")
    if amount is not None and out.floor_cents is not None and amount < out.floor_cents:
        raise Refused(
            0, "below_floor", f"{amount / 100:.2f} is below the floor price; it was not sent"
        )
    if out.retry and _already_done(market, out):
        return "the earlier attempt had gone through"
    try:
        return _deliver(market, out)
    except Refused as refused:
        if refused.code in MOMENT_PASSED:
            raise MomentPassed(refused.message) from refused
        raise


def _deliver(market: Marketplace, out: Outgoing) -> str:
    payload = out.payload
    if out.kind in ANSWERS:
        market.answer_offer(payload["offer_id"], ANSWERS[out.kind])
        return ""
    if out.kind is OpKind.COUNTER_OFFER:
        market.counter_offer(payload["offer_id"], payload["amount_cents"])
        return ""
    if out.kind is OpKind.OFFER_TO_LIKERS:
        if out.listing_id is None:
            raise Refused(0, "not_listed", "the item is not on the marketplace yet")
        reached = market.offer_to_likers(
            out.listing_id,
            payload["amount_cents"],
            payload.get("shipping_discount_cents", 0),
            payload.get("expires_in_hours", 24),
        )
        return f"reached {reached} liker(s)"
    kind = MessageKind(payload["kind"])
    market.send_message(payload["buyer_id"], kind, payload["body"], out.listing_ids)
    return ""


def _already_done(market: Marketplace, out: Outgoing) -> bool:
    payload = out.payload
    since = out.created_at - CLOCK_SLACK
    if out.kind in ANSWERED_STATUS:
        return market.get_offer(payload["offer_id"]).status == ANSWERED_STATUS[out.kind]
    if out.kind is OpKind.OFFER_TO_LIKERS and out.listing_id is not None:
        return any(
            offer.kind is OfferKind.TO_LIKERS
            and offer.amount_cents == payload["amount_cents"]
            and offer.created_at >= since
            for offer in market.listing_offers(out.listing_id)
        )
    if out.kind is OpKind.SEND_MESSAGE:
        return any(
            message.buyer.id == str(payload["buyer_id"])
            and message.kind == payload["kind"]
            and message.body == payload["body"]
            and message.created_at >= since
            for message in market.messages()
        )
    return False
