"""Connecting a marketplace, or signing in to one again, from the Marketplace section.

A new account gets the name the seller types, or else one made from the server's address
(api.poshmark.com gives "poshmark"), shown in the empty Name field so there is no surprise.
An address with no name in it (an IP address, localhost) gives "seller-api", the name
`studio connect` uses without --name, so the window and the terminal agree on the first
account. A name is never taken twice by accident: connecting a name again signs that
account in again, which is what Reconnect is for, with its name and address fixed.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.sync.connection import (
    SELLER_API,
    check_account_name,
    connect_with_browser,
    connect_with_token,
)
from studio.sync.port import NotConnected
from studio.ui.banner import Banner
from studio.ui.marketplace.standing import AccountLine, changes_waiting, verb
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

DEFAULT_URL = "http://127.0.0.1:8765"
# Parts of a host name that say nothing about which marketplace it is.
GENERIC_LABELS = {"www", "api", "app", "seller", "sellers", "shop", "co", "com", "org", "net"}
NAME_RULE = "A name is up to 32 lower-case letters, digits and dashes, such as poshmark."


def suggested_name(url: str, taken: set[str]) -> str:
    """The marketplace's name in its address, not yet taken; "seller-api" when the address
    names none."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        labels: list[str] = []
    except ValueError:
        labels = [label for label in host.split(".")[:-1] if label not in GENERIC_LABELS]
    base = re.sub(r"[^a-z0-9-]+", "-", labels[-1]).strip("-")[:28] if labels else ""
    base = base or SELLER_API
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


