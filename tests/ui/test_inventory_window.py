import sys
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QDialog, QStyledItemDelegate, QStyleOptionViewItem, QTableView
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory.queries import PAGE_ROWS, ItemQuery, search_ids
from studio.inventory.tables import Item
from studio.jobs.scheduler import stop_jobs
from studio.ui.app import build_services
from studio.ui.inventory.section import InventorySection
from studio.ui.inventory.table_model import COLUMNS, ItemTableModel
from studio.ui.tasks import TaskRunner
from studio.ui.thumbnails import ThumbnailCache

TITLE = next(i for i, c in enumerate(COLUMNS) if c.key == "title")


def shown_ids(section) -> list[int]:
    """Every id the table shows once read: ids past the first page are read when the view
    reaches them, so this asks for them and is empty until they are known."""
    model = section.model
    return list(model.ids) if model.all_ids_known(model.rowCount() - 1) else []


def expected_ids(database, **criteria) -> list[int]:
    with database.session() as session:
        return search_ids(session, ItemQuery(statuses=ACTIVE, **criteria))


ACTIVE = ("draft", "ready", "listed", "sold", "shipped")


def test_the_table_shows_the_inventory_lazily(qtbot, section, database):
    expected = expected_ids(database)
    # The search read one page of ids, then counted the rest without reading them.
    assert section.model.ids == expected[:PAGE_ROWS] and len(expected) > PAGE_ROWS
    qtbot.waitUntil(lambda: section.model.rowCount() == len(expected))
    assert len(section.model.ids) == PAGE_ROWS
    last = section.model.index(len(expected) - 1, 1)
    section.model.data(last)  # the view reaching the last row reads the ids up to it
    qtbot.waitUntil(lambda: section.model.ids == expected)
    first = section.model.index(0, 1)
    with database.session() as session:
        sku = inventory.get_item(session, section.model.ids[0]).sku
    # Rows are read off the UI thread, a block at a time, and painted when they arrive.
    qtbot.waitUntil(lambda: section.model.data(first) == sku)
    assert "300 items" in section.window().counts.text()


def test_add_an_item_through_the_editor(qtbot, section, database):
    section.actions_by_name["new"].trigger()
    qtbot.waitUntil(lambda: section.editor is not None)  # opens once the templates are read
    editor = section.editor
    assert editor.isVisible()
    qtbot.keyClicks(editor.inputs["title"], "Reformation linen midi dress")
    qtbot.keyClicks(editor.inputs["category"], "Dresses")
    qtbot.keyClicks(editor.inputs["list_price_cents"], "-5")
    assert editor.errors["list_price_cents"].isVisible()  # told while typing
    editor.inputs["list_price_cents"].clear()
    qtbot.keyClicks(editor.inputs["list_price_cents"], "68")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())  # closed once the write succeeded

    with database.session() as session:
        item = session.exec(select(Item).where(Item.title == "Reformation linen midi dress")).one()
    assert item.list_price_cents == 6800 and item.sku.startswith("DRE-")
    qtbot.waitUntil(lambda: section.selected_ids() == [item.id])
    assert section.services.undo_stack.undoText() == f"Add {item.sku}"


def test_the_editor_keeps_the_form_open_on_a_duplicate_sku(qtbot, section, database):
    section.actions_by_name["new"].trigger()
    qtbot.waitUntil(lambda: section.editor is not None)
    editor = section.editor
    editor.set_text("title", "Copy cat")
    with database.session() as session:
        taken = inventory.get_item(session, section.model.ids[0]).sku
    editor.set_text("sku", taken)
    undo_steps = section.services.undo_stack.count()
    editor.submit()
    qtbot.waitUntil(lambda: "already used" in editor.errors["sku"].text())
    assert editor.isVisible() and editor.errors["sku"].isVisible()
    assert section.services.undo_stack.count() == undo_steps  # nothing to undo
    with database.session() as session:
        assert session.exec(select(Item).where(Item.title == "Copy cat")).all() == []


