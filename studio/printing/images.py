"""Pictures on paper: item cover photos from the photo store, the seller's logo."""

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPen

from studio.imaging.errors import PhotoError
from studio.imaging.store import PhotoStore
from studio.storage.paths import photos_dir


class PhotoSource:
    """Cover thumbnails by file hash; a photo that is missing is None, never an error."""

    def __init__(self, data_dir: Path) -> None:
        self.store = PhotoStore(photos_dir(data_dir))
        self._cache: dict[str, QImage | None] = {}

    def cover(self, file_hash: str | None) -> QImage | None:
        if not file_hash:
            return None
        if file_hash not in self._cache:
            try:
                path = self.store.thumbnail(file_hash)
            except (PhotoError, OSError):
                path = None
            self._cache[file_hash] = load_image(path) if path else None
        return self._cache[file_hash]


def load_image(path: Path | str) -> QImage | None:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    return None if image.isNull() else image


def draw_picture(painter: QPainter, rect: QRectF, image: QImage | None) -> None:
    """The image fitted into `rect`; without one, a faint frame keeps the row's shape."""
    if image is None:
        painter.save()
        painter.setPen(QPen(QColor("#c8ccd2"), 0.5))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.restore()
        return
    scale = min(rect.width() / image.width(), rect.height() / image.height())
    target = QRectF(QPointF(0, 0), image.size().toSizeF() * scale)
    target.moveCenter(rect.center())
    painter.drawImage(target, image)
