"""The welcome's background-removal step: what is installed, and an Install button whose
progress shows in place (the download runs on the TaskRunner, never on the UI thread)."""

import threading
from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.imaging.model_catalog import DOWNLOAD_MB, MODEL_MB, InstalledModel, active_model
from studio.imaging.model_install import InstallCancelled, Progress, Report, install
from studio.ui.tasks import Task, TaskContext, TaskRunner

Installer = Callable[[str | None, Report, Progress | None, threading.Event], InstalledModel]

WITHOUT_MODEL = (
    "Without it everything else works, and products shot on a plain, evenly lit backdrop "
    "are still cut out by a simpler method."
)


class ModelPanel(QWidget):
    def __init__(
        self,
        runner: TaskRunner,
        installer: Installer = install,
        find_model: Callable[[], InstalledModel | None] = active_model,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.installer = installer
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.install_button = QPushButton("Install background removal")
        self.install_button.clicked.connect(self.start_install)
        self.install_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.bar = QProgressBar()
        self.bar.hide()
        self.task: Task | None = None
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.step = QLabel()
        self.step.setWordWrap(True)
        self.step.setStyleSheet("color: #5b6472;")
        self.step.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.install_button)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.step)
        self._show_model(find_model())

    def _show_model(self, model: InstalledModel | None) -> None:
        if model is None:
            self.status.setText(
                "Cutting products out of any background needs a model: a "
                f"{DOWNLOAD_MB} MB download that leaves a {MODEL_MB} MB model, installed once "
                f"for all your inventories. {WITHOUT_MODEL}"
            )
            self.install_button.show()
        else:
            self.status.setText(
                f"Installed: {model.name} ({model.size_mb:.0f} MB). Photos are cut out by it."
            )
            self.install_button.hide()

    def start_install(self) -> None:
        installer = self.installer

        def work(context: TaskContext) -> InstalledModel:
            latest = {"text": "", "done": 0, "total": 0}

            def report(text: str) -> None:
                latest["text"] = text.strip()
                context.progress(latest["done"], latest["total"], latest["text"])

            def progress(done: int, total: int) -> None:
                latest.update(done=done, total=total)
                context.progress(done, total, latest["text"])

            return installer(None, report, progress, context.cancel_event)

        self.install_button.setEnabled(False)
        self.bar.setRange(0, 0)  # busy until a step can be measured
        self.bar.show()
        self._say("Starting…")
        self.task = self.runner.run(
            "Installing background removal",
            work,
            on_done=self._installed,
            on_error=self._failed,
            on_progress=self._progressed,
            on_cancel=self._cancelled,
        )
        self.cancel_button.show()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _cancelled(self) -> None:
        self._stopped()
        self.install_button.setText("Install background removal")
        self._say("Cancelled; nothing was installed.")

    def _progressed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)
        if text:
            self._say(text)

    def _stopped(self) -> None:
        self.task = None
        self.bar.hide()
        self.cancel_button.hide()
        self.install_button.setEnabled(True)

    def _installed(self, model: InstalledModel) -> None:
        self._stopped()
        self._say("")
        self._show_model(model)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, InstallCancelled):
            self._cancelled()
            return
        self._stopped()
        self.install_button.setText("Try again")
        self._say(
            f"The model could not be installed: {error}. Check the internet connection and try "
            f"again, or later from a terminal: studio models install. {WITHOUT_MODEL}"
        )

    def _say(self, text: str) -> None:
        self.step.setText(text)
        self.step.setVisible(bool(text))
