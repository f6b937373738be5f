"""The prepaid 4x6 inch shipping label: addresses and a Code 128 tracking barcode."""

import io
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from marketplace.models import Order

PAGE = (4 * inch, 6 * inch)
MARGIN = 14
# DejaVu covers Latin, Greek, Cyrillic, Georgian and Armenian names; the PDF core fonts
# cover Latin-1 only, so they are the fallback when the font package is absent.
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@cache
def _fonts() -> tuple[str, str]:
    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("LabelSans", str(regular)))
    pdfmetrics.registerFont(TTFont("LabelSans-Bold", str(bold)))
    return "LabelSans", "LabelSans-Bold"


def address_lines(address: dict[str, Any]) -> list[str]:
    city_line = " ".join(
        part
        for part in (address.get("city"), address.get("region"), address.get("postal_code"))
        if part
    )
    lines = [
        address.get("name"),
        address.get("line1"),
        address.get("line2"),
        city_line,
        address.get("country"),
    ]
    return [str(line) for line in lines if line]


def grouped(tracking: str) -> str:
    return " ".join(tracking[i : i + 4] for i in range(0, len(tracking), 4))


def render_label(order: Order) -> bytes:
    regular, bold = _fonts()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=PAGE)
    pdf.setTitle(f"Shipping label, order {order.id}")
    width, height = PAGE

    pdf.setLineWidth(2)
    pdf.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN)
    pdf.setFont(bold, 18)
    pdf.drawString(MARGIN, height - 36, "PREPAID GROUND")
    pdf.setFont(regular, 8)
    pdf.drawRightString(width - MARGIN, height - 34, f"Order {order.id}")
    pdf.line(MARGIN / 2, height - 46, width - MARGIN / 2, height - 46)

    y = height - 60
    pdf.setFont(bold, 7)
    pdf.drawString(MARGIN, y, "FROM")
    pdf.setFont(regular, 8)
    for line in address_lines(order.ship_from):
        y -= 10
        pdf.drawString(MARGIN, y, line)

    y -= 26
    pdf.setFont(bold, 9)
    pdf.drawString(MARGIN, y, "SHIP TO")
    pdf.setFont(bold, 13)
    for line in address_lines(order.ship_to):
        y -= 17
        pdf.drawString(MARGIN + 12, y, line)

    pdf.line(MARGIN / 2, 150, width - MARGIN / 2, 150)
    pdf.setFont(bold, 9)
    pdf.drawCentredString(width / 2, 136, "TRACKING #")
    barcode = Code128(order.tracking_number, barHeight=70, barWidth=1.0)
    barcode.drawOn(pdf, (width - barcode.width) / 2, 56)
    pdf.setFont(regular, 10)
    pdf.drawCentredString(width / 2, 40, grouped(order.tracking_number))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
