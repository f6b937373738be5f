"""A slider with its name and its current value, the unit every step control is made of."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget


class SliderRow(QWidget):
    value_changed = Signal(int)

    def __init__(
        self,
        name: str,
        low: int,
        high: int,
        shown: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._shown = shown
        self.name = QLabel(name)
        self.name.setMinimumWidth(78)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(low, high)
        self.slider.setPageStep(max(1, (high - low) // 10))
        self.value = QLabel()
        self.value.setMinimumWidth(44)
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.value)
        self.slider.valueChanged.connect(self._changed)
        self._changed(self.slider.value())

    def set_value(self, value: int) -> None:
        """Show a value without announcing it as the person's edit."""
        self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(False)
        self.value.setText(self._shown(self.slider.value()))

    def get(self) -> int:
        return self.slider.value()

    def _changed(self, value: int) -> None:
        self.value.setText(self._shown(value))
        self.value_changed.emit(value)
