"""Code 128 and QR codes drawn as vector rectangles, sharp at any printer resolution."""

import segno
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from studio.printing.code128 import QUIET_ZONE, module_widths

QR_QUIET_ZONE = 4  # modules


def draw_code128(painter: QPainter, rect: QRectF, text: str) -> None:
    """Fills `rect` (quiet zones included) with the barcode, as wide as the box allows."""
    widths = module_widths(text)
    module = rect.width() / (sum(widths) + 2 * QUIET_ZONE)
    painter.save()
    painter.fillRect(rect, QColor("white"))
    x = rect.left() + QUIET_ZONE * module
    for index, width in enumerate(widths):
        if index % 2 == 0:  # even positions are bars
            painter.fillRect(
                QRectF(x, rect.top(), width * module, rect.height()), Qt.GlobalColor.black
            )
        x += width * module
    painter.restore()


def draw_qr(painter: QPainter, rect: QRectF, text: str) -> QRectF:
    """A QR code centred in `rect` at the largest square size; returns where it went."""
    matrix = segno.make_qr(text, error="m").matrix
    count = len(matrix) + 2 * QR_QUIET_ZONE
    side = min(rect.width(), rect.height())
    module = side / count
    square = QRectF(0, 0, side, side)
    square.moveCenter(rect.center())
    painter.save()
    painter.fillRect(square, QColor("white"))
    for row, cells in enumerate(matrix):
        column = 0
        # One rectangle per run of dark modules: fewer seams when a printer rasterises it.
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            cell = QRectF(
                square.left() + (start + QR_QUIET_ZONE) * module,
                square.top() + (row + QR_QUIET_ZONE) * module,
                (column - start) * module,
                module,
            )
            painter.fillRect(cell, Qt.GlobalColor.black)
    painter.restore()
    return square
