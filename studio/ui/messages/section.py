"""The Messages section. The Inbox tab: every buyer's messages, the seller's replies and
their offers, per buyer (studio/ui/messages/inbox.py). The Templates & sent tab: the three
templates (greeting, thank-you, bundle suggestion) with their automatic sending and daily
cap, every sent message per buyer, and "goes with" suggestions for any item, with their
reasons, sent to the item's buyer in one click."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from studio.inventory.tables import Item
from studio.money import format_money
from studio.seller_tools import bundle_messages, bundles, messages
from studio.seller_tools.tables import MessageTemplate, SentMessage
from studio.storage.paths import photos_dir
from studio.ui.banner import Banner
from studio.ui.confirm import confirm
from studio.ui.live_read import LiveRead
from studio.ui.messages.inbox import InboxPanel
from studio.ui.messages.labels import KIND_LABELS
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

Snapshot = tuple[dict[str, MessageTemplate], dict[tuple[str, str], list[SentMessage]]]
Suggested = tuple[list[bundles.Suggestion], str, bool]  # what goes with it, the buyer, sendable
KEY_ROLE = Qt.ItemDataRole.UserRole  # a sent-tree row's identity: "buyer:<id>", "message:<id>"


def _terms(template: MessageTemplate | None) -> tuple[str, bool, int] | None:
    return (template.body, template.auto_send, template.daily_cap) if template else None


class MessagesSection(QWidget):
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.templates: dict[str, MessageTemplate] = {}
        self.banner = Banner()
        self.inbox = InboxPanel(services)
        self.inbox.info.connect(self.banner.show_info)
        self.inbox.failed.connect(self.banner.show_error)
        self.inbox.unread_changed.connect(self._show_unread)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.inbox, "Inbox")
        self.tabs.addTab(self._templates_tab(), "Templates && sent")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.reads = LiveRead(
            services,
            "Reading messages",
            self._reader,
            self._show,
            lambda changes: changes.touches(
                MessageTemplate.__tablename__, SentMessage.__tablename__
            ),
            lambda error: self.banner.show_error(f"Reading messages failed: {error}"),
            self,
        )
        self.refresh()

    def _templates_tab(self) -> QWidget:
        splitter = QSplitter()
        splitter.addWidget(self._template_box())
        splitter.addWidget(self._sent_box())
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 2)
        layout.addWidget(self._suggest_box(), 1)
        return page

    def _show_unread(self, unread: int) -> None:
        self.tabs.setTabText(0, f"Inbox ({unread})" if unread else "Inbox")

    def _template_box(self) -> QGroupBox:
        box = QGroupBox("Templates")
        self.kind = QComboBox()
        for kind in messages.KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(self._show_template)
        self.body = QPlainTextEdit()
        self.auto = QCheckBox("Send automatically after each sync")
        self.cap = QSpinBox(minimum=0, maximum=500, suffix=" a day at most")
        fields = QLabel("Fields: " + ", ".join(f"{{{name}}}" for name in messages.FIELDS))
        fields.setWordWrap(True)
        fields.setStyleSheet("color: #6b7280;")
        save = QPushButton("Save template")
        save.clicked.connect(self.save_template)
        form = QFormLayout(box)
        form.addRow("Kind", self.kind)
        form.addRow(self.body)
        form.addRow(fields)
        form.addRow(self.auto)
        form.addRow("Cap", self.cap)
        form.addRow(save)
        return box

    def _sent_box(self) -> QGroupBox:
        box = QGroupBox("Sent, by buyer")
        self.sent = QTreeWidget()
        self.sent.setHeaderLabels(["Buyer / message", "Kind", "When"])
        self.sent.setColumnWidth(0, 360)
        QVBoxLayout(box).addWidget(self.sent)
        return box

    def _suggest_box(self) -> QGroupBox:
        box = QGroupBox("Goes with… (bundle suggestions for any item)")
        self.sku = QLineEdit()
        self.sku.setPlaceholderText("SKU, e.g. DRS-0001")
        self.sku.returnPressed.connect(self.suggest)
        find = QPushButton("Suggest")
        find.clicked.connect(self.suggest)
        self.suggestions = ReadOnlyTable(["Item", "Price", "Why it goes with it"], 2)
        self.buyer = QLabel()
        self.buyer.setWordWrap(True)
        self.send_button = QPushButton("Send to the buyer")
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send_suggestion)
        row = QHBoxLayout()
        row.addWidget(self.sku)
        row.addWidget(find)
        row.addStretch(1)
        send_row = QHBoxLayout()
        send_row.addWidget(self.buyer, 1)
        send_row.addWidget(self.send_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.suggestions)
        layout.addLayout(send_row)
        return box

    # Reading
    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], Snapshot]:
        def read(session: Session) -> Snapshot:
            kinds = {kind: messages.template(session, kind) for kind in messages.KINDS}
            return kinds, messages.sent_by_buyer(session)

        return read

    def _show(self, snapshot: Snapshot) -> None:
        kind = self.kind.currentData()
        before = _terms(self.templates.get(kind))
        self.templates, by_buyer = snapshot
        # The form is filled again only when its template changed as stored: a message sent
        # by a sync meanwhile must not wipe what is being typed.
        if _terms(self.templates.get(kind)) != before:
            self._show_template()
        self._show_sent(by_buyer)
        self.shown.emit()

    def _show_sent(self, by_buyer: dict[tuple[str, str], list[SentMessage]]) -> None:
        top = [self.sent.topLevelItem(i) for i in range(self.sent.topLevelItemCount())]
        expanded = {item.data(0, KEY_ROLE) for item in top if item.isExpanded()}
        chosen = {item.data(0, KEY_ROLE) for item in self.sent.selectedItems()}
        self.sent.clear()
        for (buyer_id, name), sent in by_buyer.items():
            buyer = QTreeWidgetItem([f"{name} ({len(sent)})", "", ""])
            buyer.setData(0, KEY_ROLE, f"buyer:{buyer_id}")
            for message in sent:
                when = message.sent_at.astimezone().strftime("%d %b %H:%M")
                auto = " (automatic)" if message.automatic else ""
                row = QTreeWidgetItem([message.body, KIND_LABELS[message.kind] + auto, when])
                row.setData(0, KEY_ROLE, f"message:{message.id}")
                buyer.addChild(row)
            self.sent.addTopLevelItem(buyer)
            buyer.setExpanded(buyer.data(0, KEY_ROLE) in expanded)
            for item in (buyer, *(buyer.child(i) for i in range(buyer.childCount()))):
                item.setSelected(item.data(0, KEY_ROLE) in chosen)

    def _show_template(self) -> None:
        row = self.templates.get(self.kind.currentData())
        if row is not None:
            self.body.setPlainText(row.body)
            self.auto.setChecked(row.auto_send)
            self.cap.setValue(row.daily_cap)

    # Acting: the lists follow from the hub once a write is stored.
    def save_template(self) -> None:
        kind, body = self.kind.currentData(), self.body.toPlainText()
        auto, cap = self.auto.isChecked(), self.cap.value()
        self.services.runner.write(
            "Saving the template",
            lambda session: messages.save_template(session, kind, body, auto, cap),
            on_done=lambda _row: self.banner.show_info(f"{KIND_LABELS[kind]} template saved."),
            on_error=lambda error: self.banner.show_error(str(error)),
        )

    def suggest(self) -> None:
        sku = self.sku.text().strip()
        photos = photos_dir(self.services.data_dir)

        def find(session: Session) -> Suggested:
            item = _item(session, sku)
            found = bundles.suggest(session, [item.id or 0], photos)
            try:
                order = bundle_messages.latest_order_with(session, item.id or 0)
                to = bundle_messages.recipient_of(order)
            except bundle_messages.CannotSend as refusal:
                return found, str(refusal), False
            return found, f"Bought by {to.buyer_name} (order {order.number}).", True

        self.send_button.setEnabled(False)
        # A write: the suggestions cache the cover colours they compare.
        self.services.runner.write(
            "Finding what goes with it",
            find,
            on_done=self._show_suggestions,
            on_error=lambda error: self.banner.show_error(str(error)),
        )

    def _show_suggestions(self, result: Suggested) -> None:
        found, buyer, sendable = result
        self.suggestions.fill(
            [
                (s.item_id, (s.title, format_money(s.price_cents), "; ".join(s.reasons)))
                for s in found
            ]
        )
        self.buyer.setText(buyer)
        self.send_button.setEnabled(sendable and bool(found))
        if not found:
            self.banner.show_info("Nothing in stock goes with it.")

    def send_suggestion(self) -> None:
        """Queues the bundle template to the buyer of the looked-up item, for their order."""
        sku = self.sku.text().strip()
        if not confirm(
            self,
            "Send a bundle suggestion",
            f"Send the bundle suggestion for {sku} to its buyer? {self.buyer.text()} "
            "It goes out with the next sync.",
            "Send",
        ):
            return
        photos = photos_dir(self.services.data_dir)

        def send(session: Session) -> str:
            order = bundle_messages.latest_order_with(session, _item(session, sku).id or 0)
            return bundle_messages.send_for_order(session, order, photos).buyer_name

        def done(buyer_name: str) -> None:
            self.buyer.setText(f"Queued for {buyer_name}; it goes out with the next sync.")
            self.send_button.setEnabled(False)

        def failed(error: BaseException) -> None:
            self.buyer.setText(str(error))  # inline, next to the button that was pressed

        self.services.runner.write(
            "Sending the bundle suggestion", send, on_done=done, on_error=failed
        )


def _item(session: Session, sku: str) -> Item:
    item = session.exec(select(Item).where(Item.sku == sku)).first()
    if item is None or item.id is None:
        raise LookupError(f"No item has the SKU {sku!r}.")
    return item
