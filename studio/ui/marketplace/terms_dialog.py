"""A marketplace's terms, set from the accounts table: the price rule the studio lists with
there and the fee that marketplace keeps, with a worked example that follows every change.

Saving a new rule queues a price update for each listing still for sale there (merged into a
change already waiting); a new fee only changes the nets shown. The same core call as
`studio accounts set` does it, so the window and the command cannot disagree.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.money import format_money
from studio.seller_tools.fees import FeeSchedule
from studio.sync.price_settings import set_terms
from studio.sync.pricing import (
    ENDINGS,
    MAX_CENTS,
    MAX_PERCENT,
    MIN_PERCENT,
    MarketplaceTerms,
    PriceRule,
)
from studio.ui.banner import Banner
from studio.ui.dialog_buttons import action_buttons
from studio.ui.services import Services

EXAMPLE_CENTS = 2500  # the list price the worked example starts from


def _money_spin(cents: int, none_text: str = "") -> QDoubleSpinBox:
    spin = QDoubleSpinBox(minimum=0, maximum=MAX_CENTS / 100, decimals=2, prefix="$")
    spin.setGroupSeparatorShown(True)
    if none_text:
        spin.setSpecialValueText(none_text)  # shown at 0, where the amount means "none"
    spin.setValue(cents / 100)
    return spin


def _cents(spin: QDoubleSpinBox) -> int:
    return round(spin.value() * 100)


class TermsDialog(QDialog):
    def __init__(
        self, services: Services, banner: Banner, terms: MarketplaceTerms, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = banner
        self.name = terms.name
        self.setWindowTitle(f"Prices and fees on {terms.name}")

        self.percent = QSpinBox(minimum=MIN_PERCENT, maximum=MAX_PERCENT, suffix=" %")
        self.percent.setValue(terms.rule.percent)
        self.percent.setToolTip("Added to the list price: 10 lists a $20.00 item at $22.00")
        self.ending = QComboBox()
        for code, words in ENDINGS.items():
            self.ending.addItem(words.capitalize(), code)
        self.ending.setCurrentIndex(self.ending.findData(terms.rule.ending))
        self.minimum = _money_spin(terms.rule.minimum_cents, "No minimum")
        rule_box = QGroupBox(f"The price on {terms.name}")
        rule_form = QFormLayout(rule_box)
        rule_form.addRow("Add to the list price:", self.percent)
        rule_form.addRow("Round to:", self.ending)
        rule_form.addRow("Never below:", self.minimum)

        self.rate = QDoubleSpinBox(minimum=0, maximum=100, decimals=2, suffix=" %")
        self.rate.setValue(terms.fees.rate_bp / 100)
        self.flat = _money_spin(terms.fees.flat_cents)
        self.flat_below = _money_spin(terms.fees.flat_below_cents, "No flat fee")
        fee_box = QGroupBox(f"What {terms.name} keeps of a sale")
        fee_form = QFormLayout(fee_box)
        fee_form.addRow("Fee:", self.rate)
        fee_form.addRow("Flat fee instead:", self.flat)
        fee_form.addRow("For sales below:", self.flat_below)

        self.example_price = _money_spin(EXAMPLE_CENTS)
        self.example_price.setMinimum(0.01)
        self.example = QLabel()
        self.example.setTextFormat(Qt.TextFormat.PlainText)
        self.example.setWordWrap(True)
        example_form = QFormLayout()
        example_form.addRow("An item listed at:", self.example_price)
        example_form.addRow(self.example)
        note = QLabel(
            f"Saving a new price rule updates the price of every listing still for sale on "
            f"{terms.name}; the updates go out with the next sync."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.problem = QLabel()  # a refusal shows here: the banner is behind this dialog
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(rule_box)
        layout.addWidget(fee_box)
        layout.addLayout(example_form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        buttons, self.save_button = action_buttons(self, "Save", self.save)
        layout.addWidget(buttons)
        for spin in (self.percent, self.minimum, self.rate, self.flat, self.flat_below):
            spin.valueChanged.connect(self._show_example)
        self.example_price.valueChanged.connect(self._show_example)
        self.ending.currentIndexChanged.connect(self._show_example)
        self._show_example()

    def terms(self) -> MarketplaceTerms:
        rule = PriceRule(self.percent.value(), self.ending.currentData(), _cents(self.minimum))
        rate_bp = round(self.rate.value() * 100)
        fees = FeeSchedule(rate_bp, _cents(self.flat), _cents(self.flat_below))
        return MarketplaceTerms(self.name, rule, fees)

    def _show_example(self) -> None:
        terms = self.terms()
        price = terms.price(_cents(self.example_price))
        fee = terms.fees.fee_cents(price)
        self.example.setText(
            f"It shows {format_money(price)} on {self.name}; if it sells there, {self.name} keeps "
            f"{format_money(fee)} and you keep {format_money(price - fee)}."
        )

    def save(self) -> None:
        name, chosen = self.name, self.terms()

        def saved(repriced: int) -> None:
            queued = (
                f" {repriced} listing price update(s) will go out with the next sync."
                if repriced
                else ""
            )
            self.banner.show_info(f"{name}: {chosen.words}.{queued}")
            self.accept()

        def refused(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.problem.setText(f"Not saved: {error}")
            self.problem.show()

        self.save_button.setEnabled(False)
        self.services.runner.write(
            f"Saving the terms for {name}",
            lambda session: set_terms(session, name, chosen.rule, chosen.fees),
            saved,
            refused,
        )
