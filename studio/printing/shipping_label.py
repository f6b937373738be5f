"""The marketplace's shipping label, printed at exactly 4x6 in: rasterised at the printer's
resolution (thermal printers print dots, not vectors) or placed two to a letter sheet."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtPdf import QPdfDocument

from studio.printing.page import Page
from studio.printing.paper import POINTS_PER_INCH, Paper

LABEL_WIDTH_IN, LABEL_HEIGHT_IN = 4, 6


class LabelProblem(Exception):
    pass


@dataclass(frozen=True)
class Label:
    order_number: str
    image: QImage  # portrait, 4x6 in at the printer's dpi


def rasterise_label(pdf: Path, dpi: int) -> QImage:
    """The label's first page as black-and-white dots, portrait, 4x6 in at `dpi`."""
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
        raise LabelProblem(f"The label file {pdf.name} could not be read as a PDF.")
    size = document.pagePointSize(0)
    landscape = size.width() > size.height()
    width, height = LABEL_WIDTH_IN * dpi, LABEL_HEIGHT_IN * dpi
    if landscape:
        width, height = height, width
    # Keep the label's own proportions inside the 4x6 area; a label that is not quite 4x6
    # is centred, never stretched.
    scale = min(width / size.width(), height / size.height())
    rendered = document.render(0, QSize(round(size.width() * scale), round(size.height() * scale)))
    document.close()
    if landscape:
        rendered = rendered.transformed(QTransform().rotate(90))
    canvas = QImage(LABEL_WIDTH_IN * dpi, LABEL_HEIGHT_IN * dpi, QImage.Format.Format_RGB32)
    canvas.fill(QColor("white"))
    painter = QPainter(canvas)
    painter.drawImage(
        QPointF((canvas.width() - rendered.width()) / 2, (canvas.height() - rendered.height()) / 2),
        rendered,
    )
    painter.end()
    dots_per_metre = round(dpi / 0.0254)
    canvas.setDotsPerMeterX(dots_per_metre)
    canvas.setDotsPerMeterY(dots_per_metre)
    return canvas.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_Mono
    )


def _label_rect(width_in: float = LABEL_WIDTH_IN, height_in: float = LABEL_HEIGHT_IN) -> QRectF:
    return QRectF(0, 0, width_in * POINTS_PER_INCH, height_in * POINTS_PER_INCH)


def label_pages(labels: list[Label], paper: Paper) -> list[Page]:
    if paper.key == "4x6":
        return [_one_label_page(label, paper) for label in labels]
    pairs = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return [_two_up_page(pair, paper) for pair in pairs]


def _one_label_page(label: Label, paper: Paper) -> Page:
    def paint(painter: QPainter, _page: QRectF) -> None:
        painter.drawImage(_label_rect(), label.image)

    return Page("label", paper, paint, f"Label {label.order_number}")


def _two_up_page(pair: list[Label], paper: Paper) -> Page:
    """Two labels on a sheet, one per half, each turned to lie across the sheet."""

    def paint(painter: QPainter, page: QRectF) -> None:
        half_height = page.height() / 2
        for index, label in enumerate(pair):
            half = QRectF(page.left(), page.top() + index * half_height, page.width(), half_height)
            painter.save()
            painter.translate(half.center())
            painter.rotate(-90)
            target = _label_rect()
            target.moveCenter(QPointF(0, 0))
            painter.drawImage(target, label.image)
            painter.restore()
        cut_line = QPen(QColor("#b0b6bf"), 0.5)
        cut_line.setDashPattern([4, 4])
        painter.setPen(cut_line)
        painter.drawLine(QPointF(page.left(), half_height), QPointF(page.right(), half_height))

    numbers = " and ".join(label.order_number for label in pair)
    return Page("label", paper, paint, f"Labels {numbers}")
