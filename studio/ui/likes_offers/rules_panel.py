"""The global offer rule and the log of everything the studio did on its own."""

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.money import format_money, from_cents, to_cents
from studio.seller_tools.offer_rules import RuleTerms, action_log, rule_for, save_rule
from studio.seller_tools.tables import AutomaticAction, OfferRule
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services
from studio.ui.tasks import TaskContext


class RulesPanel(QWidget):
    saved = Signal(str)
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        box = QGroupBox("Rule for every item")
        self.enabled = QCheckBox("Answer offers automatically")
        self.decline = QCheckBox("Decline offers below the floor price")
        self.counter = QSpinBox(minimum=0, maximum=99, suffix=" % of the price")
        self.counter.setSpecialValueText("don't counter")
        self.accept_at = QDoubleSpinBox(minimum=0, maximum=100_000, decimals=2, prefix="$")
        self.accept_at.setSpecialValueText("don't accept automatically")
        save = QPushButton("Save rule")
        save.clicked.connect(self.save)
        form = QFormLayout(box)
        form.addRow(self.enabled)
        form.addRow(self.decline)
        form.addRow("Counter at", self.counter)
        form.addRow("Accept at or above", self.accept_at)
        form.addRow(save)
        self.log = ReadOnlyTable(["When", "Action", "Item", "Buyer", "Amount", "Why"], 5)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(QLabel("<b>What the studio did on its own</b>"))
        layout.addWidget(self.log, 1)

    def refresh(self) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> tuple[OfferRule | None, list[AutomaticAction]]:
            with database.session() as session:
                return rule_for(session, None), action_log(session)

        self.services.runner.run("Reading offer rules", work, on_done=self._show)

    def _show(self, result: tuple[OfferRule | None, list[AutomaticAction]]) -> None:
        rule, log = result
        self.enabled.setChecked(bool(rule and rule.enabled))
        self.decline.setChecked(rule.decline_below_floor if rule else True)
        self.counter.setValue(rule.counter_percent or 0 if rule else 0)
        accept = from_cents(rule.accept_at_cents) if rule and rule.accept_at_cents else None
        self.accept_at.setValue(float(accept) if accept is not None else 0.0)
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
        self.shown.emit()

    def save(self) -> None:
        accept = to_cents(Decimal(str(self.accept_at.value())))
        terms = RuleTerms(
            decline_below_floor=self.decline.isChecked(),
            counter_percent=self.counter.value() or None,
            accept_at_cents=accept or None,
        )
        enabled, database = self.enabled.isChecked(), self.services.database

        def work(_context: TaskContext) -> None:
            with database.transaction() as session:
                save_rule(session, None, terms, enabled)

        self.services.runner.run(
            "Saving the offer rule",
            work,
            on_done=lambda _none: self.saved.emit("Rule saved; it applies after each sync."),
            writes=True,
        )
