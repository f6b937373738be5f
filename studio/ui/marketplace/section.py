"""The Marketplace screen: the connection, what waits to be sent, and what needs attention."""

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.sync import conflicts
from studio.sync.connection import SELLER_API, connect_with_token
from studio.sync.credentials import CredentialStore
from studio.sync.oauth_login import connect_with_browser
from studio.sync.status import (
    ConflictLine,
    OpLine,
    Overall,
    SyncSummary,
    conflict_lines,
    op_lines,
)
from studio.sync.tables import OPEN_STATES, OpState
from studio.ui.banner import Banner
from studio.ui.marketplace.conflict_dialog import ConflictDialog
from studio.ui.marketplace.controller import SyncController
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

KIND_WORDS = {
    "create_listing": "List",
    "update_listing": "Update",
    "delist": "Delist",
    "relist": "Relist",
    "mark_sold": "Mark sold",
    "ship_order": "Mark shipped",
}
DEFAULT_URL = "http://127.0.0.1:8765"


def _table(headings: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMinimumHeight(90)
    return table


class MarketplaceSection(QWidget):
    title = "Marketplace"

    def __init__(
        self, services: Services, controller: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self.banner = Banner()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(controller.sync_now)
        self.connect_box = self._connect_form()
        self.attention = _table(["Item", "Change", "What the marketplace said", ""])
        self.waiting = _table(["Item", "Change", "State", "Note"])
        self.conflicts: list[ConflictLine] = []
        self.dialog: ConflictDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.connect_box)
        self.attention_empty = QLabel("Nothing needs your attention.")
        self.waiting_empty = QLabel("Every change has reached the marketplace.")
        for heading, table, empty in (
            ("Needs your attention", self.attention, self.attention_empty),
            ("Waiting to be sent", self.waiting, self.waiting_empty),
        ):
            empty.setStyleSheet("color: #6b7280; padding: 6px 2px 14px 2px;")
            layout.addWidget(QLabel(f"<b>{heading}</b>"))
            layout.addWidget(empty)
            layout.addWidget(table, 1)
        layout.addStretch(0)
        controller.summary_changed.connect(self.show_summary)
        controller.summary_changed.connect(lambda _summary: self.refresh())
        controller.cycle_failed.connect(lambda text: self.banner.show_error(f"Sync failed: {text}"))
        self.show_summary(controller.current)

    def _connect_form(self) -> QGroupBox:
        box = QGroupBox("Connect to a marketplace")
        self.url = QLineEdit(DEFAULT_URL)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("a personal API token, e.g. mkp_pat_…")
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.connect_with_token)
        self.browser_button = QPushButton("Sign in with the browser…")
        self.browser_button.setToolTip("Opens the marketplace's sign-in page; no token to copy")
        self.browser_button.clicked.connect(self.connect_with_browser)
        form = QFormLayout(box)
        form.addRow("Server", self.url)
        form.addRow("Token", self.token)
        note = QLabel(
            "The token is kept in your system keyring (or a private file), never in the inventory."
        )
        note.setWordWrap(True)
        form.addRow("", note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.browser_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        return box

    def show_summary(self, current: SyncSummary) -> None:
        connected = current.state is not Overall.NOT_CONNECTED
        self.connect_box.setVisible(not connected)
        self.sync_button.setVisible(connected)
        if not connected:
            self.status.setText(
                "Not connected. Listings, likes, offers and orders sync once you connect."
            )
            return
        last = (
            f"last sync {current.last_sync_at.astimezone():%Y-%m-%d %H:%M}"
            if current.last_sync_at
            else "not synced yet"
        )
        error = f" Last problem: {current.last_error}" if current.last_error else ""
        self.status.setText(
            f"Connected as {current.account}<br><b>{current.text()}</b> · {last}.{error}"
        )

    # Actions
    def connect_with_token(self) -> None:
        database, data_dir = self.services.database, self.services.data_dir
        url, token = self.url.text().strip(), self.token.text().strip()
        if not token:
            self.banner.show_error("Paste the token the marketplace gave you, then Connect.")
            return

        def work(_context: TaskContext) -> str:
            account = connect_with_token(database, CredentialStore(data_dir), url, token)
            return account.seller_name

        self.connect_button.setEnabled(False)
        self.services.runner.run(
            "Connecting", work, on_done=self._connected, on_error=self._not_connected, writes=True
        )

    def connect_with_browser(self) -> None:
        database, data_dir, url = self.services.database, self.services.data_dir, self.url.text()

        def work(context: TaskContext) -> str:
            # The sign-in waits for the person in the browser; Cancel in the status bar ends it.
            store = CredentialStore(data_dir)
            account = connect_with_browser(
                database, store, url.strip(), cancel=context.cancel_event
            )
            return account.seller_name

        self.browser_button.setEnabled(False)
        self.banner.show_info("Sign in on the page that opened in your browser, then come back.")
        self.services.runner.run(
            "Waiting for the browser sign-in",
            work,
            on_done=self._connected,
            on_error=self._not_connected,
            show_progress=True,
        )

    def _connected(self, seller: str) -> None:
        self.connect_button.setEnabled(True)
        self.browser_button.setEnabled(True)
        self.token.clear()
        self.banner.show_info(f"Connected as {seller}. Syncing now.")
        self.controller.refresh()
        self.controller.sync_now()

    def _not_connected(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.browser_button.setEnabled(True)
        self.banner.show_error(str(error))

    def refresh(self) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> tuple[list[OpLine], list[OpLine], list[ConflictLine]]:
            with database.session() as session:
                parked = op_lines(session, SELLER_API, [OpState.PARKED.value])
                open_ops = op_lines(session, SELLER_API, list(OPEN_STATES))
                return parked, open_ops, conflict_lines(session, SELLER_API)

        self.services.runner.run("Reading the sync queue", work, on_done=self._show_lists)

    def _show_lists(self, lists: tuple[list[OpLine], list[OpLine], list[ConflictLine]]) -> None:
        parked, open_ops, self.conflicts = lists
        self.attention.setRowCount(0)
        for line in parked:
            self._add_row(
                self.attention,
                [f"{line.sku} {line.title}", KIND_WORDS.get(line.kind, line.kind), line.error],
            )
            self._add_button(self.attention, "Retry", partial(self.retry, line.op_id))
        by_item: dict[int, list[ConflictLine]] = {}
        for conflict in self.conflicts:
            by_item.setdefault(conflict.item_id, []).append(conflict)
        for item_conflicts in by_item.values():
            first = item_conflicts[0]
            fields = ", ".join(c.field.replace("_cents", "") for c in item_conflicts)
            self._add_row(
                self.attention,
                [f"{first.sku} {first.title}", "Conflict", f"changed on both sides: {fields}"],
            )
            self._add_button(self.attention, "Resolve…", partial(self.resolve, item_conflicts))
        self.waiting.setRowCount(0)
        for line in open_ops:
            state = "sent, waiting for an answer" if line.state != "pending" else "waiting"
            self._add_row(
                self.waiting,
                [
                    f"{line.sku} {line.title}",
                    KIND_WORDS.get(line.kind, line.kind),
                    state,
                    line.error,
                ],
            )
        self.attention.resizeColumnsToContents()
        for table, empty in (
            (self.attention, self.attention_empty),
            (self.waiting, self.waiting_empty),
        ):
            table.setVisible(table.rowCount() > 0)
            empty.setVisible(table.rowCount() == 0)

    @staticmethod
    def _add_row(table: QTableWidget, cells: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))

    @staticmethod
    def _add_button(table: QTableWidget, text: str, slot: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        table.setCellWidget(table.rowCount() - 1, 3, button)

    def _write(self, label: str, change: Callable[[Session], Any]) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> None:
            with database.transaction() as session:
                change(session)

        self.services.runner.run(label, work, on_done=lambda _none: self._changed(), writes=True)

    def _changed(self) -> None:
        self.services.hub.announce_items(set(), rows_changed=True)
        self.controller.refresh()

    def retry(self, op_id: int) -> None:
        self._write("Retrying", lambda session: conflicts.retry_parked(session, op_id))

    def resolve(self, lines: list[ConflictLine]) -> None:
        def apply(keep_mine: dict[int, bool]) -> None:
            def change(session: Session) -> None:
                for conflict_id, mine in keep_mine.items():
                    conflicts.resolve(session, conflict_id, mine)

            self._write("Resolving a conflict", change)

        self.dialog = ConflictDialog(lines, apply, self)
        self.dialog.open()
