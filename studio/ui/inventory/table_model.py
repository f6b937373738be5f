"""A table model that holds only item ids and fetches the rows it shows, in blocks.

At 50,000 items the ids cost a few hundred kilobytes; rows are read when the view asks for
them and kept in a bounded cache that edits mark stale instead of resetting the view.
"""

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPixmap

from studio.inventory.queries import ItemRow
from studio.money import format_money
from studio.ui.thumbnails import ThumbnailCache

ROW_BLOCK = 200
CACHE_ROWS = 4000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # the ItemRow attribute; also the sort key of the query
    title: str
    width: int


COLUMNS = (
    Column("cover_hash", "", 52),
    Column("sku", "SKU", 100),
    Column("title", "Title", 300),
    Column("brand", "Brand", 130),
    Column("category", "Category", 100),
    Column("size", "Size", 60),
    Column("list_price_cents", "Price", 80),
    Column("status", "Status", 80),
    Column("bin_location", "Bin", 80),
    Column("sync", "Sync", 80),
    Column("updated_at", "Updated", 120),
)
SORT_KEYS = {i: c.key for i, c in enumerate(COLUMNS) if c.key not in ("cover_hash", "sync")}
STATUS_COLORS = {
    "draft": "#8a8f98",
    "ready": "#2f7de1",
    "listed": "#1f9d55",
    "sold": "#c27c0e",
    "shipped": "#6b46c1",
    "archived": "#a0a4ab",
}
SYNC_COLORS = {"live": "#1f9d55", "pending": "#c27c0e", "error": "#c62828", "sold": "#c27c0e"}


def _shown(key: str, value: Any) -> str:
    if key == "list_price_cents":
        return format_money(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


class ItemTableModel(QAbstractTableModel):
    # Sorting is the database's job: the view's header asks, the section re-runs the query.
    sort_requested = Signal(str, bool)

    def __init__(
        self,
        fetch: Callable[[Sequence[int]], dict[int, ItemRow]],
        thumbnails: ThumbnailCache,
        parent: Any = None,
        fetch_sync: Callable[[Sequence[int]], dict[int, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._fetch_sync = fetch_sync
        self._sync: dict[int, str] = {}
        self._thumbnails = thumbnails
        self.ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache: OrderedDict[int, ItemRow] = OrderedDict()
        thumbnails.ready.connect(self._thumbnail_ready)

    # The model's size and contents
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids = ids
        self._row_of = {item_id: row for row, item_id in enumerate(ids)}
        self.endResetModel()

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def item_row(self, row: int) -> ItemRow | None:
        """The row's item, or None when it was deleted after the search ran."""
        item_id = self.ids[row]
        cached = self._cache.get(item_id)
        if cached is None:
            self._load_block(row)
            cached = self._cache.get(item_id)
        if cached is not None:
            self._cache.move_to_end(item_id)
        return cached

    def _load_block(self, row: int) -> None:
        start = max(0, row - ROW_BLOCK // 4)
        wanted = [i for i in self.ids[start : start + ROW_BLOCK] if i not in self._cache]
        self._cache.update(self._fetch(wanted))
        if self._fetch_sync is not None:
            self._sync.update(dict.fromkeys(wanted, "local only") | self._fetch_sync(wanted))
        while len(self._cache) > CACHE_ROWS:
            dropped, _row = self._cache.popitem(last=False)
            self._sync.pop(dropped, None)

    def forget_all(self) -> None:
        """Drops every cached row: many items may have changed (an import, a sync)."""
        self._cache.clear()
        self._sync.clear()

    def mark_stale(self, ids: frozenset[int]) -> None:
        """Forgets cached rows of edited items and repaints them where they are shown."""
        for item_id in ids:
            self._cache.pop(item_id, None)
            self._sync.pop(item_id, None)
            row = self._row_of.get(item_id)
            if row is not None:
                first, last = self.index(row, 0), self.index(row, len(COLUMNS) - 1)
                self.dataChanged.emit(first, last)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.item_row(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()].key
        if role == ID_ROLE:
            return row.id
        if key == "cover_hash":
            if role == Qt.ItemDataRole.DecorationRole:
                return self._thumbnail(row)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Cover photo" if row.cover_hash else "No photo yet"
            return None
        if key == "sync":
            state = self._sync.get(row.id, "")
            if role == Qt.ItemDataRole.DisplayRole:
                return state
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(SYNC_COLORS.get(state, "#8a8f98"))
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _shown(key, getattr(row, key))
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QColor(STATUS_COLORS.get(row.status, "#000000"))
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "list_price_cents":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _thumbnail(self, row: ItemRow) -> QPixmap:
        return self._thumbnails.pixmap(row.cover_hash)

    def _thumbnail_ready(self, file_hash: str) -> None:
        column = 0
        for item_id, cached in self._cache.items():
            if cached.cover_hash == file_hash and item_id in self._row_of:
                index = self.index(self._row_of[item_id], column)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
