"""Orders service: what to ship (with the items, bins and photos), shipping, cancelling,
pick-list grouping and "you may also like" picks. Label files are in labels.py.

Functions take a session and plain values and leave committing to the caller.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus, Photo, utc_now
from studio.orders.tables import Order, OrderLine, OrderStatus

NO_BIN = ""  # lines whose item has no bin (or no item any more) are picked last


class OrderError(ValueError):
    """An order that cannot change the way asked; the message says why."""


@dataclass(frozen=True)
class LineView:
    sku: str
    title: str
    price_cents: int
    item_id: int | None
    bin_location: str
    cover_hash: str | None  # the cover photo's store key; None when the item has no photo


@dataclass(frozen=True)
class OrderView:
    """An order with everything a screen or a printed page shows about it."""

    id: int
    number: str
    status: str
    buyer_name: str
    buyer_username: str
    address_lines: tuple[str, ...]  # only the lines that are filled in
    country: str
    total_cents: int
    shipping_cents: int
    buyer_note: str
    tracking_number: str
    label_hash: str
    ordered_at: datetime
    ship_by: datetime | None
    shipped_at: datetime | None
    lines: tuple[LineView, ...]

    @property
    def buyer_first_name(self) -> str:
        parts = self.buyer_name.split()
        return parts[0] if parts else self.buyer_username


@dataclass(frozen=True)
class PickLine:
    bin_location: str
    line: LineView
    order_number: str


@dataclass(frozen=True)
class PickGroup:
    bin_location: str  # NO_BIN for "no bin recorded"
    lines: tuple[PickLine, ...]


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def address_lines(order: Order) -> tuple[str, ...]:
    city = " ".join(part for part in (order.city, order.region, order.postal_code) if part)
    lines = (order.address_line1, order.address_line2, city, order.country)
    return tuple(line.strip() for line in lines if line and line.strip())


def list_orders(session: Session, status: str, limit: int = 1000) -> list[OrderView]:
    """Orders with one status, newest first."""
    query = (
        select(Order)
        .where(Order.status == status)
        .order_by(col(Order.ordered_at).desc(), col(Order.id).desc())
        .limit(limit)
    )
    return _views(session, list(session.exec(query)))


def orders_to_ship(session: Session) -> list[OrderView]:
    return list_orders(session, OrderStatus.TO_SHIP.value)


def load_orders(session: Session, ids: Sequence[int]) -> list[OrderView]:
    """The orders asked for, in the order asked; unknown ids are an error, not a gap."""
    found = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids)))}
    missing = [order_id for order_id in ids if order_id not in found]
    if missing:
        raise OrderError(f"no order with id {', '.join(map(str, missing))}")
    return _views(session, [found[order_id] for order_id in ids])


def find_order_ids(session: Session, numbers_or_ids: Iterable[str]) -> list[int]:
    """Resolves what a person typed (order numbers or database ids) to ids."""
    ids = []
    for text in numbers_or_ids:
        order = session.exec(select(Order).where(Order.number == text)).first()
        if order is None and text.isdigit():
            order = session.get(Order, int(text))
        if order is None or order.id is None:
            raise OrderError(f"no order numbered {text}")
        ids.append(order.id)
    return ids


def todays_batch(session: Session) -> list[OrderView]:
    """Everything still to ship, the order due first first: the morning's packing."""
    views = orders_to_ship(session)
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(views, key=lambda v: (v.ship_by or far, v.ordered_at, v.id))


def _views(session: Session, orders: Sequence[Order]) -> list[OrderView]:
    ids = [o.id for o in orders if o.id is not None]
    lines_by_order: dict[int, list[OrderLine]] = {order_id: [] for order_id in ids}
    all_lines = session.exec(
        select(OrderLine).where(col(OrderLine.order_id).in_(ids)).order_by(col(OrderLine.id))
    )
    for line in all_lines:
        lines_by_order[line.order_id].append(line)
    item_ids = {line.item_id for lines in lines_by_order.values() for line in lines}
    item_ids.discard(None)
    bins = dict(
        session.exec(select(Item.id, Item.bin_location).where(col(Item.id).in_(item_ids))).all()
    )
    covers = cover_hashes(session, item_ids)
    return [
        OrderView(
            id=order.id or 0,
            number=order.number,
            status=order.status,
            buyer_name=order.buyer_name,
            buyer_username=order.buyer_username,
            address_lines=address_lines(order),
            country=order.country,
            total_cents=order.total_cents,
            shipping_cents=order.shipping_cents,
            buyer_note=order.buyer_note,
            tracking_number=order.tracking_number,
            label_hash=order.label_hash,
            ordered_at=as_utc(order.ordered_at),
            ship_by=as_utc(order.ship_by) if order.ship_by else None,
            shipped_at=as_utc(order.shipped_at) if order.shipped_at else None,
            lines=tuple(
                LineView(
                    sku=line.sku,
                    title=line.title,
                    price_cents=line.price_cents,
                    item_id=line.item_id,
                    bin_location=bins.get(line.item_id, NO_BIN) if line.item_id else NO_BIN,
                    cover_hash=covers.get(line.item_id) if line.item_id else None,
                )
                for line in lines_by_order[order.id or 0]
            ),
        )
        for order in orders
    ]


