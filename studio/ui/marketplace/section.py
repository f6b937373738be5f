"""The Marketplace screen: the connection, what waits to be sent, and what needs attention."""

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.sync import conflicts
from studio.sync.connection import SELLER_API, connect_with_browser, connect_with_token
from studio.sync.status import (
    ConflictLine,
    OpLine,
    Overall,
    SyncSummary,
    conflict_lines,
    op_lines,
)
from studio.sync.tables import OPEN_STATES, Conflict, OpState, OutboxOp
from studio.ui.banner import Banner
from studio.ui.live_read import LiveRead
from studio.ui.marketplace.conflict_dialog import ConflictDialog
from studio.ui.marketplace.controller import SyncController
from studio.ui.read_only_table import ReadOnlyTable
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
Lists = tuple[list[OpLine], list[OpLine], list[ConflictLine]]  # parked, open, conflicts
# A row of "Needs your attention": its id, its cells, and its button's text and action.
AttentionRow = tuple[str, tuple[str, ...], str, Callable[[], None]]


def _table(headings: list[str], stretch_column: int) -> ReadOnlyTable:
    table = ReadOnlyTable(headings, stretch_column)
    table.setMinimumHeight(90)
    return table


def _read_lists(session: Session) -> Lists:
    parked = op_lines(session, SELLER_API, [OpState.PARKED.value])
    open_ops = op_lines(session, SELLER_API, list(OPEN_STATES))
    return parked, open_ops, conflict_lines(session, SELLER_API)


