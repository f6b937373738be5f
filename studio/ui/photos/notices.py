"""Inline notices of the Photo Studio: no model installed, and a batch left unfinished."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from studio.imaging.model_catalog import LICENCE_NOTE
from studio.ui.banner import STYLES

NOTE_STYLE = "background: #fff7e0; color: #5d4300; border-radius: 4px;"
NO_MODEL = (
    "<b>No background-removal model is installed.</b> Photos shot on a plain, even backdrop "
    "(a wall, a sheet, a sweep of paper) are still cut out by the built-in classical remover; "
    "busy backgrounds need the model. Everything else (fill, shadow, canvas, light, brushes, "
    "batches) works without it. To install it, run <code>studio models install</code> in a "
    "terminal."
)


class _Notice(QWidget):
    """A tinted strip with a message, optional buttons and a close button."""

    def __init__(self, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(style)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QHBoxLayout()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.body = QVBoxLayout()
        self.body.addWidget(self.text)
        layout.addLayout(self.body, 1)
        layout.addLayout(self.buttons)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)


class ModelNotice(_Notice):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(NOTE_STYLE, parent)
        self.text.setText(NO_MODEL)
        self.licence = QLabel(LICENCE_NOTE)
        self.licence.setWordWrap(True)
        self.licence.setStyleSheet("font-size: 11px;")
        self.body.addWidget(self.licence)


class ResumeNotice(_Notice):
    """Offers to finish a batch that a quit or a crash interrupted."""

    resume = Signal(int)
    discard = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(STYLES["info"], parent)
        self.batch_id: int | None = None
        self.label = ""
        resume = QPushButton("Resume")
        discard = QPushButton("Discard")
        discard.setToolTip("Forget the unfinished photos; the ones already done are kept")
        self.buttons.addWidget(resume)
        self.buttons.addWidget(discard)
        resume.clicked.connect(lambda: self._answer(self.resume))
        discard.clicked.connect(lambda: self._answer(self.discard))
        self.resume_button, self.discard_button = resume, discard
        self.hide()

    def offer(self, batch_id: int, label: str, left: int, total: int) -> None:
        self.batch_id, self.label = batch_id, label
        name = f"“{label}”" if label else "A photo batch"
        self.text.setText(
            f"{name} was interrupted with {left} of {total} photo(s) still to do. "
            "Resume it now, or discard what is left."
        )
        self.show()

    def _answer(self, signal: Signal) -> None:
        if self.batch_id is not None:
            signal.emit(self.batch_id)  # type: ignore[attr-defined]
        self.hide()
