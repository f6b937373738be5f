"""Pick a preset (shipped first, then the seller's own) or save the current recipe as one.

Saving asks for the name inline, under the picker, rather than in a dialog.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

NO_PRESET = "Choose a preset…"


class PresetBar(QWidget):
    chosen = Signal(str)  # a preset's name
    save_requested = Signal(str)  # the name typed for a new preset

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = QComboBox()
        self.presets.setToolTip("Apply a preset to this photo; edits below fine-tune it")
        self.save_button = QPushButton("Save as preset…")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name for the new preset, then Enter")
        self.confirm = QPushButton("Save")
        self.cancel = QPushButton("Cancel")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.presets, 1)
        top.addWidget(self.save_button)
        self.naming = QWidget()
        row = QHBoxLayout(self.naming)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.name, self.confirm, self.cancel):
            row.addWidget(widget)
        row.setStretch(0, 1)
        self.naming.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.naming)

        self.presets.activated.connect(self._activated)
        self.save_button.clicked.connect(self.ask_name)
        self.name.returnPressed.connect(self._save)
        self.confirm.clicked.connect(self._save)
        self.cancel.clicked.connect(self.naming.hide)

    def set_names(self, names: list[str], shipped: int) -> None:
        current = self.presets.currentText()
        self.presets.blockSignals(True)
        self.presets.clear()
        self.presets.addItem(NO_PRESET)
        self.presets.addItems(names)
        if 0 < shipped < len(names):
            self.presets.insertSeparator(shipped + 1)  # the seller's own come after a line
        self.presets.blockSignals(False)
        self.show_current(current)

    def show_current(self, name: str | None) -> None:
        """Show which preset the photo's recipe is, or the prompt when it matches none."""
        index = self.presets.findText(name or NO_PRESET, Qt.MatchFlag.MatchExactly)
        self.presets.blockSignals(True)
        self.presets.setCurrentIndex(max(index, 0))
        self.presets.blockSignals(False)

    def ask_name(self) -> None:
        self.naming.show()
        self.name.clear()
        self.name.setFocus()

    def _activated(self, index: int) -> None:
        if index > 0:
            self.chosen.emit(self.presets.itemText(index))

    def _save(self) -> None:
        name = self.name.text().strip()
        if name:
            self.naming.hide()
            self.save_requested.emit(name)
