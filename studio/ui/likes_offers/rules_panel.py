"""Offer rules, for every item or for the listing selected in the other tabs (its own rule
overrides the global one), and the log of everything the studio did on its own."""

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.money import format_money, from_cents, to_cents
from studio.seller_tools.offer_rules import (
    RuleTerms,
    action_log,
    clear_rule,
    describe,
    own_rule,
    save_rule,
)
from studio.seller_tools.tables import AutomaticAction, OfferRule
from studio.ui.live_read import LiveRead
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

# The listing read (None: every item), the global rule, that listing's own rule.
Rules = tuple[int | None, OfferRule | None, OfferRule | None]


class RulesPanel(QWidget):
    saved = Signal(str)
    failed = Signal(str)
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        box = QGroupBox("Offer rule")
        self.scope = QComboBox()
        self.scope.addItem("Every item", None)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.applies = QLabel()
        self.applies.setWordWrap(True)
        self.enabled = QCheckBox("Answer offers automatically")
        self.decline = QCheckBox("Decline offers below the floor price")
        self.counter = QSpinBox(minimum=0, maximum=99, suffix=" % of the price")
        self.counter.setSpecialValueText("don't counter")
        self.accept_at = QDoubleSpinBox(minimum=0, maximum=100_000, decimals=2, prefix="$")
        self.accept_at.setSpecialValueText("don't accept automatically")
        save = QPushButton("Save rule")
        save.clicked.connect(self.save)
        self.clear_button = QPushButton("Clear this listing's rule")
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        form = QFormLayout(box)
        form.addRow("Rule for", self.scope)
        form.addRow(self.applies)
        form.addRow(self.enabled)
        form.addRow(self.decline)
        form.addRow("Counter at", self.counter)
        form.addRow("Accept at or above", self.accept_at)
        form.addRow(buttons)
        self.log = ReadOnlyTable(["When", "Action", "Item", "Buyer", "Amount", "Why"], 5)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(QLabel("<b>What the studio did on its own</b>"))
        layout.addWidget(self.log, 1)
        # The form and the log are read apart: an automatic action logged by a sync must not
        # reset a rule being edited.
        self.rule_reads = LiveRead(
            services,
            "Reading offer rules",
            self._rule_reader,
            self._show_rules,
            lambda changes: changes.touches(OfferRule.__tablename__),
            self._read_failed,
            self,
        )
        self.log_reads = LiveRead(
            services,
            "Reading what the studio did",
            lambda: action_log,
            self._show_log,
            lambda changes: changes.touches(AutomaticAction.__tablename__),
            self._read_failed,
            self,
        )
        self.refresh()
        self.log_reads.refresh()

    def scope_to(self, item_id: int | None, title: str = "") -> None:
        """Points the form at one listing's rule (None: the rule for every item)."""
        self.scope.blockSignals(True)  # one refresh below, not one per combo change
        while self.scope.count() > 1:
            self.scope.removeItem(1)
        if item_id is not None:
            self.scope.addItem(f"This listing only: {title}", item_id)
        self.scope.setCurrentIndex(self.scope.count() - 1)
        self.scope.blockSignals(False)
        self.refresh()

    def scoped_item(self) -> int | None:
        return self.scope.currentData()

    def refresh(self) -> None:
        self.rule_reads.refresh()

    def _rule_reader(self) -> Callable[[Session], Rules]:
        item_id = self.scoped_item()

        def read(session: Session) -> Rules:
            own = own_rule(session, item_id) if item_id is not None else None
            return item_id, own_rule(session, None), own

        return read

    def _read_failed(self, error: BaseException) -> None:
        self.failed.emit(f"Reading the offer rules failed: {error}")

    def _show_rules(self, rules: Rules) -> None:
        item_id, global_rule, own = rules
        self.clear_button.setEnabled(own is not None)
        if item_id is None:
            self.applies.setText(
                f"Applies to listings without their own rule: {describe(global_rule)}."
            )
        elif own is not None:
            self.applies.setText(
                f"This listing's own rule applies, overriding the global one: {describe(own)}."
            )
        else:
            self.applies.setText(
                f"No rule of its own; what applies: {describe(global_rule)}. "
                "Save to give it its own."
            )
        # A listing without its own rule starts from the global one, the usual starting point.
        rule = own or global_rule
        self.enabled.setChecked(bool(rule and rule.enabled))
        self.decline.setChecked(rule.decline_below_floor if rule else True)
        self.counter.setValue(rule.counter_percent or 0 if rule else 0)
        accept = from_cents(rule.accept_at_cents) if rule and rule.accept_at_cents else None
        self.accept_at.setValue(float(accept) if accept is not None else 0.0)
        self.shown.emit()

    def _show_log(self, log: list[AutomaticAction]) -> None:
        self.log.fill(
            [
                (
                    action.id,
                    (
                        action.at.astimezone().strftime("%d %b %H:%M"),
                        action.kind.replace("_", " "),
                        str(action.item_id or ""),
                        action.buyer_name,
                        format_money(action.amount_cents),
                        action.detail,
                    ),
                )
                for action in log
            ]
        )

    # Acting: the form is read again through the hub once the rule is stored.
    def save(self) -> None:
        accept = to_cents(Decimal(str(self.accept_at.value())))
        terms = RuleTerms(
            decline_below_floor=self.decline.isChecked(),
            counter_percent=self.counter.value() or None,
            accept_at_cents=accept or None,
        )
        enabled, item_id = self.enabled.isChecked(), self.scoped_item()
        self._write(
            "Saving the offer rule",
            lambda session: save_rule(session, item_id, terms, enabled),
            "Rule saved; it applies after each sync.",
        )

    def clear(self) -> None:
        item_id = self.scoped_item()
        if item_id is None:
            return
        self._write(
            "Clearing the listing's rule",
            lambda session: clear_rule(session, item_id),
            "Rule cleared; the global rule applies again.",
        )

    def _write(self, label: str, change: Callable[[Session], object], message: str) -> None:
        self.services.runner.write(
            label,
            change,
            on_done=lambda _result: self.saved.emit(message),
            on_error=lambda error: self.failed.emit(str(error)),
        )
