"""The per-seller change feed.

A cursor is the seller's own sequence number, taken by `next_seq` with an UPDATE of the
seller row inside the writing transaction. That row stays locked until the transaction ends,
so no other transaction of the same seller can take the next number before this one has
committed or rolled back (a rollback gives its number back, so numbers have no gaps either).
A reader that sees position n therefore already sees every position below n. A plain
autoincrement id would not do on PostgreSQL: ids come from a sequence outside the
transaction, and a transaction holding id 10 can commit after one holding id 11; a reader
between the two commits would move its cursor past 10 and skip it forever. Writers are
serialised on both databases anyway (see db.py); the row lock keeps the numbering right
without relying on that.
"""

from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, col, select

from marketplace.models import Event, Seller


def next_seq(session: Session, seller_id: int) -> int:
    result = session.execute(
        update(Seller)
        .where(col(Seller.id) == seller_id)
        .values(event_seq=col(Seller.event_seq) + 1)
        .returning(col(Seller.event_seq))
    )
    seq: int = result.scalar_one()
    return seq


def record_event(
    session: Session, seller_id: int, event_type: str, data: BaseModel | dict[str, Any]
) -> int:
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    seq = next_seq(session, seller_id)
    session.add(Event(seller_id=seller_id, seq=seq, type=event_type, data=payload))
    return seq


def read_events(session: Session, seller_id: int, after: int, limit: int) -> list[Event]:
    rows = session.exec(
        select(Event)
        .where(Event.seller_id == seller_id, Event.seq > after)
        .order_by(col(Event.seq))
        .limit(limit)
    )
    return list(rows)
