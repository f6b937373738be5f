"""The pick list: every item of the chosen orders, grouped by bin in walking order, so the
seller goes through the storage room once."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.orders.service import OrderView, PickGroup, PickLine, pick_groups
from studio.printing import fonts
from studio.printing.images import PhotoSource, draw_picture
from studio.printing.page import Page
from studio.printing.paper import Paper
from studio.printing.text import (
    GREY,
    draw_list_heading,
    draw_page_number,
    draw_text,
    elided,
)

HEADING_HEIGHT = 22.0


@dataclass(frozen=True)
class _BinRow:
    name: str
    continued: bool = False


def _margin(paper: Paper) -> float:
    return 14 if paper.width_in < 5 else 36


def pick_list_pages(
    orders: Sequence[OrderView], paper: Paper, photos: PhotoSource, when: datetime
) -> list[Page]:
    item_count = sum(len(o.lines) for o in orders)
    summary = f"{when:%a %d %b %Y} · {len(orders)} orders · {item_count} items"
    return bin_pages(pick_groups(orders), paper, photos, "Pick list", summary)


def bin_pages(
    groups: Sequence[PickGroup], paper: Paper, photos: PhotoSource, title: str, summary: str
) -> list[Page]:
    """Lines under their bins' headings, poured onto pages; each line's tag ("#order number",
    or a show's place in its line-up) at its right."""
    small = paper.width_in < 5
    row_height = 34.0 if small else 40.0
    header, footer = 46.0, 18.0
    space = paper.rect().height() - 2 * _margin(paper) - header - footer
    chunks = _pour(groups, row_height, space)

    def painter_for(number: int, chunk: list) -> Page:
        def paint(painter: QPainter, page: QRectF) -> None:
            margin = _margin(paper)
            area = page.adjusted(margin, margin, -margin, -margin)
            draw_list_heading(painter, area, title, summary)
            y = area.top() + header
            for row in chunk:
                if isinstance(row, _BinRow):
                    _paint_bin(painter, QRectF(area.left(), y, area.width(), HEADING_HEIGHT), row)
                    y += HEADING_HEIGHT
                else:
                    _paint_line(
                        painter, QRectF(area.left(), y, area.width(), row_height), row, photos
                    )
                    y += row_height
            draw_page_number(painter, area, number, len(chunks))

        return Page("pick_list", paper, paint, f"{title}, page {number + 1}")

    return [painter_for(number, chunk) for number, chunk in enumerate(chunks)]


def _pour(groups: Sequence[PickGroup], row_height: float, space: float) -> list[list]:
    """Pages of bin headings and lines. A heading never ends a page: it moves over with its
    first line; a page that starts inside a bin repeats that bin's name, "(continued)"."""
    pages: list[list[_BinRow | PickLine]] = [[]]
    used = 0.0
    for group in groups:
        for index, line in enumerate(group.lines):
            first = index == 0
            needs_heading = first or not pages[-1]
            need = row_height + (HEADING_HEIGHT if needs_heading else 0)
            if pages[-1] and used + need > space:
                pages.append([])
                used = 0.0
                needs_heading = True
            if needs_heading:
                pages[-1].append(_BinRow(group.bin_location, continued=not first))
                used += HEADING_HEIGHT
            pages[-1].append(line)
            used += row_height
    return pages


def _paint_bin(painter: QPainter, rect: QRectF, row: _BinRow) -> None:
    name = f"Bin {row.name}" if row.name else "No bin recorded"
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        rect.adjusted(0, 4, 0, 0),
        name + (" (continued)" if row.continued else ""),
        fonts.font("sans", 11, bold=True),
    )
    painter.setPen(QPen(QColor("#9aa1ab"), 0.5))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())


def _paint_line(painter: QPainter, rect: QRectF, row: PickLine, photos: PhotoSource) -> None:
    box = rect.height() - 6
    painter.setPen(QPen(QColor("black"), 0.8))
    painter.drawRect(QRectF(rect.left() + 2, rect.center().y() - 5, 10, 10))  # tick when picked
    draw_picture(
        painter,
        QRectF(rect.left() + 20, rect.top() + 3, box, box),
        photos.cover(row.line.cover_hash),
    )
    text_left = rect.left() + 26 + box
    order_width = 70.0
    text = QRectF(text_left, rect.top() + 3, rect.right() - text_left - order_width, box)
    painter.setPen(QColor("black"))
    sku_font, title_font = fonts.font("sans", 9, bold=True), fonts.font("sans", 8.5)
    draw_text(
        painter,
        QRectF(text.left(), text.top(), text.width(), 12),
        row.line.sku or "(no SKU)",
        sku_font,
        max_lines=1,
    )
    draw_text(
        painter,
        QRectF(text.left(), text.top() + 13, text.width(), text.height() - 13),
        row.line.title,
        title_font,
    )
    order_rect = QRectF(rect.right() - order_width, rect.top() + 3, order_width, 12)
    painter.setPen(GREY)
    painter.setFont(fonts.font("sans", 8))
    painter.drawText(
        order_rect,
        int(Qt.AlignmentFlag.AlignRight),
        elided(f"#{row.order_number}", fonts.font("sans", 8), order_width),
    )
