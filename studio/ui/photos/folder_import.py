"""Import a folder: photos grouped into draft items by capture time, regrouped by hand.

Each group is a strip of thumbnails; photos drag between strips, and the empty strip at the
bottom starts a new item. Nothing is written until "Create"; the section does the writing.
"""

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.imaging.grouping import DEFAULT_GAP, Shot
from studio.photos.drafts import group_folder
from studio.ui.dialog_buttons import action_buttons
from studio.ui.services import Services
from studio.ui.tasks import TaskContext
from studio.ui.thumbnails import ThumbnailCache

THUMB = QSize(88, 88)
PathRole = Qt.ItemDataRole.UserRole


class GroupStrip(QListWidget):
    """One draft item's photos in a row; accepts photos dragged from the other strips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 30))
        self.setFixedHeight(THUMB.height() + 54)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def paths(self) -> list[Path]:
        return [Path(self.item(row).data(PathRole)) for row in range(self.count())]


class FolderImportDialog(QDialog):
    create_requested = Signal(list)  # list[list[Path]], one list per draft item

    def __init__(self, services: Services, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import photos from {folder.name}")
        self.resize(900, 640)
        self.services = services
        self.folder = folder
        self.strips: list[GroupStrip] = []
        self._headers: list[QLabel] = []
        self.thumbnails = ThumbnailCache(services.runner, Path, self, THUMB)
        self.thumbnails.ready.connect(self._thumbnail_ready)

        self.gap = QDoubleSpinBox()
        self.gap.setRange(0.1, 240.0)
        self.gap.setDecimals(1)
        self.gap.setSuffix(" min")
        self.gap.setValue(DEFAULT_GAP.total_seconds() / 60)
        self.gap.setToolTip("Photos taken further apart than this start a new item")
        self.status = QLabel("Reading when each photo was taken…")
        top = QHBoxLayout()
        top.addWidget(QLabel("Start a new item when photos are more than"))
        top.addWidget(self.gap)
        top.addWidget(QLabel("apart."))
        top.addStretch(1)

        self.groups_box = QWidget()
        self.groups_layout = QVBoxLayout(self.groups_box)
        self.groups_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(self.groups_box)
        scroll.setWidgetResizable(True)

        self.buttons, self.create_button = action_buttons(self, "Create items", self._create)
        self.create_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(
            QLabel("Drag photos between rows to fix a group; drop on the last row for a new item.")
        )
        layout.addWidget(self.buttons)
        self.gap.editingFinished.connect(self.regroup)
        self.regroup()

    def regroup(self) -> None:
        folder, gap = self.folder, timedelta(minutes=self.gap.value())
        self.status.setText("Reading when each photo was taken…")

        def work(_context: TaskContext) -> list[list[Shot]]:
            return group_folder(folder, gap)

        self.services.runner.run("Grouping photos", work, self.show_groups, self._failed)

    def show_groups(self, groups: list[list[Shot]]) -> None:
        for strip, header in zip(self.strips, self._headers, strict=True):
            strip.deleteLater()
            header.deleteLater()
        self.strips, self._headers = [], []
        for group in [*groups, []]:  # the empty last row starts a new item
            self._add_strip([shot.path for shot in group])
        guessed = sum(not shot.from_exif for group in groups for shot in group)
        count = sum(len(group) for group in groups)
        if not count:
            self.status.setText(f"No photos (JPEG, PNG, WebP, HEIC) directly in {self.folder}.")
        else:
            note = f" {guessed} had no capture time; their file time was used." if guessed else ""
            self.status.setText(f"{count} photos in {len(groups)} group(s).{note}")
        self._update_counts()

    def _add_strip(self, paths: list[Path]) -> None:
        header = QLabel()
        strip = GroupStrip()
        for path in paths:
            item = QListWidgetItem(QIcon(self.thumbnails.pixmap(str(path))), path.name)
            item.setData(PathRole, str(path))
            strip.addItem(item)
        strip.model().rowsInserted.connect(self._update_counts)
        strip.model().rowsRemoved.connect(self._update_counts)
        position = self.groups_layout.count() - 1  # above the stretch
        self.groups_layout.insertWidget(position, header)
        self.groups_layout.insertWidget(position + 1, strip)
        self.strips.append(strip)
        self._headers.append(header)

    def groups(self) -> list[list[Path]]:
        """The photos of each item to create, skipping empty rows."""
        return [paths for strip in self.strips if (paths := strip.paths())]

    def move_photo(self, path: Path, to_group: int) -> None:
        """Move one photo to another row, as dragging it there does."""
        for strip in self.strips:
            for row in range(strip.count()):
                if Path(strip.item(row).data(PathRole)) == path:
                    self.strips[to_group].addItem(strip.takeItem(row))
                    return
        raise KeyError(f"{path.name} is not in this import")

    def _update_counts(self) -> None:
        for number, (strip, header) in enumerate(zip(self.strips, self._headers, strict=True)):
            count = strip.count()
            if count:
                header.setText(f"<b>Item {number + 1}</b> · {count} photo(s)")
            else:
                header.setText("<i>Drop photos here to start another item</i>")
        items = len(self.groups())
        if self.strips and self.strips[-1].count() != 0:
            self._add_strip([])  # keep one empty row to drop into
            self._update_counts()
            return
        self.create_button.setText(f"Create {items} draft item(s)")
        self.create_button.setEnabled(items > 0)

    def _thumbnail_ready(self, key: str) -> None:
        icon = QIcon(self.thumbnails.pixmap(key))
        for strip in self.strips:
            for row in range(strip.count()):
                if strip.item(row).data(PathRole) == key:
                    strip.item(row).setIcon(icon)

    def _create(self) -> None:
        self.create_requested.emit(self.groups())
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Could not read the folder: {error}. Check it still exists.")
