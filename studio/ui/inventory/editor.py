"""The item editor: the item's fields on three tabs, a message beside each field that is
wrong, what the seller keeps at the typed price, and what is still missing before listing;
with an eBay account connected, a fourth tab with what eBay needs (marketplace_panel.py).

What was typed is parsed here, at once; the section then writes it through the task bridge
and the form closes only when that write succeeded (a taken SKU is found by the write).
"""

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.inventory import checklist, descriptions
from studio.inventory.fields import (
    BY_NAME,
    FIELDS,
    MEASUREMENT_FIELDS,
    STATUSES,
    FieldError,
    Group,
    Kind,
    display_value,
    parse_value,
)
from studio.inventory.service import ValidationError, parse_values, value_errors
from studio.inventory.tables import Item
from studio.money import format_money
from studio.seller_tools.fees import DEFAULT_FEES, ItemNumbers, item_numbers
from studio.sync.marketplace_details import aspects_text, words_for
from studio.sync.pricing import MarketplaceTerms
from studio.ui.dialog_buttons import action_buttons
from studio.ui.inventory.marketplace_panel import MarketplacePanel, PanelSetup, where

LEFT = ("sku", "title", "brand", "category", "size", "color", "condition", "tags", "status")
RIGHT = ("list_price_cents", "floor_price_cents", "bin_location")
PLACEHOLDERS = {
    "sku": "made from the category, e.g. BAG-0042",
    "tags": "comma separated, e.g. vintage, y2k",
    "purchase_date": "YYYY-MM-DD",
    "bin_location": "e.g. A3-12",
    "list_price_cents": "0.00",
    "floor_price_cents": "lowest you accept",
    "cost_cents": "what you paid",
    "weight": "e.g. 12 oz, 1 lb 4 oz, 340 g",
    "package_size": "L x W x H in inches, e.g. 12 x 10 x 2",
    "department": "e.g. Women, Men, Kids, Unisex",
    **{spec.name: "inches, or e.g. 55 cm" for spec in MEASUREMENT_FIELDS},
}
HINT_STYLE = "color: #5b6472;"
ERROR_STYLE = "color: #c62828;"
NEEDS_STYLE = "color: #8a4b00;"
# Called with the parsed values, then one of: saved() or failed(error).
Save = Callable[[dict[str, Any], Callable[[], None], Callable[[BaseException], None]], None]


