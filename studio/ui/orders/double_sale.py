"""The double-sale alert at the top of the Orders section.

One item sold on two marketplaces before the delist landed is two orders to ship for one
item. The alert names both orders and stays (it has no close button) until the seller keeps
one: the other is cancelled on its marketplace and its buyer gets a prepared apology, which
the seller reads and may edit first.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from studio.orders.tables import LOCAL_MARKETPLACE, OrderStatus
from studio.sync.double_sales import DoubleSaleAlert, OrderSide
from studio.ui.dialog_buttons import action_buttons
from studio.ui.orders.table_model import ORDER_ID_ROLE, local_time

PANEL_STYLE = (
    "#doubleSale { background: #fdecea; border: 2px solid #c62828; border-radius: 6px; }"
    "#doubleSale QLabel { color: #7f1212; background: transparent; }"
)
SHOWN_AT_ONCE = 3  # more would push the orders off the screen; they come up as these go
ERROR_STYLE = "color: #b71c1c;"


def other_side(alert: DoubleSaleAlert, keep: OrderSide) -> OrderSide:
    return alert.second if keep.id == alert.first.id else alert.first


def side_words(side: OrderSide) -> str:
    """'order SA-40721 on seller-api, bought by Perpetua Lindqvist at 12 Mar 14:05'"""
    return (
        f"order {side.number} on {side.marketplace}, bought by {side.buyer_name} "
        f"at {local_time(side.ordered_at)}"
    )


def why_not_keep(alert: DoubleSaleAlert, keep: OrderSide) -> str:
    """Why keeping `keep` cannot settle the alert; "" when it can."""
    cancel = other_side(alert, keep)
    if keep.status == OrderStatus.CANCELLED:
        return f"Order {keep.number} was cancelled already: keep order {cancel.number}."
    if cancel.status == OrderStatus.SHIPPED:
        return f"Order {cancel.number} has shipped already: keep it."
    return ""


class DoubleSaleAlerts(QWidget):
    """A red panel per open double sale, each with a Keep button per order."""

    keep_requested = Signal(object, object)  # the DoubleSaleAlert, the OrderSide to keep

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(PANEL_STYLE)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self.alerts: list[DoubleSaleAlert] = []
        self.keep_buttons: dict[tuple[int, int], QPushButton] = {}  # (alert, order) ids
        self.more = QLabel()
        self.more.setStyleSheet("color: #b71c1c; font-weight: 600;")
        self.hide()

    def show_alerts(self, alerts: list[DoubleSaleAlert]) -> None:
        if alerts == self.alerts:
            return  # a refresh that changed nothing: keep the buttons under the pointer
        self.alerts = alerts
        self.keep_buttons.clear()
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None and widget is not self.more:
                widget.deleteLater()
        for alert in alerts[:SHOWN_AT_ONCE]:
            self._layout.addWidget(self._panel(alert))
        hidden = len(alerts) - SHOWN_AT_ONCE
        if hidden > 0:
            self.more.setText(
                f"{hidden} more item(s) sold twice: they show here as you settle these."
            )
            self._layout.addWidget(self.more)
        self.more.setVisible(hidden > 0)
        self.setVisible(bool(alerts))

    def _panel(self, alert: DoubleSaleAlert) -> QFrame:
        panel = QFrame()
        panel.setObjectName("doubleSale")
        heading = QLabel(f"⚠  Sold twice: {alert.sku} {alert.title}".strip())
        heading.setStyleSheet("font-size: 15px; font-weight: 700;")
        body = QLabel(
            f"O{side_words(alert.first)[1:]}, and {side_words(alert.second)}, are both "
            "for this one item. Keep one order and cancel the other before you ship."
        )
        body.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(body)
        row = QHBoxLayout(panel)
        row.setContentsMargins(12, 8, 12, 8)
        row.addLayout(text, 1)
        for side in (alert.first, alert.second):
            row.addWidget(self._keep_button(alert, side), 0, Qt.AlignmentFlag.AlignVCenter)
        return panel

    def _keep_button(self, alert: DoubleSaleAlert, keep: OrderSide) -> QPushButton:
        cancel = other_side(alert, keep)
        button = QPushButton(f"Keep {keep.number}")
        refusal = why_not_keep(alert, keep)
        button.setEnabled(not refusal)
        button.setToolTip(
            refusal
            or f"Ship order {keep.number} ({keep.marketplace}); cancel order {cancel.number} "
            f"on {cancel.marketplace} and apologise to {cancel.buyer_name}. You see the "
            "message before it goes."
        )
        button.clicked.connect(lambda: self.keep_requested.emit(alert, keep))
        self.keep_buttons[alert.id, keep.id] = button
        return button


class SoldTwiceRows(QStyledItemDelegate):
    """Paints the orders of an open double sale red in the orders table, so neither is
    picked, printed or shipped without the seller seeing it; the tooltip says why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flagged: dict[int, str] = {}  # order id: the alert in words

    def flag(self, alerts: list[DoubleSaleAlert]) -> None:
        self.flagged = {
            side.id: alert.words for alert in alerts for side in (alert.first, alert.second)
        }

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.data(ORDER_ID_ROLE) in self.flagged:
            option.backgroundBrush = QBrush(QColor("#fdecea"))
            option.palette.setColor(option.palette.ColorRole.Text, QColor("#7f1212"))

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        words = self.flagged.get(index.data(ORDER_ID_ROLE))
        if event.type() == QEvent.Type.ToolTip and words:
            QToolTip.showText(event.globalPos(), words, view)
            return True
        return super().helpEvent(event, view, option, index)


Settle = Callable[[str, Callable[[], None], Callable[[BaseException], None]], None]


class SettleDialog(QDialog):
    """Keeps one order of a double sale: shows the apology to the other order's buyer, to
    read and edit, and cancels that order and sends it in one step."""

    def __init__(
        self,
        alert: DoubleSaleAlert,
        keep: OrderSide,
        apology: str,
        settle: Settle,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        cancel = other_side(alert, keep)
        self._settle = settle
        self.setWindowTitle(f"Keep order {keep.number}, cancel order {cancel.number}")
        # settle() sends no message for an order made by hand: no marketplace carries it.
        self.told = cancel.marketplace != LOCAL_MARKETPLACE
        kept = f"Order {keep.number} ({keep.marketplace}, {keep.buyer_name}) stays, to ship. "
        if self.told:
            what = (
                f"Order {cancel.number} is cancelled on {cancel.marketplace} at the next sync, "
                f"and {cancel.buyer_name} gets this message (you can change it):"
            )
        else:
            what = (
                f"Order {cancel.number}, which you made by hand, is cancelled; no message goes "
                f"out, so tell {cancel.buyer_name} yourself."
            )
        explained = QLabel(kept + what)
        explained.setWordWrap(True)
        self.apology = QPlainTextEdit(apology)
        self.apology.setVisible(self.told)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        action = f"Cancel order {cancel.number}" + (" and send" if self.told else "")
        buttons, self.settle_button = action_buttons(self, action, self.submit, "Not now")
        layout = QVBoxLayout(self)
        layout.addWidget(explained)
        layout.addWidget(self.apology, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 320 if self.told else 160)

    def submit(self) -> None:
        if not self.settle_button.isEnabled():
            return  # under way already (Enter pressed twice)
        if self.told and not self.apology.toPlainText().strip():
            self._failed(ValueError("Write a few words to the buyer, or keep the prepared ones."))
            return
        self.settle_button.setEnabled(False)
        self.error.hide()
        self._settle(self.apology.toPlainText(), self.accept, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.settle_button.setEnabled(True)
        self.error.setText(str(error))
        self.error.show()
