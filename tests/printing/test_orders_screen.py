"""The Orders screen, driven with qtbot: select orders, mark one shipped, print the batch to
a PDF, open the preview and the template editor."""

import pytest

from studio.ui.app import build_services
from studio.ui.main_window import MainWindow

from .conftest import page_text, pdf_pages


@pytest.fixture
def screen(qtbot, database, data_dir, make_order, shop):
    ids = [
        make_order("700001", buyer="Perpetua Lindqvist"),
        make_order("700002", buyer="Octavian Brightwater"),
    ]
    services = build_services(data_dir, database)
    window = MainWindow(services)
    qtbot.addWidget(window)
    section = window.sections["orders"]
    with qtbot.waitSignal(section.orders_shown, timeout=10_000):
        window.show()
        window.show_section("orders")
    yield section, ids
    services.runner.wait_all()


def test_orders_to_ship_are_listed_newest_first(screen) -> None:
    section, ids = screen
    assert [o.id for o in section.model.orders] == [ids[0], ids[1]]
    assert section.model.index(0, 1).data() == "Perpetua Lindqvist"


def test_mark_shipped_from_the_detail(screen, qtbot) -> None:
    section, ids = screen
    section.select_orders([ids[1]])
    assert section.detail.order.id == ids[1]
    section.detail.tracking.setText("1Z 555 0101")
    with qtbot.waitSignal(section.orders_shown, timeout=10_000):
        section.detail.ship_button.click()
    assert [o.id for o in section.model.orders] == [ids[0]]
    assert "marked shipped" in section.banner.text.text()
    section.status.setCurrentIndex(1)  # Shipped
    qtbot.waitUntil(lambda: [o.id for o in section.model.orders] == [ids[1]], timeout=10_000)
    assert section.model.orders[0].tracking_number == "1Z 555 0101"


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
    editor = section.editor
    editor.body.setPlainText("Dear {buyer_first_name}, enjoy!")
    editor.refresh_preview()
    assert not editor.preview.pixmap().isNull()
    editor.save()
    assert editor.templates[0].body == "Dear {buyer_first_name}, enjoy!"
    editor.reject()
