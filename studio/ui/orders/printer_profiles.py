"""Printer profiles: per kind of document the printer, paper, orientation, resolution and
the calibration offsets, with a calibration page to measure them."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.printing import settings
from studio.printing.calibration import calibration_page
from studio.printing.output import Calibration, Destination, print_pages, printer_names
from studio.printing.paper import PAPERS, PAPERS_FOR
from studio.printing.settings import DocumentKind, PrinterProfile
from studio.ui.banner import Banner
from studio.ui.dialog_buttons import action_buttons
from studio.ui.services import Services

KIND_LABELS = {
    DocumentKind.PICK_LIST: "Pick lists",
    DocumentKind.SLIP: "Packing slips",
    DocumentKind.LABEL: "Shipping labels",
    DocumentKind.CARD: "Thank-you cards",
    DocumentKind.TAG: "SKU tags",
}


class _ProfileBox(QGroupBox):
    def __init__(self, profile: PrinterProfile, printers: list[str], calibrate) -> None:
        super().__init__(KIND_LABELS[DocumentKind(profile.kind)])
        self.kind = profile.kind
        self.printer = QComboBox()
        self.printer.addItem("Default printer", "")
        for name in printers:
            self.printer.addItem(name, name)
        self.printer.setCurrentIndex(max(0, self.printer.findData(profile.printer_name)))
        self.paper = QComboBox()
        for key in PAPERS_FOR[profile.kind]:
            self.paper.addItem(PAPERS[key].label, key)
        self.paper.setCurrentIndex(max(0, self.paper.findData(profile.paper)))
        self.landscape = QCheckBox("Landscape")
        self.landscape.setChecked(profile.landscape)
        self.dpi = QComboBox()
        for dpi in (203, 300, 600):
            self.dpi.addItem(f"{dpi} dpi", dpi)
        self.dpi.setCurrentIndex(max(0, self.dpi.findData(profile.dpi)))
        self.offset_x = self._spin(profile.offset_x_mm, -20, 20, " mm")
        self.offset_y = self._spin(profile.offset_y_mm, -20, 20, " mm")
        self.scale = self._spin(profile.scale_percent, 80, 120, " %")
        button = QPushButton("Print calibration page")
        button.clicked.connect(lambda: calibrate(self.profile()))
        form = QFormLayout(self)
        form.addRow("Printer", self.printer)
        form.addRow("Paper", self.paper)
        if profile.kind == DocumentKind.LABEL:
            form.addRow("Resolution", self.dpi)
        form.addRow("Offset right", self.offset_x)
        form.addRow("Offset down", self.offset_y)
        form.addRow("Scale", self.scale)
        form.addRow("", button)

    @staticmethod
    def _spin(value: float, low: float, high: float, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(minimum=low, maximum=high, decimals=1, singleStep=0.5)
        spin.setSuffix(suffix)
        spin.setValue(value)
        return spin

    def profile(self) -> PrinterProfile:
        return PrinterProfile(
            kind=self.kind,
            printer_name=self.printer.currentData(),
            paper=self.paper.currentData(),
            landscape=self.landscape.isChecked(),
            offset_x_mm=self.offset_x.value(),
            offset_y_mm=self.offset_y.value(),
            scale_percent=self.scale.value(),
            dpi=self.dpi.currentData(),
        )


def open_printer_profiles(
    services: Services,
    banner: Banner,
    parent: QWidget,
    opened: Callable[["PrinterProfiles"], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Reads the stored profiles, then opens the dialog on them."""

    def read(session: Session) -> list[PrinterProfile]:
        return [settings.printer_profile(session, kind) for kind in DocumentKind]

    def show(profiles: list[PrinterProfile]) -> None:
        dialog = PrinterProfiles(services, banner, profiles, parent)
        dialog.open()
        opened(dialog)

    services.runner.query("Reading the printer profiles", read, on_done=show, on_error=failed)


class PrinterProfiles(QDialog):
    def __init__(
        self,
        services: Services,
        banner: Banner,
        profiles: list[PrinterProfile],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Printers")
        self.services = services
        self.banner = banner
        self.problem = Banner()  # a failed save says so here, with the choices still open
        printers = printer_names()
        self.boxes = [_ProfileBox(p, printers, self.print_calibration) for p in profiles]
        # Side by side, three to a row: stacked, five printers are taller than a laptop screen.
        grid = QGridLayout()
        for number, box in enumerate(self.boxes):
            grid.addWidget(box, number // 3, number % 3)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(action_buttons(self, "Save", self.save)[0])

    def save(self) -> None:
        chosen = [box.profile() for box in self.boxes]

        def change(session: Session) -> None:
            for profile in chosen:
                settings.save_printer_profile(session, profile)

        self.services.runner.write(
            "Saving the printers",
            change,
            on_done=lambda _none: self.accept(),
            on_error=lambda error: self.problem.show_error(f"Not saved: {error}"),
        )

    def print_calibration(self, profile: PrinterProfile) -> None:
        page = calibration_page(PAPERS[profile.paper], profile.kind)
        calibration = Calibration(profile.offset_x_mm, profile.offset_y_mm, profile.scale_percent)
        destination = Destination(profile.printer_name, calibration)

        def work(_context):
            return print_pages([page], lambda _kind: destination, "Calibration page")

        self.services.runner.run(
            "Printing the calibration page",
            work,
            on_done=lambda _used: self.banner.show_info("Calibration page sent."),
            on_error=lambda error: self.banner.show_error(f"Calibration page failed: {error}"),
        )
