"""The Marketplace screen: the connected marketplaces and their state, what waits to be
sent, and what needs attention, for every account."""

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, col, select

from studio.sync import conflicts
from studio.sync.accounts import Health
from studio.sync.status import ConflictLine, OpLine, Overall, conflict_lines, op_lines
from studio.sync.tables import OPEN_STATES, Conflict, MarketplaceAccount, OpState, OutboxOp
from studio.ui.banner import Banner
from studio.ui.live_read import LiveRead
from studio.ui.marketplace.accounts_panel import AccountsPanel
from studio.ui.marketplace.conflict_dialog import ConflictDialog
from studio.ui.marketplace.connect_form import ConnectForm
from studio.ui.marketplace.controller import SyncController
from studio.ui.marketplace.import_dialog import ImportListingsDialog
from studio.ui.marketplace.standing import AccountLine, Standing
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

KIND_WORDS = {
    "create_listing": "List",
    "update_listing": "Update",
    "delist": "Delist",
    "relist": "Relist",
    "mark_sold": "Mark sold",
    "ship_order": "Mark shipped",
    "cancel_order": "Cancel order",
    "accept_offer": "Accept offer",
    "decline_offer": "Decline offer",
    "counter_offer": "Counter offer",
    "offer_to_likers": "Offer to likers",
    "send_message": "Message",
}
# Each line names the marketplace it is for: (account name, line).
Lists = tuple[
    list[tuple[str, OpLine]], list[tuple[str, OpLine]], list[tuple[str, ConflictLine]]
]  # parked, open, conflicts
# A row of "Needs your attention": its id, its cells, and its button's text and action.
AttentionRow = tuple[str, tuple[str, ...], str, Callable[[], None]]
BUTTON_COLUMN = 4


def _table(headings: list[str], stretch_column: int) -> ReadOnlyTable:
    table = ReadOnlyTable(headings, stretch_column)
    table.setMinimumHeight(90)
    return table


def _read_lists(session: Session) -> Lists:
    names = session.exec(
        select(MarketplaceAccount.name).order_by(col(MarketplaceAccount.connected_at))
    ).all()
    parked = [(n, line) for n in names for line in op_lines(session, n, [OpState.PARKED.value])]
    open_ops = [(n, line) for n in names for line in op_lines(session, n, list(OPEN_STATES))]
    found = [(n, line) for n in names for line in conflict_lines(session, n)]
    return parked, open_ops, found


