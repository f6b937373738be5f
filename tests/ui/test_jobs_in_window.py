"""Scheduled jobs run on the window's database, so what they change shows at once."""

from datetime import timedelta

from studio.inventory.tables import Item, utc_now
from studio.jobs.scheduler import SELLER_TOOLS_JOB
from studio.seller_tools import price_drops
from studio.ui.inventory.table_model import COLUMNS

PRICE = next(i for i, column in enumerate(COLUMNS) if column.key == "list_price_cents")


def shown_price(section, item_id: int) -> str:
    row = section.model.row_of(item_id)
    return "" if row is None else str(section.model.data(section.model.index(row, PRICE)))


def test_a_price_drop_made_by_the_scheduler_shows_in_the_open_window(qtbot, window, database):
    section = window.inventory
    item_id = section.model.ids[0]
    with database.transaction() as session:
        item = session.get(Item, item_id)
        item.list_price_cents, item.floor_price_cents = 10_000, 5_000
        item.status = "listed"
        session.add(item)
    qtbot.waitUntil(lambda: "100.00" in shown_price(section, item_id), timeout=10_000)
    with database.transaction() as session:
        # A plan started eight days ago: its first 10% drop is due now.
        price_drops.create_plan(session, item_id, 10, 7, now=utc_now() - timedelta(days=8))

    scheduler = window.services.scheduler  # stored paused by the fixture: run it as the app does
    scheduler.modify_job(SELLER_TOOLS_JOB, next_run_time=utc_now())
    scheduler.resume()

    qtbot.waitUntil(lambda: "90.00" in shown_price(section, item_id), timeout=15_000)
