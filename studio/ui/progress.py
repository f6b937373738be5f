"""The status-bar progress panel: done/total, time left, and a Cancel that works."""

import time

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from studio.ui.tasks import Task


def time_left_text(elapsed_s: float, done: int, total: int) -> str:
    if done <= 0 or total <= done or elapsed_s < 1:
        return ""
    seconds = int(elapsed_s * (total - done) / done)
    if seconds < 60:
        return f"about {max(seconds, 1)} s left"
    return f"about {seconds // 60} min {seconds % 60:02d} s left"


class ProgressPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(True)
        self.eta = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop this work; nothing half-done is kept")
        for widget in (self.label, self.bar, self.eta, self.cancel_button):
            layout.addWidget(widget)
        self.task: Task | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def follow(self, task: Task) -> None:
        self.task = task
        self.label.setText(task.label)
        self.bar.setRange(0, 0)  # busy until the first report
        self.eta.clear()
        self.cancel_button.setEnabled(True)
        task.progressed.connect(self._on_progress)
        task.ended.connect(self._on_ended)
        self.show()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.task is None:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done:,} / {total:,}")
        if text:
            self.label.setText(f"{self.task.label}: {text}")
        elapsed = time.monotonic() - self.task.started_at
        self.eta.setText(time_left_text(elapsed, done, total))

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{self.task.label}: cancelling…")

    def _on_ended(self) -> None:
        self.task = None
        self.hide()
