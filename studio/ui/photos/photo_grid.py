"""The grid of photos: thumbnails in icon mode, drag to reorder, drop files to add."""

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from studio.photos.library import GridPhoto
from studio.ui.photos.grid_model import PhotoGridModel, PhotoRole

ICON = QSize(124, 124)
CELL = QSize(ICON.width() + 16, ICON.height() + 40)  # room for two lines of caption
EMPTY_STYLE = "QListView { background: #f7f8fa; border: none; }"


class PhotoGrid(QListView):
    def __init__(self, model: PhotoGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        # Static: drags go through the model's mime data, so a drop reorders in the database
        # instead of just moving an icon around the view.
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(ICON)
        self.setGridSize(CELL)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setSpacing(4)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setStyleSheet(EMPTY_STYLE)
        # Two columns at least, so order and cover are easy to see.
        self.setMinimumWidth(2 * (CELL.width() + 8) + self.verticalScrollBar().sizeHint().width())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.empty_text = ""
        self.make_cover = QAction("Make cover photo", self)
        self.make_cover.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.make_cover.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.make_cover)

    def current_photo(self) -> GridPhoto | None:
        index = self.currentIndex()
        return index.data(PhotoRole) if index.isValid() else None

    def selected_photos(self) -> list[GridPhoto]:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        return [self.model().index(row, 0).data(PhotoRole) for row in rows]

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model().rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#5f6672"))
            area = self.viewport().rect().adjusted(16, 16, -16, -16)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area, flags, self.empty_text)
