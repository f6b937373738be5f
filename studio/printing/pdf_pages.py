"""Reads a PDF back with QtPdf: each page's size, text and how much of it is inked. The
self-test checks printed output with it, where pypdf (a test tool) is not installed."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from studio.printing.qt_app import ensure_gui_application

_INK_DPI = 24  # enough to tell a printed page from a blank one
_INK_LEVEL = 128


@dataclass(frozen=True)
class PdfPage:
    width_pt: float
    height_pt: float
    text: str
    ink: float  # the share of the page that is dark


class PdfUnreadable(Exception):
    pass


def read_pdf(path: Path) -> list[PdfPage]:
    ensure_gui_application()
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise PdfUnreadable(f"{path.name} could not be read as a PDF")
    try:
        return [_page(document, number) for number in range(document.pageCount())]
    finally:
        document.close()


def _page(document: QPdfDocument, number: int) -> PdfPage:
    size = document.pagePointSize(number)
    pixels = QSize(round(size.width() * _INK_DPI / 72), round(size.height() * _INK_DPI / 72))
    # QtPdf leaves the paper transparent: lay the page on white before looking for ink.
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, document.render(number, pixels))
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).value() < _INK_LEVEL
    )
    return PdfPage(
        width_pt=size.width(),
        height_pt=size.height(),
        text=document.getAllText(number).text(),
        ink=dark / max(1, image.width() * image.height()),
    )
