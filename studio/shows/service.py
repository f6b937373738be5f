"""Shows: making one, its line-up (add, remove, reorder, plan prices and talking points),
and what happens on air (price changes, sales, start and end).

A sale recorded on air is a sale like any other: the item is sold here, its listing on every
marketplace is delisted through the outbox in the same transaction, and an order waits to be
shipped. Functions take a session and plain values and leave committing to the caller.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from studio.inventory.tables import SOLD_STATUSES, Item, ItemStatus, utc_now
from studio.money import MAX_AMOUNT, format_money
from studio.orders.service import as_utc, cover_hashes
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderLine
from studio.shows import talking_points
from studio.shows.tables import Show, ShowItem, ShowStatus
from studio.sync import local_apply, outbox
from studio.sync.tables import MarketplaceAccount, OpKind

MAX_LINEUP = 200
NOT_FOR_SHOW = (*SOLD_STATUSES, ItemStatus.ARCHIVED.value)


class ShowError(ValueError):
    """A show that cannot change the way asked; the message says why and what to do."""


@dataclass(frozen=True)
class LineupRow:
    id: int  # the ShowItem's id
    item_id: int
    position: int  # 1 for the first item on air
    sku: str
    title: str
    brand: str
    size: str
    bin_location: str
    cover_hash: str | None
    list_price_cents: int | None
    opening_cents: int | None
    floor_cents: int | None
    talking_points: str
    item_status: str
    sold_to: str
    sold_cents: int | None
    order_id: int | None

    @property
    def sold(self) -> bool:
        return self.sold_cents is not None or self.item_status in SOLD_STATUSES


@dataclass(frozen=True)
class ShowView:
    id: int
    title: str
    starts_at: datetime
    status: str
    marketplace: str
    rows: tuple[LineupRow, ...]

    @property
    def sold(self) -> tuple[LineupRow, ...]:
        return tuple(row for row in self.rows if row.sold_cents is not None)

    @property
    def unsold(self) -> tuple[LineupRow, ...]:
        return tuple(row for row in self.rows if not row.sold)

    @property
    def revenue_cents(self) -> int:
        return sum(row.sold_cents or 0 for row in self.sold)


@dataclass(frozen=True)
class ShowSummary:
    id: int
    title: str
    starts_at: datetime
    status: str
    marketplace: str
    items: int
    sold: int
    revenue_cents: int


def create_show(session: Session, title: str, starts_at: datetime, marketplace: str = "") -> Show:
    title = " ".join(title.split())
    if not title:
        raise ShowError("Give the show a title, such as 'Sunday denim'.")
    if len(title) > 120:
        raise ShowError("Keep the show's title under 120 characters.")
    if starts_at.tzinfo is None:
        raise ShowError("Give the show's start with its time zone.")
    if marketplace and session.get(MarketplaceAccount, marketplace) is None:
        raise ShowError(f"No marketplace is connected as {marketplace!r}; `studio accounts list`.")
    show = Show(title=title, starts_at=starts_at, marketplace=marketplace)
    session.add(show)
    session.flush()
    return show


def get_show(session: Session, show_id: int) -> Show:
    show = session.get(Show, show_id)
    if show is None:
        raise ShowError(f"There is no show {show_id}; `studio show list` lists them.")
    return show


def find_show(session: Session, text: str) -> Show:
    """A show by its number or its title (the newest of that title)."""
    if text.strip().isdigit():
        return get_show(session, int(text))
    found = session.exec(
        select(Show)
        .where(func.lower(Show.title) == " ".join(text.split()).lower())
        .order_by(col(Show.starts_at).desc())
    ).first()
    if found is None:
        raise ShowError(f"There is no show called {text!r}; `studio show list` lists them.")
    return found


def list_shows(session: Session) -> list[ShowSummary]:
    """Every show, the next or latest first."""
    shows = session.exec(select(Show).order_by(col(Show.starts_at).desc(), col(Show.id))).all()
    counts = {
        show_id: (items, sold or 0, revenue or 0)
        for show_id, items, sold, revenue in session.exec(
            select(
                ShowItem.show_id,
                func.count(),
                func.count(col(ShowItem.sold_cents)),
                func.sum(ShowItem.sold_cents),
            ).group_by(col(ShowItem.show_id))
        ).all()
    }
    return [
        ShowSummary(
            show.id or 0,
            show.title,
            as_utc(show.starts_at),
            show.status,
            show.marketplace,
            *counts.get(show.id or 0, (0, 0, 0)),
        )
        for show in shows
    ]


def _rows(session: Session, show_id: int) -> list[ShowItem]:
    return list(
        session.exec(
            select(ShowItem)
            .where(ShowItem.show_id == show_id)
            .order_by(col(ShowItem.position), col(ShowItem.id))
        ).all()
    )


def _renumber(session: Session, rows: Sequence[ShowItem]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            session.add(row)


def add_items(
    session: Session,
    show_id: int,
    item_ids: Sequence[int],
    at: int | None = None,
) -> int:
    """Puts items in the line-up (at index `at`, else at the end), their prices and talking
    points written ahead from the item; returns how many were added (ones already in the
    show stay where they are). A sold or archived item is refused, naming it."""
    show = get_show(session, show_id)
    if show.status == ShowStatus.ENDED:
        raise ShowError(f"{show.title} has ended; make a new show for these items.")
    rows = _rows(session, show_id)
    present = {row.item_id for row in rows}
    wanted = [item_id for item_id in dict.fromkeys(item_ids) if item_id not in present]
    items = {i.id: i for i in session.exec(select(Item).where(col(Item.id).in_(wanted))).all()}
    missing = [str(item_id) for item_id in wanted if item_id not in items]
    if missing:
        raise ShowError(f"No item with id {', '.join(missing)}.")
    refused = [f"{i.sku} is {i.status}" for i in items.values() if i.status in NOT_FOR_SHOW]
    if refused:
        raise ShowError("Only items for sale go in a show: " + "; ".join(refused) + ".")
    if len(rows) + len(wanted) > MAX_LINEUP:
        raise ShowError(f"A show holds up to {MAX_LINEUP} items; make a second show.")
    added = []
    for item_id in wanted:
        item = items[item_id]
        row = ShowItem(
            show_id=show_id,
            item_id=item_id,
            opening_cents=item.list_price_cents,
            floor_cents=item.floor_price_cents,
            talking_points=talking_points.for_item(session, item),
        )
        session.add(row)
        added.append(row)
    place = len(rows) if at is None else max(0, min(at, len(rows)))
    _renumber(session, [*rows[:place], *added, *rows[place:]])
    session.flush()
    return len(added)


def _row(session: Session, show_id: int, item_id: int) -> ShowItem:
    row = session.exec(
        select(ShowItem).where(ShowItem.show_id == show_id, ShowItem.item_id == item_id)
    ).first()
    if row is None:
        raise ShowError("That item is not in the show's line-up.")
    return row


def remove_item(session: Session, show_id: int, item_id: int) -> None:
    row = _row(session, show_id, item_id)
    if row.sold_cents is not None:
        raise ShowError("It sold in this show; a sold item stays in the line-up.")
    session.delete(row)
    session.flush()
    _renumber(session, _rows(session, show_id))


def move_item(session: Session, show_id: int, item_id: int, index: int) -> None:
    """Moves the item to `index` of the line-up (0 first); the others close up."""
    rows = _rows(session, show_id)
    moving = _row(session, show_id, item_id)
    others = [row for row in rows if row.id != moving.id]
    index = max(0, min(index, len(others)))
    _renumber(session, [*others[:index], moving, *others[index:]])


MAX_CENTS = int(MAX_AMOUNT * 100)


def _checked_price(cents: int | None, what: str) -> int | None:
    if cents is not None and not 0 < cents <= MAX_CENTS:
        raise ShowError(f"The {what} must be above zero and at most {format_money(MAX_CENTS)}.")
    return cents


def plan_item(
    session: Session,
    show_item_id: int,
    opening_cents: int | None,
    floor_cents: int | None,
    notes: str,
) -> ShowItem:
    """The planned opening price, the floor and the talking points of one line-up item."""
    row = session.get(ShowItem, show_item_id)
    if row is None:
        raise ShowError("That line-up item is gone; the show was changed elsewhere.")
    _checked_price(opening_cents, "opening price")
    _checked_price(floor_cents, "floor")
    if opening_cents is not None and floor_cents is not None and floor_cents > opening_cents:
        raise ShowError(
            f"The floor {format_money(floor_cents)} is above the opening price "
            f"{format_money(opening_cents)}; lower the floor or raise the price."
        )
    row.opening_cents, row.floor_cents, row.talking_points = opening_cents, floor_cents, notes
    session.add(row)
    return row


def set_price(session: Session, show_item_id: int, cents: int) -> ShowItem:
    """The price asked on air, changed live; the listings keep their own prices."""
    row = session.get(ShowItem, show_item_id)
    if row is None:
        raise ShowError("That line-up item is gone; the show was changed elsewhere.")
    row.opening_cents = _checked_price(cents, "price")
    session.add(row)
    return row


def start_show(session: Session, show_id: int) -> Show:
    show = get_show(session, show_id)
    if show.status == ShowStatus.PLANNED:
        show.status = ShowStatus.LIVE.value
        show.started_at = utc_now()
        session.add(show)
    return show


def end_show(session: Session, show_id: int) -> Show:
    show = get_show(session, show_id)
    if show.status != ShowStatus.ENDED:
        show.status = ShowStatus.ENDED.value
        show.ended_at = utc_now()
        session.add(show)
    return show


@dataclass(frozen=True)
class Sale:
    order_id: int
    order_number: str
    sku: str
    buyer: str
    price_cents: int
    delisting_on: tuple[str, ...]  # the marketplaces a delist is queued for


def record_sale(session: Session, show_item_id: int, buyer: str, price_cents: int) -> Sale:
    """ "Sold to BUYER at PRICE": the item is sold, delisted on every marketplace through the
    outbox, and an order to ship is made, all in the caller's one transaction."""
    row = session.get(ShowItem, show_item_id)
    if row is None:
        raise ShowError("That line-up item is gone; the show was changed elsewhere.")
    buyer = " ".join(buyer.split())
    if not buyer:
        raise ShowError("Type the buyer's name or username, then the price.")
    _checked_price(price_cents, "sale price")
    item = session.get(Item, row.item_id)
    if item is None or item.id is None:
        raise ShowError("That item was deleted.")
    if row.sold_cents is not None or item.status in SOLD_STATUSES:
        raise ShowError(f"{item.sku} has already sold; it cannot be sold again.")
    show = get_show(session, row.show_id)
    now = utc_now()
    order = Order(
        marketplace=LOCAL_MARKETPLACE,
        remote_id=f"show-{show.id}-{item.id}",
        number=f"SHOW{show.id}-{row.position + 1}",
        buyer_name=buyer,
        buyer_username=buyer.lstrip("@"),
        total_cents=price_cents,
        buyer_note=f"Sold live in {show.title}",
        ordered_at=now,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    session.add(
        OrderLine(
            order_id=order.id,
            item_id=item.id,
            sku=item.sku,
            title=item.title,
            price_cents=price_cents,
        )
    )
    # The sale beats every queued edit, and every marketplace still showing it delists it.
    local_apply.mark_sold(session, item.id, LOCAL_MARKETPLACE)
    row.sold_to, row.sold_cents, row.sold_at, row.order_id = buyer, price_cents, now, order.id
    session.add(row)
    session.flush()
    delists = [
        op.marketplace
        for op in outbox.open_ops(session, outbox.entity_of(item.id))
        if op.kind == OpKind.DELIST
    ]
    return Sale(order.id, order.number, item.sku, buyer, price_cents, tuple(delists))


def lineup(session: Session, show_id: int) -> ShowView:
    show = get_show(session, show_id)
    rows = _rows(session, show_id)
    items = {
        i.id: i
        for i in session.exec(select(Item).where(col(Item.id).in_([r.item_id for r in rows])))
    }
    covers = cover_hashes(session, items)
    return ShowView(
        id=show.id or 0,
        title=show.title,
        starts_at=as_utc(show.starts_at),
        status=show.status,
        marketplace=show.marketplace,
        rows=tuple(
            LineupRow(
                id=row.id or 0,
                item_id=row.item_id,
                position=row.position + 1,
                sku=items[row.item_id].sku,
                title=items[row.item_id].title,
                brand=items[row.item_id].brand,
                size=items[row.item_id].size,
                bin_location=items[row.item_id].bin_location,
                cover_hash=covers.get(row.item_id),
                list_price_cents=items[row.item_id].list_price_cents,
                opening_cents=row.opening_cents,
                floor_cents=row.floor_cents,
                talking_points=row.talking_points,
                item_status=items[row.item_id].status,
                sold_to=row.sold_to,
                sold_cents=row.sold_cents,
                order_id=row.order_id,
            )
            for row in rows
        ),
    )
