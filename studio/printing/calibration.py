"""The calibration page: rulers from the paper's edges and crosshairs at known distances,
so the seller can measure how far (and how much smaller) a printer prints, and enter it
in the printer profile as offset and scale."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.printing import fonts
from studio.printing.page import Page
from studio.printing.paper import POINTS_PER_INCH, Paper
from studio.printing.text import draw_text

TICK = POINTS_PER_INCH / 8


def calibration_page(paper: Paper, kind: str) -> Page:
    def paint(painter: QPainter, page: QRectF) -> None:
        pen = QPen(QColor("black"), 0.5)
        painter.setPen(pen)
        _ruler(painter, page, horizontal=True)
        _ruler(painter, page, horizontal=False)
        inch = POINTS_PER_INCH
        # Crosses half an inch in from each corner and one in the middle.
        half = inch / 2
        for point in (
            QPointF(page.left() + half, page.top() + half),
            QPointF(page.right() - half, page.top() + half),
            QPointF(page.left() + half, page.bottom() - half),
            QPointF(page.right() - half, page.bottom() - half),
            page.center(),
        ):
            _cross(painter, point)
        span = min(2 * inch, page.width() - inch)
        bar_y = page.center().y() + 18
        start = QPointF(page.center().x() - span / 2, bar_y)
        painter.setPen(QPen(QColor("black"), 1.5))
        painter.drawLine(start, start + QPointF(span, 0))
        text_box = QRectF(
            page.left() + 30, bar_y + 6, page.width() - 60, page.bottom() - bar_y - 50
        )
        painter.setPen(QColor("black"))
        draw_text(
            painter,
            text_box,
            f"Calibration ({paper.label}). The crosses should sit 0.5 in from each edge and the "
            f"bar should be {span / inch:g} in long. Enter the shift as offset (mm, right and "
            "down are positive) and the bar's error as scale.",
            fonts.font("sans", 7 if page.width() < 3 * inch else 9),
            align=Qt.AlignmentFlag.AlignHCenter,
        )

    return Page(kind, paper, paint, f"Calibration, {paper.label}")


def _ruler(painter: QPainter, page: QRectF, horizontal: bool) -> None:
    length = page.width() if horizontal else page.height()
    count = int(length // TICK)
    painter.setFont(fonts.font("sans", 6))
    for index in range(1, count + 1):
        position = index * TICK
        size = 12 if index % 8 == 0 else 7 if index % 4 == 0 else 4
        if index % 8 == 0 and position < length - 10:  # whole inches are numbered
            corner = (
                QPointF(page.left() + position + 2, page.top() + 18)
                if horizontal
                else QPointF(page.left() + 14, page.top() + position + 2)
            )
            painter.drawText(corner, str(index // 8))
        if horizontal:
            painter.drawLine(
                QPointF(page.left() + position, page.top()),
                QPointF(page.left() + position, page.top() + size),
            )
        else:
            painter.drawLine(
                QPointF(page.left(), page.top() + position),
                QPointF(page.left() + size, page.top() + position),
            )


def _cross(painter: QPainter, point: QPointF) -> None:
    arm = 9.0
    painter.drawLine(point - QPointF(arm, 0), point + QPointF(arm, 0))
    painter.drawLine(point - QPointF(0, arm), point + QPointF(0, arm))
    painter.drawEllipse(point, 3.0, 3.0)
