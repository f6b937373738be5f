"""Print preview: the pages as they will come out, each at its own paper size, with Print and
Save as PDF."""

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.printing.page import Page
from studio.ui.dialog_buttons import action_buttons

PREVIEW_PIXELS_PER_POINT = 0.75


class PrintPreview(QDialog):
    def __init__(
        self,
        pages: Sequence[Page],
        images: Sequence[QImage],
        on_print: Callable[[Sequence[Page]], None],
        on_save: Callable[[Sequence[Page], str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pages = list(pages)
        self.setWindowTitle(f"Print preview — {len(pages)} page(s)")
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setSpacing(12)
        largest = QSize()
        for page, image in zip(pages, images, strict=True):
            item = QListWidgetItem(QPixmap.fromImage(image), page.caption)
            self.list.addItem(item)
            largest = largest.expandedTo(image.size())
        self.list.setIconSize(largest)
        buttons, _print = action_buttons(
            self, "Print", lambda: (on_print(self.pages), self.accept()), cancel="Close"
        )
        save_button = buttons.addButton("Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        save_button.setAutoDefault(False)
        save_button.clicked.connect(lambda: self._save(on_save))
        hint = QLabel("Pages go to the printers set under Printers…, in this order.")
        hint.setAlignment(Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(1000, 640)  # within a 1366x768 laptop screen, frame and taskbar included

    def _save(self, on_save: Callable[[Sequence[Page], str], None]) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Save as PDF", "", "PDF (*.pdf)")
        if path:
            on_save(self.pages, path)
            self.accept()
