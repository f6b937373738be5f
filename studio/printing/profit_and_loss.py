"""The year's profit and loss on one letter page: what a reseller hands their accountant."""

from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.money import format_money
from studio.printing import fonts
from studio.printing.page import Page
from studio.printing.paper import paper
from studio.printing.text import draw_text
from studio.seller_tools.expenses import MILEAGE, ProfitAndLoss

MARGIN = 54.0
ROW = 17.0
GREY = QColor("#5f6670")


def profit_and_loss_page(report: ProfitAndLoss, shop_name: str, made_on: date) -> Page:
    sales = report.sales
    miles = report.miles_tenths / 10
    rate = report.tenth_cents_per_mile / 10
    sections: list[tuple[str, list[tuple[str, int]], tuple[str, int]]] = [
        (
            "Sales",
            [
                (f"Revenue ({sales.sales} items sold)", sales.revenue_cents),
                ("Cost of the goods sold", -sales.cost_cents),
                ("Marketplace fees", -sales.fees_cents),
                ("Postage paid", -sales.shipping_cents),
            ],
            ("Gross profit", report.gross_profit_cents),
        ),
        (
            "Expenses",
            [
                (f"{name} ({miles:g} mi at {rate:g}¢)" if name == MILEAGE else name, -cents)
                for name, cents in sorted(report.expenses_by_category.items())
            ]
            or [("No expenses recorded", 0)],
            ("Total expenses", -report.expenses_cents),
        ),
    ]

    def paint(painter: QPainter, page: QRectF) -> None:
        area = page.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        title = f"Profit and loss {report.year}" + (f" · {shop_name}" if shop_name else "")
        draw_text(
            painter,
            QRectF(area.left(), area.top(), area.width(), 26),
            title,
            fonts.font("sans", 18, bold=True),
        )
        painter.setPen(GREY)
        draw_text(
            painter,
            QRectF(area.left(), area.top() + 28, area.width(), 14),
            f"1 January to 31 December {report.year}, made {made_on:%d %B %Y} by Seller Studio",
            fonts.font("sans", 9),
        )
        y = area.top() + 64
        for heading, rows, total in sections:
            painter.setPen(QColor("black"))
            draw_text(
                painter,
                QRectF(area.left(), y, area.width(), ROW),
                heading,
                fonts.font("sans", 12, bold=True),
            )
            y += ROW + 4
            for label, cents in rows:
                _row(painter, area, y, label, cents, bold=False)
                y += ROW
            painter.setPen(QPen(QColor("#9aa1ab"), 0.5))
            painter.drawLine(area.left(), y + 2, area.right(), y + 2)
            _row(painter, area, y + 4, total[0], total[1], bold=True)
            y += ROW + 22
        painter.setPen(QPen(QColor("black"), 1.2))
        painter.drawLine(area.left(), y, area.right(), y)
        _row(painter, area, y + 6, "Net profit", report.net_profit_cents, bold=True, size=13)

    # A letter page like the pick list, so it goes to the same printer profile.
    return Page("pick_list", paper("letter"), paint, f"Profit and loss {report.year}")


def _row(
    painter: QPainter, area: QRectF, y: float, label: str, cents: int, bold: bool, size: float = 10
) -> None:
    font = fonts.font("sans", size, bold=bold)
    painter.setPen(QColor("black"))
    draw_text(painter, QRectF(area.left(), y, area.width() - 140, ROW), label, font, max_lines=1)
    amount = format_money(abs(cents))
    shown = f"({amount})" if cents < 0 else amount  # the accountant's way to write a minus
    draw_text(
        painter,
        QRectF(area.right() - 140, y, 140, ROW),
        shown,
        font,
        max_lines=1,
        align=Qt.AlignmentFlag.AlignRight,
    )
