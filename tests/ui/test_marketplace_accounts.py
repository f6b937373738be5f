"""Several marketplaces in the window: the accounts and their states, sign-in warnings in the
Marketplace section and the status bar, Reconnect that keeps what waits, Remove that asks
about what waits, and a double sale that stays in the status bar until it is settled.

Real parts throughout: the reference server, the studio's database and credential store,
and the window with its task bridge inline (each read and write done before the click
returns)."""

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from questions import Asked, answering
from sqlmodel import col, select

from marketplace.embedded import run_embedded
from studio.inventory.tables import Item, utc_now
from studio.jobs.scheduler import stop_jobs
from studio.orders.tables import Order
from studio.storage.credentials import PrivateFileStore
from studio.sync import outbox
from studio.sync.connection import build_clients, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.tables import OPEN_STATES, DoubleSale, MarketplaceAccount, OutboxOp, SigninState
from studio.ui.app import build_services
from studio.ui.main_window import MainWindow
from studio.ui.marketplace.connect_form import suggested_name
from studio.ui.marketplace.controller import CLOCK_MS
from studio.ui.marketplace.terms_dialog import TermsDialog

SECOND = "vintage"
_sellers = itertools.count(1)


@pytest.fixture(scope="module")
def market(tmp_path_factory):
    with run_embedded(tmp_path_factory.mktemp("market"), rate_limit_per_minute=0) as server:
        yield server


@pytest.fixture
def credentials(data_dir) -> PrivateFileStore:
    return PrivateFileStore(data_dir)  # never this machine's keyring


@pytest.fixture
def sellers() -> dict[str, str]:
    """Each account's seller on the reference server, new for each test."""
    return {name: f"accounts-closet-{next(_sellers)}" for name in ("seller-api", SECOND)}


@pytest.fixture
def tokens(market, database, credentials, sellers) -> dict[str, str]:
    """Two connected accounts on the reference server: seller-api and vintage."""
    tokens = {}
    for name, seller in sellers.items():
        tokens[name] = market.create_seller(seller)
        connect_with_token(database, credentials, market.base_url, tokens[name], name)
    return tokens


@pytest.fixture
def open_window(qtbot, database, data_dir, credentials) -> Iterator:
    """Builds the window once the test has set its data up, as a seller opening the app."""
    built: list[MainWindow] = []

    def open_it() -> MainWindow:
        services = build_services(
            data_dir, database, inline=True, background=False, credentials=credentials
        )
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        window.show_section("marketplace")
        built.append(window)
        return window

    yield open_it
    for window in built:
        window.services.runner.wait_all()
        stop_jobs(window.services.scheduler, database)


def set_account(database, name: str, **values) -> None:
    with database.transaction() as session:
        account = session.get(MarketplaceAccount, name)
        for key, value in values.items():
            setattr(account, key, value)
        session.add(account)


def queue_listing(database, add_item, name: str, title: str) -> int:
    item = add_item(title=title, list_price_cents="30")
    with database.transaction() as session:
        outbox.publish(session, session.get(Item, item.id), name)
    return item.id


def account_rows(section) -> dict[str, dict[str, str]]:
    """Each account's row, by its name, as {heading: cell}."""
    table = section.accounts.table
    headings = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount() - 1)]
    return {
        table.item(row, 0).text(): {h: table.item(row, c).text() for c, h in enumerate(headings)}
        for row in range(table.rowCount())
    }


@contextmanager
def choosing(qtbot, button_text: str) -> Iterator[Asked]:
    """Clicks the button called `button_text` in the next question that opens in the block,
    as a person picking the one choice that is not the default."""
    asked = Asked()

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        asked.text = box.text()
        [button] = [b for b in box.buttons() if b.text() == button_text]
        asked.button = button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press)
    yield asked
    assert asked.text, "no question was asked"


def test_the_address_gives_the_name_unless_the_seller_types_one() -> None:
    assert suggested_name("https://api.poshmark.com", set()) == "poshmark"
    assert suggested_name("https://www.ebay.co.uk/", {"poshmark"}) == "ebay"
    assert suggested_name("http://127.0.0.1:8765", set()) == "seller-api"
    assert suggested_name("http://localhost:8765", {"seller-api"}) == "seller-api-2"
    assert suggested_name("not an address", {"seller-api", "seller-api-2"}) == "seller-api-3"


