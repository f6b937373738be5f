"""Crosslisting in the window, driven with qtbot on a real database and an inline task bridge:
the inventory's "Listed on" badges, List on… with its prices, and the Orders section's alert
for an item sold twice, settled by keeping one order."""

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from sqlmodel import Session, select

from studio.inventory.tables import Item, utc_now
from studio.jobs.scheduler import stop_jobs
from studio.orders.tables import Order, OrderLine
from studio.seller_tools.tables import SentMessage
from studio.sync.tables import DoubleSale, ListingLink, MarketplaceAccount, OutboxOp
from studio.ui.app import build_services
from studio.ui.inventory.listed_on import BADGES_ROLE, LOOKS, Badge, ListedOn, read_listed_on
from studio.ui.inventory.section import InventorySection, column_of
from studio.ui.orders.section import OrdersSection
from studio.ui.services import Services

SOCIAL, THRIFT = "seller-api", "thrift-hub"
LISTED_ON = column_of("listed_on")


@pytest.fixture
def services(database, data_dir) -> Iterator[Services]:
    built = build_services(data_dir, database, inline=True, background=False)
    yield built
    stop_jobs(built.scheduler, database)


def connect(database, *names: str) -> None:
    """Accounts as the Marketplace section leaves them; thrift-hub prices +10% ending .99 and
    takes 12.9% (1.00 below 10.00), the social one keeps the list price and takes 20%."""
    with database.transaction() as session:
        for name in names:
            account = MarketplaceAccount(name=name, base_url="http://127.0.0.1:9")
            if name == THRIFT:
                account.price_percent, account.price_ending = 10, "99"
                account.fee_rate_bp, account.flat_fee_cents = 1290, 100
                account.flat_fee_below_cents = 1000
            session.add(account)


def link(session: Session, item_id: int, marketplace: str, status: str = "active", **more) -> None:
    remote_id = more.pop("remote_id", f"{marketplace}-{item_id}")
    session.add(
        ListingLink(
            item_id=item_id,
            marketplace=marketplace,
            remote_id=remote_id,
            remote_status=status,
            **more,
        )
    )


def op(session: Session, item_id: int, marketplace: str, kind: str, state: str) -> None:
    session.add(
        OutboxOp(
            op_id=f"{kind}-{marketplace}-{item_id}",
            marketplace=marketplace,
            entity=f"item:{item_id}",
            item_id=item_id,
            kind=kind,
            state=state,
        )
    )


# The inventory's badges


def test_each_listing_state_gets_its_own_badge(database, add_item):
    ids = [add_item(title=f"Tee {n}").id for n in range(8)]
    connect(database, SOCIAL, THRIFT)
    with database.transaction() as session:
        link(session, ids[0], SOCIAL)
        link(session, ids[0], THRIFT, remote_id=None, status="")  # create not acked yet
        link(session, ids[1], SOCIAL, status="sold")
        link(session, ids[2], SOCIAL, status="delisted")
        link(session, ids[3], SOCIAL, status="delisted")
        op(session, ids[3], SOCIAL, "relist", "pending")
        link(session, ids[4], SOCIAL)
        op(session, ids[4], SOCIAL, "delist", "in_flight")
        link(session, ids[5], SOCIAL, remote_id=None, status="")
        op(session, ids[5], SOCIAL, "create_listing", "parked")
        link(session, ids[6], SOCIAL)
        op(session, ids[6], SOCIAL, "update_listing", "parked")  # an edit refused: still live
        op(session, ids[6], THRIFT, "delist", "pending")  # another marketplace's queue
    with database.session() as session:
        badges = read_listed_on(session, ids)
    assert badges == {
        ids[0]: (ListedOn(SOCIAL, Badge.LISTED), ListedOn(THRIFT, Badge.QUEUED)),
        ids[1]: (ListedOn(SOCIAL, Badge.SOLD),),
        ids[2]: (ListedOn(SOCIAL, Badge.DELISTED),),
        ids[3]: (ListedOn(SOCIAL, Badge.QUEUED),),
        ids[4]: (ListedOn(SOCIAL, Badge.DELISTING),),
        ids[5]: (ListedOn(SOCIAL, Badge.REFUSED),),
        ids[6]: (ListedOn(SOCIAL, Badge.LISTED),),
    }  # ids[7] is listed nowhere


