"""The window's sync: connect, list items, see them go live, resolve a conflict."""

import httpx
import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from marketplace.embedded import run_embedded
from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.ui.inventory.table_model import COLUMNS

SYNC_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.key == "sync")


@pytest.fixture(scope="module")
def market(tmp_path_factory):
    with run_embedded(tmp_path_factory.mktemp("market"), rate_limit_per_minute=0) as server:
        yield server


@pytest.fixture(autouse=True)
def jobs_running(window):
    """Sync cycles are what this file watches: the window's stored jobs run here."""
    window.services.scheduler.resume()


def listings(market, token):
    response = httpx.get(
        f"{market.base_url}/v1/listings", headers={"Authorization": f"Bearer {token}"}
    )
    return response.json()["listings"]


def test_connect_list_and_resolve_a_conflict(qtbot, window, market, database):
    token = market.create_seller("window-closet")
    section = window.sections["marketplace"]
    window.show_section("marketplace")
    assert section.connect_box.isVisible()
    assert window.sync.current.text() == "Not connected"

    section.connect_box.url.setText(market.base_url)
    section.connect_box.token.setText(token)
    qtbot.mouseClick(section.connect_box.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Connected as window-closet" in section.banner.text.text(), timeout=10_000
    )
    qtbot.waitUntil(lambda: not section.connect_box.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: f"Connected as window-closet at {market.base_url}" in section.status.text(),
        timeout=10_000,
    )

    inv = window.inventory
    window.show_section("inventory")
    ids = inv.model.ids[:2]
    inv.select_items(ids)
    inv.actions_by_name["publish"].trigger()
    # List on…: with one marketplace connected it is checked already.
    qtbot.waitUntil(lambda: getattr(inv, "list_dialog", None) is not None, timeout=10_000)
    qtbot.mouseClick(inv.list_dialog.list_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Queued 2 item(s)" in inv.banner.text.text(), timeout=10_000)
    window.sync.sync_now()
    qtbot.waitUntil(lambda: len(listings(market, token)) == 2, timeout=20_000)

    def sync_badge(item_id: int) -> str:
        row = inv.model.row_of(item_id)
        return inv.model.data(inv.model.index(row, SYNC_COLUMN)) if row is not None else ""

    qtbot.waitUntil(lambda: [sync_badge(i) for i in ids] == ["live", "live"], timeout=20_000)
    qtbot.waitUntil(lambda: window.sync.current.text() == "Up to date", timeout=20_000)

    # Both sides change the title of the first item.
    with database.session() as session:
        sku = inventory.get_item(session, ids[0]).sku
    [remote] = [listing for listing in listings(market, token) if listing["sku"] == sku]
    httpx.patch(
        f"{market.base_url}/v1/listings/{remote['id']}",
        json={"title": "Theirs"},
        headers={"Authorization": f"Bearer {token}", "If-Match": f'"{remote["version"]}"'},
    )
    inv.select_items([ids[0]])
    inv.edit_item()
    qtbot.waitUntil(lambda: inv.editor is not None, timeout=10_000)
    inv.editor.set_text("title", "Mine")
    inv.editor.submit()
    qtbot.waitUntil(lambda: inv.editor is None, timeout=10_000)  # closed once stored
    window.sync.sync_now()
    window.show_section("marketplace")
    qtbot.waitUntil(lambda: section.conflicts != [], timeout=20_000)
    qtbot.waitUntil(lambda: sync_badge(ids[0]) == "conflict", timeout=10_000)

    button = section.attention.cellWidget(0, section.attention.columnCount() - 1)
    assert button.text() == "Resolve…"
    button.click()
    dialog = section.dialog
    [conflict_id] = dialog.choices
    _mine, theirs = dialog.choices[conflict_id]
    theirs.setChecked(True)
    dialog.apply()
    qtbot.waitUntil(lambda: section.conflicts == [], timeout=10_000)
    with database.session() as session:
        assert session.exec(select(Item.title).where(Item.id == ids[0])).one() == "Theirs"


def test_sign_in_with_the_browser(qtbot, window, market, monkeypatch):
    from browser_person import Person

    market.create_seller("browser-closet", password="teal-oak-19")
    person = Person("browser-closet", "teal-oak-19")
    # The system browser, played by a person who signs in.
    monkeypatch.setattr("studio.marketplaces.seller_api.oauth_login.webbrowser.open", person)
    section = window.sections["marketplace"]
    window.show_section("marketplace")
    section.connect_box.url.setText(market.base_url)
    qtbot.mouseClick(section.connect_box.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Connected as browser-closet" in section.banner.text.text(), timeout=20_000
    )
    assert person.opened and "code_challenge_method=S256" in person.opened[0]
    qtbot.waitUntil(lambda: not section.connect_box.isVisible(), timeout=10_000)


def test_when_no_browser_opens_the_address_is_shown_to_open_by_hand(
    qtbot, window, market, monkeypatch
):
    import threading

    from browser_person import Person

    market.create_seller("by-hand-closet", password="moss-pine-42")
    # No browser on this machine: webbrowser.open opens nothing and says so.
    monkeypatch.setattr(
        "studio.marketplaces.seller_api.oauth_login.webbrowser.open", lambda _url: False
    )
    section = window.sections["marketplace"]
    window.show_section("marketplace")
    section.connect_box.url.setText(market.base_url)
    qtbot.mouseClick(section.connect_box.browser_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(section.connect_box.sign_in_address.isVisible, timeout=10_000)
    address = section.connect_box.sign_in_address.text()
    assert address.startswith(market.base_url) and "code_challenge=" in address
    # The person copies the address into a browser of their own.
    person = Person("by-hand-closet", "moss-pine-42")
    threading.Thread(target=person, args=(address,), daemon=True).start()
    qtbot.waitUntil(
        lambda: "Connected as by-hand-closet" in section.banner.text.text(), timeout=20_000
    )
    assert not section.connect_box.sign_in_address.isVisible()
