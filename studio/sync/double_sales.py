"""An item sold on two marketplaces before the delist reached the second: a double sale.

It is never left as two orders to ship for one item. The pull records it the moment the
second order arrives (an alert that stays until settled); the seller keeps one order and
cancels the other, and the buyer of the cancelled one gets a prepared apology.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, utc_now
from studio.orders.service import OrderError, cancel_order, get_order, other_live_order
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderStatus
from studio.seller_tools.messages import REPLY, Recipient, queue_message
from studio.sync.tables import DoubleSale

APOLOGY = (
    "Hello {first_name}, I am so sorry: {title} sold a moment before your order on another "
    "marketplace, so I have had to cancel order {number}; you will get a full refund. "
    "Thank you for understanding, and I hope to see you back in my shop soon."
)


def record_if_sold_twice(session: Session, item_id: int, order: Order) -> DoubleSale | None:
    """Called when `order` takes the item: an alert if another live order holds it too."""
    first = other_live_order(session, item_id, order.id)
    if first is None or first.id is None or order.id is None:
        return None
    alert = DoubleSale(item_id=item_id, first_order_id=first.id, second_order_id=order.id)
    session.add(alert)
    return alert


@dataclass(frozen=True)
class OrderSide:
    id: int
    number: str
    marketplace: str
    buyer_name: str
    ordered_at: datetime
    status: str


@dataclass(frozen=True)
class DoubleSaleAlert:
    id: int
    sku: str
    title: str
    first: OrderSide
    second: OrderSide
    detected_at: datetime

    @property
    def words(self) -> str:
        return (
            f"{self.sku} {self.title} sold twice: order {self.first.number} on "
            f"{self.first.marketplace} ({self.first.buyer_name}) and order {self.second.number} "
            f"on {self.second.marketplace} ({self.second.buyer_name}). Keep one and cancel "
            "the other before you ship."
        )


def _side(order: Order) -> OrderSide:
    assert order.id is not None
    return OrderSide(
        order.id, order.number, order.marketplace, order.buyer_name, order.ordered_at, order.status
    )


def open_alerts(session: Session) -> list[DoubleSaleAlert]:
    """Double sales the seller has not settled yet, oldest first."""
    alerts = []
    for alert in session.exec(
        select(DoubleSale).where(col(DoubleSale.settled_at).is_(None)).order_by(col(DoubleSale.id))
    ):
        item = session.get(Item, alert.item_id) if alert.item_id is not None else None
        first, second = (
            get_order(session, alert.first_order_id),
            get_order(session, alert.second_order_id),
        )
        assert alert.id is not None
        alerts.append(
            DoubleSaleAlert(
                alert.id,
                item.sku if item else "",
                item.title if item else "(deleted item)",
                _side(first),
                _side(second),
                alert.detected_at,
            )
        )
    return alerts


def apology_for(session: Session, alert_id: int, cancelled_order_id: int) -> str:
    """The message prepared for the buyer whose order is cancelled; the seller may edit it."""
    alert = _alert(session, alert_id)
    order = get_order(session, cancelled_order_id)
    item = session.get(Item, alert.item_id) if alert.item_id is not None else None
    return APOLOGY.format(
        first_name=(order.buyer_name.split() or ["there"])[0],
        title=item.title if item else "the item",
        number=order.number,
    )


def settle(
    session: Session, alert_id: int, keep_order_id: int, apology: str, now: datetime | None = None
) -> Order:
    """Keeps one order and cancels the other: the cancel reaches its marketplace through the
    outbox (the listing there goes back on sale, which the next pull delists again, since the
    item is sold), and the apology goes to its buyer. Returns the cancelled order."""
    alert = _alert(session, alert_id)
    pair = {alert.first_order_id, alert.second_order_id}
    if keep_order_id not in pair:
        raise OrderError("Keep one of the two orders of this double sale.")
    (cancel_id,) = pair - {keep_order_id}
    cancelled = get_order(session, cancel_id)
    if cancelled.status == OrderStatus.SHIPPED:
        raise OrderError(
            f"Order {cancelled.number} has shipped already: keep it, and cancel the other."
        )
    if cancelled.status != OrderStatus.CANCELLED:
        cancel_order(session, cancel_id)
    if apology.strip() and cancelled.marketplace != LOCAL_MARKETPLACE:
        to = Recipient(cancelled.marketplace, cancelled.buyer_username, cancelled.buyer_name)
        queue_message(session, to, REPLY, apology, order_id=cancel_id, now=now)
    kept = get_order(session, keep_order_id)
    alert.settled_at = now or utc_now()
    alert.settlement = f"kept {kept.number}, cancelled {cancelled.number}"
    session.add(alert)
    return cancelled


def _alert(session: Session, alert_id: int) -> DoubleSale:
    alert = session.get(DoubleSale, alert_id)
    if alert is None:
        raise OrderError(f"no double sale with id {alert_id}")
    return alert
