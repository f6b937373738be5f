"""The inbox: everything between the seller and each buyer in one place. What the buyer wrote
(brought by sync), what the studio sent them (templates and replies), and the offers either
side made, per buyer, with the count of the buyer's messages not read yet.

A reply goes out like every other message to a buyer: queued in the outbox by
`messages.queue_message` and kept as a sent message, so the retry rules of the outbox
(studio/sync/buyer_ops.py) hold for it too.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from studio.inventory.tables import Item
from studio.seller_tools.messages import REPLY, Recipient, queue_message
from studio.seller_tools.tables import SentMessage
from studio.sync.port import OfferKind
from studio.sync.tables import BuyerMessage, Offer

# Every table a conversation is read from: a write to any of them changes the inbox.
TABLES = (BuyerMessage.__tablename__, SentMessage.__tablename__, Offer.__tablename__)


@dataclass(frozen=True)
class BuyerKey:
    """Who a conversation is with: buyer ids are only unique within their marketplace."""

    marketplace: str
    buyer_id: str


@dataclass(frozen=True)
class Conversation:
    buyer: BuyerKey
    buyer_name: str
    last_at: datetime
    unread: int


@dataclass(frozen=True)
class Entry:
    """One line of a conversation: a message either way, or an offer either way."""

    at: datetime
    from_buyer: bool
    kind: str  # "message" (the buyer's), a sent message's kind, or an OfferKind
    body: str  # a message's text; "" for an offer
    about: str  # the item (or listing) it is about; "" when none
    amount_cents: int | None = None  # an offer's
    status: str = ""  # an offer's OfferState


def _activity(session: Session, only: BuyerKey | None) -> Iterable[tuple[Any, ...]]:
    """(marketplace, buyer id, buyer name, latest time) per buyer and table. The name is the
    one on the latest row: SQLite takes a bare column from the row that holds the max()."""
    for table, at in (
        (BuyerMessage, BuyerMessage.received_at),
        (SentMessage, SentMessage.sent_at),
        (Offer, Offer.created_at),
    ):
        query = select(table.marketplace, table.buyer_id, table.buyer_name, func.max(at))
        query = query.where(table.buyer_id != "")
        if only is not None:
            query = query.where(
                table.marketplace == only.marketplace, table.buyer_id == only.buyer_id
            )
        yield from session.exec(query.group_by(table.marketplace, table.buyer_id)).all()


def _unread(session: Session) -> dict[BuyerKey, int]:
    rows = session.exec(
        select(BuyerMessage.marketplace, BuyerMessage.buyer_id, func.count())
        .where(col(BuyerMessage.read).is_(False))
        .group_by(BuyerMessage.marketplace, BuyerMessage.buyer_id)
    ).all()
    return {BuyerKey(marketplace, buyer_id): count for marketplace, buyer_id, count in rows}


def _latest(rows: Iterable[tuple[Any, ...]]) -> dict[BuyerKey, tuple[datetime, str]]:
    """Each buyer's latest activity and the name they had then (or had before, when a row
    came without one)."""
    latest: dict[BuyerKey, tuple[datetime, str]] = {}
    for marketplace, buyer_id, name, at in sorted(rows, key=lambda row: row[3]):
        key = BuyerKey(marketplace, buyer_id)
        latest[key] = (at, name or latest.get(key, (at, ""))[1])
    return latest


def conversations(session: Session) -> list[Conversation]:
    """One per buyer who wrote, was written to or made or got an offer; newest first."""
    unread = _unread(session)
    found = [
        Conversation(key, name, at, unread.get(key, 0))
        for key, (at, name) in _latest(_activity(session, None)).items()
    ]
    return sorted(found, key=lambda c: c.last_at, reverse=True)


def _titles(session: Session, item_ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {item_id for item_id in item_ids if item_id is not None}
    rows = session.exec(select(Item.id, Item.title).where(col(Item.id).in_(wanted))).all()
    return {item_id: title for item_id, title in rows if item_id is not None}


def _about(titles: dict[int, str], item_id: int | None, remote_listing_id: str | None) -> str:
    if item_id is not None and item_id in titles:
        return titles[item_id]
    return f"listing {remote_listing_id}" if remote_listing_id else ""


def thread(session: Session, who: BuyerKey) -> list[Entry]:
    """Everything with one buyer, oldest first."""
    received = session.exec(
        select(BuyerMessage).where(
            BuyerMessage.marketplace == who.marketplace, BuyerMessage.buyer_id == who.buyer_id
        )
    ).all()
    sent = session.exec(
        select(SentMessage).where(
            SentMessage.marketplace == who.marketplace, SentMessage.buyer_id == who.buyer_id
        )
    ).all()
    offers = session.exec(
        select(Offer).where(Offer.marketplace == who.marketplace, Offer.buyer_id == who.buyer_id)
    ).all()
    titles = _titles(session, [m.item_id for m in received] + [o.item_id for o in offers])
    entries = [
        Entry(
            m.received_at, True, "message", m.body, _about(titles, m.item_id, m.remote_listing_id)
        )
        for m in received
    ]
    entries += [Entry(m.sent_at, False, m.kind, m.body, "") for m in sent]
    entries += [
        Entry(
            o.created_at,
            o.kind == OfferKind.BUYER.value,
            o.kind,
            "",
            _about(titles, o.item_id, o.remote_listing_id),
            o.amount_cents,
            o.status,
        )
        for o in offers
    ]
    return sorted(entries, key=lambda entry: entry.at)


def mark_read(session: Session, who: BuyerKey) -> int:
    """Marks the buyer's messages read; returns how many were not."""
    unread = session.exec(
        select(BuyerMessage).where(
            BuyerMessage.marketplace == who.marketplace,
            BuyerMessage.buyer_id == who.buyer_id,
            col(BuyerMessage.read).is_(False),
        )
    ).all()
    for message in unread:
        message.read = True
        session.add(message)
    return len(unread)


def reply(session: Session, who: BuyerKey, body: str) -> SentMessage:
    """Queues the reply for the next sync; answering a conversation also reads it."""
    latest = _latest(_activity(session, who)).get(who)
    if latest is None:
        raise LookupError("There is no conversation with this buyer.")
    to = Recipient(who.marketplace, who.buyer_id, latest[1])
    sent = queue_message(session, to, REPLY, body.strip())
    mark_read(session, who)
    return sent
