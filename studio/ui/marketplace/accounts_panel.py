"""The connected marketplaces in the Marketplace section: one row each with its state, a
warning that stays while a sign-in is about to end or has ended, and Reconnect and Remove.

Removing an account forgets its sign-in, listing links and the changes waiting for it (the
items stay). While changes wait, the seller is asked what to do with them before anything
is dropped.
"""

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.sync.accounts import Health, PendingWork, remove_account
from studio.ui.banner import Banner
from studio.ui.confirm import confirm
from studio.ui.marketplace.standing import AccountLine, changes_waiting, verb
from studio.ui.marketplace.terms_dialog import TermsDialog
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

HEADINGS = ["Marketplace", "Address", "Seller", "State", "Last sync", "Waiting", ""]
STATE_COLUMN, ACTIONS_COLUMN = 3, 6
SIGNED_OUT_COLOUR = "#b71c1c"
EXPIRING_COLOUR = "#8a4b00"
STRIP_STYLES = {
    Health.SIGNED_OUT: "background: #fdecea; color: #b71c1c; border-radius: 4px; padding: 8px;",
    Health.EXPIRING: "background: #fff4e5; color: #8a4b00; border-radius: 4px; padding: 8px;",
}


def _last_sync(line: AccountLine) -> str:
    last = line.state.last_sync_at
    return f"{last.astimezone():%Y-%m-%d %H:%M}" if last else "not yet"


class AccountsPanel(QWidget):
    reconnect = Signal(object)  # AccountLine: sign it in again (the section's connect form)
    sync_now = Signal()

    def __init__(self, services: Services, banner: Banner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = banner
        self.lines: tuple[AccountLine, ...] = ()
        # Loud and persistent: it stays until the sign-in is put right, never a passing note.
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.table = ReadOnlyTable(HEADINGS, STATE_COLUMN)
        self.table.setMinimumHeight(90)
        self.buttons: dict[str, dict[str, QPushButton]] = {}  # by account, by action
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warning)
        layout.addWidget(self.table)
        self.show_accounts(())

    def show_accounts(self, lines: Sequence[AccountLine]) -> None:
        self.lines = tuple(lines)
        self.table.fill(
            [
                (
                    line.name,
                    (
                        line.name,
                        line.state.base_url,
                        line.state.seller_name,
                        line.words(),
                        _last_sync(line),
                        str(line.state.waiting_ops),
                    ),
                )
                for line in self.lines
            ]
        )
        warning_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.buttons = {}
        for row, line in enumerate(self.lines):
            if line.needs_attention:
                cell = self.table.item(row, STATE_COLUMN)
                cell.setIcon(warning_icon)
                colour = SIGNED_OUT_COLOUR if line.health is Health.SIGNED_OUT else EXPIRING_COLOUR
                cell.setForeground(QBrush(QColor(colour)))
                cell.setToolTip(line.warning())
            self.table.setCellWidget(row, ACTIONS_COLUMN, self._actions(line))
        # The table is as tall as its rows: a few accounts, never a scrolling box.
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
            + 2 * self.table.frameWidth()
        )
        attention = [line for line in self.lines if line.needs_attention]
        signed_out = any(line.health is Health.SIGNED_OUT for line in attention)
        self.warning.setText("\n".join(line.warning() for line in attention))
        self.warning.setStyleSheet(
            STRIP_STYLES[Health.SIGNED_OUT if signed_out else Health.EXPIRING]
        )
        self.warning.setVisible(bool(attention))

    def _actions(self, line: AccountLine) -> QWidget:
        cell = QWidget()
        row = QHBoxLayout(cell)
        row.setContentsMargins(4, 0, 4, 0)
        row.addStretch(1)  # Remove stays at the right edge, with or without Reconnect
        buttons = {}
        if line.needs_attention:
            buttons["reconnect"] = QPushButton("Reconnect")
            buttons["reconnect"].setToolTip(
                f"Sign in to {line.name} again; what waits for it is kept"
            )
            buttons["reconnect"].clicked.connect(lambda _checked=False: self.reconnect.emit(line))
        buttons["terms"] = QPushButton("Prices & fees…")
        buttons["terms"].setToolTip(
            f"{line.name}: {line.state.terms.words}. Change the price rule or the fee"
        )
        buttons["terms"].clicked.connect(lambda _checked=False: self.edit_terms(line))
        buttons["remove"] = QPushButton("Remove…")
        buttons["remove"].clicked.connect(lambda _checked=False: self.remove(line))
        for button in buttons.values():
            row.addWidget(button)
        self.buttons[line.name] = buttons
        return cell

    def edit_terms(self, line: AccountLine) -> None:
        TermsDialog(self.services, self.banner, line.state.terms, self).open()

    # Removing
    def remove(self, line: AccountLine) -> None:
        if line.state.waiting_ops:
            self._ask_about_waiting(line, line.state.waiting_ops)
            return
        if confirm(
            self,
            f"Remove {line.name}?",
            f"The studio stops syncing with {line.name} ({line.state.base_url}) and forgets "
            f"its sign-in. Your items stay in your inventory, and the listings on {line.name} "
            "stay as they are there.",
            f"Remove {line.name}",
        ):
            self._remove(line, drop_waiting=False)

    def _ask_about_waiting(self, line: AccountLine, waiting: int | None) -> None:
        """Sync first (the default: nothing is lost), drop them and remove, or cancel."""
        what = changes_waiting(waiting) if waiting else "Some changes"
        plural = waiting or 2  # "Some changes" are several
        has, them = verb(plural, "has", "have"), verb(plural, "it", "them")
        signed_out = line.health is Health.SIGNED_OUT
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            f"Changes still wait for {line.name}",
            f"{what} {has} not reached {line.name} yet (new listings, prices, sales or "
            f"messages). Removing {line.name} now drops {them}; your items stay as they are.",
            parent=self,
        )
        box.setInformativeText(
            f"{line.name} is signed out: reconnect it to send {them}, then remove it."
            if signed_out
            else f"Sync first to send {them}, then remove {line.name}."
        )
        first = box.addButton(
            "Reconnect first" if signed_out else "Sync first", QMessageBox.ButtonRole.AcceptRole
        )
        drop = box.addButton(
            f"Drop {them} and remove {line.name}", QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(first)
        box.exec()
        if box.clickedButton() is drop:
            self._remove(line, drop_waiting=True)
        elif box.clickedButton() is first and signed_out:
            self.reconnect.emit(line)
        elif box.clickedButton() is first:
            self.sync_now.emit()
            self.banner.show_info(
                f"Syncing now. Remove {line.name} once nothing waits for it (the Waiting column)."
            )

    def _remove(self, line: AccountLine, drop_waiting: bool) -> None:
        database, credentials = self.services.database, self.services.credentials

        def work(_context: TaskContext) -> int:
            return remove_account(database, credentials, line.name, drop_waiting)

        def removed(dropped: int) -> None:
            were = verb(dropped, "was", "were")
            gone = f" {changes_waiting(dropped)} that had not reached it {were} dropped."
            self.banner.show_info(
                f"Removed {line.name}; its items stay in your inventory.{gone if dropped else ''}"
            )

        def refused(error: BaseException) -> None:
            if isinstance(error, PendingWork):  # changes were queued since the list was read
                self._ask_about_waiting(line, None)
            else:
                self.banner.show_error(f"Removing {line.name} failed: {error}")

        # The core removes in its own transaction and forgets the sign-in, so the work runs
        # on the writer thread as a connect does; the hub announces the account went.
        self.services.runner.run(
            f"Removing {line.name}", work, on_done=removed, on_error=refused, writes=True
        )
