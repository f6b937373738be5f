"""Bundle suggestions sent to a buyer after an order, by hand or automatically.

At most one per order, so a buyer is never asked twice about the same purchase. The bundle
template's daily cap counts every bundle suggestion of the day, by hand or automatic: it
is what keeps the shop from looking pushy, whoever pressed the button. Only items listed on
the order's marketplace are named, since the buyer can only add those to the bundle.
"""

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, func, select

from studio.inventory.tables import utc_now
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderLine
from studio.seller_tools import bundles
from studio.seller_tools.messages import (
    Recipient,
    day_start,
    fill,
    order_items,
    queue_message,
    template,
    values_for,
)
from studio.seller_tools.tables import SentMessage
from studio.sync.tables import ListingLink

KIND = "bundle_suggestion"


class CannotSend(ValueError):
    """Why this bundle suggestion cannot go out, in words for the seller."""


def latest_order_with(session: Session, item_id: int) -> Order:
    """The most recent order that bought the item: its buyer is whom to suggest a bundle to."""
    order = session.exec(
        select(Order)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .where(OrderLine.item_id == item_id)
        .order_by(col(Order.ordered_at).desc())
    ).first()
    if order is None:
        raise CannotSend("Nobody has bought this item yet, so there is no buyer to message.")
    return order


def recipient_of(order: Order) -> Recipient:
    if order.marketplace == LOCAL_MARKETPLACE or not order.buyer_username:
        raise CannotSend(
            f"{order.buyer_name or 'This buyer'} bought outside the marketplace "
            f"(order {order.number}), so they cannot be messaged from here."
        )
    return Recipient(order.marketplace, order.buyer_username, order.buyer_name)


def sent_today(session: Session, now: datetime) -> int:
    query = select(func.count()).where(
        SentMessage.kind == KIND, SentMessage.sent_at >= day_start(now)
    )
    return int(session.exec(query).one())


def suggested_for(
    session: Session, order: Order, photos_root: Path | None
) -> list[bundles.Suggestion]:
    """Up to five suggestions for the order's items that the buyer can find on its marketplace."""
    bought = [item.id for item in order_items(session, order.id or 0) if item.id is not None]
    # Every candidate is scored anyway; asking for all of them costs nothing more.
    found = bundles.suggest(session, bought, photos_root, limit=bundles.CANDIDATE_POOL)
    linked = set(
        session.exec(
            select(ListingLink.item_id).where(
                ListingLink.marketplace == order.marketplace,
                col(ListingLink.item_id).in_([s.item_id for s in found]),
            )
        ).all()
    )
    return [s for s in found if s.item_id in linked][: bundles.LIMIT]


def send_for_order(
    session: Session,
    order: Order,
    photos_root: Path | None,
    automatic: bool = False,
    now: datetime | None = None,
) -> SentMessage:
    """Queues the bundle template, filled for the order, to its buyer; raises CannotSend."""
    moment = now or utc_now()
    to = recipient_of(order)
    already = session.exec(
        select(SentMessage.id).where(SentMessage.kind == KIND, SentMessage.order_id == order.id)
    ).first()
    if already is not None:
        raise CannotSend(f"{order.buyer_name} already had a bundle suggestion for {order.number}.")
    row = template(session, KIND)
    if sent_today(session, moment) >= row.daily_cap:
        raise CannotSend(
            f"Today's cap of {row.daily_cap} bundle suggestions is reached; raise it in the "
            "Bundle template or send it tomorrow."
        )
    found = suggested_for(session, order, photos_root)
    if not found:
        raise CannotSend(f"Nothing listed on {order.marketplace} goes with order {order.number}.")
    values = values_for(session, order.buyer_name, order_items(session, order.id or 0), order)
    values["item_titles"] = ", ".join(s.title for s in found)
    return queue_message(
        session,
        to,
        KIND,
        fill(row.body, values),
        item_ids=[s.item_id for s in found],
        order_id=order.id,
        automatic=automatic,
        now=moment,
    )


def send_automatic(
    session: Session, photos_root: Path | None, now: datetime | None = None
) -> list[SentMessage]:
    """One suggestion per new order (ordered after the template was saved with automatic
    sending on), within the daily cap; orders it cannot serve are passed over."""
    row = template(session, KIND)
    if not row.auto_send:
        return []
    moment = now or utc_now()
    suggested = select(SentMessage.order_id).where(
        SentMessage.kind == KIND, col(SentMessage.order_id).is_not(None)
    )
    orders = session.exec(
        select(Order)
        .where(
            Order.ordered_at >= row.updated_at,
            Order.marketplace != LOCAL_MARKETPLACE,
            Order.buyer_username != "",
            col(Order.id).not_in(suggested),
        )
        .order_by(col(Order.ordered_at))
    ).all()
    sent = []
    for order in orders:
        if sent_today(session, moment) >= row.daily_cap:
            break
        try:
            sent.append(send_for_order(session, order, photos_root, automatic=True, now=moment))
        except CannotSend:
            continue  # nothing in stock goes with this order; the next one may have some
    return sent
