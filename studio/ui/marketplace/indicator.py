"""The status-bar sync indicator: a coloured dot, a word, and Sync now."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from studio.sync.status import Overall, SyncSummary
from studio.ui.marketplace.controller import SyncController

COLOURS = {
    Overall.NOT_CONNECTED: "#a0a4ab",
    Overall.OFFLINE: "#a0a4ab",
    Overall.UP_TO_DATE: "#1f9d55",
    Overall.PENDING: "#c27c0e",
    Overall.ERROR: "#c62828",
}


class SyncIndicator(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dot = QLabel("●")
        self.text = QLabel()
        self.button = QToolButton()
        self.button.setText("Sync now")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(controller.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        for widget in (self.dot, self.text, self.button):
            layout.addWidget(widget)
        controller.summary_changed.connect(self.show_summary)
        controller.syncing_changed.connect(lambda _syncing: self.show_summary(controller.current))
        self.show_summary(controller.current)

    def show_summary(self, current: SyncSummary) -> None:
        syncing = self.controller.syncing
        self.dot.setStyleSheet(f"color: {COLOURS[current.state]};")
        self.text.setText("Syncing…" if syncing else current.text())
        tip = current.last_error or (
            f"Last sync {current.last_sync_at.astimezone():%Y-%m-%d %H:%M}"
            if current.last_sync_at
            else "Not synced yet"
        )
        self.setToolTip(tip)
        self.button.setVisible(current.state is not Overall.NOT_CONNECTED)
        self.button.setEnabled(not syncing)
