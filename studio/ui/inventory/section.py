"""The Inventory section: search as you type, filters, the item table and its actions.

Every read is a `runner.query` and every change a `runner.write` (undoable ones through
commands.py); what a write changed comes back from the hub, whoever wrote it, and the
section re-reads what it shows from that.
"""

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
from sqlmodel import Session

from studio.inventory import descriptions
from studio.inventory import service as inventory
from studio.inventory import sku as skus
from studio.inventory.queries import (
    ItemQuery,
    OrderCache,
    SearchPage,
    count_items,
    count_matches,
    distinct_values,
    search_page,
)
from studio.inventory.tables import ItemStatus
from studio.photos import library as photo_library
from studio.storage.changes import Changes
from studio.sync import marketplace_details
from studio.sync.marketplace_details import Known, Lookups
from studio.sync.pricing import MarketplaceTerms, first_terms
from studio.sync.tables import ListingLink, MarketplaceAccount
from studio.ui.banner import Banner
from studio.ui.inventory import commands
from studio.ui.inventory.bulk_edit import BulkEditDialog
from studio.ui.inventory.csv_transfer import CsvTransfer
from studio.ui.inventory.editor import ItemEditor
from studio.ui.inventory.filters import FilterBar
from studio.ui.inventory.list_on import ListingChoice, ListOnDialog, queue_listings, queued_words
from studio.ui.inventory.list_on import read_choice as read_listing_choice
from studio.ui.inventory.listed_on import ListedOnDelegate
from studio.ui.inventory.marketplace_panel import PanelSetup
from studio.ui.inventory.prefixes_dialog import PrefixesDialog
from studio.ui.inventory.table_model import COLUMNS, ItemTableModel, MoreIds
from studio.ui.services import Services
from studio.ui.view_settings import INVENTORY_DESCENDING, INVENTORY_HEADER, INVENTORY_SORT

Failed = Callable[[BaseException], None]
SEARCH_DELAY_MS = 120
FACETS = ("category", "size", "brand")


