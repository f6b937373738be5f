"""The packing slip: order number with its barcode, who it goes to, what is in the box, and
a personal line. On letter, A4 or a 4x6 label; long orders continue on a second page."""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.money import format_money
from studio.orders.service import LineView, OrderView, as_utc
from studio.printing import fonts
from studio.printing.barcodes import draw_code128
from studio.printing.flow import paginate
from studio.printing.images import PhotoSource, draw_picture
from studio.printing.page import Page
from studio.printing.paper import Paper
from studio.printing.text import draw_text

GREY = QColor("#5f6670")
RULE = QColor("#9aa1ab")


@dataclass(frozen=True)
class SlipText:
    shop_name: str
    personal_line: str  # the slip template, fields filled in
    style: str  # font style of the personal line
    size_pt: float


@dataclass(frozen=True)
class _Metrics:
    margin: float
    header: float
    row: float
    footer: float
    title_pt: float

    @classmethod
    def for_paper(cls, paper: Paper) -> "_Metrics":
        if paper.width_in < 5:
            return cls(margin=14, header=150, row=40, footer=92, title_pt=11)
        return cls(margin=40, header=180, row=50, footer=110, title_pt=15)


def slip_pages(order: OrderView, paper: Paper, text: SlipText, photos: PhotoSource) -> list[Page]:
    size = _Metrics.for_paper(paper)
    body = paper.rect().height() - 2 * size.margin - size.header - 16  # 16: column titles
    chunks = paginate(order.lines, lambda _line: size.row, body)
    if len(chunks[-1]) * size.row + size.footer > body:
        chunks.append([])  # the note and the personal line go on a page of their own
    count = len(chunks)

    def page_for(number: int, lines: Sequence[LineView]) -> Page:
        def paint(painter: QPainter, page: QRectF) -> None:
            area = page.adjusted(size.margin, size.margin, -size.margin, -size.margin)
            _paint_header(
                painter,
                area,
                order,
                text,
                size,
                f"Page {number + 1} of {count}" if count > 1 else "",
            )
            y = area.top() + size.header
            _paint_column_titles(painter, QRectF(area.left(), y, area.width(), 16), bool(lines))
            y += 16
            for line in lines:
                _paint_line(painter, QRectF(area.left(), y, area.width(), size.row), line, photos)
                y += size.row
            if number == count - 1:
                _paint_footer(
                    painter,
                    QRectF(area.left(), area.bottom() - size.footer, area.width(), size.footer),
                    order,
                    text,
                )

        return Page("slip", paper, paint, f"Packing slip {order.number}")

    return [page_for(number, lines) for number, lines in enumerate(chunks)]


def _paint_header(
    painter: QPainter, area: QRectF, order: OrderView, text: SlipText, size: _Metrics, page: str
) -> None:
    half = area.width() / 2
    painter.setPen(QColor("black"))
    used = draw_text(
        painter,
        QRectF(area.left(), area.top(), half - 6, 40),
        text.shop_name or "Packing slip",
        fonts.font("sans", size.title_pt, True),
        max_lines=2,
    )
    painter.setPen(GREY)
    small = fonts.font("sans", 8)
    ordered = as_utc(order.ordered_at).astimezone()  # shown in the seller's local time
    details = f"Packing slip · ordered {ordered:%d %b %Y}" + (f" · {page}" if page else "")
    draw_text(painter, QRectF(area.left(), area.top() + used + 2, half - 6, 24), details, small)

    barcode = QRectF(area.left() + half, area.top(), half, 34)
    draw_code128(painter, barcode, order.number)
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        QRectF(barcode.left(), barcode.bottom() + 2, half, 14),
        f"Order {order.number}",
        fonts.font("sans", 9, True),
        align=Qt.AlignmentFlag.AlignHCenter,
        max_lines=1,
    )

    top = area.top() + 64
    painter.setPen(GREY)
    draw_text(
        painter, QRectF(area.left(), top, area.width(), 12), "SHIP TO", fonts.font("sans", 7, True)
    )
    painter.setPen(QColor("black"))
    name_height = draw_text(
        painter,
        QRectF(area.left(), top + 12, area.width(), 16),
        order.buyer_name,
        fonts.font("sans", 10, True),
        max_lines=1,
    )
    address = "\n".join(order.address_lines)
    draw_text(
        painter,
        QRectF(area.left(), top + 12 + name_height, area.width(), size.header - 76 - name_height),
        address,
        fonts.font("sans", 9),
    )


def _paint_column_titles(painter: QPainter, rect: QRectF, has_lines: bool) -> None:
    if not has_lines:
        return
    painter.setPen(GREY)
    small = fonts.font("sans", 7, True)
    draw_text(painter, rect, "ITEM", small)
    draw_text(painter, rect, "PRICE", small, align=Qt.AlignmentFlag.AlignRight)
    painter.setPen(QPen(RULE, 0.5))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())


def _paint_line(painter: QPainter, rect: QRectF, line: LineView, photos: PhotoSource) -> None:
    box = rect.height() - 6
    draw_picture(
        painter, QRectF(rect.left(), rect.top() + 3, box, box), photos.cover(line.cover_hash)
    )
    price_width = 54.0
    left = rect.left() + box + 8
    text = QRectF(left, rect.top() + 3, rect.right() - left - price_width - 4, box)
    painter.setPen(QColor("black"))
    title_font = fonts.font("sans", 9)
    used = draw_text(
        painter,
        QRectF(text.left(), text.top(), text.width(), box - 11),
        line.title,
        title_font,
        max_lines=2,
    )
    painter.setPen(GREY)
    draw_text(
        painter,
        QRectF(text.left(), text.top() + used, text.width(), 11),
        f"SKU {line.sku}" if line.sku else "",
        fonts.font("sans", 7.5),
        max_lines=1,
    )
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        QRectF(rect.right() - price_width, rect.top() + 3, price_width, 14),
        format_money(line.price_cents),
        title_font,
        align=Qt.AlignmentFlag.AlignRight,
    )


def _paint_footer(painter: QPainter, rect: QRectF, order: OrderView, text: SlipText) -> None:
    painter.setPen(QPen(RULE, 0.5))
    painter.drawLine(rect.topLeft(), rect.topRight())
    painter.setPen(QColor("black"))
    bold = fonts.font("sans", 9, True)
    draw_text(painter, QRectF(rect.left(), rect.top() + 3, rect.width(), 14), "Total", bold)
    draw_text(
        painter,
        QRectF(rect.left(), rect.top() + 3, rect.width(), 14),
        format_money(order.total_cents),
        bold,
        align=Qt.AlignmentFlag.AlignRight,
    )
    y = rect.top() + 22
    if order.buyer_note:
        painter.setPen(GREY)
        y += draw_text(
            painter,
            QRectF(rect.left(), y, rect.width(), 24),
            f"Your note: {order.buyer_note}",
            fonts.font("sans", 8),
            max_lines=2,
        )
        y += 4
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        QRectF(rect.left(), y, rect.width(), rect.bottom() - y),
        text.personal_line,
        fonts.font(text.style, text.size_pt),
    )
