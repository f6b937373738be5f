"""The photos of the items on screen, as a list model that can be reordered by drag and drop.

Drops never change the rows themselves: they are turned into requests (move these photos,
add these files) that the section carries out through the database and then reloads.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studio.imaging.render import finished_thumbnail
from studio.imaging.store import PhotoStore
from studio.photos.library import GridPhoto, recipe_of
from studio.ui.thumbnails import ThumbnailCache

PHOTO_MIME = "application/x-seller-studio-photo-ids"
URI_MIME = "text/uri-list"
PhotoRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def thumbnail_key(photo: GridPhoto) -> str:
    """The thumbnail cache's key: the original's hash, with the recipe when styled."""
    return f"{photo.file_hash}\n{photo.recipe}" if photo.recipe else photo.file_hash


def locate_thumbnail(store: PhotoStore, key: str) -> Path | None:
    """For the thumbnail cache, on a reader thread: a styled photo's finished thumbnail
    (None until it has been rendered), or the original's."""
    file_hash, _, recipe = key.partition("\n")
    if recipe:
        return finished_thumbnail(store, file_hash, recipe_of(recipe))
    return store.thumbnail(file_hash)


class PhotoGridModel(QAbstractListModel):
    photos_dropped = Signal(list, int, int)  # photo ids, target item id, position in that item
    files_dropped = Signal(list, int)  # file paths, target item id

    def __init__(self, thumbnails: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.photos: list[GridPhoto] = []
        self.item_ids: list[int] = []  # the items shown, even those without photos yet
        self._thumbnails = thumbnails
        thumbnails.ready.connect(self._thumbnail_ready)

    def set_photos(self, item_ids: Sequence[int], photos: Sequence[GridPhoto]) -> None:
        self.beginResetModel()
        self.item_ids = list(item_ids)
        self.photos = list(photos)
        self.endResetModel()

    def row_of(self, photo_id: int) -> int | None:
        return next((n for n, p in enumerate(self.photos) if p.photo_id == photo_id), None)

    def replace_photo(self, photo: GridPhoto) -> None:
        row = self.row_of(photo.photo_id)
        if row is not None:
            self.photos[row] = photo
            self.dataChanged.emit(self.index(row), self.index(row))

    # Reading
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.photos)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.photos):
            return None
        photo = self.photos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            place = "★ Cover" if photo.position == 0 else f"Photo {photo.position + 1}"
            return f"{photo.sku}\n{place}"
        if role == Qt.ItemDataRole.DecorationRole:
            # A styled photo shows its finished look once rendered, the original until then.
            return self._thumbnails.pixmap(thumbnail_key(photo), fallback=photo.file_hash)
        if role == Qt.ItemDataRole.ToolTipRole:
            styled = "styled" if photo.recipe else "as shot"
            return f"{photo.title}\n{photo.filename} ({styled})"
        if role == PhotoRole:
            return photo
        return None

    def _thumbnail_ready(self, key: str) -> None:
        for row, photo in enumerate(self.photos):
            if key in (photo.file_hash, thumbnail_key(photo)):
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # Drag and drop
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME, URI_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        ids = ",".join(str(self.photos[row].photo_id) for row in rows)
        data = QMimeData()
        data.setData(PHOTO_MIME, QByteArray(ids.encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        wanted = data.hasFormat(PHOTO_MIME) or bool(_local_files(data))
        return wanted and self._target(row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        target = self._target(row, parent)
        if target is None:
            return False
        item_id, before_row = target
        if data.hasFormat(PHOTO_MIME):
            text = bytes(data.data(PHOTO_MIME).data()).decode()
            ids = [int(part) for part in text.split(",") if part]
            # The place among the item's photos that are not moving, counted before the drop.
            position = sum(
                1
                for photo in self.photos[:before_row]
                if photo.item_id == item_id and photo.photo_id not in ids
            )
            self.photos_dropped.emit(ids, item_id, position)
            return True
        files = _local_files(data)
        if files:
            self.files_dropped.emit(files, item_id)
            return True
        return False

    def _target(self, row: int, parent: AnyIndex) -> tuple[int, int] | None:
        """(item, row) of a drop: before the photo at that row, or after the last photo."""
        if parent.isValid():
            row = parent.row()  # dropped onto a photo: take its place
        if 0 <= row < len(self.photos):
            return self.photos[row].item_id, row
        if self.photos:
            return self.photos[-1].item_id, len(self.photos)
        if self.item_ids:
            return self.item_ids[0], 0
        return None


def _local_files(data: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
