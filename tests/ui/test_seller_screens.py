"""The seller tools' screens driven with qtbot: likes and offers, the offer-to-likers dialog
and its repeating offers, price-drop plans, message templates and suggestions, insights."""

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from questions import answering
from sqlmodel import select

from studio.inventory.tables import utc_now
from studio.orders.tables import Order, OrderLine
from studio.seller_tools import offer_rules
from studio.seller_tools.tables import (
    LikersOffer,
    MessageTemplate,
    PriceDropPlan,
    ScheduledOffer,
    SentMessage,
)
from studio.sync.tables import Like, ListingLink, MarketplaceAccount, Offer, OutboxOp


@pytest.fixture
def shop(database, add_item):
    coat = add_item(
        title="Camel coat",
        category="Outerwear",
        size="M",
        color="camel",
        list_price_cents="100",
        floor_price_cents="70",
        status="listed",
    )
    tee = add_item(
        title="Striped tee",
        category="Tops",
        size="M",
        color="navy",
        list_price_cents="20",
        floor_price_cents="15",
        status="listed",
        cost_cents="4",
    )
    now = utc_now()
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:9"))
        session.flush()
        for item in (coat, tee):
            session.add(
                ListingLink(
                    item_id=item.id,
                    marketplace="seller-api",
                    remote_id=str(item.id),
                    remote_status="active",
                )
            )
        for n, name in enumerate(["Beatriz Lindqvist", "Osei Marchetti"]):
            session.add(
                Like(
                    marketplace="seller-api",
                    remote_listing_id=str(coat.id),
                    item_id=coat.id,
                    buyer_id=str(n + 1),
                    buyer_name=name,
                    changed_at=now - timedelta(hours=n),
                )
            )
        session.add(
            Offer(
                marketplace="seller-api",
                remote_id="77",
                remote_listing_id=str(coat.id),
                item_id=coat.id,
                kind="buyer",
                buyer_id="1",
                buyer_name="Beatriz Lindqvist",
                amount_cents=6000,
                status="pending",
                created_at=now,
                updated_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
        order = Order(
            marketplace="seller-api",
            remote_id="9",
            number="SE-9",
            buyer_name="Osei Marchetti",
            fee_cents=400,
            ordered_at=now,
        )
        session.add(order)
        session.flush()
        session.add(
            OrderLine(
                order_id=order.id, item_id=tee.id, sku=tee.sku, title=tee.title, price_cents=2000
            )
        )
    return coat, tee


@pytest.fixture
def window(shop, main_window):
    return main_window()


def show(qtbot, window, key):
    section = window.sections[key]
    with qtbot.waitSignal(section.shown, timeout=10_000):
        window.show_section(key)
        section.refresh()
    return section


def test_likes_ranked_with_who_liked_and_an_offer_answered(qtbot, window, database, shop):
    _coat, _tee = shop
    section = show(qtbot, window, "likes_offers")
    assert section.likes_table.item(0, 0).text() == "Camel coat"
    assert section.likes_table.item(0, 2).text() == "2"
    section.likes_table.selectRow(0)
    assert section.likers.item(0).text().startswith("Beatriz Lindqvist")
    assert section.offers_table.item(0, 3).text() == "$48.00"  # what the seller keeps

    section.offers_table.selectRow(0)
    section.counter_amount.setValue(65)  # below the floor
    with answering(qtbot):
        section.answer("counter")
    qtbot.waitUntil(lambda: section.banner.kind == "error", timeout=10_000)
    assert "below the floor price" in section.banner.text.text()
    section.counter_amount.setValue(85)
    with answering(qtbot, Qt.Key.Key_Escape) as asked:
        section.answer("counter")  # backed out: nothing is sent
    assert asked.button == "Counter at $85.00"
    assert "you keep $68.00" in asked.text
    with qtbot.waitSignal(section.shown, timeout=10_000), answering(qtbot):
        section.answer("counter")
    assert section.offers_table.item(0, 7).text() == "counter"
    with database.session() as session:
        op = session.exec(select(OutboxOp).where(OutboxOp.kind == "counter_offer")).one()
    assert '"amount_cents": 8500' in op.payload


def test_an_offer_synced_in_keeps_the_chosen_offer_chosen(qtbot, window, shop):
    """A sync brings a newer offer while the seller is answering another: it is listed on
    top, and the chosen offer, and the counter typed for it, stay as they were."""
    coat, _tee = shop
    section = show(qtbot, window, "likes_offers")
    section.offers_table.selectRow(0)
    chosen = section.offers_table.selected_id()
    section.counter_amount.setValue(88)
    now = utc_now()
    newer = Offer(
        marketplace="seller-api",
        remote_id="78",
        remote_listing_id=str(coat.id),
        item_id=coat.id,
        kind="buyer",
        buyer_id="2",
        buyer_name="Osei Marchetti",
        amount_cents=7500,
        status="pending",
        created_at=now + timedelta(minutes=1),
        updated_at=now,
        expires_at=now + timedelta(days=1),
    )
    window.services.runner.write("A sync cycle", lambda session: session.add(newer))
    qtbot.waitUntil(lambda: section.offers_table.rowCount() == 2, timeout=10_000)
    assert section.offers_table.item(0, 1).text() == "Osei Marchetti"
    assert [i.row() for i in section.offers_table.selectionModel().selectedRows()] == [1]
    assert section.offers_table.selected_ids() == [chosen]
    assert section.counter_amount.value() == 88


def test_offer_to_likers_shows_the_net_and_refuses_the_floor(qtbot, window, database, shop):
    coat, _tee = shop
    section = show(qtbot, window, "likes_offers")
    section.offer_to_likers([coat.id], percent_off=10)
    dialog = section.dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 4).text() == "$72.00"  # 90.00 less the 18.00 fee
    dialog.percent.setValue(40)
    qtbot.waitUntil(lambda: not dialog.send_button.isEnabled(), timeout=10_000)
    assert "below its floor price $70.00" in dialog.problem.text()
    dialog.percent.setValue(20)
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "Queued 1 offer" in section.banner.text.text(), timeout=10_000)
    with database.session() as session:
        record = session.exec(select(LikersOffer)).one()
    assert (record.amount_cents, record.net_cents, record.likers) == (8000, 6400, 2)


