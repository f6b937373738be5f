import sys
from decimal import Decimal

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory.queries import ItemQuery, search_ids
from studio.inventory.tables import Item
from studio.ui.inventory.table_model import COLUMNS


def shown_ids(section) -> list[int]:
    return list(section.model.ids)


def expected_ids(database, **criteria) -> list[int]:
    with database.session() as session:
        return search_ids(session, ItemQuery(statuses=ACTIVE, **criteria))


ACTIVE = ("draft", "ready", "listed", "sold", "shipped")


def test_the_table_shows_the_inventory_lazily(section, database):
    assert shown_ids(section) == expected_ids(database)
    first = section.model.index(0, 1)
    with database.session() as session:
        sku = inventory.get_item(session, section.model.ids[0]).sku
    assert section.model.data(first) == sku
    assert "300 items" in section.window().counts.text()


def test_add_an_item_through_the_editor(qtbot, section, database):
    section.actions_by_name["new"].trigger()
    editor = section.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.inputs["title"], "Reformation linen midi dress")
    qtbot.keyClicks(editor.inputs["category"], "Dresses")
    qtbot.keyClicks(editor.inputs["list_price_cents"], "-5")
    assert editor.errors["list_price_cents"].isVisible()  # told while typing
    editor.inputs["list_price_cents"].clear()
    qtbot.keyClicks(editor.inputs["list_price_cents"], "68")
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )

    with database.session() as session:
        item = session.exec(select(Item).where(Item.title == "Reformation linen midi dress")).one()
    assert item.list_price_cents == 6800 and item.sku.startswith("DRE-")
    qtbot.waitUntil(lambda: section.selected_ids() == [item.id])
    assert not editor.isVisible()


def test_the_editor_keeps_the_form_open_on_a_duplicate_sku(qtbot, section, database):
    section.actions_by_name["new"].trigger()
    editor = section.editor
    editor.set_text("title", "Copy cat")
    with database.session() as session:
        taken = inventory.get_item(session, section.model.ids[0]).sku
    editor.set_text("sku", taken)
    editor.submit()
    assert editor.isVisible()
    assert "already used" in editor.errors["sku"].text()
    with database.session() as session:
        assert session.exec(select(Item).where(Item.title == "Copy cat")).all() == []


def test_search_filters_as_you_type(qtbot, section, database):
    qtbot.keyClicks(section.search, "lulu leg")
    expected = expected_ids(database, text="lulu leg")
    assert 0 < len(expected) < 300
    qtbot.waitUntil(lambda: shown_ids(section) == expected, timeout=5000)
    section.filters.combos["size"].setCurrentText("6")
    expected = expected_ids(database, text="lulu leg", size="6")
    qtbot.waitUntil(lambda: shown_ids(section) == expected, timeout=5000)


def test_bulk_edit_three_rows_then_undo_and_redo(qtbot, section, database):
    qtbot.waitUntil(lambda: len(section.model.ids) > 3)
    ids = section.model.ids[:3]
    section._select(ids)
    assert sorted(section.selected_ids()) == sorted(ids)
    with database.session() as session:
        before = {i: inventory.get_item(session, i).list_price_cents for i in ids}

    section.actions_by_name["bulk_edit"].trigger()
    dialog = section.bulk_dialog
    qtbot.keyClicks(dialog.price, "-10")
    dialog.status.setCurrentText("ready")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    def prices() -> dict[int, tuple[int | None, str]]:
        with database.session() as session:
            return {
                i: (
                    inventory.get_item(session, i).list_price_cents,
                    inventory.get_item(session, i).status,
                )
                for i in ids
            }

    after = {i: (int(Decimal(before[i]) * Decimal("0.9")), "ready") for i in ids}
    assert prices() == after
    row = section.model.row_of(ids[0])
    assert section.model.data(section.model.index(row, 7)) == "ready"  # repainted, not stale

    stack = section.services.undo_stack
    stack.undo()
    assert {i: p for i, (p, _s) in prices().items()} == before
    stack.redo()
    assert prices() == after


def test_delete_asks_nothing_when_confirmed_and_undo_brings_it_back(qtbot, section, database):
    victim = section.model.ids[0]
    section._select([victim])
    section.delete_items(confirmed=True)
    qtbot.waitUntil(lambda: victim not in section.model.ids)
    section.services.undo_stack.undo()
    qtbot.waitUntil(lambda: victim in section.model.ids)
    with database.session() as session:
        assert inventory.get_item(session, victim).id == victim


def test_clicking_a_header_sorts_in_the_database(qtbot, section, database):
    price_column = next(i for i, c in enumerate(COLUMNS) if c.key == "list_price_cents")
    section.table.sortByColumn(price_column, Qt.SortOrder.AscendingOrder)
    expected = expected_ids(database, sort="list_price_cents", descending=False)
    qtbot.waitUntil(lambda: shown_ids(section) == expected)


def test_the_model_does_not_leak_none_references(section):
    # PySide6 6.12 on CPython 3.11 corrupted None's refcount whenever data() returned None.
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(section.model)
    before = sys.getrefcount(None)
    for row in range(50):
        for column in range(len(COLUMNS)):
            index = proxy.index(row, column)
            for role in (
                Qt.ItemDataRole.EditRole,
                Qt.ItemDataRole.CheckStateRole,
                Qt.ItemDataRole.BackgroundRole,
                Qt.ItemDataRole.DecorationRole,
            ):
                proxy.data(index, role)
    assert abs(sys.getrefcount(None) - before) < 100


def test_view_settings_survive_a_restart(qtbot, window, data_dir, database):
    from studio.ui.app import build_services
    from studio.ui.main_window import MainWindow

    window.inventory._sort("title", False)
    window.resize(window.width(), 640)
    window.close()
    again = MainWindow(build_services(data_dir, database))
    qtbot.addWidget(again)
    assert again.inventory.query.sort == "title"
    assert again.inventory.query.descending is False
    assert again.size().height() == 640


def test_sku_prefixes_are_edited_in_a_dialog(qtbot, section, add_item):
    section.actions_by_name["prefixes"].trigger()
    dialog = section.prefixes_dialog
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    dialog.table.item(rows["Tops"], 1).setText("t!")
    dialog.submit()
    assert dialog.isVisible() and "not a prefix" in dialog.message.text()
    dialog.table.item(rows["Tops"], 1).setText("tee")
    dialog.submit()
    assert not dialog.isVisible()
    assert add_item(title="Striped tee", category="Tops").sku.startswith("TEE-")