def test_search_filters_as_you_type(qtbot, section, database):
    with database.session() as session:  # e.g. "lulu jea" for Lululemon jeans
        query = select(Item).where(Item.brand == "Lululemon", Item.status != "archived")
        wanted = session.exec(query).first()
    text = f"lulu {wanted.title.split()[-1][:3]}"
    qtbot.keyClicks(section.search, text)
    expected = expected_ids(database, text=text)
    assert 0 < len(expected) < 300
    qtbot.waitUntil(lambda: shown_ids(section) == expected, timeout=5000)
    section.filters.combos["size"].setCurrentText(wanted.size)
    expected = expected_ids(database, text=text, size=wanted.size)
    assert wanted.id in expected
    qtbot.waitUntil(lambda: shown_ids(section) == expected, timeout=5000)


def test_bulk_edit_three_rows_then_undo_and_redo(qtbot, section, database):
    qtbot.waitUntil(lambda: len(section.model.ids) > 3)
    ids = section.model.ids[:3]
    section.select_items(ids)
    assert sorted(section.selected_ids()) == sorted(ids)
    with database.session() as session:
        before = {i: inventory.get_item(session, i).list_price_cents for i in ids}

    section.actions_by_name["bulk_edit"].trigger()
    dialog = section.bulk_dialog
    qtbot.keyClicks(dialog.price, "-10")
    dialog.status.setCurrentText("ready")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

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
    status = section.model.index(row, 7)
    qtbot.waitUntil(lambda: section.model.data(status) == "ready")  # read again, not stale

    stack = section.services.undo_stack
    assert stack.undoText() == "Bulk edit of 3 items"
    stack.undo()
    qtbot.waitUntil(lambda: {i: p for i, (p, _s) in prices().items()} == before)
    qtbot.waitUntil(lambda: section.model.data(status) == prices()[ids[0]][1])
    stack.redo()
    qtbot.waitUntil(lambda: prices() == after)


def test_delete_asks_nothing_when_confirmed_and_undo_brings_it_back(qtbot, section, database):
    victim = section.model.ids[0]
    section.select_items([victim])
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


def test_the_model_does_not_leak_none_references(qtbot, section):
    # PySide6 6.12 on CPython 3.11 corrupted None's refcount whenever data() returned None.
    # The rows are read first: a reader thread building rows moves None's count as well.
    qtbot.waitUntil(lambda: all(section.model.item_row(row) for row in range(50)))
    section.services.runner.wait_all()
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
    from studio.ui.main_window import MainWindow

    window.inventory._sort("title", False)
    window.resize(window.width(), 640)
    window.close()
    again = MainWindow(build_services(data_dir, database, background=False))
    qtbot.addWidget(again)
    assert again.inventory.query.sort == "title"
    assert again.inventory.query.descending is False
    assert again.size().height() == 640


def test_sku_prefixes_are_edited_in_a_dialog(qtbot, section, add_item):
    section.actions_by_name["prefixes"].trigger()
    qtbot.waitUntil(lambda: section.prefixes_dialog is not None)  # once they were read
    dialog = section.prefixes_dialog
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    dialog.table.item(rows["Tops"], 1).setText("t!")
    dialog.submit()
    assert dialog.isVisible() and "not a prefix" in dialog.message.text()
    dialog.table.item(rows["Tops"], 1).setText("tee")
    dialog.submit()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: "Saved 1 SKU prefix" in section.banner.text.text())
    assert add_item(title="Striped tee", category="Tops").sku.startswith("TEE-")