def badge_pixels(section: InventorySection, row: int, colour: str) -> int:
    """How many pixels of the row's "Listed on" cell are the given badge colour."""
    rect = section.table.visualRect(section.model.index(row, LISTED_ON))
    image = section.table.viewport().grab(rect).toImage()
    wanted = QColor(colour).rgb()
    return sum(
        image.pixel(x, y) == wanted for x in range(image.width()) for y in range(image.height())
    )


def test_badges_show_where_an_item_is_listed_and_follow_sync(qtbot, services, database, add_item):
    coat = add_item(title="Camel coat", list_price_cents="120")
    add_item(title="Striped tee")
    connect(database, SOCIAL, THRIFT)
    with database.transaction() as session:
        link(session, coat.id, SOCIAL)
        link(session, coat.id, THRIFT, remote_id=None, status="")
    section = InventorySection(services)
    qtbot.addWidget(section)
    section.resize(1400, 600)
    section.show()
    row = section.model.row_of(coat.id)
    cell = section.model.index(row, LISTED_ON)
    assert cell.data(BADGES_ROLE) == (
        ListedOn(SOCIAL, Badge.LISTED),
        ListedOn(THRIFT, Badge.QUEUED),
    )
    assert cell.data() == "seller-api (listed), thrift-hub (queued)"
    assert "thrift-hub: queued, goes up at the next sync" in cell.data(Qt.ItemDataRole.ToolTipRole)
    # The delegate paints them: a solid green badge, and a queued one's dashed amber edge.
    assert badge_pixels(section, row, LOOKS[Badge.LISTED].fill) > 100
    assert badge_pixels(section, row, LOOKS[Badge.QUEUED].fill) > 50
    other = section.model.row_of(coat.id + 1)
    assert section.model.index(other, LISTED_ON).data(BADGES_ROLE) == ()
    assert badge_pixels(section, other, LOOKS[Badge.LISTED].fill) == 0

    # Sync acknowledges the listing on thrift-hub and the coat sells on seller-api: the
    # links change, nothing else of the item does, and the badges follow.
    with database.transaction() as session:
        for found in session.exec(select(ListingLink).where(ListingLink.item_id == coat.id)):
            found.remote_id = found.remote_id or "th-1"
            found.remote_status = "sold" if found.marketplace == SOCIAL else "active"
            session.add(found)
    assert cell.data(BADGES_ROLE) == (ListedOn(SOCIAL, Badge.SOLD), ListedOn(THRIFT, Badge.LISTED))

    # A marketplace removed takes its links along (the database's cascade, which the
    # session does not see): every row is read again.
    with database.transaction() as session:
        session.delete(session.get(MarketplaceAccount, THRIFT))
    assert cell.data(BADGES_ROLE) == (ListedOn(SOCIAL, Badge.SOLD),)


# List on…


def open_list_on(qtbot, services, ids: list[int]) -> InventorySection:
    section = InventorySection(services)
    qtbot.addWidget(section)
    section.show()
    section.select_items(ids)
    section.actions_by_name["publish"].trigger()
    assert section.list_dialog is not None and section.list_dialog.isVisible()
    return section


def creates(database) -> list[tuple[str, int | None, int]]:
    with database.session() as session:
        ops = session.exec(select(OutboxOp).where(OutboxOp.kind == "create_listing")).all()
        return sorted((o.marketplace, o.item_id, json.loads(o.payload)["price_cents"]) for o in ops)


