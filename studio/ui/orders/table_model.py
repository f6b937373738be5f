"""Orders as table rows: a few hundred at most per status, so they are held whole."""

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from studio.money import format_money
from studio.orders.service import OrderView

COLUMNS = ("Order", "Buyer", "Items", "Total", "Ordered", "Ship by", "Tracking")
ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def local_time(moment: datetime | None) -> str:
    # Stored in UTC; the seller thinks in their own time.
    return moment.astimezone().strftime("%d %b %H:%M") if moment else ""


class OrdersTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.orders: list[OrderView] = []

    def set_orders(self, orders: list[OrderView]) -> None:
        self.beginResetModel()
        self.orders = orders
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.orders)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        order = self.orders[index.row()]
        if role == ORDER_ID_ROLE:
            return order.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = ", ".join(line.title for line in order.lines)
        return (
            order.number,
            order.buyer_name,
            f"{len(order.lines)} · {titles}",
            format_money(order.total_cents),
            local_time(order.ordered_at),
            local_time(order.ship_by),
            order.tracking_number,
        )[index.column()]
