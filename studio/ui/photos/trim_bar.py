"""A clip's timeline with two trim handles and the cover frame's marker, dragged by mouse.

The bar speaks in seconds on the original clip's timeline (as the video recipe does). While
a handle moves it says which time to preview (`previewing`); when it is let go, what the
seller chose (`changed`).
"""

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

HANDLE_W = 10
GRAB_PX = 12
KEPT = QColor("#7a1f3d")
DROPPED = QColor("#d9cfd3")
COVER = QColor("#f0a400")


class TrimBar(QWidget):
    previewing = Signal(float)  # the time under the handle being dragged
    changed = Signal(float, float, float)  # start, end, cover

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duration = 0.0
        self.start = self.end = self.cover = 0.0
        self._dragging: str | None = None
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Drag the ends to trim; drag the yellow marker to pick the cover frame")

    def set_clip(self, duration: float, start: float, end: float, cover: float) -> None:
        self.duration = duration
        self.start, self.end, self.cover = start, end, cover
        self.update()

    @property
    def dragging(self) -> bool:
        return self._dragging is not None

    # Geometry: seconds <-> x
    def _track(self) -> QRectF:
        return QRectF(HANDLE_W, 8, max(1.0, self.width() - 2 * HANDLE_W), self.height() - 16)

    def x_of(self, seconds: float) -> float:
        track = self._track()
        share = seconds / self.duration if self.duration else 0.0
        return track.left() + share * track.width()

    def seconds_at(self, x: float) -> float:
        track = self._track()
        share = (x - track.left()) / track.width()
        return min(self.duration, max(0.0, share * self.duration))

    # Dragging
    def move_handle(self, which: str, seconds: float) -> None:
        """Move one handle (start, end or cover), keeping start < end and the cover inside."""
        step = min(0.04, self.duration / 100) if self.duration else 0.0
        if which == "start":
            self.start = min(max(0.0, seconds), self.end - step)
            self.cover = max(self.cover, self.start)
        elif which == "end":
            self.end = max(min(self.duration, seconds), self.start + step)
            self.cover = min(self.cover, self.end - step)
        else:
            self.cover = min(max(self.start, seconds), self.end - step)
        self.update()
        self.previewing.emit(getattr(self, which))

    def _grabbed(self, x: float) -> str | None:
        # On a tie the trim handle wins: a click on the track moves the cover anywhere.
        distances = {
            name: abs(self.x_of(getattr(self, name)) - x) for name in ("start", "end", "cover")
        }
        name = min(distances, key=lambda key: distances[key])
        return name if distances[name] <= GRAB_PX else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.duration and event.button() == Qt.MouseButton.LeftButton:
            self._dragging = self._grabbed(event.position().x())
            if self._dragging is None:  # a click on the track picks the cover frame there
                self._dragging = "cover"
                self.move_handle("cover", self.seconds_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            self.move_handle(self._dragging, self.seconds_at(event.position().x()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            self._dragging = None
            self.changed.emit(self.start, self.end, self.cover)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        painter.fillRect(track, DROPPED)
        if not self.duration:
            return
        left, right = self.x_of(self.start), self.x_of(self.end)
        painter.fillRect(QRectF(left, track.top(), right - left, track.height()), KEPT)
        for x in (left, right):
            painter.fillRect(
                QRectF(x - HANDLE_W / 2, 2, HANDLE_W, self.height() - 4), KEPT.darker()
            )
        painter.setPen(QPen(COVER, 3))
        x = self.x_of(self.cover)
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
