"""Import listings from the window: the plan is shown before anything changes, confirmed by
the seller, then the import runs as a task and the Marketplace section says how it ended."""

import httpx
import pytest
from PySide6.QtCore import Qt
from questions import answering
from sqlalchemy import func
from sqlmodel import select

from marketplace.closet_seed import seed_closet
from marketplace.embedded import run_embedded
from studio.inventory.tables import Item
from studio.sync.connection import connect_with_token
from studio.sync.tables import ListingLink


@pytest.fixture(scope="module")
def market(tmp_path_factory):
    with run_embedded(tmp_path_factory.mktemp("market"), rate_limit_per_minute=0) as server:
        yield server


def count(database, table) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_the_plan_is_shown_then_the_import_runs_once_confirmed(qtbot, window, market, database):
    token = market.create_seller("window-import")
    seed_closet(market.state, "window-import", 12, photos_per_listing=1, sku_prefix="IMP")
    with database.session() as session:
        mine = session.exec(select(Item).order_by(Item.id)).first()
    seller = {"Authorization": f"Bearer {token}"}
    for title in ("Already in the inventory", "Listed twice"):
        sku = mine.sku if title.startswith("Already") else "IMP-00001"
        listing = {"title": title, "price_cents": 1500, "sku": sku}
        assert httpx.post(f"{market.base_url}/v1/listings", json=listing, headers=seller).is_success
    connect_with_token(database, window.services.credentials, market.base_url, token)
    items_before = count(database, Item)

    section = window.sections["marketplace"]
    window.show_section("marketplace")
    qtbot.waitUntil(section.import_button.isVisible, timeout=10_000)
    section.import_button.click()
    dialog = section.import_dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    assert dialog.summary.text().startswith(
        "14 listing(s) on seller-api: 1 to link to items you have, 12 to create, 1 left alone"
    )
    assert dialog.left_alone.rowCount() == 1
    assert "same SKU as listing" in dialog.left_alone.item(0, 1).text()
    assert count(database, Item) == items_before  # nothing yet

    with answering(qtbot) as asked:
        dialog.import_button.click()
    assert "Create 12 new item(s) and link 1 listing(s)" in asked.text
    assert asked.button == "Import 13 listing(s)"
    qtbot.waitUntil(lambda: "12 item(s) created" in section.banner.text.text(), timeout=30_000)
    assert "1 linked" in section.banner.text.text()
    assert count(database, Item) == items_before + 12
    assert count(database, ListingLink) == 13
    with database.session() as session:
        link = session.exec(select(ListingLink).where(ListingLink.item_id == mine.id)).one()
    assert link.marketplace == "seller-api" and link.remote_id is not None


def test_backing_out_of_the_question_imports_nothing(qtbot, window, market, database):
    token = market.create_seller("window-no-import")
    seed_closet(market.state, "window-no-import", 3, photos_per_listing=1, sku_prefix="NOPE")
    connect_with_token(database, window.services.credentials, market.base_url, token)
    items_before = count(database, Item)
    section = window.sections["marketplace"]
    window.show_section("marketplace")
    qtbot.waitUntil(section.import_button.isVisible, timeout=10_000)
    section.import_listings()
    dialog = section.import_dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    with answering(qtbot, Qt.Key.Key_Escape):
        dialog.import_button.click()
    assert dialog.isVisible()  # still open: the seller may look again or close it
    window.services.runner.wait_all()
    assert count(database, Item) == items_before
    assert count(database, ListingLink) == 0
