"""A price-drop plan drawn as a timeline: one dot per step along the dates, lower as the
price falls, coloured by state, with the floor as a dashed line."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from studio.money import format_money
from studio.seller_tools.price_drops import PlanView

STATE_COLOURS = {
    "done": "#2e7d32",
    "planned": "#1565c0",
    "skipped": "#9e9e9e",
    "cancelled": "#c62828",
}
MARGIN = 36


class Timeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: PlanView | None = None
        self.setMinimumHeight(220)

    def show_plan(self, plan: PlanView | None) -> None:
        self.plan = plan
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        plan = self.plan
        if plan is None or not plan.steps:
            painter.setPen(QColor("#6b7280"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Select a plan to see it.")
            return
        area = QRectF(self.rect()).adjusted(MARGIN * 2, MARGIN, -MARGIN * 3, -MARGIN)
        top, bottom = plan.start_cents, plan.stop_cents
        span = max(top - bottom, 1)
        count = len(plan.steps)

        def point(index: int, cents: int) -> QPointF:
            x = area.left() + area.width() * index / count
            return QPointF(x, area.top() + area.height() * (top - cents) / span)

        painter.setPen(QPen(QColor("#c62828"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(point(0, bottom), point(count, bottom))
        painter.drawText(point(count, bottom) + QPointF(6, 4), f"floor {format_money(bottom)}")
        points = [point(0, top)] + [point(i + 1, s.price_cents) for i, s in enumerate(plan.steps)]
        painter.setPen(QPen(QColor("#90a4ae"), 2))
        painter.drawPolyline(points)
        painter.setPen(QColor("#111827"))
        painter.drawText(points[0] + QPointF(-MARGIN * 1.8, 4), format_money(top))
        painter.setPen(QColor("#6b7280"))
        painter.drawText(QPointF(points[0].x() - 14, area.bottom() + 22), "start")
        for step, at in zip(plan.steps, points[1:], strict=True):
            colour = QColor(STATE_COLOURS.get(step.state, "#1565c0"))
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(at, 6, 6)
            painter.setPen(QColor("#111827"))
            painter.drawText(at + QPointF(-22, -12), format_money(step.price_cents))
            painter.setPen(QColor("#6b7280"))
            painter.drawText(
                QPointF(at.x() - 20, area.bottom() + 22), step.due_at.astimezone().strftime("%d %b")
            )
