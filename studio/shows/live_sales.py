"""A sale made on air in a show the marketplace hosts, as its feed tells it: the line-up item
is marked sold to that buyer at that price, linked to the order the same feed brought (the
order itself, the item sold and its delists elsewhere, are the pull's usual work)."""

from sqlmodel import Session, col, select

from studio.orders.tables import Order
from studio.shows.tables import Show, ShowItem


def record(
    session: Session,
    marketplace: str,
    show_id: str,
    item_id: int,
    order_id: str,
    buyer: str,
    price_cents: int,
) -> bool:
    """True when the sale belonged to a show of this studio and was recorded on its line-up."""
    row = session.exec(
        select(ShowItem)
        .join(Show, col(Show.id) == ShowItem.show_id)
        .where(
            Show.marketplace == marketplace,
            Show.remote_id == show_id,
            ShowItem.item_id == item_id,
        )
    ).first()
    if row is None or row.sold_cents is not None:
        return False  # another studio's show, or a sale already recorded
    order = session.exec(
        select(Order).where(Order.marketplace == marketplace, Order.remote_id == order_id)
    ).first()
    row.sold_to, row.sold_cents = buyer, price_cents
    row.sold_at = order.ordered_at if order else None
    row.order_id = order.id if order else None
    session.add(row)
    return True