def test_list_three_items_on_the_checked_marketplace_with_its_prices(
    qtbot, services, database, add_item
):
    items = [
        add_item(title="Silk scarf", list_price_cents="20"),
        add_item(title="Wool coat", list_price_cents="45"),
        add_item(title="Linen shirt", list_price_cents="8"),
    ]
    ids = [item.id for item in items]
    connect(database, SOCIAL, THRIFT)
    section = open_list_on(qtbot, services, ids)
    dialog = section.list_dialog
    # Two marketplaces: none is checked for the seller.
    assert not dialog.boxes[SOCIAL].isChecked() and not dialog.boxes[THRIFT].isChecked()
    assert not dialog.list_button.isEnabled()

    dialog.boxes[THRIFT].setChecked(True)
    model = dialog.model
    assert model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == (
        "On thrift-hub"
    )
    shown = {model.index(row, 0).data(): model.index(row, 3).data() for row in range(3)}
    skus = {item.id: item.sku for item in items}
    # +10% then the nearest .99: 22.00 -> 21.99, 49.50 -> 49.99, 8.80 -> 8.99; the fee is
    # 12.9% half up (2.84, 6.45), or the flat 1.00 below 10.00.
    assert shown == {
        skus[ids[0]]: "$21.99 · you keep $19.15",
        skus[ids[1]]: "$49.99 · you keep $43.54",
        skus[ids[2]]: "$8.99 · you keep $7.99",
    }
    assert "Queues 3 listing(s): 3 on thrift-hub" in dialog.summary.text()

    dialog.list_button.click()

    assert not dialog.isVisible()
    assert creates(database) == sorted(
        [(THRIFT, ids[0], 2199), (THRIFT, ids[1], 4999), (THRIFT, ids[2], 899)]
    )
    assert section.banner.text.text() == (
        "Queued 3 item(s) for thrift-hub. They go up at the next sync."
    )
    # The badges follow the write, through the hub.
    row = section.model.row_of(ids[0])
    assert section.model.index(row, LISTED_ON).data(BADGES_ROLE) == (
        ListedOn(THRIFT, Badge.QUEUED),
    )


def test_list_on_shows_what_is_listed_already_and_leaves_sold_items_out(
    qtbot, services, database, add_item
):
    first, second = add_item(list_price_cents="30"), add_item(list_price_cents="40")
    sold = add_item(list_price_cents="25", status="sold")
    connect(database, SOCIAL, THRIFT)
    with database.transaction() as session:
        link(session, first.id, SOCIAL)
        link(session, first.id, THRIFT)
        link(session, second.id, THRIFT)
    dialog = open_list_on(qtbot, services, [first.id, second.id, sold.id]).list_dialog

    assert dialog.boxes[SOCIAL].text() == "seller-api: 1 already listed there"
    assert dialog.boxes[SOCIAL].isEnabled()
    # Listed there already, both items for sale: shown checked, and nothing to pick.
    assert dialog.boxes[THRIFT].text() == "thrift-hub: already listed there"
    assert dialog.boxes[THRIFT].isChecked() and not dialog.boxes[THRIFT].isEnabled()
    dialog.boxes[SOCIAL].setChecked(True)
    cells = {
        dialog.model.index(row, 0).data(): dialog.model.index(row, 3).data() for row in range(3)
    }
    assert cells == {
        first.sku: "already listed",
        second.sku: "$40.00 · you keep $32.00",
        sold.sku: "sold: not listed",
    }
    assert dialog.list_button.text() == "List 1"
    assert "1 item(s) are sold, shipped or archived: they are left out." in dialog.summary.text()

    dialog.list_button.click()
    assert creates(database) == [(SOCIAL, second.id, 4000)]


def test_list_on_without_a_marketplace_says_how_to_connect_one(qtbot, services, add_item):
    item = add_item()
    dialog = open_list_on(qtbot, services, [item.id]).list_dialog
    text = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "No marketplace is connected yet" in text
    assert "Marketplace section" in text and "Connect marketplace" in text
    assert not dialog.list_button.isVisible()


# The Orders section's alert for an item sold twice


def sell(session: Session, item: Item, number: str, marketplace: str, buyer: str, ago: int) -> int:
    order = Order(
        marketplace=marketplace,
        remote_id=f"r-{number}",
        number=number,
        buyer_name=buyer,
        buyer_username=buyer.split()[0].lower(),
        total_cents=item.list_price_cents or 0,
        ordered_at=utc_now() - timedelta(minutes=ago),
    )
    session.add(order)
    session.flush()
    session.add(
        OrderLine(
            order_id=order.id,
            item_id=item.id,
            sku=item.sku,
            title=item.title,
            price_cents=order.total_cents,
        )
    )
    return order.id


class SoldTwice(NamedTuple):
    alert: int
    first: int  # the order ids
    second: int
    item: int


