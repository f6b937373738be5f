"""The Shows section and show mode in the window, driven with qtbot: a show planned, items
dropped into its line-up and reordered, a plan edited, the run sheet saved, and on air the
keyboard moving through items, changing a price and recording a sale."""

import pypdf
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from sqlmodel import select

from studio.inventory.tables import Item
from studio.orders.tables import Order
from studio.shows import service as shows
from studio.sync.tables import OpKind, OutboxOp


@pytest.fixture
def window(rack, main_window):
    return main_window()


def lineup_skus(section):
    return [row.sku for row in section.view.rows] if section.view else []


def by_sku(items, sku):
    return next(item for item in items if item.sku == sku)


def drop(section, items, y):
    mime = section.picker.mimeData(items)
    event = QDropEvent(
        QPointF(10, y),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    section.lineup.dropEvent(event)


def test_a_show_prepared_and_run_with_a_sale(qtbot, window, database, rack, tmp_path):
    jeans, jacket, shirt, boots, scarf = rack
    section = window.sections["shows"]
    window.show_section("shows")
    section.new_title.setText("Friday live")
    qtbot.keyClick(section.new_title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.view is not None and section.view.title == "Friday live")
    qtbot.waitUntil(lambda: section.picker.count() == 5)

    # Dragged in from the inventory picker, then the rest with Enter.
    by_id = {
        section.picker.item(r).data(Qt.ItemDataRole.UserRole): section.picker.item(r)
        for r in range(section.picker.count())
    }
    drop(section, [by_id[jacket.id], by_id[jeans.id]], 5)
    qtbot.waitUntil(lambda: lineup_skus(section) == [jacket.sku, jeans.sku])
    qtbot.waitUntil(lambda: section.picker.count() == 3)
    drop(section, [section.picker.item(0)], 0)  # above the first row: goes first
    qtbot.waitUntil(lambda: len(lineup_skus(section)) == 3)
    first = lineup_skus(section)[0]
    assert lineup_skus(section)[1:] == [jacket.sku, jeans.sku]
    section.picker.selectAll()
    qtbot.keyClick(section.picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(lineup_skus(section)) == 5)

    # Delete takes one out; the items selected in the Inventory section come back in.
    section.lineup.setCurrentRow(4)
    gone = lineup_skus(section)[4]
    qtbot.keyClick(section.lineup, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(lineup_skus(section)) == 4)
    window.show_section("inventory")
    qtbot.waitUntil(lambda: window.inventory.model.row_of(by_sku(rack, gone).id) is not None)
    window.inventory.select_items([by_sku(rack, gone).id])
    window.show_section("shows")
    section.from_inventory.click()
    qtbot.waitUntil(lambda: lineup_skus(section)[4:] == [gone])

    # Reordered from the keyboard: the first item down one place.
    section.lineup.setCurrentRow(0)
    qtbot.keyClick(section.lineup, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: lineup_skus(section)[:2] == [jacket.sku, first])

    # The jacket's plan: a higher opening price and floor, the notes as typed.
    section.lineup.setCurrentRow(0)
    assert section.opening.text() == "65.00" and "pit to pit 21.5 in" in section.notes.toPlainText()
    section.opening.setText("70")
    section.floor.setText("50")
    section.notes.setPlainText("Raw denim, fades beautifully")
    section.save_plan()
    qtbot.waitUntil(lambda: section.view.rows[0].opening_cents == 7000)
    assert section.view.rows[0].talking_points == "Raw denim, fades beautifully"
    # A sync touching the item while the seller types does not wipe what is typed.
    section.opening.setText("72")
    with qtbot.waitSignal(section.shown, timeout=10_000):
        with database.transaction() as session:
            session.get(Item, jacket.id).bin_location = "A3"
    assert section.view.rows[0].bin_location == "A3" and section.opening.text() == "72"

    pdf = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(section.jobs.finished, timeout=20_000):
        section.save_run_sheet(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)
    assert "Run sheet: Friday live" in text and "$70.00" in text and "Pull list" in text

    # On air.
    mode = section.start_show(full_screen=False)
    qtbot.addWidget(mode)
    qtbot.waitUntil(lambda: mode.view is not None and mode.view.status == "live")
    assert mode.current.sku == jacket.sku and mode.price.text() == "$70.00"
    qtbot.keyClick(mode, Qt.Key.Key_Right)
    assert mode.current.sku == first
    qtbot.keyClick(mode, Qt.Key.Key_Left)
    qtbot.keyClick(mode, Qt.Key.Key_Minus)
    qtbot.keyClick(mode, Qt.Key.Key_5)  # two keystrokes: 5.00 off
    qtbot.waitUntil(lambda: mode.price.text() == "$65.00")
    qtbot.keyClick(mode, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: mode.price.text() == "$66.00")

    qtbot.keyClick(mode, Qt.Key.Key_S)
    assert mode.sale_bar.isVisible() and mode.sale_price.text() == "66.00"
    qtbot.keyClicks(mode.buyer, "mia_k")
    with qtbot.waitSignal(mode.message, timeout=10_000) as said:
        qtbot.keyClick(mode.buyer, Qt.Key.Key_Return)
    assert said.args[0].startswith(f"Sold {jacket.sku} to mia_k at $66.00")
    qtbot.waitUntil(lambda: mode.sold.text() == "SOLD to mia_k at $66.00")
    with database.session() as session:
        assert session.get(Item, jacket.id).status == "sold"
        delists = session.exec(
            select(OutboxOp.marketplace).where(
                OutboxOp.item_id == jacket.id, OutboxOp.kind == OpKind.DELIST.value
            )
        ).all()
        assert sorted(delists) == ["seller-api", "thrift-hub"]
        order = session.exec(select(Order).where(Order.buyer_name == "mia_k")).one()
        assert (order.total_cents, order.status) == (6600, "to_ship")
        unsold = [
            i for i in (jeans, shirt, boots, scarf) if session.get(Item, i.id).status != "listed"
        ]
        assert unsold == []

    # Esc twice ends it: the summary, and price drops for what did not sell.
    qtbot.keyClick(mode, Qt.Key.Key_Escape)
    qtbot.keyClick(mode, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: mode.pages.currentWidget() is mode.summary)
    qtbot.waitUntil(lambda: mode.summary.figures.text() == "1 sold · $66.00 revenue · 4 unsold")
    mode.summary.drops.click()
    qtbot.waitUntil(lambda: mode.summary.outcome.text().startswith("Price drops: 2 done"))
    with database.session() as session:
        assert session.get(shows.Show, section.show_id).status == "ended"
