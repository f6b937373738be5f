"""Bulk edit: one change to every selected item, checked before anything is written.

The form is read here; the section writes the change through the task bridge and the dialog
closes when that write succeeded, or says which items it cannot apply to.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studio.inventory.fields import STATUSES
from studio.inventory.service import BulkEdit, BulkEditError
from studio.ui.dialog_buttons import action_buttons

PRICE_MODES = ("% change", "amount change")
# Called with the edit, then one of: applied() or failed(error).
Apply = Callable[[BulkEdit, Callable[[], None], Callable[[BaseException], None]], None]


class BulkEditDialog(QDialog):
    def __init__(self, count: int, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {count} items")
        self._apply = apply
        self.applying = False
        form = QFormLayout()
        self.price = QLineEdit()
        self.price.setPlaceholderText("e.g. -10 for 10% off")
        self.price_mode = QComboBox()
        self.price_mode.addItems(PRICE_MODES)
        price_row = QHBoxLayout()
        price_row.addWidget(self.price)
        price_row.addWidget(self.price_mode)
        self.status = QComboBox()
        self.status.addItems(["(leave as is)", *STATUSES])
        self.bin = QLineEdit()
        self.bin.setPlaceholderText("leave empty to keep each item's bin")
        self.category = QLineEdit()
        self.category.setPlaceholderText("leave empty to keep")
        self.add_tags = QLineEdit()
        self.add_tags.setPlaceholderText("comma separated")
        self.remove_tags = QLineEdit()
        self.remove_tags.setPlaceholderText("comma separated")
        self.clear_bin = QCheckBox("Clear the bin")
        form.addRow("Price", price_row)
        form.addRow("Status", self.status)
        form.addRow("Bin", self.bin)
        form.addRow("", self.clear_bin)
        form.addRow("Category", self.category)
        form.addRow("Add tags", self.add_tags)
        form.addRow("Remove tags", self.remove_tags)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons, self.apply_button = action_buttons(self, f"Apply to {count} items", self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _show(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()

    def edit(self) -> BulkEdit:
        amount: Decimal | None = None
        if self.price.text().strip():
            try:
                amount = Decimal(self.price.text().strip().rstrip("%").replace("$", ""))
            except InvalidOperation:
                raise ValueError("Write the price change as a number, e.g. -10") from None
        percent = self.price_mode.currentIndex() == 0
        status = self.status.currentText() if self.status.currentIndex() > 0 else None
        bin_location = "" if self.clear_bin.isChecked() else (self.bin.text().strip() or None)
        return BulkEdit(
            price_percent=amount if percent else None,
            price_change=None if percent else amount,
            status=status,
            bin_location=bin_location,
            category=self.category.text().strip() or None,
            add_tags=self.add_tags.text().strip() or None,
            remove_tags=self.remove_tags.text().strip() or None,
        )

    def submit(self) -> None:
        if self.applying:
            return
        try:
            edit = self.edit()
            if edit == BulkEdit():
                raise ValueError("Nothing to change yet: fill in at least one field.")
        except ValueError as error:
            self._show(str(error))
            return
        self.message.hide()
        self._set_applying(True)
        self._apply(edit, self._applied, self._failed)

    def _set_applying(self, applying: bool) -> None:
        self.applying = applying
        self.apply_button.setEnabled(not applying)

    def _applied(self) -> None:
        self._set_applying(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        # BulkEditError says which items and why; anything else, what went wrong.
        self._set_applying(False)
        self._show(str(error) if isinstance(error, BulkEditError) else f"Not applied: {error}")
