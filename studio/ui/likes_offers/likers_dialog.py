"""The offer-to-likers dialog: a price or a % off, a shipping discount and an expiry, with
each listing's net after fees shown before anything is sent, one row per marketplace the
listing is liked on (its own price and fee); listings below their floor are named and Send
stays off. Optionally the same % off repeats every so many days, run by
the stored seller-tools job (studio.seller_tools.scheduled_offers)."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.inventory.tables import utc_now
from studio.money import format_money, to_cents
from studio.seller_tools.likers_offers import Quote, quote, send_to_likers
from studio.seller_tools.scheduled_offers import MAX_TIMES, schedule_offers
from studio.ui.dialog_buttons import action_buttons
from studio.ui.live_read import LiveRead
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services


class LikersOfferDialog(QDialog):
    def __init__(
        self,
        services: Services,
        item_ids: list[int],
        on_sent: Callable[[str], None],
        percent_off: int = 10,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Offer to likers")
        self.runner, self.item_ids, self.on_sent = services.runner, item_ids, on_sent
        self.quotes: list[Quote] = []
        self.mode = QComboBox()
        self.mode.addItems(["% off the price", "Price"])
        self.percent = QSpinBox(minimum=1, maximum=90, value=percent_off, suffix=" %")
        self.price = QDoubleSpinBox(minimum=0.01, maximum=100_000, decimals=2, prefix="$")
        self.price.setEnabled(False)
        self.shipping = QDoubleSpinBox(minimum=0, maximum=1000, decimals=2, prefix="$")
        self.hours = QSpinBox(minimum=1, maximum=168, value=24, suffix=" h")
        self.repeat = QCheckBox("Repeat every")
        self.every = QSpinBox(minimum=1, maximum=90, value=7, suffix=" days")
        self.times = QSpinBox(minimum=1, maximum=MAX_TIMES, value=3, suffix=" more times")
        repeat_row = QHBoxLayout()
        for widget in (self.repeat, self.every, self.times):
            repeat_row.addWidget(widget)
        repeat_row.addStretch(1)
        self.table = ReadOnlyTable(
            ["Listing", "Price", "Offer", "Fee", "You keep", "Likers", "Marketplace", ""]
        )
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        # The quote above is what Send sends: its amounts are the confirmation.
        self.buttons, self.send_button = action_buttons(self, "Send to likers", self.send)
        form = QFormLayout()
        form.addRow("Offer as", self.mode)
        form.addRow("Percent off", self.percent)
        form.addRow("Price", self.price)
        form.addRow("Shipping discount", self.shipping)
        form.addRow("Expires after", self.hours)
        form.addRow("Schedule", repeat_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(720, 420)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.repeat.toggled.connect(self._repeat_changed)
        self._repeat_changed()
        # Quoted again when the terms change, and when a price, a floor or a like of these
        # listings changes while the dialog is open.
        self.reads = LiveRead(
            services,
            "Pricing the offer",
            self._reader,
            self._show,
            lambda changes: self.isVisible() and not changes.items.isdisjoint(item_ids),
            lambda error: self.problem.setText(str(error)),
            self,
        )
        for box in (self.percent, self.price):
            box.valueChanged.connect(self.refresh)
        self.refresh()

    def _terms(self) -> tuple[int | None, Decimal | None]:
        if self.mode.currentIndex() == 1:
            return to_cents(Decimal(str(self.price.value()))), None
        return None, Decimal(self.percent.value())

    def _mode_changed(self) -> None:
        by_price = self.mode.currentIndex() == 1
        self.price.setEnabled(by_price)
        self.percent.setEnabled(not by_price)
        # A repeat is a % off the price of the day, since the price may drop meanwhile.
        self.repeat.setEnabled(not by_price)
        if by_price:
            self.repeat.setChecked(False)
        self.refresh()

    def _repeat_changed(self) -> None:
        repeating = self.repeat.isChecked()
        self.every.setEnabled(repeating)
        self.times.setEnabled(repeating)
        self.send_button.setText("Send now and repeat" if repeating else "Send to likers")

    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], list[Quote]]:
        ids, (amount, percent) = self.item_ids, self._terms()
        return lambda session: quote(session, ids, amount, percent)

    def _show(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self.table.fill(
            [
                (
                    (q.item_id, q.marketplace),
                    (
                        q.title,
                        format_money(q.price_cents),
                        format_money(q.amount_cents),
                        format_money(q.fee_cents),
                        format_money(q.net_cents),
                        str(q.likers),
                        q.marketplace,
                        q.problem or "ready",
                    ),
                )
                for q in quotes
            ]
        )
        problems = [f"{q.title}: {q.problem}" for q in quotes if q.problem]
        self.problem.setText("Cannot send — " + "; ".join(problems) if problems else "")
        self.send_button.setEnabled(bool(quotes) and not problems)

    def send(self) -> None:
        ids, (amount, percent) = self.item_ids, self._terms()
        discount = to_cents(Decimal(str(self.shipping.value()))) or 0
        hours = self.hours.value()
        every = self.every.value()
        times = self.times.value() if self.repeat.isChecked() else 0

        def change(session: Session) -> int:
            sent = send_to_likers(session, ids, amount, percent, discount, hours)
            if times:
                schedule_offers(
                    session,
                    ids,
                    int(percent or 0),
                    every,
                    times,
                    discount,
                    hours,
                    first_due_at=utc_now() + timedelta(days=every),
                )
            return len(sent)

        def done(count: int) -> None:
            repeats = f" Repeats every {every} days, {times} more times." if times else ""
            self.on_sent(
                f"Queued {count} offer(s) to likers; they go out with the next sync.{repeats}"
            )
            self.accept()

        self.runner.write(
            "Sending offers to likers",
            change,
            on_done=done,
            on_error=lambda error: self.problem.setText(str(error)),
        )
