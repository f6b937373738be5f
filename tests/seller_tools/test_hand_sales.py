"""Items marked sold by hand (no order) count in insights, dated when they became sold."""

from datetime import UTC, date, datetime, timedelta

from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.seller_tools.insights import insights


def test_an_item_marked_sold_by_hand_is_a_sale(database, add_item) -> None:
    sold = add_item(title="Coach tote", list_price_cents="120", cost_cents="15")
    add_item(title="Still for sale", list_price_cents="40")
    with database.transaction() as session:
        inventory.update_item(session, sold.id, inventory.parse_values({"status": "sold"}))
    today = date.today()
    with database.session() as session:
        stored = session.get(Item, sold.id)
        assert stored.sold_at is not None
        found = insights(session, today - timedelta(days=1), today, datetime.now(UTC))
    assert found.totals.sales == 1
    assert found.totals.revenue_cents == 12_000
    assert found.totals.profit_cents == 12_000 - 1_500
    assert set(found.by_marketplace) == {"Marked sold by hand"}  # a name, not an id


def test_putting_an_item_back_on_sale_forgets_the_sale(database, add_item) -> None:
    item = add_item(title="Levi's 501", list_price_cents="45", status="sold")
    with database.transaction() as session:
        inventory.update_item(session, item.id, inventory.parse_values({"status": "listed"}))
    with database.session() as session:
        assert session.get(Item, item.id).sold_at is None
        today = date.today()
        assert insights(session, today, today, datetime.now(UTC)).totals.sales == 0
