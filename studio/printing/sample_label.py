"""A sample 4x6 label print, made the way a real one is: a label PDF as a marketplace sends
it, rasterised at the label printer's dpi by QtPdf, then the label printer's calibration
page. The self-test prints it to prove that PDF writing, PDF reading and fonts all work."""

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.printing import fonts
from studio.printing.calibration import calibration_page
from studio.printing.output import write_pdf
from studio.printing.page import Page
from studio.printing.paper import paper
from studio.printing.qt_app import ensure_gui_application
from studio.printing.shipping_label import Label, label_pages, rasterise_label
from studio.printing.text import draw_text

LABEL_PAPER = "4x6"
THERMAL_DPI = 203


def _marketplace_label() -> Page:
    def paint(painter: QPainter, page: QRectF) -> None:
        painter.setPen(QPen(QColor("black"), 3))
        painter.drawRect(page.adjusted(12, 12, -12, -12))
        painter.fillRect(
            QRectF(page.left() + 36, page.center().y(), page.width() - 72, 90), "black"
        )
        draw_text(
            painter,
            page.adjusted(30, 30, -30, -page.height() / 2),
            "SHIP TO\nA. Buyer\n1 Sample Street\nTestville 00000",
            fonts.font("sans", 16, bold=True),
            align=Qt.AlignmentFlag.AlignLeft,
        )

    return Page("label", paper(LABEL_PAPER), paint, "Sample marketplace label")


def write_sample_labels(folder: Path) -> Path:
    """Writes `labels.pdf` in `folder`: the rasterised sample label, then a calibration page."""
    ensure_gui_application()
    source = write_pdf([_marketplace_label()], folder / "marketplace-label.pdf")
    label = Label("SAMPLE", rasterise_label(source, THERMAL_DPI))
    pages = [
        *label_pages([label], paper(LABEL_PAPER)),
        calibration_page(paper(LABEL_PAPER), "label"),
    ]
    return write_pdf(pages, folder / "labels.pdf", title="Seller Studio self-test")
