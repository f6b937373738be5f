"""The filter bar under the search box."""

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from studio.inventory.fields import STATUSES
from studio.inventory.queries import ItemQuery

ANY = "Any"
ACTIVE = "Active (not archived)"


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace("$", "")) if text.strip() else None
    except InvalidOperation:
        return None


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QComboBox()
        self.status.addItems([ACTIVE, ANY, *STATUSES])
        self.combos: dict[str, QComboBox] = {}
        layout.addWidget(QLabel("Status"))
        layout.addWidget(self.status)
        for name, label in (("category", "Category"), ("size", "Size"), ("brand", "Brand")):
            combo = QComboBox()
            combo.setEditable(name == "brand")
            combo.setMinimumContentsLength(8)
            combo.addItem(ANY)
            self.combos[name] = combo
            layout.addWidget(QLabel(label))
            layout.addWidget(combo)
            combo.currentTextChanged.connect(self.changed)
        self.bin = QLineEdit()
        self.bin.setPlaceholderText("Bin")
        self.bin.setMaximumWidth(70)
        self.min_price = QLineEdit()
        self.min_price.setPlaceholderText("$ min")
        self.min_price.setMaximumWidth(84)
        self.max_price = QLineEdit()
        self.max_price.setPlaceholderText("$ max")
        self.max_price.setMaximumWidth(84)
        self.use_dates = QCheckBox("Added")
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.changed)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.reset = QPushButton("Clear filters")
        self.reset.clicked.connect(self.clear)
        for widget in (self.bin, self.min_price, self.max_price):
            widget.textChanged.connect(self.changed)
            layout.addWidget(widget)
        for widget in (self.use_dates, self.date_from, QLabel("–"), self.date_to):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.reset)
        self.status.currentTextChanged.connect(self.changed)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.changed.emit()

    def set_choices(self, name: str, values: list[str]) -> None:
        combo = self.combos[name]
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([ANY, *values])
        combo.setCurrentText(current if current in values else ANY)
        combo.blockSignals(False)

    def apply_to(self, query: ItemQuery) -> ItemQuery:
        status = self.status.currentText()
        if status == ACTIVE:
            statuses = tuple(s for s in STATUSES if s != "archived")
        else:
            statuses = () if status == ANY else (status,)
        picked = {name: combo.currentText() for name, combo in self.combos.items()}
        dates: tuple[date | None, date | None] = (None, None)
        if self.use_dates.isChecked():
            dates = (self.date_from.date().toPython(), self.date_to.date().toPython())
        return replace(
            query,
            statuses=statuses,
            category="" if picked["category"] == ANY else picked["category"],
            size="" if picked["size"] == ANY else picked["size"],
            brand="" if picked["brand"] in (ANY, "") else picked["brand"],
            bin_location=self.bin.text().strip(),
            min_price=_amount(self.min_price.text()),
            max_price=_amount(self.max_price.text()),
            created_from=dates[0],
            created_to=dates[1],
        )

    def clear(self) -> None:
        self.blockSignals(True)
        self.status.setCurrentText(ACTIVE)
        for combo in self.combos.values():
            combo.setCurrentText(ANY)
        for edit in (self.bin, self.min_price, self.max_price):
            edit.clear()
        self.use_dates.setChecked(False)
        self.blockSignals(False)
        self.changed.emit()