def test_two_accounts_are_listed_and_a_sign_in_ending_soon_is_warned_of(
    qtbot, database, sellers, tokens, open_window
):
    window = open_window()
    section = window.sections["marketplace"]
    rows = account_rows(section)
    assert list(rows) == ["seller-api", SECOND]
    assert [row["State"] for row in rows.values()] == ["Connected", "Connected"]
    assert {row["Seller"] for row in rows.values()} == set(sellers.values())
    assert not section.accounts.warning.isVisible()
    assert not window.attention.sign_in.isVisible()
    assert "2 marketplaces connected" in section.status.text()

    # The marketplace said when the sign-in to vintage ends: ten days from now.
    set_account(database, SECOND, signin_expires_at=utc_now() + timedelta(days=10))

    state = account_rows(section)[SECOND]["State"]
    assert state.startswith("Sign-in ends in 10 days, on ")
    assert account_rows(section)["seller-api"]["State"] == "Connected"
    assert section.accounts.warning.isVisible()
    assert "The sign-in to vintage ends in 10 days" in section.accounts.warning.text()
    assert "reconnect" in section.accounts.buttons[SECOND]
    assert "reconnect" not in section.accounts.buttons["seller-api"]
    bar = window.attention.sign_in
    assert bar.isVisible() and bar.text() == "⚠ vintage: sign-in ends in 10 days: reconnect"

    # The warning leads to where it is put right.
    window.show_section("inventory")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is section


def test_the_warning_comes_as_time_passes_with_nothing_written(database, tokens, open_window):
    set_account(database, SECOND, signin_expires_at=utc_now() + timedelta(days=20))
    window = open_window()
    assert not window.attention.sign_in.isVisible()
    assert CLOCK_MS <= 5 * 60 * 1000 and window.sync.clock.isActive()

    # A week later, the window still open and nothing written since.
    window.sync.now = lambda: utc_now() + timedelta(days=7)
    window.sync.clock.timeout.emit()

    assert window.attention.sign_in.isVisible()
    assert "vintage: sign-in ends in 13 days" in window.attention.sign_in.text()


def test_a_signed_out_account_reconnects_with_a_token_and_keeps_its_waiting_listing(
    qtbot, market, database, data_dir, credentials, add_item, sellers, tokens, open_window
):
    queue_listing(database, add_item, SECOND, "Linen shirt, sage")
    set_account(database, SECOND, signin_state=SigninState.EXPIRED.value)
    window = open_window()
    section = window.sections["marketplace"]
    row = account_rows(section)[SECOND]
    assert row["State"] == "Signed out: nothing syncs until you reconnect"
    assert row["Waiting"] == "1"
    assert "vintage is signed out: nothing reaches it until you reconnect" in (
        section.accounts.warning.text()
    )
    assert window.attention.sign_in.text() == "⚠ vintage is signed out: reconnect"

    # One click: the form opens for this account, its name and address fixed.
    qtbot.mouseClick(section.accounts.buttons[SECOND]["reconnect"], Qt.MouseButton.LeftButton)
    form = section.connect_box
    assert form.isVisible() and form.title() == "Reconnect vintage"
    assert form.name.text() == SECOND and form.name.isReadOnly()
    assert form.url.text() == market.base_url and form.url.isReadOnly()
    assert "The 1 change waiting for vintage is kept" in form.note.text()
    form.token.setText(tokens[SECOND])
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)

    assert f"Connected as {sellers[SECOND]} on vintage" in section.banner.text.text()
    row = account_rows(section)[SECOND]
    assert (row["State"], row["Waiting"]) == ("Connected", "1")  # still waiting, kept
    assert "reconnect" not in section.accounts.buttons[SECOND]
    assert not section.accounts.warning.isVisible()
    assert not window.attention.sign_in.isVisible()
    assert not form.isVisible()

    # The next sync sends it, to the seller behind vintage.
    clients, problems = build_clients(database, credentials)
    assert problems == []
    try:
        SyncEngine(database, data_dir, clients).cycle()
    finally:
        for client in clients:
            client.close()
    listed = httpx.get(
        f"{market.base_url}/v1/listings",
        headers={"Authorization": f"Bearer {tokens[SECOND]}"},
    ).json()["listings"]
    assert [listing["title"] for listing in listed] == ["Linen shirt, sage"]
    assert account_rows(section)[SECOND]["Waiting"] == "0"


def test_removing_an_account_with_waiting_changes_asks_what_to_do_with_them(
    qtbot, database, credentials, add_item, tokens, open_window
):
    item_id = queue_listing(database, add_item, SECOND, "Wool scarf, rust")
    window = open_window()
    section = window.sections["marketplace"]
    remove = section.accounts.buttons[SECOND]["remove"]

    with answering(qtbot, Qt.Key.Key_Escape) as asked:
        qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "1 change has not reached vintage yet" in asked.text
    assert asked.button == "Sync first"  # Enter loses nothing
    assert list(account_rows(section)) == ["seller-api", SECOND]

    with choosing(qtbot, "Drop it and remove vintage"):
        qtbot.mouseClick(section.accounts.buttons[SECOND]["remove"], Qt.MouseButton.LeftButton)
    assert list(account_rows(section)) == ["seller-api"]
    assert "Removed vintage" in section.banner.text.text()
    assert "1 change that had not reached it was dropped" in section.banner.text.text()
    with database.session() as session:
        assert session.get(Item, item_id) is not None  # the item stays
        assert session.exec(select(OutboxOp).where(OutboxOp.marketplace == SECOND)).all() == []
    assert credentials.get(SECOND) is None

    # Nothing waits for the other one: a plain question, and the form is the page again.
    with answering(qtbot) as asked:
        qtbot.mouseClick(
            section.accounts.buttons["seller-api"]["remove"], Qt.MouseButton.LeftButton
        )
    assert asked.button == "Remove seller-api"
    assert account_rows(section) == {}
    assert section.connect_box.isVisible() and not section.accounts.isVisible()
    assert window.sync.current.text() == "Not connected"


