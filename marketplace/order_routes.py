"""The seller's orders: read, print the prepaid label, mark shipped, cancel."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session, col, select

from marketplace.auth import SellerDep, StateDep
from marketplace.ids import IdPath
from marketplace.label import render_label
from marketplace.listings import bump, record_listing
from marketplace.models import Listing, Order, OrderLine, utcnow
from marketplace.orders import record_order
from marketplace.problems import ProblemError, not_found
from marketplace.representations import order_out
from marketplace.schemas import OrderList, OrderOut

router = APIRouter(prefix="/v1/orders", tags=["orders"])


def _owned_order(session: Session, seller_id: int, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None or order.seller_id != seller_id:
        raise not_found("order")
    return order


@router.get("", response_model=OrderList)
def list_orders(
    seller: SellerDep,
    state: StateDep,
    status: Annotated[str | None, Query(pattern="^(paid|shipped|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OrderList:
    query = select(Order).where(Order.seller_id == seller.id)
    if status is not None:
        query = query.where(Order.status == status)
    with state.db.read() as session:
        rows = session.exec(query.order_by(col(Order.id).desc()).limit(limit))
        return OrderList(orders=[order_out(session, row) for row in rows])


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: IdPath, seller: SellerDep, state: StateDep) -> OrderOut:
    with state.db.read() as session:
        return order_out(session, _owned_order(session, seller.id, order_id))


@router.get(
    "/{order_id}/label.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}},
)
def shipping_label(order_id: IdPath, seller: SellerDep, state: StateDep) -> Response:
    with state.db.read() as session:
        order = _owned_order(session, seller.id, order_id)
        if order.status == "cancelled":
            raise ProblemError(409, "order_cancelled", "A cancelled order has no label.")
        pdf = render_label(order)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="label-{order_id}.pdf"'},
    )


# For each target state: the state that forbids it, and the problem it raises.
_BLOCKED_BY = {
    "shipped": ("cancelled", "order_cancelled", "A cancelled order cannot ship."),
    "cancelled": ("shipped", "order_shipped", "A shipped order cannot be cancelled."),
}


def _restock(session: Session, order: Order) -> None:
    listing_ids = session.exec(select(OrderLine.listing_id).where(OrderLine.order_id == order.id))
    for listing_id in listing_ids:
        listing = session.get(Listing, listing_id)
        assert listing is not None
        listing.status = "active"
        listing.sold_via = None
        bump(listing)
        session.add(listing)
        record_listing(session, listing, "listing.updated", price_drop=None)


def _move(state: StateDep, seller_id: int, order_id: int, target: str) -> OrderOut:
    """paid -> shipped or paid -> cancelled; repeating the move is a no-op."""
    blocking_status, code, detail = _BLOCKED_BY[target]
    with state.db.write() as session:
        order = _owned_order(session, seller_id, order_id)
        if order.status == blocking_status:
            raise ProblemError(409, code, detail)
        if order.status == "paid":
            order.status = target
            if target == "shipped":
                order.shipped_at = utcnow()
            else:
                order.cancelled_at = utcnow()
            session.add(order)
            record_order(session, order, f"order.{target}")
            if target == "cancelled":
                _restock(session, order)
        return order_out(session, order)


@router.post("/{order_id}/ship", response_model=OrderOut)
def mark_shipped(order_id: IdPath, seller: SellerDep, state: StateDep) -> OrderOut:
    return _move(state, seller.id, order_id, "shipped")


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(order_id: IdPath, seller: SellerDep, state: StateDep) -> OrderOut:
    """Cancel an unshipped order; its listings go back on sale."""
    return _move(state, seller.id, order_id, "cancelled")
