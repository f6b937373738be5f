"""The large before/after view: the photo as shot and as styled, split where the slider is.

With a brush chosen, dragging on the picture paints keep/erase strokes instead of moving the
split. Both pictures are then shown in the photo's own frame, so a point on screen maps to a
fraction of the upright original, which is how the recipe stores strokes.
"""

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QSlider, QVBoxLayout, QWidget

from studio.imaging.recipe import Stroke

BACKDROP = QColor("#e9ebef")
LABEL = QColor(40, 44, 52, 170)
BRUSH_COLOURS = {"keep": QColor(46, 160, 90, 140), "erase": QColor(210, 60, 60, 140)}
EMPTY_TEXT = "Pick a photo in the grid to see it here, before and after styling."
_MARGIN = 12


class BeforeAfterView(QWidget):
    stroke_painted = Signal(object)  # Stroke
    split_moved = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self.before: QImage | None = None
        self.after: QImage | None = None
        self.split = 0.5  # 0 shows only the result, 1 only the original
        self.brush: str | None = None  # "keep", "erase" or None
        self.brush_radius = 0.03  # of the photo's long side
        self.message = EMPTY_TEXT
        self._points: list[tuple[float, float]] = []

    def set_images(self, before: QImage | None, after: QImage | None) -> None:
        self.before, self.after = before, after
        self.update()

    def clear(self, message: str = EMPTY_TEXT) -> None:
        self.message = message
        self.set_images(None, None)

    def set_split(self, split: float) -> None:
        self.split = min(1.0, max(0.0, split))
        self.update()

    def set_brush(self, mode: str | None, radius: float) -> None:
        self.brush, self.brush_radius = mode, radius
        cursor = Qt.CursorShape.CrossCursor if mode else Qt.CursorShape.SplitHCursor
        self.setCursor(cursor)

    # Geometry
    def image_rect(self, image: QImage) -> QRectF:
        """Where `image` is drawn: as large as fits, centred."""
        area = QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        scale = min(area.width() / image.width(), area.height() / image.height())
        width, height = image.width() * scale, image.height() * scale
        return QRectF(
            area.x() + (area.width() - width) / 2,
            area.y() + (area.height() - height) / 2,
            width,
            height,
        )

    def split_x(self) -> float:
        return self.width() * self.split

    def fraction_at(self, point: QPointF) -> tuple[float, float] | None:
        """The point as fractions of the shown photo, or None when it is off the photo."""
        image = self.after or self.before
        if image is None:
            return None
        rect = self.image_rect(image)
        x = (point.x() - rect.x()) / rect.width()
        y = (point.y() - rect.y()) / rect.height()
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            return None
        return round(x, 4), round(y, 4)

    # Painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), BACKDROP)
        if self.before is None and self.after is None:
            painter.setPen(QColor("#5f6672"))
            area = self.rect().adjusted(40, 0, -40, 0)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message
            )
            return
        split = self.split_x()
        if self.before is not None:
            painter.save()
            painter.setClipRect(QRectF(0, 0, split, self.height()))
            painter.drawImage(self.image_rect(self.before), self.before)
            painter.restore()
        if self.after is not None:
            painter.save()
            painter.setClipRect(QRectF(split, 0, self.width() - split, self.height()))
            painter.drawImage(self.image_rect(self.after), self.after)
            painter.restore()
        self._paint_split(painter, split)
        self._paint_stroke(painter)

    def _paint_split(self, painter: QPainter, split: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawLine(QPointF(split, 0), QPointF(split, self.height()))
        painter.setBrush(QColor("white"))
        painter.setPen(QPen(QColor("#8a919c"), 1))
        painter.drawEllipse(QPointF(split, self.height() / 2), 9, 9)
        for text, x, align in (
            ("Before", 10.0, Qt.AlignmentFlag.AlignLeft),
            ("After", self.width() - 90.0, Qt.AlignmentFlag.AlignRight),
        ):
            box = QRectF(x, 8, 80, 22)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(LABEL)
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor("white"))
            painter.drawText(box.adjusted(6, 0, -6, 0), align | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_stroke(self, painter: QPainter) -> None:
        image = self.after or self.before
        if not self._points or self.brush is None or image is None:
            return
        rect = self.image_rect(image)
        width = self.brush_radius * 2 * max(rect.width(), rect.height())
        path = QPainterPath()
        for number, (x, y) in enumerate(self._points):
            point = QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height())
            path.moveTo(point) if number == 0 else path.lineTo(point)
        pen = QPen(BRUSH_COLOURS[self.brush], max(width, 1.0))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if len(self._points) == 1:
            path.lineTo(path.currentPosition() + QPointF(0.01, 0))  # a click paints a dot
        painter.drawPath(path)

    # Mouse: move the split, or paint with the brush
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.brush is None:
            self._move_split(event.position())
            return
        fraction = self.fraction_at(event.position())
        self._points = [fraction] if fraction else []
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if self.brush is None:
            self._move_split(event.position())
            return
        fraction = self.fraction_at(event.position())
        if fraction and (not self._points or fraction != self._points[-1]):
            self._points.append(fraction)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.brush is None or not self._points:
            return
        stroke = Stroke(self.brush, self.brush_radius, tuple(self._points))
        self._points = []
        self.update()
        self.stroke_painted.emit(stroke)

    def _move_split(self, point: QPointF) -> None:
        self.set_split(point.x() / max(self.width(), 1))
        self.split_moved.emit(self.split)


class ComparePane(QWidget):
    """The view with its split slider under it; the two move together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = BeforeAfterView()
        self.split = QSlider(Qt.Orientation.Horizontal)
        self.split.setRange(0, 1000)
        self.split.setValue(round(self.view.split * 1000))
        self.split.setToolTip("Slide to compare the photo as shot (left) and styled (right)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.split)
        self.split.valueChanged.connect(lambda value: self.view.set_split(value / 1000))
        self.view.split_moved.connect(lambda split: self.split.setValue(round(split * 1000)))