class ItemEditor(QDialog):
    def __init__(
        self,
        save: Save,
        initial: Mapping[str, Any] | None = None,
        suggestions: Mapping[str, list[str]] | None = None,
        parent: QWidget | None = None,
        templates: Mapping[str, str] | None = None,
        photo_count: int = 0,
        terms: MarketplaceTerms | None = None,
        marketplace: PanelSetup | None = None,
    ) -> None:
        """`terms`: the marketplace whose price and fee the numbers show (the first one
        connected); None shows the list price with the default fee. `marketplace`: an eBay
        account and what is known of the item there, for the eBay tab; None shows none."""
        super().__init__(parent)
        self.terms = terms
        self.setWindowTitle("Edit item" if initial else "New item")
        self._save = save
        self.saving = False
        self._initial_values = dict(initial or {})
        self._initial = {n: display_value(BY_NAME[n], v) for n, v in (initial or {}).items()}
        self.templates = dict(templates or {descriptions.DEFAULT_NAME: descriptions.DEFAULT_BODY})
        self.photo_count = photo_count
        self.inputs: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        hints = suggestions or {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._listing_tab(hints), "Listing")
        self.tabs.addTab(self._details_tab(hints), "Details and measurements")
        self.tabs.addTab(self._group_tab(Group.BUSINESS, hints), "Cost and notes")
        self.ready = QLabel()  # what is still missing before listing
        self.ready.setWordWrap(True)
        self.marketplace_needs = QLabel()  # what eBay still needs; hidden once it has it
        self.marketplace_needs.setWordWrap(True)
        self.marketplace_needs.hide()
        self.saved_aspects = dict(marketplace.aspects) if marketplace else {}
        self.panel: MarketplacePanel | None = None
        if marketplace is not None:
            self.panel = MarketplacePanel(marketplace, self.current_item, self.go_to_field)
            self.panel.edited.connect(self._refresh_summary)
            self.tabs.addTab(self.panel, where(marketplace.marketplace))
            for name in ("title", "category"):
                line = self.inputs[name]
                assert isinstance(line, QLineEdit)
                line.editingFinished.connect(self._item_words_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.ready)
        layout.addWidget(self.marketplace_needs)
        self.message = QLabel()  # a save that failed for another reason than a field
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons, self.save_button = action_buttons(self, "Save", self.submit)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.submit)
        self.resize(860, 600)
        self._refresh_summary()
        self.inputs["title"].setFocus()

    # Tabs
    def _listing_tab(self, hints: Mapping[str, list[str]]) -> QWidget:
        page = QWidget()
        columns = QGridLayout()
        columns.setHorizontalSpacing(24)
        columns.addLayout(self._form(LEFT, hints), 0, 0)
        right = QVBoxLayout()
        right.addLayout(self._form(RIGHT, hints))
        self.numbers = QLabel()  # fee, postage and what the seller keeps at this price
        self.numbers.setWordWrap(True)
        self.numbers.setStyleSheet(HINT_STYLE)
        right.addWidget(self.numbers)
        right.addStretch(1)
        columns.addLayout(right, 0, 1)
        self.template_choice = QComboBox()
        self.template_choice.addItems(list(self.templates))
        fill = QPushButton("Fill from template")
        fill.setAutoDefault(False)
        fill.clicked.connect(self.fill_description)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(BY_NAME["description"].label))
        heading.addStretch(1)
        heading.addWidget(self.template_choice)
        heading.addWidget(fill)
        layout = QVBoxLayout(page)
        layout.addLayout(columns)
        layout.addLayout(heading)
        layout.addWidget(self._field_with_error("description", {}), 1)
        return page

    def _details_tab(self, hints: Mapping[str, list[str]]) -> QWidget:
        page = QWidget()
        columns = QGridLayout()
        columns.setHorizontalSpacing(24)
        details = [
            s.name for s in FIELDS if s.group is Group.DETAILS and s.kind is not Kind.LONG_TEXT
        ]
        shipping = [s.name for s in FIELDS if s.group is Group.SHIPPING]
        left = QVBoxLayout()
        left.addLayout(self._form(tuple(details), hints))
        left.addWidget(self._heading("Shipping"))
        left.addLayout(self._form(tuple(shipping), hints))
        left.addStretch(1)
        measures = QVBoxLayout()
        measures.addWidget(self._heading("Measurements, laid flat"))
        measures.addLayout(self._form(tuple(s.name for s in MEASUREMENT_FIELDS), hints))
        measures.addStretch(1)
        columns.addLayout(left, 0, 0)
        columns.addLayout(measures, 0, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(columns)
        layout.addWidget(QLabel(BY_NAME["flaws"].label))
        layout.addWidget(self._field_with_error("flaws", {}))
        return page

    def _group_tab(self, group: Group, hints: Mapping[str, list[str]]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        specs = [spec for spec in FIELDS if spec.group is group]
        layout.addLayout(
            self._form(tuple(s.name for s in specs if s.kind is not Kind.LONG_TEXT), hints)
        )
        for spec in specs:
            if spec.kind is Kind.LONG_TEXT:
                layout.addWidget(QLabel(spec.label))
                layout.addWidget(self._field_with_error(spec.name, {}), 1)
        return page

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; margin-top: 8px;")
        return label

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
            text.setMinimumHeight(70)
            text.setTabChangesFocus(True)
            text.textChanged.connect(self._refresh_summary)
            return text
        line = QLineEdit(value)
        line.setPlaceholderText(PLACEHOLDERS.get(name, ""))
        if suggestions:
            completer = QCompleter(suggestions, line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            line.setCompleter(completer)
        line.textEdited.connect(lambda _text, n=name: self._check_field(n))
        line.textChanged.connect(self._refresh_summary)
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

    def current_item(self) -> Item:
        """The item as the form has it now, leaving out values that do not parse yet."""
        values = dict(self._initial_values)
        for name in self.inputs:
            try:
                values[name] = parse_value(BY_NAME[name], self.text_of(name))
            except FieldError:
                continue
        values["aspects"] = aspects_text(self.aspects())
        return Item(**values)

    def aspects(self) -> dict[str, str]:
        """The item's specifics by eBay's names, as typed in the eBay tab (or as saved)."""
        panel = getattr(self, "panel", None)  # None while the panel itself is being built
        return panel.aspects() if panel is not None else self.saved_aspects

    def go_to_field(self, name: str) -> None:
        self._reveal(name)
        self.inputs[name].setFocus()

    def _item_words_changed(self) -> None:
        """A new title or category may mean another eBay category: the tab reads again."""
        if self.panel is None:
            return
        category = " ".join(self.text_of("category").split())
        self.panel.reload(category, words_for(self.text_of("title"), category))

    def _refresh_summary(self) -> None:
        if "title" not in self.inputs or not hasattr(self, "ready"):
            return  # still building the form
        item = self.current_item()
        if item.list_price_cents:
            numbers = self._numbers(item.list_price_cents, item.cost_cents)
            profit = numbers.profit_cents
            self.numbers.setText(
                f"{self._where(numbers.price_cents)}: fee {format_money(numbers.fee_cents)}, "
                f"postage paid by the buyer; you keep {format_money(numbers.keep_cents)}"
                + (f", a profit of {format_money(profit)}." if profit is not None else ".")
            )
        else:
            self.numbers.setText("Set a list price to see the fee and what you keep.")
        missing = checklist.checklist(item, self.photo_count)
        required = [entry.message for entry in missing if entry.required]
        if required:
            self.ready.setText("Before listing: " + " ".join(required))
            self.ready.setStyleSheet("color: #8a4b00;")
        else:
            extra = " ".join(entry.message for entry in missing)
            self.ready.setText("Ready to list." + (f" Also: {extra}" if extra else ""))
            self.ready.setStyleSheet("color: #2e7d32;")
        self._refresh_marketplace_needs()

    def _refresh_marketplace_needs(self) -> None:
        if self.panel is None:
            return
        needs = self.panel.show_needs()
        tab = where(self.panel.marketplace)
        if needs.ready:
            self.marketplace_needs.hide()
            return
        if needs.known:
            self.marketplace_needs.setText(f"{needs.words(tab)} (see the {tab} tab).")
            self.marketplace_needs.setStyleSheet(NEEDS_STYLE)
        else:
            self.marketplace_needs.setText(f"What {tab} needs is not known yet (the {tab} tab).")
            self.marketplace_needs.setStyleSheet(HINT_STYLE)
        self.marketplace_needs.show()

    def _numbers(self, list_price_cents: int, cost_cents: int | None) -> ItemNumbers:
        if self.terms is None:
            return item_numbers(list_price_cents, cost_cents)
        price = self.terms.price(list_price_cents)
        return item_numbers(price, cost_cents, schedule=self.terms.fees)

    def _where(self, price_cents: int) -> str:
        """Which price and fee the numbers are at, said plainly: each marketplace differs."""
        if self.terms is None:
            return f"At {format_money(price_cents)} (no marketplace yet: {DEFAULT_FEES.words})"
        rule = self.terms.rule
        ruled = "" if rule.is_identity else f", by your rule there ({rule.words})"
        return f"On {self.terms.name} at {format_money(price_cents)}{ruled}"

    def fill_description(self) -> None:
        """Writes the chosen template, filled with this item, into the description; one
        Ctrl+Z in the text brings back what was there."""
        body = self.templates[self.template_choice.currentText()]
        text = descriptions.render(body, self.current_item())
        box = self.inputs["description"]
        assert isinstance(box, QPlainTextEdit)
        cursor = box.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)

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
        """Parses what was typed here (no database); then the section writes it. The form
        stays open, with a message beside each wrong field, until the write succeeded."""
        if self.saving:
            return
        self.message.hide()
        try:
            values = parse_values(self.changed_values())
            if self.aspects() != self.saved_aspects:
                values["aspects"] = aspects_text(self.aspects())
            merged = {**self._initial_values, **values} if self._initial_values else values
            errors = value_errors({"title": "", **merged})
            if errors:
                raise ValidationError(errors)
        except ValidationError as error:
            self._show_validation(error)
            return
        if not values and self._initial_values:
            self.accept()  # nothing changed: nothing to write, nothing to undo
            return
        self._set_saving(True)
        self._save(values, self._saved, self._failed)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setEnabled(not saving)

    def _saved(self) -> None:
        self._set_saving(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, ValidationError):
            self._show_validation(error)
        else:
            self.message.setText(f"Not saved: {error}. Check the values and save again.")
            self.message.show()

    def _show_validation(self, error: ValidationError) -> None:
        self.show_errors(error.errors)
        first = next(iter(error.errors))
        self._reveal(first)
        self.inputs[first].setFocus()

    def _reveal(self, name: str) -> None:
        """Shows the tab holding a field, so a message beside it is seen."""
        widget = self.inputs[name]
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
