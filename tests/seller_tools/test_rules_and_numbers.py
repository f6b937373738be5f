"""The seller tools' rules and calculations on known data, without Qt or a server."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from studio.inventory.tables import Item
from studio.orders.tables import Order, OrderLine
from studio.seller_tools import fees, first_sale, messages, smart_offers
from studio.seller_tools.expenses import profit_and_loss
from studio.seller_tools.fees import fee_cents, net_cents
from studio.seller_tools.insights import insights, share
from studio.seller_tools.insights_report import as_json, sales_csv
from studio.seller_tools.likers_offers import send_to_likers
from studio.seller_tools.offer_rules import Decision, RuleTerms, decide
from studio.seller_tools.price_drops import plan_prices
from studio.sync.tables import Like, ListingLink, MarketplaceAccount

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("subtotal", "fee"), [(1, 1), (1499, 295), (1500, 300), (4500, 900), (7512, 1502)]
)
def test_the_marketplace_fee(subtotal, fee):
    assert fee_cents(subtotal) == fee
    assert net_cents(subtotal) == subtotal - fee


def test_rule_decisions():
    both = RuleTerms(decline_below_floor=True, counter_percent=90, accept_at_cents=9500)
    assert decide(both, 9600, 10000, 6000).action == "accept"
    assert decide(both, 5000, 10000, 6000).action == "decline"
    assert decide(both, 7000, 10000, 6000) == Decision(
        "counter", 9000, "$70.00 is under 90% of the price: countered at $90.00"
    )
    assert decide(both, 9200, 10000, 6000) is None  # between counter and accept: the seller's
    assert decide(RuleTerms(False, counter_percent=50), 3000, 10000, 6000) == Decision(
        "counter", 6000, "$30.00 is under 50% of the price: countered at $60.00"
    )  # never countered below the floor
    assert decide(RuleTerms(decline_below_floor=False), 100, 10000, 6000) is None


def test_price_drop_steps_compound_and_stop_at_the_floor():
    assert plan_prices(10000, 10, 7000) == [9000, 8100, 7290, 7000]
    assert plan_prices(1999, 15, 1500) == [1699, 1500]
    assert plan_prices(5000, 10, 5000) == []


def test_a_share_of_a_fee_adds_up_to_the_cent():
    assert share(1000, [3000, 3000, 3000]) == [333, 333, 334]
    assert share(295, [0, 0]) == [0, 295]


def test_templates_with_unknown_fields_are_refused_naming_the_field(database):
    with database.transaction() as session:
        with pytest.raises(messages.TemplateError, match=r"Unknown field buyer_nickname"):
            messages.save_template(session, "greeting", "Hi {buyer_nickname}!")
        with pytest.raises(messages.TemplateError, match="Unbalanced braces"):
            messages.save_template(session, "greeting", "Hi {buyer_name")
        messages.save_template(session, "greeting", "Hi {buyer_first_name} from {shop_name}")
    body = messages.fill("Hi {buyer_first_name}", {"buyer_first_name": "Ximena"})
    assert body == "Hi Ximena"


def _sold(database, add_item, placed: datetime, lines, fee: int, marketplace: str, ship=0):
    """An order of (item values, price) lines."""
    with database.transaction() as session:
        order = Order(
            marketplace=marketplace,
            remote_id=f"{marketplace}-{placed.timestamp()}",
            number=f"N{int(placed.timestamp())}",
            buyer_name="Corentin Abara",
            fee_cents=fee,
            shipping_cents=ship,
            ordered_at=placed,
        )
        session.add(order)
        session.flush()
        for item, price in lines:
            session.add(
                OrderLine(
                    order_id=order.id,
                    item_id=item.id,
                    sku=item.sku,
                    title=item.title,
                    price_cents=price,
                )
            )
            stored = session.get(Item, item.id)
            stored.status = "sold"
            session.add(stored)


def _aged(database, item, days: int):
    with database.transaction() as session:
        stored = session.get(Item, item.id)
        stored.created_at = NOW - timedelta(days=days)
        session.add(stored)


def test_insights_against_hand_computed_figures(database, add_item):
    coat = add_item(title="Camel coat", brand="Acme", category="Outerwear", cost_cents="10")
    scarf = add_item(title="Silk scarf", brand="Acme", category="Accessories", cost_cents="2.50")
    boots = add_item(title="Chelsea boots", brand="Rowan", category="Shoes", cost_cents="12.34")
    still = add_item(title="Plain tee", brand="Rowan", category="Tops", status="listed")
    old = add_item(title="Wool hat", category="Accessories", status="listed")
    for item, days in ((coat, 40), (scarf, 35), (boots, 10), (still, 5), (old, 120)):
        _aged(database, item, days)
    # One marketplace order of two lines, one hand-made order with postage, one out of range.
    _sold(
        database,
        add_item,
        NOW - timedelta(days=30),
        [(coat, 6000), (scarf, 1500)],
        1500,
        "seller-api",
    )
    _sold(database, add_item, NOW - timedelta(days=2), [(boots, 3000)], 0, "local", ship=850)
    later = add_item(title="Later skirt", cost_cents="1")
    _sold(database, add_item, NOW + timedelta(days=40), [(later, 999)], 295, "seller-api")

    with database.session() as session:
        figures = insights(session, date(2026, 5, 1), date(2026, 6, 30), NOW)
        report = as_json(figures)
        csv_text = sales_csv(session, date(2026, 5, 1), date(2026, 6, 30))
        year = profit_and_loss(session, 2026)

    # Revenue 60 + 15 + 30 = 105.00; cost 10 + 2.50 + 12.34 = 24.84; fees 15.00 shared
    # 12.00/3.00 by price; postage 8.50 on the hand-made order; profit 105 - 24.84 - 15 - 8.50.
    assert report["totals"] == {
        "sales": 3,
        "revenue": "105.00",
        "cost": "24.84",
        "fees": "15.00",
        "shipping": "8.50",
        "profit": "56.66",
    }
    assert report["sell_through_percent"] == "60.0"  # 3 sold of 3 + 2 still listed
    assert report["average_days_to_sell"] == "7.7"  # (10 + 5 + 8) days / 3
    assert report["by_category"]["Accessories"]["profit"] == "9.50"  # 15 - 2.50 - 3.00
    assert report["best_brands"] == ["Acme", "Rowan"]
    assert report["by_marketplace"]["Orders made by hand"]["revenue"] == "30.00"
    assert [a["title"] for a in report["aged_inventory"]] == ["Wool hat"]
    assert "Camel coat,Acme,Outerwear,60.00,10.00,12.00,0.00,38.00,10" in csv_text
    assert year.sales.sales == 4 and year.gross_profit_cents == 5666 + 999 - 100 - 295
    assert figures.totals.profit_cents == 5666


def test_smart_offers_pick_liked_waiting_listings_and_explain(database, add_item):
    coat = add_item(
        title="Camel coat", list_price_cents="100", floor_price_cents="80", status="listed"
    )
    tee = add_item(
        title="Plain tee", list_price_cents="20", floor_price_cents="20", status="listed"
    )
    lonely = add_item(title="Lonely belt", list_price_cents="30", status="listed")
    _aged(database, coat, 65)
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:9"))
        session.flush()
        for item, likers in ((coat, 3), (tee, 2), (lonely, 1)):
            session.add(
                ListingLink(item_id=item.id, marketplace="seller-api", remote_id=str(item.id))
            )
            for n in range(likers):
                session.add(
                    Like(
                        marketplace="seller-api",
                        remote_listing_id=str(item.id),
                        item_id=item.id,
                        buyer_id=f"{item.id}-{n}",
                        changed_at=NOW - timedelta(days=n),
                    )
                )
    with database.session() as session:
        [coat_offer] = [s for s in smart_offers.suggest(session, NOW) if s.item_id == coat.id]
        assert [s.item_id for s in smart_offers.suggest(session, NOW)] == [coat.id]
    # 65 days waiting: 10% + 2 x 5% = 20% off, held at the 80.00 floor.
    assert (coat_offer.percent_off, coat_offer.amount_cents, coat_offer.net_cents) == (
        20,
        8000,
        6400,
    )
    assert "3 likes" in coat_offer.reason and "keeps $64.00 after fees" in coat_offer.reason
    with database.transaction() as session:
        send_to_likers(session, [coat.id], amount_cents=8500)
    with database.session() as session:
        assert smart_offers.suggest(session, datetime.now(UTC)) == []  # offered this week


def test_first_sale_checklist_then_milestones(database, add_item):
    items = [add_item(title=f"Tee {n}", status="listed", list_price_cents="10") for n in range(3)]
    with database.session() as session:
        progress = first_sale.progress(session)
    assert progress.sales == 0
    steps = {step.title: step for step in progress.checklist}
    assert not steps["List at least 10 items"].done
    assert "3 listed" in steps["List at least 10 items"].detail
    assert "3 need one" in steps["Give every listing a clean cover photo"].detail
    _sold(database, add_item, NOW, [(items[0], 1000)], 295, "local")
    with database.session() as session:
        progress = first_sale.progress(session)
    assert progress.checklist == ()
    reached = [m.title for m in progress.milestones if m.reached]
    assert reached == ["1 sale"]
    assert json.dumps([m.progress for m in progress.milestones][:2]) == '["1/1", "1/10"]'
    with database.session() as session:
        assert session.exec(select(Order)).one().number.startswith("N")


def test_item_numbers_show_what_the_seller_keeps_and_makes():
    numbers = fees.item_numbers(price_cents=4500, cost_cents=800)
    assert (numbers.fee_cents, numbers.keep_cents, numbers.profit_cents) == (900, 3600, 2800)
    cheap = fees.item_numbers(price_cents=1000, cost_cents=None, shipping_cents=0)
    assert (cheap.fee_cents, cheap.keep_cents, cheap.profit_cents) == (295, 705, None)
