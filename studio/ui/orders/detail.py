"""One order in full: buyer, address, items with photos and bins, and shipping it."""

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.money import format_money
from studio.orders.service import OrderView
from studio.orders.tables import OrderStatus
from studio.ui.orders.table_model import local_time
from studio.ui.thumbnails import ThumbnailCache


class OrderDetail(QWidget):
    def __init__(
        self,
        thumbnails: ThumbnailCache,
        on_ship: Callable[[int, str], None],
        on_cancel: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.order: OrderView | None = None
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.buyer = QLabel()
        self.buyer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dates = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.lines = QListWidget()
        self.lines.setIconSize(QSize(48, 48))
        self.tracking = QLineEdit()
        self.tracking.setPlaceholderText("Tracking number from the label")
        self.ship_button = QPushButton("Mark shipped")
        self.ship_button.setShortcut("Ctrl+Shift+S")
        self.cancel_button = QPushButton("Cancel order")
        self.ship_button.clicked.connect(lambda: self._ship(on_ship))
        self.tracking.returnPressed.connect(lambda: self._ship(on_ship))
        self.cancel_button.clicked.connect(
            lambda: self.order is not None and on_cancel(self.order.id)
        )
        thumbnails.ready.connect(self._photo_arrived)

        ship_row = QHBoxLayout()
        ship_row.addWidget(self.tracking, 1)
        ship_row.addWidget(self.ship_button)
        form = QFormLayout()
        form.addRow("Ship to", self.buyer)
        form.addRow("Dates", self.dates)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.lines, 1)
        layout.addLayout(ship_row)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.show_order(None)

    def show_order(self, order: OrderView | None) -> None:
        """Shows `order`; shown again after a refresh, it keeps a tracking number being
        typed unless the stored one changed meanwhile."""
        typing = (
            self.order is not None
            and order is not None
            and self.order.id == order.id
            and self.order.tracking_number == order.tracking_number
        )
        self.order = order
        self.lines.clear()
        if order is None:
            self.heading.setText("Select an order")
            for label in (self.buyer, self.dates, self.note):
                label.clear()
        else:
            self.heading.setText(f"Order {order.number} · {format_money(order.total_cents)}")
            self.buyer.setText("\n".join((order.buyer_name, *order.address_lines)))
            due = f" · ship by {local_time(order.ship_by)}" if order.ship_by else ""
            shipped = f" · shipped {local_time(order.shipped_at)}" if order.shipped_at else ""
            self.dates.setText(f"ordered {local_time(order.ordered_at)}{due}{shipped}")
            self.note.setText(order.buyer_note or "—")
            for line in order.lines:
                where = f"bin {line.bin_location}" if line.bin_location else "no bin"
                item = QListWidgetItem(
                    f"{line.title}\n{line.sku} · {where} · {format_money(line.price_cents)}"
                )
                item.setIcon(self.thumbnails.pixmap(line.cover_hash))
                item.setData(Qt.ItemDataRole.UserRole, line.cover_hash)
                self.lines.addItem(item)
            if not typing:
                self.tracking.setText(order.tracking_number)
        to_ship = order is not None and order.status == OrderStatus.TO_SHIP
        for widget in (self.tracking, self.ship_button, self.cancel_button):
            widget.setEnabled(to_ship)

    def _ship(self, on_ship: Callable[[int, str], None]) -> None:
        if self.order is not None and self.ship_button.isEnabled():
            on_ship(self.order.id, self.tracking.text())

    def _photo_arrived(self, file_hash: str) -> None:
        for row in range(self.lines.count()):
            item = self.lines.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == file_hash:
                item.setIcon(self.thumbnails.pixmap(file_hash))