def cover_hashes(session: Session, item_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [item_id for item_id in item_ids if item_id is not None]
    if not wanted:
        return {}
    photos = session.exec(
        select(Photo.item_id, Photo.file_hash)
        .where(col(Photo.item_id).in_(wanted))
        .order_by(col(Photo.item_id), col(Photo.position).desc(), col(Photo.id).desc())
    )
    # Ordered so that each item's lowest position (its cover) is written last and wins.
    return dict(photos.all())


def mark_shipped(session: Session, order_id: int, tracking_number: str) -> Order:
    """The one place an order becomes shipped.

    A marketplace's order tells the marketplace through the outbox, in this same transaction
    (the outbox's flush hook notices the change), so the news reaches the buyer even if the
    app closes right after.
    """
    tracking = tracking_number.strip()
    if not tracking:
        raise OrderError("Enter the tracking number from the label before marking it shipped.")
    order = get_order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        raise OrderError(f"Order {order.number} was cancelled; it cannot be shipped.")
    now = utc_now()
    order.status = OrderStatus.SHIPPED.value
    order.tracking_number = tracking
    order.shipped_at = now
    order.updated_at = now
    session.add(order)
    _set_item_status(session, order_id, ItemStatus.SHIPPED, now)
    session.flush()
    return order


def cancel_order(session: Session, order_id: int) -> Order:
    """Cancels an order not yet shipped; its items can be sold again."""
    order = get_order(session, order_id)
    if order.status == OrderStatus.SHIPPED:
        raise OrderError(f"Order {order.number} has shipped; it can no longer be cancelled.")
    now = utc_now()
    order.status = OrderStatus.CANCELLED.value
    order.updated_at = now
    session.add(order)
    _set_item_status(session, order_id, ItemStatus.LISTED, now, only_from=ItemStatus.SOLD)
    session.flush()
    return order


def other_live_order(session: Session, item_id: int, order_id: int | None) -> Order | None:
    """The earliest order besides `order_id` that holds the item and is not cancelled: an
    item sold twice (on two marketplaces before a delist landed) has two."""
    return session.exec(
        select(Order)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .where(
            OrderLine.item_id == item_id,
            Order.id != order_id,
            Order.status != OrderStatus.CANCELLED.value,
        )
        .order_by(col(Order.ordered_at), col(Order.id))
    ).first()


def get_order(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderError(f"no order with id {order_id}")
    return order


def _set_item_status(
    session: Session,
    order_id: int,
    status: ItemStatus,
    now: datetime,
    only_from: ItemStatus | None = None,
) -> None:
    item_ids = session.exec(
        select(OrderLine.item_id).where(
            OrderLine.order_id == order_id, col(OrderLine.item_id).is_not(None)
        )
    ).all()
    for item in session.exec(select(Item).where(col(Item.id).in_(item_ids))):
        if status is ItemStatus.LISTED and other_live_order(session, item.id or 0, order_id):
            continue  # sold twice: the order that stays still holds it
        if only_from is None or item.status == only_from:
            item.status = status.value
            item.updated_at = now
            session.add(item)


def _natural_key(text: str) -> tuple[object, ...]:
    # "B2" before "B10": bins are walked in the order their shelves stand.
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def pick_groups(orders: Sequence[OrderView]) -> list[PickGroup]:
    """Every line of the orders grouped by bin, bins in walking order, no-bin last."""
    return group_by_bin(
        PickLine(line.bin_location.strip(), line, order.number)
        for order in orders
        for line in order.lines
    )


def group_by_bin(lines: Iterable[PickLine]) -> list[PickGroup]:
    """Pick lines grouped by bin, bins in walking order, no-bin last; by SKU within a bin."""
    by_bin: dict[str, list[PickLine]] = {}
    for pick in lines:
        by_bin.setdefault(pick.bin_location, []).append(pick)
    ordered = sorted(by_bin, key=lambda b: (b == NO_BIN, _natural_key(b)))
    return [
        PickGroup(b, tuple(sorted(by_bin[b], key=lambda p: _natural_key(p.line.sku))))
        for b in ordered
    ]


def related_items(session: Session, order: OrderView, limit: int = 3) -> list[Item]:
    """Listed items that go with what was bought: same brand, category or tag, best first."""
    bought_ids = [line.item_id for line in order.lines if line.item_id is not None]
    bought = list(session.exec(select(Item).where(col(Item.id).in_(bought_ids))))
    if not bought:
        return []
    brands = {i.brand.lower() for i in bought if i.brand}
    categories = {i.category.lower() for i in bought if i.category}
    tags = {t.strip().lower() for i in bought for t in i.tags.split(",") if t.strip()}
    candidates = session.exec(
        select(Item)
        .where(Item.status == ItemStatus.LISTED.value, col(Item.id).not_in(bought_ids))
        .order_by(col(Item.updated_at).desc())
        .limit(2000)
    )

    def score(item: Item) -> int:
        item_tags = {t.strip().lower() for t in item.tags.split(",") if t.strip()}
        return (
            3 * (item.brand.lower() in brands)
            + 2 * (item.category.lower() in categories)
            + len(item_tags & tags)
        )

    scored = [(score(item), item) for item in candidates]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: -pair[0])
    return [item for _score, item in ranked[:limit]]