def test_edit_reads_the_item_then_saves_and_undo_names_it(qtbot, section, database):
    item_id = section.model.ids[0]
    title = section.model.index(0, TITLE)
    with database.session() as session:
        item = inventory.get_item(session, item_id)
    qtbot.waitUntil(lambda: section.model.data(title) == item.title)
    section.select_items([item_id])
    section.actions_by_name["edit"].trigger()
    qtbot.waitUntil(lambda: section.editor is not None)  # opened once the item was read
    editor = section.editor
    assert editor.text_of("title") == item.title
    editor.set_text("title", "Renamed in the editor")
    editor.submit()
    qtbot.waitUntil(lambda: not editor.isVisible())
    qtbot.waitUntil(lambda: section.model.data(title) == "Renamed in the editor")
    stack = section.services.undo_stack
    assert stack.undoText() == f"Edit {item.sku}"

    stack.undo()
    qtbot.waitUntil(lambda: section.model.data(title) == item.title)
    assert stack.redoText() == f"Edit {item.sku}"
    with database.session() as session:
        assert inventory.get_item(session, item_id).title == item.title


def test_an_undo_that_cannot_be_written_says_so_in_the_banner(qtbot, section, database):
    victim = section.model.ids[0]
    section.select_items([victim])
    section.archive_items()
    qtbot.waitUntil(lambda: "Archived 1 item(s)" in section.banner.text.text())
    with database.transaction() as session:  # gone meanwhile, e.g. deleted by sync
        inventory.delete_items(session, [victim])
    section.services.undo_stack.undo()
    qtbot.waitUntil(lambda: section.banner.kind == "error")
    assert "Undo “Archive 1 item(s)” failed" in section.banner.text.text()
    assert "no longer exists" in section.banner.text.text()


def test_inline_mode_edit_and_undo_change_the_row_at_once(qtbot, database, data_dir, add_item):
    """The task bridge inline: writes, announcements and the row's reading all happen inside
    the call, so screen logic is tested without waiting."""
    item = add_item(title="Coach tote", category="Bags")
    services = build_services(data_dir, database, inline=True, background=False)
    try:
        section = InventorySection(services)
        qtbot.addWidget(section)
        row = section.model.row_of(item.id)
        assert row is not None  # the search ran in the constructor
        title = section.model.index(row, TITLE)
        assert section.model.data(title) == "Coach tote"

        section.select_items([item.id])
        section.edit_item()
        editor = section.editor
        assert editor is not None and editor.text_of("title") == "Coach tote"
        editor.set_text("title", "Coach tote bag")
        editor.submit()
        assert editor.result() == QDialog.DialogCode.Accepted
        assert section.model.data(title) == "Coach tote bag"
        assert services.undo_stack.undoText() == f"Edit {item.sku}"

        services.undo_stack.undo()
        assert section.model.data(title) == "Coach tote"
        services.undo_stack.redo()
        assert section.model.data(title) == "Coach tote bag"
    finally:
        stop_jobs(services.scheduler, database)


class HeldRunner:
    """A fake task bridge, named as such: each query reads at once, as a reader thread would,
    but its answer is held until the test delivers it. Real threads give these orders only
    sometimes; the model must be right in all of them."""

    def __init__(self, database) -> None:
        self.database = database
        self.held: list[tuple[Callable, object]] = []

    def query(self, label, read, on_done=None, on_error=None) -> None:
        with self.database.session() as session:
            self.held.append((on_done, read(session)))

    def answer(self) -> None:
        on_done, result = self.held.pop(0)
        on_done(result)


def rename(database, item_id: int, title: str) -> None:
    with database.transaction() as session:
        inventory.update_item(session, item_id, {"title": title})


