"""The transactional outbox: marketplace-bound changes, written in the edit's own transaction.

Edits of listed items, and a marketplace's orders marked shipped or cancelled, are captured
by a flush hook, so no code path that changes an item or an order can forget its outbox entry.
Pending updates of one listing merge into one; an op that has gone out (in flight, or with
an unknown outcome) is never changed again.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus, Photo, utc_now
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderStatus
from studio.storage import changes
from studio.storage.changes import Changes
from studio.sync.listing_fields import (
    EXTRA_ITEM_FIELDS,
    ITEM_TO_LISTING,
    dumps,
    extra_value,
    listing_fields_for,
    listing_value,
    loads,
    priced,
    taken_by,
)
from studio.sync.marketplace_details import kind_of
from studio.sync.port import ListingState
from studio.sync.pricing import PriceRule, price_on, terms_for
from studio.sync.tables import OPEN_STATES, ListingLink, OpKind, OpState, OutboxOp

# Set on a session while sync itself writes remote values into items, so they are not echoed.
APPLYING_REMOTE = "studio.sync.applying_remote"


def entity_of(item_id: int) -> str:
    return f"item:{item_id}"


def add_op(
    session: Session,
    marketplace: str,
    kind: OpKind,
    entity: str,
    payload: dict[str, Any],
    item_id: int | None = None,
) -> OutboxOp:
    op = OutboxOp(
        op_id=str(uuid.uuid4()),  # fixed now, so every retry presents the same key
        marketplace=marketplace,
        entity=entity,
        item_id=item_id,
        kind=kind.value,
        payload=dumps(payload),
    )
    session.add(op)
    return op


def open_ops(session: Session, entity: str, marketplace: str | None = None) -> list[OutboxOp]:
    """The entity's ops that have not finished, oldest first; with `marketplace`, only those
    bound for it (an item listed on two marketplaces has a queue on each)."""
    query = (
        select(OutboxOp)
        .where(OutboxOp.entity == entity, col(OutboxOp.state).in_(OPEN_STATES))
        .order_by(col(OutboxOp.id))
    )
    if marketplace is not None:
        query = query.where(OutboxOp.marketplace == marketplace)
    return list(session.exec(query).all())


def _mergeable(op: OutboxOp, kind: OpKind) -> bool:
    return op.kind == kind.value and op.state == OpState.PENDING.value and op.attempts == 0


def links_of(session: Session, item_id: int) -> list[ListingLink]:
    return list(session.exec(select(ListingLink).where(ListingLink.item_id == item_id)).all())


def publish(session: Session, item: Item, marketplace: str) -> OutboxOp | None:
    """Queues the item for listing; None when it is already listed or queued."""
    assert item.id is not None
    link = session.exec(
        select(ListingLink).where(
            ListingLink.item_id == item.id, ListingLink.marketplace == marketplace
        )
    ).first()
    if link is None:
        session.add(ListingLink(item_id=item.id, marketplace=marketplace))
        fields = listing_fields_for(session, item, marketplace)
        op = add_op(
            session, marketplace, OpKind.CREATE_LISTING, entity_of(item.id), fields, item.id
        )
    elif link.remote_status == ListingState.DELISTED:
        op = add_op(session, marketplace, OpKind.RELIST, entity_of(item.id), {}, item.id)
    else:
        return None
    if item.status in (ItemStatus.DRAFT.value, ItemStatus.READY.value):
        item.status = ItemStatus.LISTED.value
    return op


def queue_changes(
    session: Session, item_id: int, marketplace: str, changes: dict[str, Any]
) -> OutboxOp | None:
    """Adds listing field changes, as this marketplace gets them, to the item's queue there,
    merging with a waiting op."""
    waiting = open_ops(session, entity_of(item_id), marketplace)
    for op in reversed(waiting):
        if _mergeable(op, OpKind.CREATE_LISTING) or _mergeable(op, OpKind.UPDATE_LISTING):
            op.payload = dumps({**loads(op.payload), **changes})
            op.updated_at = utc_now()
            session.add(op)
            return op
        if op.state != OpState.PENDING.value or op.kind != OpKind.UPDATE_LISTING.value:
            break  # something has gone out after it: queue behind, never rewrite history
    return add_op(session, marketplace, OpKind.UPDATE_LISTING, entity_of(item_id), changes, item_id)


def queue_status(session: Session, item_id: int, marketplace: str, kind: OpKind) -> OutboxOp:
    return add_op(session, marketplace, kind, entity_of(item_id), {}, item_id)


def narrow_pending_updates(
    session: Session, item_id: int, keep: set[str], marketplace: str | None = None
) -> None:
    """After a merge with `marketplace`, its waiting updates send only what is still theirs to
    send. (Without a marketplace, every marketplace's: the one-marketplace behaviour.)"""
    for op in open_ops(session, entity_of(item_id), marketplace):
        if op.kind != OpKind.UPDATE_LISTING.value or op.state != OpState.PENDING.value:
            continue
        payload = {k: v for k, v in loads(op.payload).items() if k in keep}
        op.payload = dumps(payload)
        if not payload:
            op.state = OpState.CANCELLED.value
            op.last_error = "nothing left to send after merging with the marketplace"
        op.updated_at = utc_now()
        session.add(op)


def finish_creates(session: Session, item_id: int, note: str) -> None:
    for op in open_ops(session, entity_of(item_id)):
        if op.kind == OpKind.CREATE_LISTING.value:
            op.state = OpState.ACKED.value
            op.last_error = note
            op.updated_at = utc_now()
            session.add(op)


def cancel_open_ops(
    session: Session,
    item_id: int,
    kinds: Iterable[OpKind],
    reason: str,
    marketplace: str | None = None,
) -> int:
    """Cancels ops that have not gone out (a sold item's price drops, say), on every
    marketplace or on `marketplace` only."""
    cancelled = 0
    for op in open_ops(session, entity_of(item_id), marketplace):
        if op.kind in {k.value for k in kinds} and op.state == OpState.PENDING.value:
            op.state = OpState.CANCELLED.value
            op.last_error = reason
            op.updated_at = utc_now()
            session.add(op)
            cancelled += 1
    return cancelled


def _changed_fields(item: Item) -> dict[str, Any]:
    state = inspect(item)
    changed = {}
    for name in ITEM_TO_LISTING:
        if state.attrs[name].history.has_changes():
            changed[ITEM_TO_LISTING[name]] = listing_value(name, getattr(item, name))
    for name in EXTRA_ITEM_FIELDS:  # each link keeps those its marketplace takes (_as_sent_to)
        if state.attrs[name].history.has_changes():
            changed[name] = extra_value(name, getattr(item, name))
    return changed


ORDER_OPS = {OrderStatus.SHIPPED: OpKind.SHIP_ORDER, OrderStatus.CANCELLED: OpKind.CANCEL_ORDER}


def _order_op(order: Order) -> OpKind | None:
    """What a marketplace must hear of a marketplace order this flush ships or cancels (the
    feed's news is applied as remote, so only the seller's own moves get here)."""
    if order.marketplace == LOCAL_MARKETPLACE or order.status not in ORDER_OPS:
        return None
    if not inspect(order).attrs.status.history.has_changes():
        return None
    return ORDER_OPS[OrderStatus(order.status)]


def _queue_order_op(session: Session, order: Order, kind: OpKind) -> None:
    payload = {"remote_id": order.remote_id, "tracking_number": order.tracking_number}
    add_op(session, order.marketplace, kind, f"order:{order.id}", payload)


def _capture(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(APPLYING_REMOTE):
        return
    for obj in session.dirty:
        kind = _order_op(obj) if isinstance(obj, Order) else None
        if kind is not None:
            _queue_order_op(session, obj, kind)
    edited: dict[int, dict[str, Any]] = {}
    for obj in session.dirty:
        if isinstance(obj, Item) and obj.id is not None:
            changes = _changed_fields(obj)
            if changes:
                edited.setdefault(obj.id, {}).update(changes)
    photo_items = {
        obj.item_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Photo)
    }
    if not edited and not photo_items:
        return
    with session.no_autoflush:
        for item_id in set(edited) | photo_items:
            links = links_of(session, item_id)
            if not links:
                continue
            changes = edited.get(item_id, {})
            if item_id in photo_items:
                changes["photos"] = _photos_after_flush(session, item_id)
            for link in links:
                sent = _as_sent_to(session, link, changes)
                if sent:
                    queue_changes(session, item_id, link.marketplace, sent)


def _as_sent_to(session: Session, link: ListingLink, changes: dict[str, Any]) -> dict[str, Any]:
    """Changed listing fields as the link's marketplace gets them: its price by the seller's
    rule there, left out when the marketplace has (or is about to have) that price already,
    as when a list price moves a few cents and the ending keeps it at 32.99."""
    rule = terms_for(session, link.marketplace).rule
    sent = taken_by(kind_of(session, link.marketplace), priced(changes, rule))  # each its own
    if "price_cents" in sent and sent["price_cents"] == marketplace_price(session, link):
        del sent["price_cents"]
    return sent


def marketplace_price(session: Session, link: ListingLink) -> int | None:
    """The price the listing has on its marketplace once what is queued there has gone: the
    newest open create or update that sets one, else the price both sides last agreed on."""
    for op in reversed(open_ops(session, entity_of(link.item_id), link.marketplace)):
        if op.kind in (OpKind.CREATE_LISTING.value, OpKind.UPDATE_LISTING.value):
            price = loads(op.payload).get("price_cents")
            if price is not None:
                return int(price)
    price = loads(link.base).get("price_cents")
    return None if price is None else int(price)


def reprice(session: Session, marketplace: str, rule: PriceRule) -> int:
    """Queues, for every listing on `marketplace` still for sale there, the price `rule` gives
    where it differs from the price it has; returns how many listings that is (one update
    request each, merged into a change already waiting for the listing)."""
    rows = session.exec(
        select(ListingLink, Item)
        .join(Item, col(Item.id) == ListingLink.item_id)
        .where(
            ListingLink.marketplace == marketplace,
            ListingLink.remote_status != ListingState.SOLD.value,
            col(Item.status).not_in((ItemStatus.SOLD.value, ItemStatus.SHIPPED.value)),
            col(Item.list_price_cents).is_not(None),
        )
    ).all()
    queued = 0
    for link, item in rows:
        assert item.id is not None and item.list_price_cents is not None
        price = price_on(rule, item.list_price_cents)
        agreed = marketplace_price(session, link)
        if agreed is None or price == agreed:
            continue  # never created (its create was refused), or already at that price
        queue_changes(session, item.id, marketplace, {"price_cents": price})
        queued += 1
    return queued


def _photos_after_flush(session: Session, item_id: int) -> list[str]:
    stored = {p.id: p for p in session.exec(select(Photo).where(Photo.item_id == item_id))}
    for obj in session.new:
        if isinstance(obj, Photo) and obj.item_id == item_id:
            stored[id(obj)] = obj
    for obj in session.deleted:
        if isinstance(obj, Photo):
            stored.pop(obj.id, None)
    ordered = sorted(stored.values(), key=lambda photo: photo.position)
    return [photo.file_hash for photo in ordered]


event.listen(Session, "before_flush", _capture)
# A pending op written (queued, merged, or sent back to retry) is work to sync soon.
changes.describe(OutboxOp.__tablename__, lambda op: Changes(queued=op.state == OpState.PENDING))
