"""The Inventory section: search as you type, filters, the item table and its actions."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.inventory import service as inventory
from studio.inventory import sku as skus
from studio.inventory.queries import (
    ItemQuery,
    OrderCache,
    count_items,
    distinct_values,
    fetch_rows,
    search_ids,
)
from studio.inventory.tables import ItemStatus
from studio.sync.publishing import publish_items
from studio.sync.status import item_states
from studio.ui.banner import Banner
from studio.ui.hub import ItemsChanged
from studio.ui.inventory import commands
from studio.ui.inventory.bulk_edit import BulkEditDialog
from studio.ui.inventory.csv_transfer import CsvTransfer
from studio.ui.inventory.editor import ItemEditor
from studio.ui.inventory.filters import FilterBar
from studio.ui.inventory.prefixes_dialog import PrefixesDialog
from studio.ui.inventory.table_model import COLUMNS, ItemTableModel
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

SEARCH_DELAY_MS = 120
FACETS = ("category", "size", "brand")


class InventorySection(QWidget):
    title = "Inventory"
    data_shown = Signal()  # the first search result is on screen
    counts_changed = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.context = commands.CommandContext(services.database, services.hub, self.report_error)
        self.query = ItemQuery()
        self.order_cache = OrderCache()
        self.total = 0
        self.editor: ItemEditor | None = None
        self._generation = 0
        self._select_after_search: list[int] = []
        self._first_data = True

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search SKU, title, brand, description, tags   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.filters = FilterBar()
        self.banner = Banner()
        self.model = ItemTableModel(
            self._fetch_rows, services.thumbnails, self, fetch_sync=self._fetch_sync
        )
        self.table = self._make_table()
        self.csv = CsvTransfer(self)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.filters.changed.connect(self._debounce.start)
        self.model.sort_requested.connect(self._sort)
        services.hub.items_changed.connect(self._on_items_changed)

        self.actions_by_name = self._make_actions()
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for name in ("new", "edit", "duplicate", "bulk_edit", "archive", "delete"):
            button = QToolButton()
            button.setDefaultAction(self.actions_by_name[name])
            tools.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self._restore_view_settings()
        self._update_actions()
        self.refresh_facets()
        self.refresh()

    # Building
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights let the view skip measuring 50,000 rows.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(50)
        header = table.horizontalHeader()
        updated = next(i for i, c in enumerate(COLUMNS) if c.key == "updated_at")
        header.setSortIndicator(updated, Qt.SortOrder.DescendingOrder)
        for index, column in enumerate(COLUMNS):
            table.setColumnWidth(index, column.width)
        # The title takes the room that is left, so the table fits without scrolling sideways.
        title = next(i for i, c in enumerate(COLUMNS) if c.key == "title")
        header.setSectionResizeMode(title, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        table.doubleClicked.connect(lambda _index: self.edit_item())
        table.selectionModel().selectionChanged.connect(self._update_actions)
        return table

    def _make_actions(self) -> dict[str, QAction]:
        specs: Sequence[tuple[str, str, Any, Callable[[], None]]] = (
            ("new", "New item", QKeySequence.StandardKey.New, self.new_item),
            ("edit", "Edit", "Ctrl+E", self.edit_item),
            ("duplicate", "Duplicate", "Ctrl+D", self.duplicate_items),
            ("bulk_edit", "Bulk edit…", "Ctrl+B", self.bulk_edit),
            ("archive", "Archive", "Ctrl+Shift+A", self.archive_items),
            ("publish", "List on marketplace", "Ctrl+L", self.publish_items),
            ("prefixes", "SKU prefixes…", "", self.edit_prefixes),
            ("delete", "Delete…", QKeySequence.StandardKey.Delete, self.delete_items),
            ("find", "Find", QKeySequence.StandardKey.Find, self.focus_search),
            ("import", "Import CSV…", "Ctrl+I", self.csv.start_import),
            ("export", "Export CSV…", "Ctrl+Shift+E", self.csv.start_export),
        )
        made = {}
        for name, text, shortcut, slot in specs:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            made[name] = action
        return made

    # Reading
    def _fetch_rows(self, ids: Sequence[int]) -> dict:
        with self.services.database.session() as session:
            return fetch_rows(session, ids)

    def _fetch_sync(self, ids: Sequence[int]) -> dict[int, str]:
        with self.services.database.session() as session:
            return {item_id: state.value for item_id, state in item_states(session, ids).items()}

    def current_query(self) -> ItemQuery:
        return self.filters.apply_to(replace(self.query, text=self.search.text()))

    def refresh(self) -> None:
        """Runs the search off the UI thread; only the newest answer is shown."""
        self._generation += 1
        generation, query = self._generation, self.current_query()
        database, cache = self.services.database, self.order_cache

        def work(_context: TaskContext) -> tuple[list[int], int]:
            with database.session() as session:
                return search_ids(session, query, cache), count_items(session)

        self.services.runner.run(
            "Searching", work, on_done=lambda result: self._show(generation, *result)
        )

    def refresh_facets(self) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> dict[str, list[str]]:
            with database.session() as session:
                return {name: distinct_values(session, name) for name in FACETS}

        self.services.runner.run("Reading filters", work, on_done=self._set_facets)

    def _set_facets(self, facets: dict[str, list[str]]) -> None:
        self.facets = facets
        for name, values in facets.items():
            self.filters.set_choices(name, values)

    def _show(self, generation: int, ids: list[int], total: int) -> None:
        if generation != self._generation:
            return
        keep = self._select_after_search or self.selected_ids()
        self._select_after_search = []
        self.total = total
        self.model.set_ids(ids)
        self._select(keep)
        self._update_actions()
        if self._first_data:
            self._first_data = False
            self.data_shown.emit()

    def _select(self, ids: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        first = True
        for item_id in ids:
            row = self.model.row_of(item_id)
            if row is None:
                continue
            index = self.model.index(row, 1)
            if first:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                first = False
            selection.select(index, flags)

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.ids[row] for row in rows if row < len(self.model.ids)]

    def _sort(self, key: str, descending: bool) -> None:
        self.query = replace(self.query, sort=key, descending=descending)
        self.refresh()

    def _on_items_changed(self, change: ItemsChanged) -> None:
        self.model.mark_stale(change.ids)
        if change.rows_changed:
            self.model.forget_all()
            self.refresh()
            self.refresh_facets()

    def _update_actions(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        for name in ("duplicate", "archive", "delete", "publish"):
            self.actions_by_name[name].setEnabled(count > 0)
        self.actions_by_name["edit"].setEnabled(count == 1)
        self.actions_by_name["bulk_edit"].setEnabled(count > 1)
        shown = len(self.model.ids)
        text = f"{self.total:,} items · {shown:,} shown"
        self.counts_changed.emit(text + (f" · {count:,} selected" if count else ""))

    # Acting
    def report_error(self, what: str, error: BaseException) -> None:
        self.banner.show_error(f"{what} failed: {error}")

    def _push(self, command: Any) -> None:
        self.services.undo_stack.push(command)

    def _suggestions(self) -> dict[str, list[str]]:
        return getattr(self, "facets", {})

    def new_item(self) -> None:
        def save(raw: dict[str, Any]) -> None:
            item_id, command = commands.create_item(self.context, raw)
            self._select_after_search = [item_id]
            self._push(command)

        self._open_editor(ItemEditor(save, suggestions=self._suggestions(), parent=self))

    def edit_item(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        item_id = ids[0]
        with self.services.database.session() as session:
            initial = inventory.snapshot(inventory.get_item(session, item_id))

        def save(raw: dict[str, Any]) -> None:
            if raw:
                self._push(commands.edit_item(self.context, item_id, raw))

        self._open_editor(ItemEditor(save, initial, self._suggestions(), parent=self))

    def _open_editor(self, editor: ItemEditor) -> None:
        self.editor = editor
        editor.finished.connect(lambda _result: setattr(self, "editor", None))
        editor.open()

    def duplicate_items(self) -> None:
        ids = self.selected_ids()
        if ids:
            new_ids, command = commands.duplicate_items(self.context, ids)
            self._select_after_search = new_ids
            self._push(command)

    def bulk_edit(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            return

        def apply(edit: inventory.BulkEdit) -> None:
            text = f"Bulk edit of {len(ids)} items"
            self._push(commands.bulk_edit(self.context, ids, edit, text))

        dialog = BulkEditDialog(len(ids), apply, self)
        self.bulk_dialog = dialog
        dialog.open()

    def archive_items(self) -> None:
        ids = self.selected_ids()
        if ids:
            edit = inventory.BulkEdit(status=ItemStatus.ARCHIVED.value)
            self._push(commands.bulk_edit(self.context, ids, edit, f"Archive {len(ids)} item(s)"))
            self.banner.show_info(f"Archived {len(ids)} item(s). Undo with Ctrl+Z.")

    def delete_items(self, confirmed: bool = False) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                "Delete items",
                f"Delete {len(ids)} item(s) and their photo links? You can undo with Ctrl+Z.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._push(commands.delete_items(self.context, ids))

    def publish_items(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        database = self.services.database

        def work(_context: TaskContext) -> int:
            with database.transaction() as session:
                return publish_items(session, ids)

        self.services.runner.run(
            "Listing items",
            work,
            on_done=lambda count: self._published(ids, count),
            on_error=lambda error: self.banner.show_error(str(error)),
            writes=True,
        )

    def _published(self, ids: list[int], count: int) -> None:
        skipped = len(ids) - count
        note = f" ({skipped} already listed)" if skipped else ""
        self.banner.show_info(f"Queued {count} item(s) for the marketplace{note}.")
        self.services.hub.announce_items(set(ids))

    def edit_prefixes(self) -> None:
        with self.services.database.session() as session:
            current = skus.prefixes(session)

        def save(changes: dict[str, str]) -> None:
            with self.services.database.transaction() as session:
                for category, prefix in changes.items():
                    skus.set_prefix(session, category, prefix)
            if changes:
                self.banner.show_info(f"Saved {len(changes)} SKU prefix(es).")

        self.prefixes_dialog = PrefixesDialog(current, save, self)
        self.prefixes_dialog.open()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # View settings
    def _restore_view_settings(self) -> None:
        state = self.services.settings.value("inventory/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
        key = self.services.settings.value("inventory/sort", "updated_at")
        descending = self.services.settings.value("inventory/descending", "true") == "true"
        if key in {c.key for c in COLUMNS}:
            self.query = replace(self.query, sort=str(key), descending=descending)

    def save_view_settings(self) -> None:
        settings = self.services.settings
        settings.setValue("inventory/header", self.table.horizontalHeader().saveState())
        settings.setValue("inventory/sort", self.query.sort)
        settings.setValue("inventory/descending", "true" if self.query.descending else "false")
