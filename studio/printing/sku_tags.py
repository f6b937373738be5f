"""SKU tags for bins and garments: Code 128 with the SKU, the title and the price, on a
2.25x1.25 in or 1x2.125 in label, or a letter sheet of 30 (3 across, 10 down)."""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from studio.money import format_money
from studio.printing import fonts
from studio.printing.barcodes import draw_code128
from studio.printing.page import Page
from studio.printing.paper import POINTS_PER_INCH, Paper
from studio.printing.text import draw_text

# The common 30-up address label sheet: 2.625 x 1 in labels.
SHEET_COLUMNS, SHEET_ROWS = 3, 10
SHEET_LABEL = (2.625 * POINTS_PER_INCH, 1.0 * POINTS_PER_INCH)
SHEET_PITCH = (2.75 * POINTS_PER_INCH, 1.0 * POINTS_PER_INCH)
SHEET_ORIGIN = (0.1875 * POINTS_PER_INCH, 0.5 * POINTS_PER_INCH)


@dataclass(frozen=True)
class Tag:
    sku: str
    title: str
    price_cents: int | None


def draw_tag(painter: QPainter, rect: QRectF, tag: Tag) -> None:
    """One tag in a landscape box: title and price on top, barcode, SKU beneath."""
    pad = max(3.0, rect.height() * 0.06)
    area = rect.adjusted(pad, pad, -pad, -pad)
    price = format_money(tag.price_cents)
    price_font = fonts.font("sans", 8, bold=True)
    price_width = 44.0 if price else 0.0
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        QRectF(area.left(), area.top(), area.width() - price_width, 11),
        tag.title,
        fonts.font("sans", 7),
        max_lines=1,
    )
    if price:
        draw_text(
            painter,
            QRectF(area.right() - price_width, area.top(), price_width, 11),
            price,
            price_font,
            align=Qt.AlignmentFlag.AlignRight,
            max_lines=1,
        )
    sku_height = 10.0
    bars = QRectF(area.left(), area.top() + 12, area.width(), area.height() - 12 - sku_height)
    draw_code128(painter, bars, tag.sku)
    draw_text(
        painter,
        QRectF(area.left(), bars.bottom(), area.width(), sku_height),
        tag.sku,
        fonts.font("sans", 7, bold=True),
        align=Qt.AlignmentFlag.AlignHCenter,
        max_lines=1,
    )


def tag_pages(tags: Sequence[Tag], paper: Paper) -> list[Page]:
    if paper.key == "letter-30":
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        sheets = [tags[i : i + per_sheet] for i in range(0, len(tags), per_sheet)]
        return [_sheet_page(sheet, paper, n) for n, sheet in enumerate(sheets)]
    return [_single_page(tag, paper) for tag in tags]


def _single_page(tag: Tag, paper: Paper) -> Page:
    def paint(painter: QPainter, page: QRectF) -> None:
        if page.height() > page.width():
            # A tall hang tag: the barcode runs along its length, where it has room.
            painter.save()
            painter.translate(page.right(), page.top())
            painter.rotate(90)
            draw_tag(painter, QRectF(0, 0, page.height(), page.width()), tag)
            painter.restore()
        else:
            draw_tag(painter, page, tag)

    return Page("tag", paper, paint, f"Tag {tag.sku}")


def _sheet_page(tags: Sequence[Tag], paper: Paper, number: int) -> Page:
    def paint(painter: QPainter, _page: QRectF) -> None:
        for index, tag in enumerate(tags):
            row, column = divmod(index, SHEET_COLUMNS)
            cell = QRectF(
                SHEET_ORIGIN[0] + column * SHEET_PITCH[0],
                SHEET_ORIGIN[1] + row * SHEET_PITCH[1],
                *SHEET_LABEL,
            )
            draw_tag(painter, cell.adjusted(4, 2, -4, -2), tag)

    return Page("tag", paper, paint, f"Tag sheet {number + 1}")
