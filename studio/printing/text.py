"""Text that stays inside its box: wrapped, cut to the lines that fit, the last one elided."""

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QTextLayout,
    QTextOption,
)

from studio.printing import fonts

DOTS_PER_METRE_AT_72_DPI = round(72 / 0.0254)
GREY = QColor("#5f6670")  # secondary text on paper: summaries, page numbers


@cache
def _measuring_device() -> QImage:
    # Measured on a 72 dpi device, so sizes come out in points like the pages.
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(DOTS_PER_METRE_AT_72_DPI)
    image.setDotsPerMeterY(DOTS_PER_METRE_AT_72_DPI)
    return image


def metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font, _measuring_device())


def _wrap_paragraph(text: str, font: QFont, width: float) -> list[str]:
    if not text:
        return [""]
    layout = QTextLayout(text, font, _measuring_device())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return lines


def wrap(text: str, font: QFont, width: float, max_lines: int) -> tuple[list[str], bool]:
    """The lines `text` takes at `width`, at most `max_lines`; True when text was cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph.strip(), font, width))
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    if max_lines > 0:
        rest = " ".join(lines[max_lines - 1 :])
        kept[-1] = metrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return kept, True


def lines_that_fit(font: QFont, height: float) -> int:
    return max(0, int(height // metrics(font).lineSpacing()))


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    max_lines: int | None = None,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> float:
    """Draws `text` inside `rect` (never past it); returns the height used."""
    limit = lines_that_fit(font, rect.height())
    if max_lines is not None:
        limit = min(limit, max_lines)
    lines, _cut = wrap(text, font, rect.width(), limit)
    spacing = metrics(font).lineSpacing()
    painter.save()
    painter.setFont(font)
    for index, line in enumerate(lines):
        box = QRectF(rect.left(), rect.top() + index * spacing, rect.width(), spacing)
        painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), line)
    painter.restore()
    return len(lines) * spacing


def fitted_font(
    text: str, style: str, rect: QRectF, largest_pt: float, smallest_pt: float
) -> QFont:
    """The largest size (in half points) at which all of `text` fits in `rect`."""
    size = largest_pt
    while size > smallest_pt:
        candidate = fonts.font(style, size)
        _lines, cut = wrap(text, candidate, rect.width(), lines_that_fit(candidate, rect.height()))
        if not cut:
            return candidate
        size -= 0.5
    return fonts.font(style, smallest_pt)


def elided(text: str, font: QFont, width: float) -> str:
    return metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)


def draw_list_heading(painter: QPainter, area: QRectF, title: str, summary: str) -> None:
    """A list page's title and, in grey under it, what the list holds."""
    painter.save()
    painter.setPen(QColor("black"))
    draw_text(painter, QRectF(area.left(), area.top(), area.width(), 22), title,
              fonts.font("sans", 16, bold=True), max_lines=1)  # fmt: skip
    painter.setPen(GREY)
    draw_text(painter, QRectF(area.left(), area.top() + 22, area.width(), 14), summary,
              fonts.font("sans", 9))  # fmt: skip
    painter.restore()


def draw_page_number(painter: QPainter, area: QRectF, number: int, count: int) -> None:
    """ "Page 2 of 3" in the bottom right corner of `area` (`number` counts from 0)."""
    painter.save()
    painter.setPen(GREY)
    draw_text(painter, QRectF(area.left(), area.bottom() - 12, area.width(), 12),
              f"Page {number + 1} of {count}", fonts.font("sans", 7),
              align=Qt.AlignmentFlag.AlignRight)  # fmt: skip
    painter.restore()