def test_the_dialog_sends_now_and_saves_a_repeating_offer_that_can_be_cancelled(
    qtbot, window, database, shop
):
    coat, _tee = shop
    section = show(qtbot, window, "likes_offers")
    section.offer_to_likers([coat.id], percent_off=15)
    dialog = section.dialog
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    assert not dialog.every.isEnabled()
    dialog.repeat.setChecked(True)
    dialog.every.setValue(5)
    dialog.times.setValue(2)
    assert dialog.send_button.text() == "Send now and repeat"
    with qtbot.waitSignal(section.shown, timeout=10_000):
        dialog.send_button.click()
    qtbot.waitUntil(
        lambda: "Repeats every 5 days, 2 more times" in section.banner.text.text(), timeout=10_000
    )
    with database.session() as session:
        schedule = session.exec(select(ScheduledOffer)).one()
        assert session.exec(select(LikersOffer)).one().amount_cents == 8500
    assert (schedule.item_id, schedule.percent_off, schedule.every_days, schedule.times) == (
        coat.id,
        15,
        5,
        2,
    )
    assert section.scheduled_table.item(0, 0).text() == "Camel coat"
    assert section.scheduled_table.item(0, 1).text() == "15% off every 5 days"

    section.scheduled_table.selectRow(0)
    with qtbot.waitSignal(section.shown, timeout=10_000):
        section.cancel_scheduled()
    assert section.scheduled_table.rowCount() == 0
    with database.session() as session:
        assert session.exec(select(ScheduledOffer)).one().status == "cancelled"


def test_a_price_drop_plan_for_the_inventory_selection(qtbot, window, database, shop):
    coat, _tee = shop
    section = show(qtbot, window, "price_drops")
    section.selected_items = lambda: [coat.id]
    with qtbot.waitSignal(section.shown, timeout=10_000):
        section.plan_selected()
    assert section.table.item(0, 0).text() == "Camel coat"
    assert section.timeline.plan is not None
    assert [s.price_cents for s in section.timeline.plan.steps] == [9000, 8100, 7290, 7000]
    assert section.timeline.grab().width() > 0
    with database.session() as session:
        assert session.exec(select(PriceDropPlan)).one().status == "active"


def test_a_template_with_an_unknown_field_is_refused_by_name(qtbot, window, database):
    section = show(qtbot, window, "messages")
    section.body.setPlainText("Thanks {buyer_nick}!")
    section.save_template()
    qtbot.waitUntil(lambda: section.banner.kind == "error", timeout=10_000)
    assert "Unknown field buyer_nick" in section.banner.text.text()
    section.body.setPlainText("Thanks {buyer_first_name}!")
    section.auto.setChecked(True)
    with qtbot.waitSignal(section.shown, timeout=10_000):
        section.save_template()
    with database.session() as session:
        stored = session.get(MessageTemplate, "greeting")
    assert (stored.body, stored.auto_send) == ("Thanks {buyer_first_name}!", True)


def test_goes_with_suggestions_for_an_item(qtbot, window, shop):
    _coat, tee = shop
    section = show(qtbot, window, "messages")
    section.sku.setText(tee.sku)
    section.suggest()
    qtbot.waitUntil(lambda: section.suggestions.rowCount() == 1, timeout=10_000)
    assert section.suggestions.item(0, 0).text() == "Camel coat"
    assert "outerwear go with tops" in section.suggestions.item(0, 2).text()


