"""The Inbox tab: the buyers who wrote, were written to or traded offers, newest first with
their unread messages, and the chosen buyer's conversation both ways with a reply box.

Opening a conversation reads it. A reply is confirmed first, naming the buyer, like every
action that reaches a buyer, and goes out with the next sync.
"""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.money import format_money
from studio.seller_tools import inbox
from studio.seller_tools.inbox import BuyerKey, Conversation, Entry
from studio.ui.confirm import confirm
from studio.ui.live_read import LiveRead
from studio.ui.messages.labels import KIND_LABELS, OFFER_LABELS
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

Snapshot = tuple[list[Conversation], list[Entry]]  # every conversation, the chosen one's lines
SELLER_SIDE = QColor("#eef3fb")  # the seller's own lines, told apart at a glance


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %H:%M")


def _name(conversation: Conversation) -> str:
    return conversation.buyer_name or f"Buyer {conversation.buyer.buyer_id}"


def _line(entry: Entry, buyer_name: str) -> str:
    who = buyer_name if entry.from_buyer else "You"
    if entry.amount_cents is not None:
        text = f"{OFFER_LABELS.get(entry.kind, 'Offer')} of {format_money(entry.amount_cents)}"
        text += f" ({entry.status})"
    elif entry.from_buyer:
        text = entry.body
    else:
        label = KIND_LABELS.get(entry.kind, entry.kind)
        text = entry.body if entry.kind == "reply" else f"[{label}] {entry.body}"
    about = f" · about {entry.about}" if entry.about else ""
    return f"{who} · {_when(entry.at)}{about}\n{text}"


class InboxPanel(QWidget):
    info = Signal(str)
    failed = Signal(str)
    unread_changed = Signal(int)  # across every conversation
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.conversations: list[Conversation] = []
        self.buyers = ReadOnlyTable(["Buyer", "Unread", "Last activity"])
        self.buyers.itemSelectionChanged.connect(self.refresh)
        self.heading = QLabel("Choose a buyer to read the conversation.")
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        self.reply = QPlainTextEdit()
        self.reply.setPlaceholderText("Write a reply…")
        self.reply.setMaximumHeight(4 * self.reply.fontMetrics().lineSpacing() + 16)
        self.reply.textChanged.connect(self._update_send)
        self.send_button = QPushButton("Send")
        self.send_button.clicked.connect(self.send_reply)
        self.send_button.setEnabled(False)
        send_row = QHBoxLayout()
        send_row.addWidget(self.reply, 1)
        send_row.addWidget(self.send_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.lines, 1)
        right_layout.addLayout(send_row)
        splitter = QSplitter()
        splitter.addWidget(self.buyers)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)
        self.reads = LiveRead(
            services,
            "Reading the inbox",
            self._reader,
            self._show,
            lambda changes: changes.touches(*inbox.TABLES),
            lambda error: self.failed.emit(f"Reading the inbox failed: {error}"),
            self,
        )
        self.refresh()

    # Reading
    def refresh(self) -> None:
        self.reads.refresh()

    def chosen(self) -> Conversation | None:
        key = self.buyers.selected_id()
        return next((c for c in self.conversations if c.buyer == key), None)

    def _reader(self) -> Callable[[Session], Snapshot]:
        key = self.buyers.selected_id()

        def read(session: Session) -> Snapshot:
            lines = inbox.thread(session, key) if isinstance(key, BuyerKey) else []
            return inbox.conversations(session), lines

        return read

    def _show(self, snapshot: Snapshot) -> None:
        self.conversations, lines = snapshot
        # The table keeps the chosen buyer by identity, wherever their row moved.
        self.buyers.fill(
            [
                (c.buyer, (_name(c), str(c.unread) if c.unread else "", _when(c.last_at)))
                for c in self.conversations
            ]
        )
        chosen = self.chosen()
        self._show_lines(chosen, lines)
        self.unread_changed.emit(sum(c.unread for c in self.conversations))
        if chosen is not None and chosen.unread and self.isVisible():
            self._mark_read(chosen.buyer)
        self.shown.emit()

    def _show_lines(self, chosen: Conversation | None, lines: list[Entry]) -> None:
        self.lines.clear()
        if chosen is None:
            self.heading.setText("Choose a buyer to read the conversation.")
        else:
            self.heading.setText(f"<b>{_name(chosen)}</b>")
            for entry in lines:
                row = QListWidgetItem(_line(entry, _name(chosen)))
                if not entry.from_buyer:
                    row.setBackground(SELLER_SIDE)
                self.lines.addItem(row)
            self.lines.scrollToBottom()
        self._update_send()

    def _update_send(self) -> None:
        self.send_button.setEnabled(
            self.chosen() is not None and bool(self.reply.toPlainText().strip())
        )

    # Acting: the list follows from the hub once a write is stored.
    def _mark_read(self, key: BuyerKey) -> None:
        self.services.runner.write(
            "Marking the conversation read",
            lambda session: inbox.mark_read(session, key),
            on_error=lambda error: self.failed.emit(str(error)),
        )

    def send_reply(self) -> None:
        chosen, body = self.chosen(), self.reply.toPlainText().strip()
        if chosen is None or not body:
            return
        name = _name(chosen)
        if not confirm(
            self,
            "Send a reply",
            f"Send this reply to {name}? It goes out with the next sync.\n\n{body}",
            "Send",
        ):
            return

        def done(_sent: object) -> None:
            self.reply.clear()
            self.info.emit(f"Reply to {name} queued; it goes out with the next sync.")

        self.services.runner.write(
            f"Replying to {name}",
            lambda session: inbox.reply(session, chosen.buyer, body),
            on_done=done,
            on_error=lambda error: self.failed.emit(str(error)),
        )