def test_rows_come_in_blocks_and_a_stale_row_shows_until_read_again(qtbot, database, add_item):
    items = [add_item(title=f"Tee {n}") for n in range(3)]
    runner = HeldRunner(database)
    thumbnails = ThumbnailCache(TaskRunner(database, inline=True), lambda _hash: None, None)
    model = ItemTableModel(runner, thumbnails)
    model.set_ids([item.id for item in items])
    first, last = model.index(0, TITLE), model.index(2, TITLE)
    assert model.data(first) is None and model.data(last) is None
    assert len(runner.held) == 1  # one block for all three rows
    with qtbot.waitSignal(model.dataChanged):
        runner.answer()
    assert model.data(first) == "Tee 0"

    rename(database, items[0].id, "Tee zero")
    model.mark_stale({items[0].id})
    assert model.data(first) == "Tee 0"  # shown as it was while it is read again
    rename(database, items[0].id, "Tee nought")  # committed after that read
    model.mark_stale({items[0].id})
    runner.answer()
    assert model.data(first) == "Tee zero"  # newer, but still stale: asked again
    runner.answer()
    assert model.data(first) == "Tee nought"
    assert runner.held == []

    with database.transaction() as session:
        inventory.delete_items(session, [items[2].id])
    model.mark_stale({items[2].id})
    model.data(last)
    runner.answer()
    assert model.data(last) is None and runner.held == []  # gone: not asked for again


def test_stale_rows_the_view_shows_are_read_again_and_painted_only_if_changed(
    qtbot, database, add_item
):
    """Each repaint can wait on a running sync, so marking rows stale paints nothing by itself,
    and a row read again as it was is not painted again."""
    items = [add_item(title=f"Tee {n}") for n in range(5)]
    runner = HeldRunner(database)
    thumbnails = ThumbnailCache(TaskRunner(database, inline=True), lambda _hash: None, None)
    model = ItemTableModel(runner, thumbnails)
    model.set_ids([item.id for item in items])
    model.shown_rows = lambda: (0, 2)  # the view shows the first three rows
    model.data(model.index(0, TITLE))
    runner.answer()
    painted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, *_: painted.append((first.row(), last.row())))

    model.mark_stale({items[4].id})  # not shown: read when the view reaches it
    assert runner.held == [] and painted == []
    model.mark_stale({items[1].id, items[4].id})
    assert len(runner.held) == 1 and painted == []  # read again at once, nothing painted yet
    runner.answer()
    assert painted == []  # as it was
    rename(database, items[1].id, "Tee one")
    model.mark_stale({items[1].id})
    runner.answer()
    assert painted == [(1, 1)] and model.data(model.index(1, TITLE)) == "Tee one"
    rename(database, items[2].id, "Tee two")
    model.mark_all_stale()
    runner.answer()
    assert painted[1:] == [(2, 2)] and model.data(model.index(2, TITLE)) == "Tee two"


class CountedModel(ItemTableModel):
    """The inventory's model, counting the calls a view makes into Python."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.calls = {"data": 0, "multiData": 0}

    def data(self, *args):
        self.calls["data"] += 1
        return super().data(*args)

    def multiData(self, *args):
        self.calls["multiData"] += 1
        return super().multiData(*args)


def test_a_repaint_asks_each_cell_once_and_shows_what_data_gives(qtbot, database, add_item):
    """Each entry into Python from a paint may wait for the interpreter lock while a sync
    runs, so the table's cells are painted from one call each (multiData), never one a role."""
    items = [add_item(title=f"Tee {n}", list_price_cents=f"{12 + n}") for n in range(4)]
    runner = TaskRunner(database, inline=True)
    thumbnails = ThumbnailCache(runner, lambda _hash: None, None)
    model = CountedModel(runner, thumbnails)
    model.set_ids([item.id for item in items])
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(1600, 400)
    model.data(model.index(0, TITLE))  # the rows are read (inline)
    model.calls["data"] = 0
    table.viewport().grab()
    assert model.calls == {"data": 0, "multiData": len(items) * len(COLUMNS)}

    delegate = QStyledItemDelegate()
    status = next(i for i, c in enumerate(COLUMNS) if c.key == "status")
    price = next(i for i, c in enumerate(COLUMNS) if c.key == "list_price_cents")
    for column in (TITLE, status, price):
        index = model.index(0, column)
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, index)
        assert option.text == model.data(index) != ""
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, model.index(0, status))
    foreground = model.data(model.index(0, status), Qt.ItemDataRole.ForegroundRole)
    assert option.palette.text().color() == foreground
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, model.index(0, price))
    assert option.displayAlignment & Qt.AlignmentFlag.AlignRight
