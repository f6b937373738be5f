"""The Orders section: orders to ship (newest first), shipped and cancelled ones, one order's
detail, shipping, and printing pick lists, slips, labels, cards and today's batch; above
them, an alert for each item sold twice, until the seller settles it."""

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.money import format_money
from studio.orders import service as orders
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderLine, OrderStatus
from studio.storage.changes import Changes
from studio.sync import double_sales
from studio.sync.double_sales import DoubleSaleAlert, OrderSide
from studio.sync.tables import DoubleSale
from studio.ui.banner import Banner
from studio.ui.confirm import confirm
from studio.ui.live_read import LiveRead
from studio.ui.orders.detail import OrderDetail
from studio.ui.orders.double_sale import (
    DoubleSaleAlerts,
    SettleDialog,
    SoldTwiceRows,
    other_side,
)
from studio.ui.orders.print_jobs import PrintJobs
from studio.ui.orders.printer_profiles import PrinterProfiles, open_printer_profiles
from studio.ui.orders.table_model import ORDER_ID_ROLE, OrdersTableModel
from studio.ui.orders.template_editor import TemplateEditor, open_template_editor
from studio.ui.services import Services

STATUS_LABELS = {
    OrderStatus.TO_SHIP: "To ship",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.CANCELLED: "Cancelled",
}


