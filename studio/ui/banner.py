"""An inline message above a screen's content, instead of a modal dialog.

Its room is kept when no message shows and it never grows past two lines, so a notice that
comes or goes never moves the buttons under the pointer (a click meant for one button must
not land on another); a longer message is cut there and shown whole as a tooltip.
"""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

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
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.setFixedHeight(2 * self.text.fontMetrics().lineSpacing() + 14)
        self._timer = QTimer(self, singleShot=True, interval=INFO_VISIBLE_MS)
        self._timer.timeout.connect(self.hide)
        self.kind = ""
        self.hide()

    def _show(self, kind: str, message: str) -> None:
        self.kind = kind
        self.setStyleSheet(STYLES[kind])
        self.text.setText(message)
        self.setToolTip(message)
        self.show()

    def show_info(self, message: str) -> None:
        self._show("info", message)
        self._timer.start()

    def show_error(self, message: str) -> None:
        # Errors stay until dismissed: the person has to read what to do.
        self._timer.stop()
        self._show("error", message)