def test_another_marketplace_is_connected_under_a_name_of_its_own(
    qtbot, market, tokens, database, credentials, open_window
):
    # Start from one account: vintage goes, seller-api stays.
    from studio.sync.accounts import remove_account

    remove_account(database, credentials, SECOND)
    window = open_window()
    section = window.sections["marketplace"]
    assert not section.connect_box.isVisible()
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    form = section.connect_box
    assert form.isVisible() and form.title() == "Connect another marketplace"
    form.url.setText(market.base_url)
    assert form.name.placeholderText() == "seller-api-2"  # the first has the plain name
    form.token.setText(tokens[SECOND])

    form.name.setText("seller-api")  # taken: connecting it would sign that one in again
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert "You already have a marketplace called seller-api" in section.banner.text.text()
    form.name.setText("Vintage Shop")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert "cannot name a marketplace" in section.banner.text.text()
    assert list(account_rows(section)) == ["seller-api"]

    form.name.setText(SECOND)
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert list(account_rows(section)) == ["seller-api", SECOND]
    assert f"on {SECOND}" in section.banner.text.text()
    assert not form.isVisible() and section.add_button.isVisible()


def test_a_double_sale_stays_in_the_status_bar_and_leads_to_orders(
    qtbot, database, add_item, open_window
):
    item = add_item(title="Silk scarf, hand-rolled")
    with database.transaction() as session:
        first = Order(marketplace="seller-api", remote_id="1", number="SA-1001", buyer_name="Ana")
        second = Order(marketplace=SECOND, remote_id="7", number="VI-2002", buyer_name="Rafe")
        session.add(first)
        session.add(second)
        session.flush()
        session.add(DoubleSale(item_id=item.id, first_order_id=first.id, second_order_id=second.id))
    window = open_window()
    warning = window.attention.double_sale
    assert warning.isVisible()
    assert "sold twice: orders SA-1001 and VI-2002" in warning.text()
    assert "Ana" in warning.toolTip() and "Rafe" in warning.toolTip()

    qtbot.mouseClick(warning, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sections["orders"]
    assert warning.isVisible()  # persistent: looking is not settling

    with database.transaction() as session:
        alert = session.exec(select(DoubleSale)).one()
        alert.settled_at = utc_now()
        session.add(alert)
    assert not warning.isVisible()


def test_prices_and_fees_are_set_per_marketplace_and_reprice_its_listings(
    qtbot, database, data_dir, credentials, add_item, tokens, open_window
):
    item_id = queue_listing(database, add_item, SECOND, "Linen shirt, sage")
    clients, _problems = build_clients(database, credentials)
    try:
        SyncEngine(database, data_dir, clients).cycle()  # listed on vintage at 30.00
    finally:
        for client in clients:
            client.close()
    window = open_window()
    section = window.sections["marketplace"]
    qtbot.mouseClick(section.accounts.buttons[SECOND]["terms"], Qt.MouseButton.LeftButton)
    dialog = section.accounts.findChild(TermsDialog)
    assert dialog.isVisible() and dialog.windowTitle() == "Prices and fees on vintage"

    dialog.percent.setValue(10)
    dialog.ending.setCurrentIndex(dialog.ending.findData("99"))
    dialog.rate.setValue(12.9)
    dialog.flat.setValue(1.00)
    dialog.flat_below.setValue(10.00)
    # 25.00 +10% is 27.50, which ends .99 as 27.99; 12.9% of it is 3.61.
    assert dialog.example.text() == (
        "It shows $27.99 on vintage; if it sells there, vintage keeps $3.61 and you keep $24.38."
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "1 listing price update(s) will go out with the next sync" in (
        section.banner.text.text()
    )
    with database.session() as session:
        account = session.get(MarketplaceAccount, SECOND)
        assert (account.price_percent, account.price_ending, account.fee_rate_bp) == (
            10,
            "99",
            1290,
        )
        assert (account.flat_fee_cents, account.flat_fee_below_cents) == (100, 1000)
        untouched = session.get(MarketplaceAccount, "seller-api")
        assert (untouched.price_percent, untouched.fee_rate_bp) == (0, 2000)
        update = session.exec(
            select(OutboxOp)
            .where(OutboxOp.marketplace == SECOND, OutboxOp.item_id == item_id)
            .where(col(OutboxOp.state).in_(OPEN_STATES))
        ).one()
        assert json.loads(update.payload)["price_cents"] == 3299  # 30.00 +10% = 33.00, ending .99
    # The row's tooltip tells the new terms without opening the dialog again.
    assert "prices: +10%, ending .99" in section.accounts.buttons[SECOND]["terms"].toolTip()
