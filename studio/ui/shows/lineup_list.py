"""Dragging items into a show: the item picker (found by search, dragged out) and the
line-up (dropped into at a place, reordered by dragging or Alt+Up/Down). Neither moves rows
itself: each says what was asked, the section writes it, and the line-up is read again."""

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

ITEM_IDS_MIME = "application/x-seller-studio-item-ids"
ID_ROLE = Qt.ItemDataRole.UserRole


def ids_mime(ids: Sequence[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(ITEM_IDS_MIME, QByteArray(",".join(map(str, ids)).encode()))
    return mime


def ids_of(mime: QMimeData) -> list[int]:
    raw = bytes(mime.data(ITEM_IDS_MIME).data()).decode(errors="replace")
    return [int(part) for part in raw.split(",") if part.isdigit()]


class ItemPicker(QListWidget):
    """Items found by the search above it, each dragged into the line-up (or added with
    Enter or a double-click)."""

    chosen = Signal(list)  # item ids

    def __init__(self) -> None:
        super().__init__()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(40, 40))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit([item.data(ID_ROLE)]))

    def selected_item_ids(self) -> list[int]:
        return [item.data(ID_ROLE) for item in self.selectedItems()]

    def mimeTypes(self) -> list[str]:
        return [ITEM_IDS_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return ids_mime([item.data(ID_ROLE) for item in items])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selectedItems():
            self.chosen.emit(self.selected_item_ids())
            return
        super().keyPressEvent(event)


class LineupList(QListWidget):
    """The show's line-up in order. Items dropped from the picker go where they are dropped;
    a row dragged within it moves there; Delete takes the chosen one out."""

    dropped = Signal(list, int)  # item ids, the index they go to
    moved = Signal(int, int)  # item id, its new index
    delete_pressed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setIconSize(QSize(48, 48))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(2)

    def mimeTypes(self) -> list[str]:
        return [ITEM_IDS_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return ids_mime([item.data(ID_ROLE) for item in items])

    def selected_item_id(self) -> int | None:
        items = self.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ITEM_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(ITEM_IDS_MIME):
            super().dragMoveEvent(event)  # draws the drop indicator
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop_index(self, y: int) -> int:
        """Where a drop at height `y` puts the items: before the row under it, or after it
        when below that row's middle; the end when below every row."""
        for row in range(self.count()):
            rect = self.visualItemRect(self.item(row))
            if y < rect.center().y():
                return row
        return self.count()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = ids_of(event.mimeData())
        if not ids:
            event.ignore()
            return
        index = self.drop_index(round(event.position().y()))
        if event.source() is self:
            current = self.row_of(ids[0])
            # Taking the row out first moves every later place up by one.
            self.moved.emit(ids[0], index - 1 if current is not None and current < index else index)
        else:
            self.dropped.emit(ids, index)
        # The section writes the change and reads the line-up again: Qt moves nothing here.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()

    def row_of(self, item_id: int) -> int | None:
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == item_id:
                return row
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.selectedItems():
            self.delete_pressed.emit()
            return
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        chosen = self.selected_item_id()
        if step and event.modifiers() & Qt.KeyboardModifier.AltModifier and chosen is not None:
            row = self.row_of(chosen)
            if row is not None and 0 <= row + step < self.count():
                self.moved.emit(chosen, row + step)
            return
        super().keyPressEvent(event)
