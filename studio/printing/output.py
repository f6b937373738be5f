"""Pages onto paper: a PDF file, system printers (with each profile's calibration), or
images for the preview."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPagedPaintDevice, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from studio.printing.page import Page
from studio.printing.paper import POINTS_PER_MM
from studio.printing.text import DOTS_PER_METRE_AT_72_DPI

DEVICE_DPI = 72  # one device unit is one point, so layouts draw in points everywhere


class PrintProblem(Exception):
    """Printing could not start; the message says what to do."""


@dataclass(frozen=True)
class Calibration:
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale_percent: float = 100.0


@dataclass(frozen=True)
class Destination:
    """Where one kind of document goes: a printer by name, calibrated."""

    printer_name: str
    calibration: Calibration = Calibration()


def _paint_pages(
    device: QPagedPaintDevice, pages: Sequence[Page], calibration: Calibration
) -> None:
    device.setPageLayout(pages[0].paper.page_layout())
    painter = QPainter()
    if not painter.begin(device):
        raise PrintProblem("The printer or file could not be opened for printing.")
    try:
        for number, page in enumerate(pages):
            if number:
                device.setPageLayout(page.paper.page_layout())
                device.newPage()
            painter.save()
            painter.translate(
                calibration.offset_x_mm * POINTS_PER_MM, calibration.offset_y_mm * POINTS_PER_MM
            )
            painter.scale(calibration.scale_percent / 100, calibration.scale_percent / 100)
            page.paint(painter, page.paper.rect())
            painter.restore()
    finally:
        painter.end()


def write_pdf(pages: Sequence[Page], path: Path, title: str = "Seller Studio") -> Path:
    """All pages into one PDF, each at its own paper size, uncalibrated."""
    if not pages:
        raise PrintProblem("There is nothing to print.")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(DEVICE_DPI)
    writer.setTitle(title)
    writer.setCreator("Seller Studio")
    _paint_pages(writer, pages, Calibration())
    del writer  # the file is complete once the writer is gone
    return path


def printer_names() -> list[str]:
    return sorted(QPrinterInfo.availablePrinterNames())


def print_pages(
    pages: Sequence[Page], destination_for: Callable[[str], Destination], job_name: str
) -> list[str]:
    """Sends pages to printers, one job per run of pages bound for the same printer, in
    the order given (the order the seller packs). Returns the printers used, in order."""
    used = []
    for printer_name, run in groupby(pages, key=lambda p: destination_for(p.kind).printer_name):
        run_pages = list(run)
        destination = destination_for(run_pages[0].kind)
        _print_run(run_pages, destination, job_name)
        used.append(printer_name)
    return used


def _print_run(pages: Sequence[Page], destination: Destination, job_name: str) -> None:
    info = QPrinterInfo.printerInfo(destination.printer_name) if destination.printer_name else None
    if info is None or info.isNull():
        info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        raise PrintProblem(
            f"No printer named {destination.printer_name!r} (and no default printer). Choose "
            "one under Printers, or save as PDF."
        )
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setResolution(DEVICE_DPI)
    printer.setFullPage(True)
    printer.setDocName(job_name)
    _paint_pages(printer, pages, destination.calibration)


def render_image(page: Page, pixels_per_point: float) -> QImage:
    """The page as a picture, for the preview (and the template editor)."""
    rect = page.paper.rect()
    image = QImage(
        round(rect.width() * pixels_per_point),
        round(rect.height() * pixels_per_point),
        QImage.Format.Format_RGB32,
    )
    # A 72 dpi image makes font sizes come out in points, as on the PDF and the printer.
    image.setDotsPerMeterX(DOTS_PER_METRE_AT_72_DPI)
    image.setDotsPerMeterY(DOTS_PER_METRE_AT_72_DPI)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.scale(pixels_per_point, pixels_per_point)
    painter.setClipRect(QRectF(rect), Qt.ClipOperation.ReplaceClip)
    page.paint(painter, rect)
    painter.end()
    return image
