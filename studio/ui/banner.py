"""An inline message above a screen's content, instead of a modal dialog."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

STYLES = {
    "info": "background: #e8f3ec; color: #1b5e20; border-radius: 4px;",
    "error": "background: #fdecea; color: #b71c1c; border-radius: 4px;",
}
INFO_VISIBLE_MS = 8000


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=INFO_VISIBLE_MS)
        self._timer.timeout.connect(self.hide)
        self.kind = ""
        self.hide()

    def _show(self, kind: str, message: str) -> None:
        self.kind = kind
        self.setStyleSheet(STYLES[kind])
        self.text.setText(message)
        self.show()

    def show_info(self, message: str) -> None:
        self._show("info", message)
        self._timer.start()

    def show_error(self, message: str) -> None:
        # Errors stay until dismissed: the person has to read what to do.
        self._timer.stop()
        self._show("error", message)