class OrdersSection(QWidget):
    orders_shown = Signal()  # a refresh has reached the table

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = Banner()
        self.jobs = PrintJobs(services, self.banner, self)
        self.status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.model = OrdersTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(2, 280)
        self.sold_twice = SoldTwiceRows(self.table)
        self.table.setItemDelegate(self.sold_twice)
        self.detail = OrderDetail(services.thumbnails, self.mark_shipped, self.cancel_order)
        self.actions_by_name = self._make_actions()
        self.editor: TemplateEditor | None = None
        self.printers: PrinterProfiles | None = None
        self.settle_dialog: SettleDialog | None = None
        self.alerts = DoubleSaleAlerts()
        self.alerts.keep_requested.connect(self.keep_order)
        self.alert_reads = LiveRead(
            services,
            "Reading double sales",
            lambda: double_sales.open_alerts,
            self._show_alerts,
            # Settled, or one of its orders shipped or cancelled (which a Keep button minds).
            lambda changes: changes.touches(DoubleSale.__tablename__, Order.__tablename__),
            lambda error: self.banner.show_error(f"Reading double sales failed: {error}"),
            self,
        )
        self.reads = LiveRead(
            services,
            "Reading orders",
            self._reader,
            self._show,
            self._affected,
            lambda error: self.banner.show_error(f"Reading orders failed: {error}"),
            self,
        )

        tools = QHBoxLayout()
        tools.addWidget(self.status)
        tools.addStretch(1)
        for name in ("batch", "pick_list", "slips", "labels", "cards", "templates", "printers"):
            button = QToolButton()
            button.setDefaultAction(self.actions_by_name[name])
            tools.addWidget(button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alerts)
        layout.addLayout(tools)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self.status.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()
        self.alert_reads.refresh()

    def _make_actions(self) -> dict[str, QAction]:
        specs: tuple[tuple[str, str, str, Callable[[], None]], ...] = (
            ("batch", "Print today's batch", "Ctrl+P", lambda: self.print_batch()),
            ("pick_list", "Pick list…", "", lambda: self.preview("pick_list")),
            ("slips", "Slips…", "", lambda: self.preview("slips")),
            ("labels", "Labels…", "", lambda: self.preview("labels")),
            ("cards", "Cards…", "", lambda: self.preview("cards")),
            ("batch_pdf", "Save batch as PDF…", "Ctrl+Shift+P", self.save_batch_dialog),
            ("templates", "Templates…", "", self.edit_templates),
            ("printers", "Printers…", "", self.edit_printers),
        )
        made = {}
        for name, text, shortcut, slot in specs:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            made[name] = action
        return made

    # Reading
    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], list[orders.OrderView]]:
        status = self.status.currentData()
        return lambda session: orders.list_orders(session, status)

    def _affected(self, changes: Changes) -> bool:
        # The lines show their items' bins and cover photos, read from the items.
        shown_items = {line.item_id for view in self.model.orders for line in view.lines}
        written = changes.touches(Order.__tablename__, OrderLine.__tablename__)
        return written or not changes.items.isdisjoint(shown_items)

    def _show(self, views: list[orders.OrderView]) -> None:
        keep = self.selected_ids()
        self.model.set_orders(views)
        self.select_orders(keep)
        self._selection_changed()  # the selected order's detail may have changed
        self.orders_shown.emit()

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.index(row, 0).data(ORDER_ID_ROLE) for row in rows]

    def select_orders(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        last_column = self.model.columnCount() - 1
        selection = QItemSelection()
        for row, view in enumerate(self.model.orders):
            if view.id in wanted:
                selection.select(self.model.index(row, 0), self.model.index(row, last_column))
        self.table.selectionModel().select(
            selection,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _order(self, order_id: int) -> orders.OrderView | None:
        return next((view for view in self.model.orders if view.id == order_id), None)

    def _selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        chosen = [o for o in self.model.orders if o.id in ids]
        self.detail.show_order(chosen[0] if len(chosen) == 1 else None)

    # Acting: the list follows from the hub, like any other write to the orders.
    def _write(self, label: str, change: Callable[[Session], str]) -> None:
        self.services.runner.write(
            label,
            change,
            on_done=self.banner.show_info,
            on_error=lambda error: self.banner.show_error(f"{label} failed: {error}"),
        )

    def mark_shipped(self, order_id: int, tracking: str) -> None:
        order = self._order(order_id)
        if order is not None and not confirm(
            self,
            "Mark shipped",
            f"Mark order {order.number} for {order.buyer_name} shipped with tracking number "
            f"{tracking.strip()}? The marketplace and the buyer are told.",
            "Mark shipped",
        ):
            return

        def change(session: Session) -> str:
            order = orders.mark_shipped(session, order_id, tracking)
            return f"Order {order.number} marked shipped ({order.tracking_number})."

        self._write("Marking shipped", change)

    def cancel_order(self, order_id: int) -> None:
        order = self._order(order_id)
        if order is not None and not confirm(
            self,
            "Cancel the order",
            f"Cancel order {order.number} for {order.buyer_name} "
            f"({format_money(order.total_cents)})? Its items go back on sale.",
            "Cancel the order",
        ):
            return

        def change(session: Session) -> str:
            order = orders.cancel_order(session, order_id)
            return f"Order {order.number} cancelled; its items can be sold again."

        self._write("Cancelling", change)

    def _show_alerts(self, alerts: list[DoubleSaleAlert]) -> None:
        self.alerts.show_alerts(alerts)
        self.sold_twice.flag(alerts)
        self.table.viewport().update()

    def keep_order(self, alert: DoubleSaleAlert, keep: OrderSide) -> None:
        """Keep one order of a double sale: prepares the apology for the other order's buyer,
        then asks (with the message to read and edit) before cancelling."""
        cancel = other_side(alert, keep)
        self.services.runner.query(
            "Preparing the apology",
            lambda session: double_sales.apology_for(session, alert.id, cancel.id),
            on_done=lambda apology: self._ask_to_settle(alert, keep, apology),
            on_error=lambda error: self.banner.show_error(f"Preparing the apology failed: {error}"),
        )

    def _ask_to_settle(self, alert: DoubleSaleAlert, keep: OrderSide, apology: str) -> None:
        def settle(
            text: str, done: Callable[[], None], failed: Callable[[BaseException], None]
        ) -> None:
            def change(session: Session) -> str:
                cancelled = double_sales.settle(session, alert.id, keep.id, text)
                words = f"Kept order {keep.number}. Order {cancelled.number} is cancelled"
                if cancelled.marketplace == LOCAL_MARKETPLACE:
                    return words + "."
                return words + (
                    f"; {cancelled.marketplace} and {cancelled.buyer_name} hear of it at the "
                    "next sync."
                )

            def settled(words: str) -> None:
                done()
                self.banner.show_info(words)

            # The alert goes away by itself: the hub announces the settled double_sale row.
            self.services.runner.write("Settling the double sale", change, settled, failed)

        self.settle_dialog = SettleDialog(alert, keep, apology, settle, self)
        self.settle_dialog.open()

    def _chosen_or_batch(self) -> list[int] | None:
        """The selected orders; with none selected, everything still to ship."""
        return self.selected_ids() or None

    def preview(self, kind: str) -> None:
        self.jobs.open_preview(kind, self._chosen_or_batch())

    def print_batch(self, pdf: Path | None = None) -> None:
        self.jobs.print_batch(self._chosen_or_batch(), pdf)

    def save_batch_dialog(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Save batch as PDF", "", "PDF (*.pdf)")
        if path:
            self.print_batch(Path(path))

    def edit_templates(self) -> None:
        open_template_editor(self.services, self, self._editor_opened, self._not_opened)

    def _editor_opened(self, editor: TemplateEditor) -> None:
        self.editor = editor

    def edit_printers(self) -> None:
        open_printer_profiles(
            self.services, self.banner, self, self._printers_opened, self._not_opened
        )

    def _printers_opened(self, dialog: PrinterProfiles) -> None:
        self.printers = dialog

    def _not_opened(self, error: BaseException) -> None:
        self.banner.show_error(f"Could not open the settings: {error}")