class MarketplaceSection(QWidget):
    title = "Marketplace"
    sign_in_url = Signal(str)  # the browser sign-in's address, sent from the worker thread

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
        self.sign_in_url.connect(self._show_sign_in_address)
        self.attention = _table(["Item", "Change", "What the marketplace said", ""], 2)
        self.waiting = _table(["Item", "Change", "State", "Note"], 3)
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
        controller.cycle_failed.connect(lambda text: self.banner.show_error(f"Sync failed: {text}"))
        self.show_summary(controller.current)
        self.reads = LiveRead(
            services,
            "Reading the sync queue",
            lambda: _read_lists,
            self._show_lists,
            lambda changes: changes.touches(OutboxOp.__tablename__, Conflict.__tablename__),
            lambda error: self.banner.show_error(f"Reading the sync queue failed: {error}"),
            self,
        )
        self.refresh()

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
        # While a browser sign-in waits: the page's address, for when no browser page opened
        # (no default browser, another screen) or the person wants to open it elsewhere.
        self.sign_in_address = QLineEdit()
        self.sign_in_address.setReadOnly(True)
        self.sign_in_hint = QLabel()
        self.sign_in_hint.setWordWrap(True)
        form.addRow("", self.sign_in_hint)
        form.addRow("", self.sign_in_address)
        self._show_sign_in_address("")
        return box

    def _show_sign_in_address(self, url: str) -> None:
        self.sign_in_address.setText(url)
        self.sign_in_hint.setText(
            "The sign-in page should have opened in your browser. If it did not, open this "
            "address in a browser yourself; the studio waits for the answer."
        )
        self.sign_in_address.setVisible(bool(url))
        self.sign_in_hint.setVisible(bool(url))

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
        database, credentials = self.services.database, self.services.credentials
        url, token = self.url.text().strip(), self.token.text().strip()
        if not token:
            self.banner.show_error("Paste the token the marketplace gave you, then Connect.")
            return

        def work(_context: TaskContext) -> str:
            account = connect_with_token(database, credentials, url, token)
            return account.seller_name

        self.connect_button.setEnabled(False)
        self.services.runner.run(
            "Connecting", work, on_done=self._connected, on_error=self._not_connected, writes=True
        )

    def connect_with_browser(self) -> None:
        database, credentials = self.services.database, self.services.credentials
        url = self.url.text()

        def work(context: TaskContext) -> str:
            # The sign-in waits for the person in the browser; Cancel in the status bar ends it.
            account = connect_with_browser(
                database,
                credentials,
                url.strip(),
                show_url=self.sign_in_url.emit,  # from this worker thread, queued to the UI
                cancel=context.cancel_event,
            )
            return account.seller_name

        self.browser_button.setEnabled(False)
        task = self.services.runner.run(
            "Waiting for the browser sign-in",
            work,
            on_done=self._connected,
            on_error=self._not_connected,
            show_progress=True,
        )
        task.ended.connect(lambda: self._show_sign_in_address(""))

    def _connected(self, seller: str) -> None:
        self.connect_button.setEnabled(True)
        self.browser_button.setEnabled(True)
        self.token.clear()
        self.banner.show_info(f"Connected as {seller}. Syncing now.")
        self.controller.sync_now()

    def _not_connected(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.browser_button.setEnabled(True)
        self.banner.show_error(str(error))

    def refresh(self) -> None:
        self.reads.refresh()

    def _show_lists(self, lists: Lists) -> None:
        parked, open_ops, self.conflicts = lists
        attention: list[AttentionRow] = [
            (
                f"op:{line.op_id}",
                (f"{line.sku} {line.title}", KIND_WORDS.get(line.kind, line.kind), line.error),
                "Retry",
                partial(self.retry, line.op_id),
            )
            for line in parked
        ]
        by_item: dict[int, list[ConflictLine]] = {}
        for conflict in self.conflicts:
            by_item.setdefault(conflict.item_id, []).append(conflict)
        for item_id, item_conflicts in by_item.items():
            first = item_conflicts[0]
            fields = ", ".join(c.field.replace("_cents", "") for c in item_conflicts)
            cells = (f"{first.sku} {first.title}", "Conflict", f"changed on both sides: {fields}")
            attention.append(
                (f"conflict:{item_id}", cells, "Resolve…", partial(self.resolve, item_conflicts))
            )
        self.attention.fill([(key, cells) for key, cells, _text, _slot in attention])
        for row, (_key, _cells, text, slot) in enumerate(attention):
            self._add_button(self.attention, row, text, slot)
        self.waiting.fill(
            [
                (
                    line.op_id,
                    (
                        f"{line.sku} {line.title}",
                        KIND_WORDS.get(line.kind, line.kind),
                        "sent, waiting for an answer" if line.state != "pending" else "waiting",
                        line.error,
                    ),
                )
                for line in open_ops
            ]
        )
        for table, empty in (
            (self.attention, self.attention_empty),
            (self.waiting, self.waiting_empty),
        ):
            table.setVisible(table.rowCount() > 0)
            empty.setVisible(table.rowCount() == 0)

    @staticmethod
    def _add_button(table: QTableWidget, row: int, text: str, slot: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        table.setCellWidget(row, 3, button)

    def _write(
        self,
        label: str,
        change: Callable[[Session], object],
        on_done: Callable[[object], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """The lists and the sync status follow from the hub once the write is stored."""
        self.services.runner.write(
            label,
            change,
            on_done=on_done,
            on_error=on_error or (lambda error: self.banner.show_error(f"{label} failed: {error}")),
        )

    def retry(self, op_id: int) -> None:
        self._write("Retrying", lambda session: conflicts.retry_parked(session, op_id))

    def resolve(self, lines: list[ConflictLine]) -> None:
        dialog = ConflictDialog(lines, self)

        def apply(keep_mine: dict[int, bool]) -> None:
            def change(session: Session) -> None:
                for conflict_id, mine in keep_mine.items():
                    conflicts.resolve(session, conflict_id, mine)

            # The dialog stays open until the choice is stored, and says so if it was not.
            self._write(
                "Resolving a conflict",
                change,
                on_done=lambda _none: dialog.accept(),
                on_error=dialog.not_applied,
            )

        dialog.chosen.connect(apply)
        self.dialog = dialog
        dialog.open()
