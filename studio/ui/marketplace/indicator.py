"""The status bar's sync indicator (a coloured dot, a word, and Sync now), and its warnings
that stay while a marketplace needs the seller: a sign-in about to end or ended, an item
sold twice. A warning leads, when clicked, to where it is put right."""

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from studio.sync.accounts import Health
from studio.sync.double_sales import DoubleSaleAlert
from studio.sync.status import Overall, SyncSummary
from studio.ui.marketplace.controller import SyncController
from studio.ui.marketplace.standing import AccountLine, Standing

WARNING_STYLE = (
    "QToolButton {{ color: {colour}; background: {background}; font-weight: 600;"
    " border: 1px solid {colour}; border-radius: 4px; padding: 1px 8px; }}"
)
LOUD = WARNING_STYLE.format(colour="#b71c1c", background="#fdecea")
SOON = WARNING_STYLE.format(colour="#8a4b00", background="#fff4e5")
MARKETPLACE_SECTION, ORDERS_SECTION = "marketplace", "orders"

COLOURS = {
    Overall.NOT_CONNECTED: "#a0a4ab",
    Overall.OFFLINE: "#a0a4ab",
    Overall.UP_TO_DATE: "#1f9d55",
    Overall.PENDING: "#c27c0e",
    Overall.ERROR: "#c62828",
}


class SyncIndicator(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dot = QLabel("●")
        self.text = QLabel()
        self.button = QToolButton()
        self.button.setText("Sync now")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(controller.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        for widget in (self.dot, self.text, self.button):
            layout.addWidget(widget)
        controller.summary_changed.connect(self.show_summary)
        controller.syncing_changed.connect(lambda _syncing: self.show_summary(controller.current))
        self.show_summary(controller.current)

    def show_summary(self, current: SyncSummary) -> None:
        syncing = self.controller.syncing
        self.dot.setStyleSheet(f"color: {COLOURS[current.state]};")
        self.text.setText("Syncing…" if syncing else current.text())
        tip = current.last_error or (
            f"Last sync {current.last_sync_at.astimezone():%Y-%m-%d %H:%M}"
            if current.last_sync_at
            else "Not synced yet"
        )
        self.setToolTip(tip)
        self.button.setVisible(current.state is not Overall.NOT_CONNECTED)
        self.button.setEnabled(not syncing)


def _warning_button() -> QToolButton:
    button = QToolButton()
    button.setAutoRaise(False)
    return button


def sign_in_words(lines: Sequence[AccountLine]) -> str:
    if len(lines) == 1:
        return f"⚠ {lines[0].short_warning()}: reconnect"
    return f"⚠ {len(lines)} marketplaces need you to sign in again"


def double_sale_words(alerts: Sequence[DoubleSaleAlert]) -> str:
    if len(alerts) == 1:
        alert = alerts[0]
        return (
            f"⚠ {alert.sku} sold twice: orders {alert.first.number} and "
            f"{alert.second.number}; keep one"
        )
    return f"⚠ Sold twice: {', '.join(alert.sku for alert in alerts)}; keep one order of each"


class AttentionIndicator(QWidget):
    """Shown for as long as something needs the seller, never a passing note."""

    go_to = Signal(str)  # the section where it is put right

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sign_in = _warning_button()
        self.sign_in.clicked.connect(lambda: self.go_to.emit(MARKETPLACE_SECTION))
        self.double_sale = _warning_button()
        self.double_sale.setStyleSheet(LOUD)
        self.double_sale.clicked.connect(lambda: self.go_to.emit(ORDERS_SECTION))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.double_sale)
        layout.addWidget(self.sign_in)
        controller.standing_changed.connect(self.show_standing)
        self.show_standing(controller.standing)

    def show_standing(self, standing: Standing) -> None:
        attention = standing.attention
        signed_out = any(line.health is Health.SIGNED_OUT for line in attention)
        self.sign_in.setText(sign_in_words(attention) if attention else "")
        self.sign_in.setToolTip(
            "\n".join(line.warning() for line in attention) + "\nClick to reconnect."
        )
        self.sign_in.setStyleSheet(LOUD if signed_out else SOON)
        self.sign_in.setVisible(bool(attention))
        alerts = standing.double_sales
        self.double_sale.setText(double_sale_words(alerts) if alerts else "")
        self.double_sale.setToolTip(
            "\n".join(alert.words for alert in alerts) + "\nClick to settle it in Orders."
        )
        self.double_sale.setVisible(bool(alerts))
