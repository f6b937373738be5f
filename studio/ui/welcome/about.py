"""Help > About: the version, and where this inventory's data and log file are."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio import __version__
from studio.ui.welcome.app_icon import icon_file


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Seller Studio")
        logo = QLabel()
        logo.setPixmap(QPixmap(str(icon_file(64))))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details = QLabel(
            f"<h3 style='margin:0'>Seller Studio {__version__}</h3>"
            "<p>An offline-first studio for resellers of second-hand fashion.</p>"
            f"<p><b>Data folder</b><br>{data_dir}</p>"
            f"<p><b>Log file</b><br>{log_file}</p>"
        )
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(logo)
        row.addWidget(self.details, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