@pytest.fixture
def sold_twice(database, add_item) -> SoldTwice:
    """A scarf bought on seller-api, then on thrift-hub before the delist got there."""
    connect(database, SOCIAL, THRIFT)
    scarf = add_item(title="Silk scarf", list_price_cents="30", status="sold")
    with database.transaction() as session:
        first = sell(session, scarf, "SA-40721", SOCIAL, "Perpetua Lindqvist", 7)
        second = sell(session, scarf, "TH-11893", THRIFT, "Octavian Brightwater", 5)
        alert = DoubleSale(item_id=scarf.id, first_order_id=first, second_order_id=second)
        session.add(alert)
        session.flush()
        return SoldTwice(alert.id, first, second, scarf.id)


def orders_section(qtbot, services) -> OrdersSection:
    section = OrdersSection(services)
    qtbot.addWidget(section)
    section.show()  # a section reads what it shows once it is on screen
    return section


def test_a_double_sale_is_a_loud_alert_until_one_order_is_kept(
    qtbot, services, database, sold_twice
):
    alert_id, first, second, item_id = sold_twice
    section = orders_section(qtbot, services)
    assert section.alerts.isVisible()
    words = "\n".join(label.text() for label in section.alerts.findChildren(QLabel))
    for named in ("Sold twice", "Silk scarf", "SA-40721", "seller-api", "Perpetua Lindqvist",
                  "TH-11893", "thrift-hub", "Octavian Brightwater"):  # fmt: skip
        assert named in words
    keep_first = section.alerts.keep_buttons[alert_id, first]
    assert keep_first.text() == "Keep SA-40721"
    assert section.alerts.keep_buttons[alert_id, second].text() == "Keep TH-11893"
    assert set(section.sold_twice.flagged) == {first, second}  # the two rows show red too

    keep_first.click()
    dialog = section.settle_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.settle_button.text() == "Cancel order TH-11893 and send"
    prepared = dialog.apology.toPlainText()
    assert prepared.startswith("Hello Octavian") and "TH-11893" in prepared
    dialog.apology.setPlainText(prepared + "\nA 10% code for next time: SORRY10.")
    dialog.settle_button.click()

    assert not dialog.isVisible()
    with database.session() as session:
        assert session.get(Order, first).status == "to_ship"
        assert session.get(Order, second).status == "cancelled"
        cancels = session.exec(select(OutboxOp).where(OutboxOp.kind == "cancel_order")).all()
        assert [(o.marketplace, o.entity) for o in cancels] == [(THRIFT, f"order:{second}")]
        [message] = session.exec(select(SentMessage)).all()
        assert (message.marketplace, message.order_id) == (THRIFT, second)
        assert message.body.endswith("SORRY10.") and message.body.startswith("Hello Octavian")
        assert session.get(DoubleSale, alert_id).settled_at is not None
        assert session.get(Item, item_id).status == "sold"  # the kept order holds it
    # Gone, through the hub: the settled row was announced like any other write.
    assert not section.alerts.isVisible() and section.alerts.keep_buttons == {}
    assert section.sold_twice.flagged == {}
    assert "Order TH-11893 is cancelled" in section.banner.text.text()


def test_an_order_that_shipped_meanwhile_is_the_one_to_keep(qtbot, services, database, sold_twice):
    alert_id, first, second, _item = sold_twice
    section = orders_section(qtbot, services)
    section.alerts.keep_buttons[alert_id, first].click()
    dialog = section.settle_dialog
    # While the seller reads the apology, the second order is shipped (say, from a phone).
    with database.transaction() as session:
        order = session.get(Order, second)
        order.status = "shipped"
        session.add(order)
    dialog.settle_button.click()

    assert dialog.isVisible() and dialog.error.isVisible()
    assert (
        dialog.error.text() == "Order TH-11893 has shipped already: keep it, and cancel the other."
    )
    with database.session() as session:
        assert session.get(Order, first).status == "to_ship"
        assert session.exec(select(SentMessage)).all() == []
    # The alert read again after the shipment: only keeping the shipped order is offered.
    assert not section.alerts.keep_buttons[alert_id, first].isEnabled()
    assert "has shipped already" in section.alerts.keep_buttons[alert_id, first].toolTip()
    assert section.alerts.keep_buttons[alert_id, second].isEnabled()