def column_of(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


class InventorySection(QWidget):
    data_shown = Signal()  # the first search result is on screen
    counts_changed = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.context = commands.CommandContext(services.runner, self._push, self.report_error)
        self.query = ItemQuery()
        self.order_cache = OrderCache()
        self.total = 0
        self.editor: ItemEditor | None = None
        self.bulk_dialog: BulkEditDialog | None = None
        self.prefixes_dialog: PrefixesDialog | None = None
        self.list_dialog: ListOnDialog | None = None
        # Builds an eBay account's look-ups for the editor's eBay tab (tests hand in a stand-in).
        self.lookups_for: Callable[[str], Lookups] = lambda name: _listing_lookups(services, name)
        self._generation = 0
        self._select_after_search: list[int] = []
        self._first_data = True

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search SKU, title, brand, description, tags   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.filters = FilterBar()
        self.banner = Banner()
        self.model = ItemTableModel(services.runner, services.thumbnails, self)
        self.table = self._make_table()
        self.csv = CsvTransfer(self)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.filters.changed.connect(self._debounce.start)
        self.model.sort_requested.connect(self._sort)
        self.model.fetch_failed.connect(
            lambda text: self.banner.show_error(f"Reading items failed: {text}")
        )
        self.model.ids_arrived.connect(self._update_actions)
        services.hub.changed.connect(self._on_changes)

        self.actions_by_name = self._make_actions()
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for name in ("new", "edit", "duplicate", "bulk_edit", "publish", "archive", "delete"):
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
        header.setSortIndicator(column_of("updated_at"), Qt.SortOrder.DescendingOrder)
        for index, column in enumerate(COLUMNS):
            table.setColumnWidth(index, column.width)
        # The title takes the room that is left, so the table fits without scrolling sideways.
        header.setSectionResizeMode(column_of("title"), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        # "Listed on" is the model's last column (so older saved layouts still fit) but
        # reads best beside Sync; a layout saved since keeps wherever it is.
        listed_on = column_of("listed_on")
        table.setItemDelegateForColumn(listed_on, ListedOnDelegate(table))
        header.moveSection(header.visualIndex(listed_on), header.visualIndex(column_of("sync")) + 1)
        table.doubleClicked.connect(lambda _index: self.edit_item())
        table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.shown_rows = lambda: self._shown_rows(table)
        return table

    def _shown_rows(self, table: QTableView) -> tuple[int, int]:
        last = table.rowAt(table.viewport().height() - 1)
        return table.rowAt(0), self.model.rowCount() - 1 if last < 0 else last

    def _make_actions(self) -> dict[str, QAction]:
        specs: Sequence[tuple[str, str, Any, Callable[[], None]]] = (
            ("new", "New item", QKeySequence.StandardKey.New, self.new_item),
            ("edit", "Edit", "Ctrl+E", self.edit_item),
            ("duplicate", "Duplicate", "Ctrl+D", self.duplicate_items),
            ("bulk_edit", "Bulk edit…", "Ctrl+B", self.bulk_edit),
            ("archive", "Archive", "Ctrl+Shift+A", self.archive_items),
            ("publish", "List on…", "Ctrl+L", self.list_on),
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
        # The table's right-click menu: what can be done to the rows under the pointer.
        for name in ("edit", "duplicate", "bulk_edit", "publish", "archive", "delete"):
            self.table.addAction(made[name])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return made

    # Reading
    def current_query(self) -> ItemQuery:
        return self.filters.apply_to(replace(self.query, text=self.search.text()))

    def refresh(self) -> None:
        """Runs the search off the UI thread: its first page, then how many rows it has. A
        newer search cancels an older one still running; only the newest is shown."""
        self._generation += 1
        generation, query, cache = self._generation, self.current_query(), self.order_cache

        def more(session: Session, start: int, count: int) -> list[int]:
            return search_page(session, query, cache, start, count).ids

        def shown(page: SearchPage) -> None:
            self._show(generation, page, more)
            self.services.runner.query_latest(
                "search",
                "Counting items",
                lambda session: (count_matches(session, query, cache), count_items(session)),
                on_done=lambda counts: self._counted(generation, *counts),
            )

        self.services.runner.query_latest(
            "search", "Searching", lambda session: search_page(session, query, cache), shown
        )

    def refresh_facets(self) -> None:
        def read(session: Session) -> dict[str, list[str]]:
            return {name: distinct_values(session, name) for name in FACETS}

        self.services.runner.query("Reading filters", read, on_done=self._set_facets)

    def _set_facets(self, facets: dict[str, list[str]]) -> None:
        self.facets = facets
        for name, values in facets.items():
            self.filters.set_choices(name, values)

    def _show(self, generation: int, page: SearchPage, more: MoreIds) -> None:
        if generation != self._generation:
            return
        keep = self._select_after_search or self.selected_ids()
        self._select_after_search = []
        self.model.set_ids(page.ids, page.total, more)
        self.select_items(keep)
        self._update_actions()
        if self._first_data:
            self._first_data = False
            self.data_shown.emit()

    def _counted(self, generation: int, matches: int, total: int) -> None:
        if generation != self._generation:
            return
        self.total = total
        self.model.set_rows(matches)
        self._update_actions()

    def _select_soon(self, ids: Sequence[int]) -> None:
        """Selects items that a write just made: now if they are shown (the search already
        ran, as it does at once in inline mode), else when the search has run."""
        if ids and all(self.model.row_of(item_id) is not None for item_id in ids):
            self.table.selectionModel().clearSelection()
            self.select_items(ids)
            self._update_actions()
        else:
            self._select_after_search = list(ids)

    def select_items(self, ids: Sequence[int]) -> None:
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
        """The selected items whose ids are known (see `_update_actions`)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.ids[row] for row in rows if row < len(self.model.ids)]

    def _sort(self, key: str, descending: bool) -> None:
        self.query = replace(self.query, sort=key, descending=descending)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        """Any committed write, from this window, another screen, sync or a scheduled job."""
        # A listing link written is its item's badge changing (Changes.listings holds the
        # item ids); an account connected or removed adds or drops a badge on many rows.
        accounts_moved = MarketplaceAccount.__tablename__ in changes.rows_moved
        if changes.items or changes.listings:
            self.model.mark_stale(changes.items | changes.listings)
        if accounts_moved or (
            not (changes.items or changes.listings)
            and changes.touches("item", ListingLink.__tablename__)
        ):
            self.model.mark_all_stale()  # a write that did not say which items
        if changes.item_rows_moved:
            self.refresh()
        if changes.touches("item"):
            self.refresh_facets()

    def _update_actions(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        count = len(rows)
        # A selection reaching rows whose ids are not read yet (Select All over a big search)
        # acts once they are: until then its actions wait.
        known = self.model.all_ids_known(max((index.row() for index in rows), default=-1))
        for name in ("duplicate", "archive", "delete", "publish"):
            self.actions_by_name[name].setEnabled(count > 0 and known)
        self.actions_by_name["edit"].setEnabled(count == 1 and known)
        self.actions_by_name["bulk_edit"].setEnabled(count > 1 and known)
        shown = self.model.rowCount()
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
        def save(values: dict[str, Any], saved: Callable[[], None], failed: Failed) -> None:
            def created(item_id: int) -> None:
                self._select_soon([item_id])
                saved()

            commands.create_item(self.context, values, created, failed)

        def read(
            session: Session,
        ) -> tuple[dict[str, str], MarketplaceTerms | None, Known | None]:
            known = _known_on_ebay(session, "", "")
            return descriptions.bodies(session), first_terms(session), known

        def opened(found: tuple[dict[str, str], MarketplaceTerms | None, Known | None]) -> None:
            templates, terms, known = found
            editor = ItemEditor(
                save,
                None,
                self._suggestions(),
                self,
                templates=templates,
                terms=terms,
                marketplace=self._panel_setup(known, {}),
            )
            self._open_editor(editor)

        self.services.runner.query(
            "Opening a new item",
            read,
            on_done=opened,
            on_error=lambda error: self.report_error("Opening a new item", error),
        )

    def edit_item(self) -> None:
        """Reads the item as it is now (with its photo count and the description templates),
        then opens the editor on it."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        item_id = ids[0]

        def read(session: Session) -> tuple[Any, ...]:
            item = inventory.get_item(session, item_id)
            photos = photo_library.photo_count(session, item_id)
            snapshot = inventory.snapshot(item)
            words = marketplace_details.words_for(item.title, item.category)
            known = _known_on_ebay(session, item.category, words)
            aspects = marketplace_details.aspects_of(item.aspects)
            bodies, terms = descriptions.bodies(session), first_terms(session)
            return snapshot, photos, bodies, terms, known, aspects

        self.services.runner.query(
            "Opening the item",
            read,
            on_done=lambda found: self._edit(item_id, *found),
            on_error=lambda error: self.report_error("Opening the item", error),
        )

    def _edit(
        self,
        item_id: int,
        initial: dict[str, Any],
        photos: int,
        templates: dict[str, str],
        terms: MarketplaceTerms | None,
        known: Known | None,
        aspects: dict[str, str],
    ) -> None:
        def save(values: dict[str, Any], saved: Callable[[], None], failed: Failed) -> None:
            commands.edit_item(self.context, item_id, values, saved, failed)

        editor = ItemEditor(
            save,
            initial,
            self._suggestions(),
            self,
            templates=templates,
            photo_count=photos,
            terms=terms,
            marketplace=self._panel_setup(known, aspects),
        )
        self._open_editor(editor)

    def _panel_setup(self, known: Known | None, aspects: dict[str, str]) -> PanelSetup | None:
        if known is None:
            return None
        runner = self.services.runner
        return PanelSetup(runner, known.marketplace, known, self.lookups_for, aspects)

    def _open_editor(self, editor: ItemEditor) -> None:
        self.editor = editor
        editor.finished.connect(lambda _result: setattr(self, "editor", None))
        editor.open()

    def duplicate_items(self) -> None:
        ids = self.selected_ids()
        if ids:
            commands.duplicate_items(self.context, ids, on_done=self._select_soon)

    def bulk_edit(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            return
        text = f"Bulk edit of {len(ids)} items"

        def apply(edit: inventory.BulkEdit, applied: Callable[[], None], failed: Failed) -> None:
            commands.bulk_edit(self.context, ids, edit, text, applied, failed)

        dialog = BulkEditDialog(len(ids), apply, self)
        self.bulk_dialog = dialog
        dialog.open()

    def archive_items(self) -> None:
        ids = self.selected_ids()
        if ids:
            edit = inventory.BulkEdit(status=ItemStatus.ARCHIVED.value)
            commands.bulk_edit(
                self.context,
                ids,
                edit,
                f"Archive {len(ids)} item(s)",
                on_done=lambda: self.banner.show_info(
                    f"Archived {len(ids)} item(s). Undo with Ctrl+Z."
                ),
            )

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
        commands.delete_items(self.context, ids)

    def list_on(self) -> None:
        """Reads the connected marketplaces and what each selected item would get there,
        then asks where to list them."""
        ids = self.selected_ids()
        if not ids:
            return
        self.services.runner.long_query(
            "Reading marketplace prices",
            lambda session, context: read_listing_choice(session, ids, context),
            on_done=self._open_list_on,
            on_error=lambda error: self.report_error("Reading marketplace prices", error),
        )

    def _open_list_on(self, choice: ListingChoice) -> None:
        def queue(wanted: dict[str, list[int]]) -> None:
            asked = {name: len(ids) for name, ids in wanted.items()}
            left_off = {name: dialog.left_off(name) for name in wanted}
            self.services.runner.long_write(
                "Listing items",
                lambda session, context: queue_listings(session, wanted, context),
                on_done=lambda queued: self.banner.show_info(queued_words(queued, asked, left_off)),
                on_error=lambda error: self.report_error("Listing items", error),
            )

        dialog = ListOnDialog(choice, queue, self)
        self.list_dialog = dialog
        dialog.open()

    def edit_prefixes(self) -> None:
        self.services.runner.query(
            "Reading SKU prefixes",
            skus.prefixes,
            on_done=self._open_prefixes,
            on_error=lambda error: self.report_error("Reading SKU prefixes", error),
        )

    def _open_prefixes(self, current: dict[str, str]) -> None:
        def save(changes: dict[str, str]) -> None:
            if not changes:
                return

            def write(session: Session) -> None:
                for category, prefix in changes.items():
                    skus.set_prefix(session, category, prefix)

            self.services.runner.write(
                "Saving SKU prefixes",
                write,
                on_done=lambda _none: self.banner.show_info(
                    f"Saved {len(changes)} SKU prefix(es)."
                ),
                on_error=lambda error: self.report_error("Saving SKU prefixes", error),
            )

        self.prefixes_dialog = PrefixesDialog(current, save, self)
        self.prefixes_dialog.open()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # View settings
    def _restore_view_settings(self) -> None:
        state = INVENTORY_HEADER.read(self.services.settings)
        if state:
            self.table.horizontalHeader().restoreState(state)
        key = INVENTORY_SORT.read(self.services.settings)
        descending = INVENTORY_DESCENDING.read(self.services.settings)
        if key in {c.key for c in COLUMNS}:
            self.query = replace(self.query, sort=str(key), descending=descending)

    def save_view_settings(self) -> None:
        settings = self.services.settings
        INVENTORY_HEADER.write(settings, self.table.horizontalHeader().saveState().data())
        INVENTORY_SORT.write(settings, self.query.sort)
        INVENTORY_DESCENDING.write(settings, self.query.descending)


def _listing_lookups(services: Services, name: str) -> Lookups:
    # The marketplace adapters (and their HTTP client) load when an editor first asks eBay.
    from studio.sync.connection import listing_lookups

    return listing_lookups(services.database, services.credentials, name)


def _known_on_ebay(session: Session, category: str, words: str) -> Known | None:
    """What is known of the item on the first eBay account, for the editor's eBay tab;
    None without one. (A second eBay account, on another site, is not shown.)"""
    accounts = marketplace_details.detail_accounts(session)
    if not accounts:
        return None
    return marketplace_details.read_known(session, accounts[0], category, words)
