"""Small cover pictures for tables, loaded off the UI thread and kept in a bounded cache.

Pictures are found by file hash in the photo store, so loading one reads a file and never
the database; a screen passes the hash it already read (the table row, the grid photo).
"""

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPen, QPixmap

from studio.ui.tasks import TaskRunner

THUMB_SIZE = QSize(44, 44)
MAX_CACHED = 600


def placeholder(size: QSize = THUMB_SIZE) -> QPixmap:
    """A soft tile with a hanger outline: 'no photo yet' without words."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#eef0f3"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(1, 1, size.width() - 2, size.height() - 2), 6, 6)
    painter.setPen(QPen(QColor("#a6adb8"), 1.6))
    w, h = size.width(), size.height()
    painter.drawArc(QRectF(w * 0.42, h * 0.22, w * 0.16, h * 0.16), 0, 200 * 16)
    painter.drawLine(int(w * 0.5), int(h * 0.38), int(w * 0.2), int(h * 0.66))
    painter.drawLine(int(w * 0.5), int(h * 0.38), int(w * 0.8), int(h * 0.66))
    painter.drawLine(int(w * 0.2), int(h * 0.66), int(w * 0.8), int(h * 0.66))
    painter.end()
    return pixmap


def _load(path: Path, size: QSize) -> QImage:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def _read(locate: Callable[[str], Path | None], file_hash: str, size: QSize) -> QImage | None:
    """On a reader thread: a file, never the database (the store is content-addressed)."""
    path = locate(file_hash)
    return _load(path, size) if path else None


class ThumbnailCache(QObject):
    ready = Signal(str)  # the file hash whose picture has arrived

    def __init__(
        self,
        runner: TaskRunner,
        locate: Callable[[str], Path | None],
        parent: QObject | None,
        size: QSize = THUMB_SIZE,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._locate = locate
        self._size = size
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()
        self._missing: set[str] = set()  # found no file: not read again until forget_missing
        self.empty = placeholder(size)

    def pixmap(self, file_hash: str | None, fallback: str | None = None) -> QPixmap:
        """The picture for a key (a file hash, or whatever `locate` understands); while it
        is loading or has no file, the `fallback` key's picture, else a placeholder."""
        if not file_hash:
            return self.empty
        cached = self._pixmaps.get(file_hash)
        if cached is not None:
            self._pixmaps.move_to_end(file_hash)
            return cached
        if file_hash in self._missing:
            return self.pixmap(fallback) if fallback else self.empty
        if file_hash not in self._pending:
            self._pending.add(file_hash)
            locate, size = self._locate, self._size
            self._runner.run(
                "Loading a thumbnail",
                lambda _context: _read(locate, file_hash, size),
                on_done=lambda image: self._store(file_hash, image),
                on_error=lambda _error: self._pending.discard(file_hash),
            )
        # An inline runner (tests of screen logic) has read it already.
        loaded = self._pixmaps.get(file_hash)
        if loaded is not None:
            return loaded
        return self.pixmap(fallback) if fallback else self.empty

    def forget_missing(self) -> None:
        """Files may exist now (a batch rendered them): look for them again."""
        self._missing.clear()

    def _store(self, file_hash: str, image: QImage | None) -> None:
        self._pending.discard(file_hash)
        if image is None or image.isNull():
            self._missing.add(file_hash)
            return
        self._pixmaps[file_hash] = QPixmap.fromImage(image)
        while len(self._pixmaps) > MAX_CACHED:
            self._pixmaps.popitem(last=False)
        self.ready.emit(file_hash)
