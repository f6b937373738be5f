"""The orders service: what to ship, shipping, cancelling, pick-list groups, related items."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from studio.inventory.tables import Item
from studio.orders import service as orders
from studio.orders.tables import OrderStatus


def test_orders_to_ship_come_newest_first_with_bins_and_covers(
    make_order, database, photo_hash
) -> None:
    now = datetime.now(UTC)
    old = make_order(
        "200001",
        ordered_at=now - timedelta(days=2),
        photo=photo_hash,
        lines=(("SKU-1", "Wool coat", 9000, "C4"),),
    )
    new = make_order(
        "200002", ordered_at=now - timedelta(hours=1), lines=(("SKU-2", "Silk scarf", 1500, ""),)
    )
    with database.session() as session:
        views = orders.orders_to_ship(session)
    assert [v.id for v in views] == [new, old]
    assert views[1].lines[0].bin_location == "C4"
    assert views[1].lines[0].cover_hash == photo_hash
    assert views[0].lines[0].cover_hash is None


def test_mark_shipped_needs_a_tracking_number_and_ships_the_items(make_order, database) -> None:
    order_id = make_order("200010")
    with database.transaction() as session, pytest.raises(orders.OrderError, match="tracking"):
        orders.mark_shipped(session, order_id, "  ")
    with database.transaction() as session:
        orders.mark_shipped(session, order_id, "9400 1111")
    with database.session() as session:
        (view,) = orders.load_orders(session, [order_id])
        item = session.exec(select(Item).where(Item.sku == "TOP-200010")).one()
    assert view.status == OrderStatus.SHIPPED
    assert view.tracking_number == "9400 1111"
    assert view.shipped_at is not None
    assert item.status == "shipped"
    with database.transaction() as session, pytest.raises(orders.OrderError, match="shipped"):
        orders.cancel_order(session, order_id)


def test_cancel_puts_sold_items_back_on_sale(make_order, database) -> None:
    order_id = make_order("200020")
    with database.transaction() as session:
        orders.cancel_order(session, order_id)
    with database.session() as session:
        item = session.exec(select(Item).where(Item.sku == "TOP-200020")).one()
        assert orders.orders_to_ship(session) == []
        with pytest.raises(orders.OrderError, match="cancelled"):
            orders.mark_shipped(session, order_id, "1Z")
    assert item.status == "listed"


def test_pick_groups_walk_bins_in_shelf_order_with_no_bin_last(make_order, database) -> None:
    a = make_order("200030", lines=(("A-1", "Tee", 100, "B10"), ("A-2", "Cap", 100, "")))
    b = make_order("200031", lines=(("B-1", "Belt", 100, "B2"), ("B-2", "Sock", 100, "b10")))
    with database.session() as session:
        groups = orders.pick_groups(orders.load_orders(session, [a, b]))
    assert [g.bin_location for g in groups] == ["B2", "B10", "b10", ""]
    assert [p.order_number for p in groups[1].lines] == ["200030"]


def test_related_items_share_brand_category_or_tags(make_order, database, add_item) -> None:
    order_id = make_order("200040", tags="boho, linen", brand="Fernway")
    add_item(title="Fernway linen trousers", brand="Fernway", status="listed", tags="linen")
    add_item(title="Boho maxi skirt", status="listed", tags="boho")
    add_item(title="Unrelated sneakers", status="listed", category="Shoes")
    add_item(title="Fernway draft", brand="Fernway", status="draft")
    with database.session() as session:
        (view,) = orders.load_orders(session, [order_id])
        titles = [item.title for item in orders.related_items(session, view)]
    assert titles == ["Fernway linen trousers", "Boho maxi skirt"]


def test_unknown_orders_are_named(database) -> None:
    with database.session() as session, pytest.raises(orders.OrderError, match="424242"):
        orders.find_order_ids(session, ["424242"])