class MarketplaceSection(QWidget):
    def __init__(
        self, services: Services, controller: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self.standing = controller.standing
        self.banner = Banner()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(controller.sync_now)
        self.import_button = QPushButton("Import listings…")
        self.import_button.setToolTip("Bring the listings you already have there in as items")
        self.import_button.clicked.connect(lambda _checked=False: self.import_listings())
        self.import_dialog: ImportListingsDialog | None = None
        self.accounts = AccountsPanel(services, self.banner)
        self.accounts.reconnect.connect(self.reconnect)
        self.accounts.sync_now.connect(controller.sync_now)
        self.connect_box = ConnectForm(services, self.banner)
        self.connect_box.connected.connect(self._connected)
        self.connect_box.dismissed.connect(self._arrange)
        self.add_button = QPushButton("Connect another marketplace…")
        self.add_button.clicked.connect(self.add_marketplace)
        self.attention = _table(
            ["Item", "Marketplace", "Change", "What the marketplace said", ""], 3
        )
        self.waiting = _table(["Item", "Marketplace", "Change", "State", "Note"], 4)
        self.conflicts: list[ConflictLine] = []
        self.lists: Lists = ([], [], [])
        self.signed_out: set[str] = set()
        self.dialog: ConflictDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.import_button)
        adding = QHBoxLayout()
        adding.addWidget(self.add_button)
        adding.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.accounts)
        layout.addLayout(adding)
        layout.addWidget(self.connect_box)
        self.attention_empty = QLabel("Nothing needs your attention.")
        self.waiting_empty = QLabel("Every change has reached its marketplace.")
        for heading, table, empty in (
            ("Needs your attention", self.attention, self.attention_empty),
            ("Waiting to be sent", self.waiting, self.waiting_empty),
        ):
            empty.setStyleSheet("color: #6b7280; padding: 6px 2px 14px 2px;")
            layout.addWidget(QLabel(f"<b>{heading}</b>"))
            layout.addWidget(empty)
            layout.addWidget(table, 1)
        layout.addStretch(0)
        controller.standing_changed.connect(self.show_standing)
        controller.cycle_failed.connect(lambda text: self.banner.show_error(f"Sync failed: {text}"))
        self.show_standing(controller.standing)
        self.reads = LiveRead(
            services,
            "Reading the sync queue",
            lambda: _read_lists,
            self._show_lists,
            lambda changes: changes.touches(
                OutboxOp.__tablename__, Conflict.__tablename__, MarketplaceAccount.__tablename__
            ),
            lambda error: self.banner.show_error(f"Reading the sync queue failed: {error}"),
            self,
        )
        self.refresh()

    def show_standing(self, standing: Standing) -> None:
        self.standing = standing
        self.accounts.show_accounts(standing.accounts)
        signed_out = {a.name for a in standing.accounts if a.health is Health.SIGNED_OUT}
        if signed_out != self.signed_out:  # what waits for a signed-out account says so
            self.signed_out = signed_out
            self._show_lists(self.lists)
        self.connect_box.set_taken({line.name for line in standing.accounts})
        self._arrange()
        current = standing.summary
        if current.state is Overall.NOT_CONNECTED:
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
        who = (
            f"Connected as {current.account}"
            if len(standing.accounts) == 1
            else f"{len(standing.accounts)} marketplaces connected"
        )
        self.status.setText(f"{who}<br><b>{current.text()}</b> · {last}.{error}")

    def _arrange(self) -> None:
        """With no marketplace yet the form is the page; afterwards it opens on request."""
        connected = bool(self.standing.accounts)
        self.accounts.setVisible(connected)
        self.sync_button.setVisible(connected)
        self.import_button.setVisible(connected)  # listings come from a connected marketplace
        self.connect_box.setVisible(not connected or self.connect_box.asked)
        self.add_button.setVisible(connected and not self.connect_box.asked)

    # Actions
    def add_marketplace(self) -> None:
        self.connect_box.start_new()
        self._arrange()

    def reconnect(self, line: AccountLine) -> None:
        self.connect_box.start_reconnect(line)
        self._arrange()

    def _connected(self, message: str) -> None:
        self.banner.show_info(f"{message} Syncing now.")
        self._arrange()
        self.controller.sync_now()

    def refresh(self) -> None:
        self.reads.refresh()

    def _waiting_words(self, name: str, line: OpLine) -> str:
        if name in self.signed_out:
            return "waiting for you to reconnect"
        return "sent, waiting for an answer" if line.state != "pending" else "waiting"

    def _show_lists(self, lists: Lists) -> None:
        self.lists = lists
        parked, open_ops, found = lists
        self.conflicts = [line for _name, line in found]
        attention: list[AttentionRow] = [
            (
                f"op:{line.op_id}",
                (
                    f"{line.sku} {line.title}",
                    name,
                    KIND_WORDS.get(line.kind, line.kind),
                    line.error,
                ),
                "Retry",
                partial(self.retry, line.op_id),
            )
            for name, line in parked
        ]
        by_item: dict[tuple[str, int], list[ConflictLine]] = {}
        for name, conflict in found:
            by_item.setdefault((name, conflict.item_id), []).append(conflict)
        for (name, item_id), item_conflicts in by_item.items():
            first = item_conflicts[0]
            fields = ", ".join(c.field.replace("_cents", "") for c in item_conflicts)
            cells = (
                f"{first.sku} {first.title}",
                name,
                "Conflict",
                f"changed on both sides: {fields}",
            )
            attention.append(
                (
                    f"conflict:{name}:{item_id}",
                    cells,
                    "Resolve…",
                    partial(self.resolve, item_conflicts),
                )
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
                        name,
                        KIND_WORDS.get(line.kind, line.kind),
                        self._waiting_words(name, line),
                        line.error,
                    ),
                )
                for name, line in open_ops
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
        table.setCellWidget(row, BUTTON_COLUMN, button)

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

    def import_listings(self, name: str | None = None) -> None:
        """Shows what importing a marketplace's listings would do, and imports on confirm."""
        dialog = ImportListingsDialog(self.services, self, name)
        dialog.finished_import.connect(
            lambda ok, words: self.banner.show_info(words) if ok else self.banner.show_error(words)
        )
        self.import_dialog = dialog
        dialog.open()

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
