"""The mask brush: keep or erase, its size, and clearing the photo's touch-ups."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.photos.slider_row import SliderRow

NEEDS_CUTOUT = "Turn on “Remove the background” to touch up the cut-out."
HOW_TO = "Paint on the photo: green keeps, red erases."


class BrushBar(QWidget):
    changed = Signal(object, float)  # "keep", "erase" or None; radius as a fraction
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keep = QPushButton("Keep brush")
        self.erase = QPushButton("Erase brush")
        for button in (self.keep, self.erase):
            button.setCheckable(True)
        self.keep.setShortcut("K")
        self.erase.setShortcut("E")
        self.keep.setToolTip("Paint back what the cut-out missed (K)")
        self.erase.setToolTip("Paint away background the cut-out kept (E)")
        self.size = SliderRow("Size", 1, 15, lambda v: f"{v} %")
        self.size.set_value(3)
        self.clear = QPushButton("Clear touch-ups")
        self.hint = QLabel(NEEDS_CUTOUT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6672;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.keep, self.erase, self.clear):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.size)
        layout.addWidget(self.hint)
        self.keep.toggled.connect(lambda on: self._toggled(self.keep, on))
        self.erase.toggled.connect(lambda on: self._toggled(self.erase, on))
        self.size.value_changed.connect(lambda _value: self._announce())
        self.clear.clicked.connect(self.clear_requested)
        self.set_available(False, 0)

    @property
    def mode(self) -> str | None:
        if self.keep.isChecked():
            return "keep"
        if self.erase.isChecked():
            return "erase"
        return None

    @property
    def radius(self) -> float:
        return self.size.get() / 200  # the slider shows the brush's width in % of the photo

    def set_available(self, available: bool, strokes: int) -> None:
        """Brushes work only on a cut-out; switching them off also leaves brush mode."""
        if not available:
            self.keep.setChecked(False)
            self.erase.setChecked(False)
        for widget in (self.keep, self.erase, self.size):
            widget.setEnabled(available)
        self.clear.setEnabled(available and strokes > 0)
        self.clear.setText(f"Clear touch-ups ({strokes})" if strokes else "Clear touch-ups")
        self.hint.setText(HOW_TO if available else NEEDS_CUTOUT)

    def _toggled(self, button: QPushButton, on: bool) -> None:
        if on:  # the two brushes exclude each other, and both may be off
            other = self.erase if button is self.keep else self.keep
            other.blockSignals(True)
            other.setChecked(False)
            other.blockSignals(False)
        self._announce()

    def _announce(self) -> None:
        self.changed.emit(self.mode, self.radius)