class ConnectForm(QGroupBox):
    """The address, a name, and a token or the browser; `connected` says who signed in."""

    connected = Signal(str)  # what to tell the seller: "Connected poshmark as closet-a."
    dismissed = Signal()
    sign_in_url = Signal(str)  # the browser sign-in's address, sent from the worker thread

    def __init__(self, services: Services, banner: Banner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = banner
        self.taken: set[str] = set()
        self.reconnecting: str | None = None  # the account being signed in again
        self.asked = False  # the seller opened it (Reconnect, Connect another marketplace)
        self.name = QLineEdit()
        self.name.setMaxLength(32)
        self.url = QLineEdit(DEFAULT_URL)
        self.url.textChanged.connect(self._suggest_name)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("a personal API token, e.g. mkp_pat_…")
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.connect_with_token)
        self.browser_button = QPushButton("Sign in with the browser…")
        self.browser_button.setToolTip("Opens the marketplace's sign-in page; no token to copy")
        self.browser_button.clicked.connect(self.connect_with_browser)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.dismiss)
        self.note = QLabel()
        self.note.setWordWrap(True)
        # A name and address fixed for a reconnect look fixed, not like fields to fill.
        self.setStyleSheet('QLineEdit[readOnly="true"] { background: #f4f5f7; color: #374151; }')
        form = QFormLayout(self)
        form.addRow("Server", self.url)
        form.addRow("Name", self.name)
        form.addRow("Token", self.token)
        # Wrapped text spans the row: in a field's column its height is reckoned for a
        # narrow form and the room stays, a gap above and below the text.
        form.addRow(self.note)
        buttons = QHBoxLayout()
        for button in (self.connect_button, self.browser_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        form.addRow("", buttons)
        # While a browser sign-in waits: the page's address, for when no browser page opened
        # (no default browser, another screen) or the person wants to open it elsewhere.
        # One row, hidden whole: a form row with a hidden field still takes its spacing.
        self.sign_in_box = QWidget()
        self.sign_in_address = QLineEdit()
        self.sign_in_address.setReadOnly(True)
        self.sign_in_hint = QLabel()
        self.sign_in_hint.setWordWrap(True)
        waiting = QVBoxLayout(self.sign_in_box)
        waiting.setContentsMargins(0, 0, 0, 0)
        waiting.addWidget(self.sign_in_hint)
        waiting.addWidget(self.sign_in_address)
        form.addRow(self.sign_in_box)
        self.sign_in_url.connect(self._show_sign_in_address)
        self._show_sign_in_address("")
        self.start_new(asked=False)

    # Modes
    def set_taken(self, names: set[str]) -> None:
        """The names of the connected accounts, from the section's latest reading."""
        self.taken = names
        if self.reconnecting is None:
            self._new_title()
        self._suggest_name()
        self.cancel_button.setVisible(bool(names) or self.reconnecting is not None)

    def _new_title(self) -> None:
        self.setTitle("Connect another marketplace" if self.taken else "Connect a marketplace")

    def start_new(self, asked: bool = True) -> None:
        if self.reconnecting is not None:  # that account's address is no start for another
            self.url.setText(DEFAULT_URL)
        self.reconnecting, self.asked = None, asked
        self._new_title()
        self._fix_fields(False)
        self.name.clear()
        self.token.clear()
        self.note.setText(
            "The token is kept in your system keyring (or a private file), never in the "
            "inventory. Leave the name empty to use the one shown."
        )
        self.cancel_button.setVisible(bool(self.taken))
        self._suggest_name()
        if asked:
            self.url.setFocus()

    def start_reconnect(self, line: AccountLine) -> None:
        """Signs the account in again under its own name and address: the marketplace's
        listings, what was read from it and the changes waiting for it all stay. A browser
        sign-in starts at once; an account connected with a token asks for a new one."""
        self.reconnecting, self.asked = line.name, True
        self.setTitle(f"Reconnect {line.name}")
        self.name.setText(line.name)
        self.url.setText(line.state.base_url)
        self._fix_fields(True)
        self.token.clear()
        waiting = line.state.waiting_ops
        kept = (
            f"The {changes_waiting(waiting)} waiting for {line.name} {verb(waiting, 'is', 'are')} "
            f"kept and {verb(waiting, 'goes', 'go')} out once you are back in."
            if waiting
            else "Its listings and history are kept."
        )
        how = (
            "Sign in on the page that opened in your browser."
            if line.browser_signin
            else "Paste a new token from the marketplace, or sign in with the browser."
        )
        self.note.setText(f"{how} {kept}")
        self.cancel_button.setVisible(True)
        if line.browser_signin:
            self.connect_with_browser()
        else:
            self.token.setFocus()

    def _fix_fields(self, fixed: bool) -> None:
        for field in (self.name, self.url):
            field.setReadOnly(fixed)
            field.style().polish(field)  # the style sheet looks at readOnly again

    def dismiss(self) -> None:
        self.start_new(asked=False)
        self.dismissed.emit()

    def _suggest_name(self) -> None:
        if self.reconnecting is None:
            self.name.setPlaceholderText(suggested_name(self.url.text(), self.taken))

    def _chosen_name(self) -> str | None:
        """The name to connect under, or None after saying what is wrong with it."""
        if self.reconnecting is not None:
            return self.reconnecting
        name = self.name.text().strip() or self.name.placeholderText()
        try:
            check_account_name(name)
        except NotConnected:
            self.banner.show_error(f"{name!r} cannot name a marketplace. {NAME_RULE}")
            return None
        if name in self.taken:
            self.banner.show_error(
                f"You already have a marketplace called {name}: use Reconnect beside it to "
                "sign in again, or choose another name."
            )
            return None
        return name

    # Actions
    def connect_with_token(self) -> None:
        database, credentials = self.services.database, self.services.credentials
        url, token, name = self.url.text().strip(), self.token.text().strip(), self._chosen_name()
        if name is None:
            return
        if not token:
            self.banner.show_error("Paste the token the marketplace gave you, then Connect.")
            return

        def work(_context: TaskContext) -> str:
            account = connect_with_token(database, credentials, url, token, name=name)
            return f"Connected as {account.seller_name} on {account.name}."

        self._busy(True)
        self.services.runner.run(
            "Connecting", work, on_done=self._connected, on_error=self._not_connected, writes=True
        )

    def connect_with_browser(self) -> None:
        database, credentials = self.services.database, self.services.credentials
        url, name = self.url.text().strip(), self._chosen_name()
        if name is None:
            return

        def work(context: TaskContext) -> str:
            # The sign-in waits for the person in the browser; Cancel in the status bar ends it.
            account = connect_with_browser(
                database,
                credentials,
                url,
                show_url=self.sign_in_url.emit,  # from this worker thread, queued to the UI
                cancel=context.cancel_event,
                name=name,
            )
            return f"Connected as {account.seller_name} on {account.name}."

        self._busy(True)
        task = self.services.runner.run(
            "Waiting for the browser sign-in",
            work,
            on_done=self._connected,
            on_error=self._not_connected,
            show_progress=True,
        )
        task.ended.connect(lambda: self._show_sign_in_address(""))
        task.ended.connect(lambda: self._busy(False))

    def _busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        self.browser_button.setEnabled(not busy)

    def _connected(self, message: str) -> None:
        self._busy(False)
        self.start_new(asked=False)
        self.connected.emit(message)

    def _not_connected(self, error: BaseException) -> None:
        self._busy(False)
        self.banner.show_error(str(error))

    def _show_sign_in_address(self, url: str) -> None:
        self.sign_in_address.setText(url)
        self.sign_in_hint.setText(
            "The sign-in page should have opened in your browser. If it did not, open this "
            "address in a browser yourself; the studio waits for the answer."
        )
        self.sign_in_box.setVisible(bool(url))
