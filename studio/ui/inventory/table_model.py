"""A table model that holds item ids and fetches the rows it shows, in blocks.

A search hands it the first page of ids and, once counted, how many rows there are; ids
further down are read when the view reaches them (or a selection takes them in), and rows
when the view asks for them, all through the task bridge (never on the UI thread): a row
shows empty until its block arrives, then repaints. Rows are kept in a bounded cache that
edits mark stale instead of resetting the view; a stale row shows what it showed until it
has been read again.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from sqlmodel import Session

from studio.inventory.queries import ItemRow, fetch_rows
from studio.money import format_money
from studio.sync.status import item_states
from studio.ui.inventory.listed_on import BADGES_ROLE, ListedOn, read_listed_on
from studio.ui.tasks import TaskRunner
from studio.ui.thumbnails import ThumbnailCache

ROW_BLOCK = 200
CACHE_ROWS = 4000
# Reads the ids of rows start .. start + count of the search shown (for rows not yet known).
MoreIds = Callable[[Session, int, int], list[int]]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
# The roles a cell answers, as the plain numbers Qt passes in.
DISPLAY, DECORATION, TOOLTIP, ACCESSIBLE, FOREGROUND, ALIGNMENT = (
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
)
Cell = dict[int, Any]  # what a cell shows, by role
NOT_LISTED = "Not listed on a marketplace"


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
    # Last, so a header layout saved before this column existed restores as it was.
    Column("listed_on", "Listed on", 150),
)
COVER = 0
UNSORTED = ("cover_hash", "sync", "listed_on")  # not item columns: nothing to sort by
SORT_KEYS = {i: c.key for i, c in enumerate(COLUMNS) if c.key not in UNSORTED}
STATUS_COLORS = {
    "draft": "#8a8f98",
    "ready": "#2f7de1",
    "listed": "#1f9d55",
    "sold": "#c27c0e",
    "shipped": "#6b46c1",
    "archived": "#a0a4ab",
}
SYNC_COLORS = {
    "live": "#1f9d55",
    "pending": "#c27c0e",
    "conflict": "#6b46c1",
    "error": "#c62828",
    "sold": "#c27c0e",
}


@dataclass(frozen=True)
class RowBlock:
    """What a block of rows shows, by item id: the rows, their sync word, where they are
    listed (an item absent from the last two is local only)."""

    rows: dict[int, ItemRow]
    sync: dict[int, str] = field(default_factory=dict)
    listed_on: dict[int, tuple[ListedOn, ...]] = field(default_factory=dict)


def read_block(session: Session, ids: Sequence[int]) -> RowBlock:
    """What a block of rows shows; run by the task bridge, off the UI thread."""
    states = {item_id: state.value for item_id, state in item_states(session, ids).items()}
    return RowBlock(fetch_rows(session, ids), states, read_listed_on(session, ids))


def _colour(colours: dict[str, str], state: str, otherwise: str = "#8a8f98") -> QColor:
    return QColor(colours.get(state, otherwise))


def _shown(key: str, value: Any) -> str:
    if key == "list_price_cents":
        return format_money(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


class ItemTableModel(QAbstractTableModel):
    # Sorting is the database's job: the view's header asks, the section re-runs the query.
    sort_requested = Signal(str, bool)
    fetch_failed = Signal(str)
    ids_arrived = Signal()  # more of the search's ids are known

    def __init__(
        self,
        runner: TaskRunner,
        thumbnails: ThumbnailCache,
        parent: Any = None,
        read: Callable[[Session, list[int]], RowBlock] = read_block,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._read = read
        self._sync: dict[int, str] = {}
        self._listed_on: dict[int, tuple[ListedOn, ...]] = {}
        self._thumbnails = thumbnails
        self.ids: list[int] = []  # the ids of the first rows; the rest are read when reached
        self._rows = 0
        self._more: MoreIds | None = None
        self._search = 0  # numbers the searches shown, so late ids of an older one are dropped
        self._extending = False
        self._row_of: dict[int, int] = {}
        self._cache: OrderedDict[int, ItemRow] = OrderedDict()
        self._pending: set[int] = set()  # asked for, answer not back yet
        self._missing: set[int] = set()  # deleted after the search ran
        self._stale: set[int] = set()  # cached, shown, and to be read again
        self._cells: dict[int, tuple[Cell, ...]] = {}  # by item id, for cached rows
        # Each marking is numbered; an answer read before an item's last marking stays stale.
        self._marks = 0
        self._marked: dict[int, int] = {}
        self._all_marked = 0
        self._answering_now = False  # the runner answered before `query` returned (inline)
        # The first and last rows the view shows, when the view tells (see `_read_again`).
        self.shown_rows: Callable[[], tuple[int, int]] | None = None
        thumbnails.ready.connect(self._thumbnail_ready)

    # The model's size and contents
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def set_ids(self, ids: list[int], rows: int | None = None, more: MoreIds | None = None) -> None:
        """Shows a search: the ids of its first rows, how many rows it has (None: as many as
        ids, until `set_rows` says), and how to read the ids after those."""
        self.beginResetModel()
        self._search += 1
        self.ids = ids
        self._rows = len(ids) if rows is None else rows
        self._more = more
        self._extending = False
        self._row_of = {item_id: row for row, item_id in enumerate(ids)}
        self.endResetModel()

    def set_rows(self, rows: int) -> None:
        """The search's count arrived: rows past its first page appear (their ids are read
        when reached)."""
        rows = max(rows, len(self.ids))
        if rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        elif rows < self._rows:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            self.endRemoveRows()

    def all_ids_known(self, up_to_row: int) -> bool:
        """Whether the ids of rows up to `up_to_row` are known; if not they are read, and
        `ids_arrived` says when."""
        if up_to_row < len(self.ids):
            return True
        self._read_ids(up_to_row)
        return False

    def _read_ids(self, row: int) -> None:
        if self._more is None or self._extending:
            return
        self._extending = True
        start, more, search = len(self.ids), self._more, self._search
        stop = min(self._rows, row + ROW_BLOCK)
        self._answering_now = True
        try:
            self._runner.query(
                "Reading items",
                lambda session: more(session, start, stop - start),
                on_done=lambda ids: self._ids_read(search, start, ids),
                on_error=lambda error: self._ids_not_read(search, error),
            )
        finally:
            self._answering_now = False

    def _ids_read(self, search: int, start: int, ids: list[int]) -> None:
        if search != self._search or start != len(self.ids):
            return
        self._extending = False
        for row, item_id in enumerate(ids, start):
            self._row_of[item_id] = row
        self.ids.extend(ids)
        if len(ids) == 0:  # the search lost rows since it was counted
            self.set_rows(len(self.ids))
        elif self._rows > start and not self._answering_now:
            last = min(len(self.ids), self._rows) - 1
            self.dataChanged.emit(self.index(start, 0), self.index(last, len(COLUMNS) - 1))
        self.ids_arrived.emit()

    def _ids_not_read(self, search: int, error: BaseException) -> None:
        if search == self._search:
            self._extending = False
            self.fetch_failed.emit(str(error))

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def item_row(self, row: int) -> ItemRow | None:
        """The row's item as last read: None while its block is being read, or when it was
        deleted after the search ran. A stale row is shown as it was while it is read again."""
        if row >= len(self.ids):
            self._read_ids(row)  # answered at once by an inline runner
            if row >= len(self.ids):
                return None
        item_id = self.ids[row]
        if item_id in self._missing:
            return None
        if self._needs_reading(item_id):
            self._load_block(row)
        cached = self._cache.get(item_id)
        if cached is not None:
            self._cache.move_to_end(item_id)
        return cached

    def _needs_reading(self, item_id: int) -> bool:
        if item_id in self._pending or item_id in self._missing:
            return False
        return item_id not in self._cache or item_id in self._stale

    def _load_block(self, row: int) -> None:
        start = max(0, row - ROW_BLOCK // 4)
        wanted = [i for i in self.ids[start : start + ROW_BLOCK] if self._needs_reading(i)]
        if not wanted:
            return
        self._pending.update(wanted)
        asked_at, read = self._marks, self._read
        self._answering_now = True
        try:
            self._runner.query(
                "Reading items",
                lambda session: read(session, wanted),
                on_done=lambda block: self._arrived(wanted, asked_at, block),
                on_error=lambda error: self._not_read(wanted, error),
            )
        finally:
            self._answering_now = False

    def _arrived(self, wanted: list[int], asked_at: int, block: RowBlock) -> None:
        changed = []  # a row read again as it was is not painted again
        for item_id in wanted:
            self._pending.discard(item_id)
            found = block.rows.get(item_id)
            if found is None:
                self._missing.add(item_id)
                self._cache.pop(item_id, None)
                self._cells.pop(item_id, None)
                self._stale.discard(item_id)
                changed.append(item_id)
                continue
            shown = (found, block.sync.get(item_id, "local only"), block.listed_on.get(item_id, ()))
            if shown != self._shown_as(item_id):
                changed.append(item_id)
                self._cells.pop(item_id, None)
            self._cache[item_id], self._sync[item_id], self._listed_on[item_id] = shown
            self._cache.move_to_end(item_id)
            if asked_at >= max(self._marked.get(item_id, 0), self._all_marked):
                self._stale.discard(item_id)
                self._marked.pop(item_id, None)
        while len(self._cache) > CACHE_ROWS:
            dropped, _row = self._cache.popitem(last=False)
            self._sync.pop(dropped, None)
            self._cells.pop(dropped, None)
            self._listed_on.pop(dropped, None)
            self._stale.discard(dropped)
            self._marked.pop(dropped, None)
        if not self._answering_now:  # an inline answer is read by the data() that asked
            self._repaint(changed)

    def _shown_as(self, item_id: int) -> tuple[Any, ...]:
        return self._cache.get(item_id), self._sync.get(item_id), self._listed_on.get(item_id)

    def _not_read(self, wanted: list[int], error: BaseException) -> None:
        self._pending.difference_update(wanted)  # asked again when the view next paints them
        self.fetch_failed.emit(str(error))

    def _repaint(self, ids: Iterable[int]) -> None:
        rows = [row for row in map(self._row_of.get, ids) if row is not None]
        if rows:
            first, last = self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1)
            self.dataChanged.emit(first, last)

    def mark_all_stale(self) -> None:
        """Every row is to be read again (an import, a sync): shown as it was meanwhile."""
        self._marks += 1
        self._all_marked = self._marks
        self._stale = set(self._cache) | self._pending  # an answer on its way is old too
        self._missing.clear()
        if self.shown_rows is not None:  # see `_read_again`
            self._load_block(max(self.shown_rows()[0], 0))
        elif self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(COLUMNS) - 1))

    def mark_stale(self, ids: Iterable[int]) -> None:
        """Edited items are read again where they are shown, without resetting the view."""
        self._marks += 1
        for item_id in ids:
            self._missing.discard(item_id)
            if item_id in self._cache or item_id in self._pending:
                self._stale.add(item_id)
                self._marked[item_id] = self._marks
        self._read_again(ids)

    def _read_again(self, ids: Iterable[int]) -> None:
        """Stale rows are read again where they are shown. Knowing the view's rows, the model
        reads them itself and repaints only what changed; otherwise a repaint makes the view
        ask for them, painting every row twice."""
        if self.shown_rows is None:
            self._repaint(ids)
            return
        first, last = self.shown_rows()
        shown = [
            row for row in map(self._row_of.get, ids) if row is not None and first <= row <= last
        ]
        if shown:
            self._load_block(min(shown))

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's own index() asks rowCount() and columnCount(): two more calls into Python for
        # every cell a view paints.
        if parent.isValid() or not (0 <= row < self._rows and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self._cell(index)
        return None if found is None else self._value(index.column(), *found, int(role))

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """Every role a delegate asks of one cell, in one call: a repaint then enters Python once
        a cell instead of once a role, and each entry may wait for the interpreter lock while
        sync threads hold it."""
        found = self._cell(index)
        for role_data in roleDataSpan:
            value = None if found is None else self._value(index.column(), *found, role_data.role())
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _cell(self, index: Index) -> tuple[ItemRow, Cell] | None:
        if not index.isValid():
            return None
        row = self.item_row(index.row())
        if row is None:
            return None
        cells = self._cells.get(row.id)
        if cells is None:
            cells = self._cells[row.id] = tuple(self._roles(column.key, row) for column in COLUMNS)
        return row, cells[index.column()]

    def _value(self, column: int, row: ItemRow, cell: Cell, role: int) -> Any:
        if role == DECORATION and column == COVER:
            return self._thumbnails.pixmap(row.cover_hash)  # arrives later: never kept
        return cell.get(role)

    def _roles(self, key: str, row: ItemRow) -> Cell:
        """What one cell shows, by role: worked out once per reading of its row, because a
        repaint asks again for every visible cell."""
        if key == "cover_hash":
            return {ID_ROLE: row.id, TOOLTIP: "Cover photo" if row.cover_hash else "No photo yet"}
        if key == "sync":
            state = self._sync.get(row.id, "")
            return {ID_ROLE: row.id, DISPLAY: state, FOREGROUND: _colour(SYNC_COLORS, state)}
        if key == "listed_on":
            badges = self._listed_on.get(row.id, ())
            words = ", ".join(f"{badge.marketplace} ({badge.state})" for badge in badges)
            return {
                ID_ROLE: row.id,
                BADGES_ROLE: badges,
                # In words for the tooltip, for copying and for screen readers.
                TOOLTIP: "\n".join(badge.words for badge in badges)
                or "Not listed on a marketplace",
                DISPLAY: words,
                ACCESSIBLE: words,
            }
        shown = _shown(key, getattr(row, key))
        cell: Cell = {ID_ROLE: row.id, DISPLAY: shown, TOOLTIP: shown}
        if key == "status":
            cell[FOREGROUND] = _colour(STATUS_COLORS, row.status, "#000000")
        elif key == "list_price_cents":
            cell[ALIGNMENT] = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return cell

    def _thumbnail_ready(self, file_hash: str) -> None:
        for item_id, cached in self._cache.items():
            if cached.cover_hash == file_hash and item_id in self._row_of:
                index = self.index(self._row_of[item_id], COVER)
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
