"""The thank-you card: a hand-written-looking message from a template, an optional logo,
a QR code to the seller's closet and a "you may also like" line. 4x6, A6, or a letter sheet
folded into a half-letter card."""

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from studio.printing import fonts
from studio.printing.barcodes import draw_qr
from studio.printing.images import draw_picture
from studio.printing.page import Page
from studio.printing.paper import POINTS_PER_INCH, Paper
from studio.printing.text import draw_text, fitted_font, lines_that_fit, wrap

INK = QColor("#1f2a44")
GREY = QColor("#5f6670")
SMALLEST_MESSAGE_PT = 9
RELATED_PREFIX = "You may also like: "
RELATED_HEIGHT = 28  # points: three lines of the small print
RELATED_LINES = 3


@dataclass(frozen=True)
class CardContent:
    order_number: str
    message: str  # the template with its fields filled in
    style: str  # "hand", "sans" or "serif"
    size_pt: float
    shop_name: str
    logo: QImage | None
    closet_url: str  # empty: no QR code
    related: tuple[str, ...]  # titles for the "you may also like" line


def card_page(card: CardContent, paper: Paper) -> Page:
    def paint(painter: QPainter, page: QRectF) -> None:
        if paper.key == "half-letter-card":
            left = QRectF(page.left(), page.top(), page.width() / 2, page.height())
            right = left.translated(page.width() / 2, 0)
            _paint_message_panel(painter, left, card)
            _paint_front(painter, right, card)
            _paint_fold_marks(painter, page)
        else:
            _paint_message_panel(painter, page, card)

    return Page("card", paper, paint, f"Thank-you card {card.order_number}")


def _paint_message_panel(painter: QPainter, panel: QRectF, card: CardContent) -> None:
    margin = 0.25 * POINTS_PER_INCH
    area = panel.adjusted(margin, margin, -margin, -margin)
    top = area.top()
    if card.logo is not None:
        logo_height = min(0.7 * POINTS_PER_INCH, area.height() * 0.15)
        draw_picture(painter, QRectF(area.left(), top, area.width(), logo_height), card.logo)
        top += logo_height + 8
    qr_side = 0.85 * POINTS_PER_INCH if card.closet_url else 0.0
    bottom = area.bottom() - max(qr_side, 12)
    if card.related:
        bottom -= RELATED_HEIGHT + 2
    message_box = QRectF(area.left(), top, area.width(), bottom - top - 6)
    font = fitted_font(card.message, card.style, message_box, card.size_pt, SMALLEST_MESSAGE_PT)
    painter.setPen(INK)
    draw_text(painter, message_box, card.message, font)

    if card.related:
        painter.setPen(GREY)
        box = QRectF(area.left(), bottom, area.width(), RELATED_HEIGHT)
        font = fonts.font("sans", 7.5)
        draw_text(painter, box, related_line(card.related, font, box), font, RELATED_LINES)
    if card.closet_url:
        qr = QRectF(area.right() - qr_side, area.bottom() - qr_side, qr_side, qr_side)
        draw_qr(painter, qr, card.closet_url)
        painter.setPen(GREY)
        caption = QRectF(area.left(), area.bottom() - 24, area.width() - qr_side - 6, 24)
        draw_text(
            painter,
            caption,
            "See more in my closet:\n" + card.closet_url,
            fonts.font("sans", 7),
            align=Qt.AlignmentFlag.AlignLeft,
        )


def related_line(titles: tuple[str, ...], font: QFont, box: QRectF) -> str:
    """The "you may also like" line with whole titles only, best first: a title that would
    be cut short is left out (a later, shorter one may still fit), so the buyer never reads
    half a name. Only when not even the first fits is it shown cut short."""
    lines = min(lines_that_fit(font, box.height()), RELATED_LINES)
    shown: list[str] = []
    for title in titles:
        _lines, cut = wrap(RELATED_PREFIX + " · ".join([*shown, title]), font, box.width(), lines)
        if not cut:
            shown.append(title)
    return RELATED_PREFIX + " · ".join(shown or titles[:1])


def _paint_front(painter: QPainter, panel: QRectF, card: CardContent) -> None:
    area = panel.adjusted(36, 36, -36, -36)
    if card.logo is not None:
        draw_picture(
            painter, QRectF(area.left(), area.top(), area.width(), area.height() * 0.35), card.logo
        )
    painter.setPen(INK)
    middle = QRectF(area.left(), area.center().y() - 40, area.width(), 80)
    draw_text(
        painter,
        middle,
        "Thank you!",
        fonts.font(card.style, 44),
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    painter.setPen(GREY)
    draw_text(
        painter,
        QRectF(area.left(), middle.bottom() + 8, area.width(), 40),
        card.shop_name,
        fonts.font("sans", 12),
        align=Qt.AlignmentFlag.AlignHCenter,
    )


def _paint_fold_marks(painter: QPainter, page: QRectF) -> None:
    """Short marks at the top and bottom edge where the sheet folds."""
    x = page.center().x()
    painter.setPen(QPen(QColor("#b0b6bf"), 0.5))
    painter.drawLine(QPointF(x, page.top() + 6), QPointF(x, page.top() + 20))
    painter.drawLine(QPointF(x, page.bottom() - 20), QPointF(x, page.bottom() - 6))
