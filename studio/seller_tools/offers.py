"""Incoming offers and the seller's answers: accept, decline or counter, queued for the
marketplace in the same transaction. An answer is never below the floor price."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.money import format_money
from studio.orders.service import as_utc
from studio.seller_tools.fees import DEFAULT_FEES, FeeSchedule
from studio.sync import outbox
from studio.sync.port import OfferKind, OfferState
from studio.sync.pricing import fee_schedules
from studio.sync.tables import Offer, OpKind, OpState, OutboxOp

ACTION_KINDS = {
    "accept": OpKind.ACCEPT_OFFER,
    "decline": OpKind.DECLINE_OFFER,
    "counter": OpKind.COUNTER_OFFER,
}
KIND_ACTIONS = {kind.value: action for action, kind in ACTION_KINDS.items()}


class OfferError(ValueError):
    """An answer that cannot be given; the message says why and what to do."""


@dataclass(frozen=True)
class OfferView:
    id: int
    remote_id: str
    item_id: int | None
    sku: str
    title: str
    buyer_name: str
    amount_cents: int
    list_price_cents: int | None
    floor_cents: int | None
    status: str
    created_at: datetime
    expires_at: datetime | None
    answer: str  # the answer queued or sent by the studio: accept, decline, counter, or ""
    marketplace: str = ""  # where the buyer made it
    fees: FeeSchedule = DEFAULT_FEES  # that marketplace's

    @property
    def net_cents(self) -> int:
        """What the seller keeps if the offer is accepted, after that marketplace's fee."""
        return self.fees.net_cents(self.amount_cents)


def offer_entity(remote_id: str) -> str:
    return f"offer:{remote_id}"


def answers_given(session: Session, remote_ids: list[str]) -> dict[str, str]:
    """The studio's answer to each offer, from the outbox (a refused one does not count)."""
    ops = session.exec(
        select(OutboxOp.entity, OutboxOp.kind).where(
            col(OutboxOp.entity).in_([offer_entity(r) for r in remote_ids]),
            col(OutboxOp.state).not_in((OpState.PARKED.value, OpState.CANCELLED.value)),
        )
    ).all()
    return {entity.split(":", 1)[1]: KIND_ACTIONS[kind] for entity, kind in ops}


def incoming_offers(session: Session, only_open: bool = True, limit: int = 500) -> list[OfferView]:
    """Buyers' offers, newest first; with only_open, the pending ones."""
    query = select(Offer, Item).join(Item, col(Item.id) == Offer.item_id, isouter=True)
    query = query.where(Offer.kind == OfferKind.BUYER.value)
    if only_open:
        query = query.where(Offer.status == OfferState.PENDING.value)
    rows = session.exec(query.order_by(col(Offer.created_at).desc()).limit(limit)).all()
    answers = answers_given(session, [offer.remote_id for offer, _item in rows])
    fees = fee_schedules(session)
    return [
        OfferView(
            id=offer.id or 0,
            remote_id=offer.remote_id,
            item_id=offer.item_id,
            sku=item.sku if item else "",
            title=item.title if item else f"listing {offer.remote_listing_id}",
            buyer_name=offer.buyer_name,
            amount_cents=offer.amount_cents,
            list_price_cents=item.list_price_cents if item else None,
            floor_cents=item.floor_price_cents if item else None,
            status=offer.status,
            created_at=as_utc(offer.created_at),
            expires_at=as_utc(offer.expires_at) if offer.expires_at else None,
            answer=answers.get(offer.remote_id, ""),
            marketplace=offer.marketplace,
            fees=fees.get(offer.marketplace, DEFAULT_FEES),
        )
        for offer, item in rows
    ]


def answer_offer(
    session: Session,
    offer_id: int,
    action: str,
    amount_cents: int | None = None,
    seen_amount_cents: int | None = None,
) -> OutboxOp:
    """Queues the seller's answer to a buyer's offer. `seen_amount_cents` is the offer as the
    seller saw it when deciding: a different amount now means the buyer changed it."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise OfferError(f"no offer with id {offer_id}")
    if seen_amount_cents is not None and seen_amount_cents != offer.amount_cents:
        raise OfferError(
            f"The offer is now {format_money(offer.amount_cents)}, not "
            f"{format_money(seen_amount_cents)}; look at it again before answering."
        )
    if action not in ACTION_KINDS:
        raise OfferError(f"unknown answer {action!r}: accept, decline or counter")
    if offer.kind != OfferKind.BUYER or offer.status != OfferState.PENDING:
        raise OfferError(
            f"This offer is {offer.status}; only a pending buyer offer can be answered."
        )
    given = answers_given(session, [offer.remote_id]).get(offer.remote_id)
    if given:
        raise OfferError(f"This offer was already answered ({given}).")
    payload: dict[str, object] = {"offer_id": offer.remote_id}
    if action == "counter":
        if amount_cents is None or amount_cents <= offer.amount_cents:
            raise OfferError("A counter offer must be above the buyer's offer.")
        check_floor(session, offer.item_id, amount_cents)
        payload["amount_cents"] = amount_cents
    if action == "accept":
        check_floor(session, offer.item_id, offer.amount_cents)
    return outbox.add_op(
        session,
        offer.marketplace,
        ACTION_KINDS[action],
        offer_entity(offer.remote_id),
        payload,
        offer.item_id,
    )


def check_floor(session: Session, item_id: int | None, amount_cents: int) -> None:
    item = session.get(Item, item_id) if item_id is not None else None
    floor = item.floor_price_cents if item else None
    if floor is not None and amount_cents < floor:
        raise OfferError(
            f"{format_money(amount_cents)} is below the floor price of {item.title if item else ''}"
            f" ({format_money(floor)}); nothing was sent."
        )