def test_insights_figures_and_csv_export(qtbot, window, tmp_path):
    section = show(qtbot, window, "insights")
    assert "$20.00" in section.cards["Revenue"].text()
    assert "$12.00" in section.cards["Profit"].text()  # 20.00 - 4.00 cost - 4.00 fee
    assert section.months.chart.series()
    out = tmp_path / "sales.csv"
    section.export_csv(out)
    qtbot.waitUntil(lambda: out.exists() and "Striped tee" in out.read_text(), timeout=10_000)


def test_a_listing_gets_its_own_offer_rule_and_loses_it(qtbot, window, database, shop):
    coat, _tee = shop
    with database.transaction() as session:
        offer_rules.save_rule(session, None, offer_rules.RuleTerms(counter_percent=95))
    section = show(qtbot, window, "likes_offers")
    rules = section.rules
    section.likes_table.selectRow(0)  # the camel coat
    with qtbot.waitSignal(rules.shown, timeout=10_000):
        section.tabs.setCurrentWidget(rules)  # read when it comes into view
    assert rules.scoped_item() == coat.id
    assert "No rule of its own; what applies: global rule" in rules.applies.text()
    assert rules.counter.value() == 95 and not rules.clear_button.isEnabled()

    rules.counter.setValue(85)
    rules.accept_at.setValue(90)
    with qtbot.waitSignal(rules.shown, timeout=10_000):
        rules.save()
    assert "own rule applies, overriding the global one" in rules.applies.text()
    assert "accept at or above $90.00" in rules.applies.text()
    with database.session() as session:
        own = offer_rules.own_rule(session, coat.id)
        assert (own.counter_percent, own.accept_at_cents) == (85, 9000)
        assert offer_rules.own_rule(session, None).counter_percent == 95  # untouched

    with qtbot.waitSignal(rules.shown, timeout=10_000):
        rules.clear_button.click()
    qtbot.waitUntil(lambda: "Rule cleared" in section.banner.text.text(), timeout=10_000)
    assert "what applies: global rule" in rules.applies.text()
    with database.session() as session:
        assert offer_rules.own_rule(session, coat.id) is None
    with qtbot.waitSignal(rules.shown, timeout=10_000):
        rules.scope.setCurrentIndex(0)
    assert rules.applies.text().startswith("Applies to listings without their own rule")


def test_a_bundle_suggestion_is_sent_to_the_buyer_once(qtbot, window, database, shop):
    coat, tee = shop
    section = show(qtbot, window, "messages")
    section.sku.setText(tee.sku)
    section.suggest()
    qtbot.waitUntil(lambda: section.suggestions.rowCount() == 1, timeout=10_000)
    # The fixture's order has no buyer id: it cannot be messaged, and the screen says so.
    assert "cannot be messaged" in section.buyer.text()
    assert not section.send_button.isEnabled()

    with database.transaction() as session:
        order = session.exec(select(Order)).one()
        order.buyer_username = "2"
        session.add(order)
    section.suggest()
    qtbot.waitUntil(section.send_button.isEnabled, timeout=10_000)
    assert "Bought by Osei Marchetti (order SE-9)" in section.buyer.text()
    with qtbot.waitSignal(section.shown, timeout=10_000), answering(qtbot) as asked:
        section.send_button.click()
    assert "Osei Marchetti" in asked.text and asked.button == "Send"
    qtbot.waitUntil(lambda: "Queued for Osei Marchetti" in section.buyer.text(), timeout=10_000)
    with database.session() as session:
        sent = session.exec(select(SentMessage)).one()
        op = session.exec(select(OutboxOp).where(OutboxOp.kind == "send_message")).one()
    assert (sent.buyer_id, sent.kind, sent.automatic) == ("2", "bundle_suggestion", False)
    assert json.loads(sent.item_ids) == [coat.id]
    assert sent.body.startswith("Hi Osei, these go well with your Striped tee: Camel coat.")
    assert op.op_id == sent.op_id

    with answering(qtbot):
        section.send_suggestion()  # a second press for the same order
    qtbot.waitUntil(
        lambda: "already had a bundle suggestion" in section.buyer.text(), timeout=10_000
    )
    with database.session() as session:
        assert len(session.exec(select(SentMessage)).all()) == 1


def test_the_bundle_template_can_send_on_its_own_with_a_cap(qtbot, window, database):
    section = show(qtbot, window, "messages")
    section.kind.setCurrentIndex(section.kind.findData("bundle_suggestion"))
    assert section.auto.isEnabled() and section.cap.isEnabled()
    section.auto.setChecked(True)
    section.cap.setValue(3)
    with qtbot.waitSignal(section.shown, timeout=10_000):
        section.save_template()
    with database.session() as session:
        stored = session.get(MessageTemplate, "bundle_suggestion")
    assert (stored.auto_send, stored.daily_cap) == (True, 3)
