"""The Orders screen, driven with qtbot: select orders, mark one shipped, follow orders
written elsewhere, print the batch to a PDF, open the preview and the template editor."""

import threading
from datetime import UTC, datetime

import pytest
from questions import answering

from studio.inventory.tables import Item
from studio.jobs.scheduler import stop_jobs
from studio.ui.app import build_services
from studio.ui.main_window import MainWindow

from .conftest import page_text, pdf_pages


@pytest.fixture
def screen(qtbot, database, data_dir, make_order, shop):
    ids = [
        make_order("700001", buyer="Perpetua Lindqvist"),
        make_order("700002", buyer="Octavian Brightwater"),
    ]
    services = build_services(data_dir, database, background=False)
    window = MainWindow(services)
    qtbot.addWidget(window)
    section = window.sections["orders"]
    with qtbot.waitSignal(section.orders_shown, timeout=10_000):
        window.show()
        window.show_section("orders")
    yield section, ids
    services.runner.wait_all()
    stop_jobs(services.scheduler, database)


def test_orders_to_ship_are_listed_newest_first(screen) -> None:
    section, ids = screen
    assert [o.id for o in section.model.orders] == [ids[0], ids[1]]
    assert section.model.index(0, 1).data() == "Perpetua Lindqvist"


def test_mark_shipped_from_the_detail(screen, qtbot) -> None:
    section, ids = screen
    section.select_orders([ids[1]])
    assert section.detail.order.id == ids[1]
    section.detail.tracking.setText("1Z 555 0101")
    with qtbot.waitSignal(section.orders_shown, timeout=10_000), answering(qtbot) as asked:
        section.detail.ship_button.click()
    assert "tracking number 1Z 555 0101" in asked.text and asked.button == "Mark shipped"
    assert [o.id for o in section.model.orders] == [ids[0]]
    qtbot.waitUntil(lambda: "marked shipped" in section.banner.text.text(), timeout=10_000)
    section.status.setCurrentIndex(1)  # Shipped
    qtbot.waitUntil(lambda: [o.id for o in section.model.orders] == [ids[1]], timeout=10_000)
    assert section.model.orders[0].tracking_number == "1Z 555 0101"


def test_an_order_written_on_another_thread_shows_without_a_nudge(
    screen, qtbot, make_order
) -> None:
    """Sync and scheduled jobs write orders on their own threads: the open list follows, and
    the order the seller chose stays chosen though its row moved down, with the tracking
    number being typed for it."""
    section, ids = screen
    section.select_orders([ids[1]])
    section.detail.tracking.setText("1Z 555")
    sync = threading.Thread(
        target=make_order,
        args=("700003",),
        kwargs={"buyer": "Wilhelmina Okafor", "ordered_at": datetime.now(UTC)},
    )
    sync.start()
    sync.join()
    qtbot.waitUntil(lambda: len(section.model.orders) == 3, timeout=10_000)
    assert section.model.orders[0].number == "700003"  # newest first
    assert section.selected_ids() == [ids[1]]
    assert section.detail.order is not None and section.detail.order.id == ids[1]
    assert section.detail.tracking.text() == "1Z 555"


def test_a_bin_moved_in_inventory_shows_in_the_open_order(screen, qtbot, database) -> None:
    section, ids = screen
    section.select_orders([ids[0]])
    item_id = section.detail.order.lines[0].item_id
    with database.transaction() as session:
        item = session.get(Item, item_id)
        item.bin_location = "Z9"
        session.add(item)
    qtbot.waitUntil(lambda: "bin Z9" in section.detail.lines.item(0).text(), timeout=10_000)


def test_print_the_selected_orders_batch_to_pdf(screen, qtbot, tmp_path) -> None:
    section, ids = screen
    section.select_orders(ids)
    assert sorted(section.selected_ids()) == sorted(ids)
    out = tmp_path / "batch.pdf"
    with qtbot.waitSignal(section.jobs.finished, timeout=30_000) as finished:
        section.print_batch(out)
    assert "Saved today's batch (7 pages)" in finished.args[0]
    pages = pdf_pages(out)
    assert "Pick list" in page_text(pages[0])
    assert "Perpetua" in page_text(pages[1])


def test_preview_and_template_editor_open(screen, qtbot) -> None:
    section, ids = screen
    section.select_orders([ids[0]])
    with qtbot.waitSignal(section.jobs.preview_opened, timeout=30_000) as opened:
        section.actions_by_name["cards"].trigger()
    preview = opened.args[0]
    assert preview.list.count() == 1
    preview.reject()
    section.edit_templates()
    qtbot.waitUntil(lambda: section.editor is not None, timeout=10_000)
    editor = section.editor
    assert editor.isVisible() and editor.templates
    editor.body.setPlainText("Dear {buyer_first_name}, enjoy!")
    editor.refresh_preview()
    assert not editor.preview.pixmap().isNull()
    editor.save()
    qtbot.waitUntil(
        lambda: editor.templates[0].body == "Dear {buyer_first_name}, enjoy!", timeout=10_000
    )
    editor.reject()
