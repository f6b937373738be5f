"""The item editor: a form with a message beside each field that is wrong."""

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studio.inventory.fields import BY_NAME, STATUSES, FieldError, Kind, display_value, parse_value
from studio.inventory.service import ValidationError

LEFT = ("sku", "title", "brand", "category", "size", "color", "condition", "tags", "status")
RIGHT = (
    "list_price_cents",
    "floor_price_cents",
    "cost_cents",
    "purchase_date",
    "purchase_source",
    "bin_location",
)
BELOW = ("description", "notes")
PLACEHOLDERS = {
    "sku": "made from the category, e.g. BAG-0042",
    "tags": "comma separated, e.g. vintage, y2k",
    "purchase_date": "YYYY-MM-DD",
    "bin_location": "e.g. A3-12",
    "list_price_cents": "0.00",
    "floor_price_cents": "lowest you accept",
    "cost_cents": "what you paid",
}
ERROR_STYLE = "color: #c62828;"


class ItemEditor(QDialog):
    def __init__(
        self,
        save: Callable[[dict[str, Any]], None],
        initial: Mapping[str, Any] | None = None,
        suggestions: Mapping[str, list[str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit item" if initial else "New item")
        self._save = save
        self._initial = {n: display_value(BY_NAME[n], v) for n, v in (initial or {}).items()}
        self.inputs: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}

        columns = QGridLayout()
        columns.setHorizontalSpacing(24)
        columns.addLayout(self._form(LEFT, suggestions or {}), 0, 0)
        columns.addLayout(self._form(RIGHT, suggestions or {}), 0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        for name in BELOW:
            layout.addWidget(QLabel(BY_NAME[name].label))
            layout.addWidget(self._field_with_error(name, {}))
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.submit)
        self.resize(820, 560)
        self.inputs["title"].setFocus()

    def _form(self, names: tuple[str, ...], suggestions: Mapping[str, list[str]]) -> QFormLayout:
        form = QFormLayout()
        for name in names:
            label = BY_NAME[name].label + ("*" if name == "title" else "")
            form.addRow(label, self._field_with_error(name, suggestions))
        return form

    def _field_with_error(self, name: str, suggestions: Mapping[str, list[str]]) -> QWidget:
        field = self._input(name, BY_NAME[name].kind, suggestions.get(name, []))
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(field)
        stack.addWidget(error)
        self.inputs[name], self.errors[name] = field, error
        return holder

    def _input(
        self, name: str, kind: Kind, suggestions: list[str]
    ) -> QLineEdit | QPlainTextEdit | QComboBox:
        value = self._initial.get(name, "")
        if kind is Kind.STATUS:
            combo = QComboBox()
            combo.addItems(list(STATUSES))
            combo.setCurrentText(value or STATUSES[0])
            return combo
        if kind is Kind.LONG_TEXT:
            text = QPlainTextEdit(value)
            text.setFixedHeight(80)
            text.setTabChangesFocus(True)
            return text
        line = QLineEdit(value)
        line.setPlaceholderText(PLACEHOLDERS.get(name, ""))
        if suggestions:
            completer = QCompleter(suggestions, line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            line.setCompleter(completer)
        line.textEdited.connect(lambda _text, n=name: self._check_field(n))
        return line

    def text_of(self, name: str) -> str:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def set_text(self, name: str, text: str) -> None:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
            self._check_field(name)

    def _check_field(self, name: str) -> None:
        try:
            parse_value(BY_NAME[name], self.text_of(name))
        except FieldError as error:
            self.show_errors({name: str(error)}, clear=False)
        else:
            self.errors[name].hide()

    def show_errors(self, errors: Mapping[str, str], clear: bool = True) -> None:
        for name, label in self.errors.items():
            if name in errors:
                label.setText(errors[name])
                label.show()
            elif clear:
                label.hide()

    def changed_values(self) -> dict[str, str]:
        """What the person typed, limited to fields that differ from the item's values."""
        return {
            name: self.text_of(name)
            for name in self.inputs
            if self.text_of(name) != self._initial.get(name, "")
        }

    def submit(self) -> None:
        try:
            self._save(self.changed_values())
        except ValidationError as error:
            self.show_errors(error.errors)
            first = next(iter(error.errors))
            self.inputs[first].setFocus()
            return
        self.accept()
