"""A show's line-up and its sales, through the core services on a real SQLite file."""

from decimal import Decimal

import pytest
from sqlmodel import select

from studio.inventory.tables import Item
from studio.orders.tables import Order, OrderLine
from studio.seller_tools.tables import LikersOffer, PriceDropPlan
from studio.shows import after_show
from studio.shows import service as shows
from studio.shows.service import ShowError
from studio.sync.tables import Like, OpKind, OutboxOp


def skus(database, show_id):
    with database.session() as session:
        return [row.sku for row in shows.lineup(session, show_id).rows]


def test_added_items_take_their_prices_and_talking_points_from_the_item(database, planned, rack):
    with database.session() as session:
        view = shows.lineup(session, planned)
    jeans, jacket = view.rows[0], view.rows[1]
    assert [row.position for row in view.rows] == [1, 2, 3, 4, 5]
    assert (jacket.opening_cents, jacket.floor_cents) == (6500, 4500)
    assert "Levi's · size M" in jacket.talking_points
    assert "pit to pit 21.5 in" in jacket.talking_points
    assert "Condition: Good" in jeans.talking_points
    # "Goes with": the jeans style with a top or a jacket from the same stock.
    assert "Style with" in jeans.talking_points
    assert any(sku in jeans.talking_points for sku in (rack[1].sku, rack[2].sku))


def test_reorder_insert_and_remove_keep_places_contiguous(database, planned, rack):
    jeans, jacket, shirt, boots, scarf = (item.sku for item in rack)
    with database.transaction() as session:
        shows.move_item(session, planned, rack[4].id, 0)
    assert skus(database, planned) == [scarf, jeans, jacket, shirt, boots]
    with database.transaction() as session:
        shows.move_item(session, planned, rack[4].id, 99)
        shows.remove_item(session, planned, rack[0].id)
    assert skus(database, planned) == [jacket, shirt, boots, scarf]
    with database.transaction() as session:
        assert shows.add_items(session, planned, [rack[0].id, rack[1].id], at=1) == 1
        view = shows.lineup(session, planned)
    assert [row.sku for row in view.rows] == [jacket, jeans, shirt, boots, scarf]
    assert [row.position for row in view.rows] == [1, 2, 3, 4, 5]


def test_a_sold_item_is_refused_and_bad_plans_say_why(database, planned, add_item):
    sold = add_item(title="Sold tee", status="sold")
    with database.transaction() as session, pytest.raises(ShowError, match="is sold"):
        shows.add_items(session, planned, [sold.id])
    with database.session() as session:
        first = shows.lineup(session, planned).rows[0]
    with database.transaction() as session, pytest.raises(ShowError, match="above the opening"):
        shows.plan_item(session, first.id, 2000, 3000, "")
    with database.transaction() as session, pytest.raises(ShowError, match="title"):
        shows.create_show(session, "   ", shows.utc_now())


def test_a_sale_on_air_sells_the_item_delists_it_everywhere_and_makes_an_order(
    database, planned, rack
):
    jacket = rack[1]
    with database.session() as session:
        rows = shows.lineup(session, planned).rows
    with database.transaction() as session:
        sale = shows.record_sale(session, rows[1].id, "@mia_k", 5500)
        jeans_sale = shows.record_sale(session, rows[0].id, "Theo", 4000)
    assert sale.delisting_on == ("seller-api", "thrift-hub")
    assert jeans_sale.delisting_on == ()
    with database.session() as session:
        assert session.get(Item, jacket.id).status == "sold"
        assert session.get(Item, jacket.id).sold_at is not None
        delists = session.exec(
            select(OutboxOp.marketplace).where(
                OutboxOp.item_id == jacket.id, OutboxOp.kind == OpKind.DELIST.value
            )
        ).all()
        assert sorted(delists) == ["seller-api", "thrift-hub"]
        # The jeans' listing was still being created: the create is called off instead.
        create = session.exec(select(OutboxOp).where(OutboxOp.op_id == "create-jeans")).one()
        assert create.state == "cancelled"
        order = session.get(Order, sale.order_id)
        assert (order.buyer_name, order.total_cents, order.status) == ("@mia_k", 5500, "to_ship")
        line = session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        assert (line.sku, line.price_cents) == (jacket.sku, 5500)
        view = shows.lineup(session, planned)
    assert (len(view.sold), view.revenue_cents, len(view.unsold)) == (2, 9500, 3)
    with database.transaction() as session, pytest.raises(ShowError, match="already sold"):
        shows.record_sale(session, rows[1].id, "someone else", 6000)
    with database.transaction() as session, pytest.raises(ShowError, match="buyer"):
        shows.record_sale(session, rows[2].id, "  ", 6000)


def test_after_the_show_the_unsold_get_an_offer_or_a_price_drop_plan(database, planned, rack):
    jacket, boots = rack[1], rack[3]
    with database.transaction() as session:
        session.add(
            Like(
                marketplace="seller-api",
                remote_listing_id="seller-api-j",
                item_id=jacket.id,
                buyer_id="1",
                buyer_name="Ava",
                changed_at=shows.utc_now(),
            )
        )
        rows = shows.lineup(session, planned).rows
        shows.record_sale(session, rows[3].id, "Ava", 8000)  # the boots
        shows.end_show(session, planned)
    with database.transaction() as session:
        offered = after_show.offer_unsold_to_likers(session, planned, Decimal(10))
    assert offered.done == 1  # only the jacket is liked
    assert len(offered.skipped) == 3 and "nobody likes it yet" in offered.words
    with database.transaction() as session:
        dropped = after_show.schedule_price_drops(session, planned, 10, 7)
        offers = session.exec(select(LikersOffer)).all()
        plans = session.exec(select(PriceDropPlan.item_id)).all()
    assert [o.item_id for o in offers] == [jacket.id] and offers[0].amount_cents == 5850
    # Items without a floor get no plan, and say so; the sold boots are not in it at all.
    assert dropped.done == 2 and sorted(plans) == sorted([rack[0].id, jacket.id])
    assert boots.id not in plans and len(dropped.skipped) == 2


def test_the_demo_plans_a_sample_show_of_five_items(database):
    from studio.demo.data import add_demo_items
    from studio.demo.mode import add_sample_show

    with database.transaction() as session:
        add_demo_items(session, 60, seed=7)
        listed = session.exec(select(Item.id).where(Item.status == "listed")).all()
        show_id = add_sample_show(session, listed)
    with database.session() as session:
        view = shows.lineup(session, show_id)
    assert [row.item_id for row in view.rows] == listed[:5]
    assert all(row.opening_cents and row.talking_points for row in view.rows)
