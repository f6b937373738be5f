"""The Messages section: the three templates (greeting, thank-you, bundle suggestion) with
their automatic sending and daily cap, every sent message per buyer, and "goes with"
suggestions for any item, with their reasons, sent to the item's buyer in one click."""

from PySide6.QtCore import Signal
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
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

KIND_LABELS = {"greeting": "Greeting", "thank_you": "Thank you", "bundle_suggestion": "Bundle"}
Snapshot = tuple[dict[str, MessageTemplate], dict[tuple[str, str], list[SentMessage]]]


class MessagesSection(QWidget):
    title = "Messages"
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.templates: dict[str, MessageTemplate] = {}
        self.banner = Banner()
        splitter = QSplitter()
        splitter.addWidget(self._template_box())
        splitter.addWidget(self._sent_box())
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 2)
        layout.addWidget(self._suggest_box(), 1)
        services.hub.items_changed.connect(lambda _change: self.refresh())
        self.refresh()

    def _template_box(self) -> QGroupBox:
        box = QGroupBox("Templates")
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
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
        database = self.services.database

        def work(_context: TaskContext) -> Snapshot:
            with database.session() as session:
                kinds = {kind: messages.template(session, kind) for kind in messages.KINDS}
                return kinds, messages.sent_by_buyer(session)

        self.services.runner.run("Reading messages", work, on_done=self._show)

    def _show(self, snapshot: Snapshot) -> None:
        self.templates, by_buyer = snapshot
        self._show_template()
        self.sent.clear()
        for (_buyer_id, name), sent in by_buyer.items():
            buyer = QTreeWidgetItem([f"{name} ({len(sent)})", "", ""])
            for message in sent:
                when = message.sent_at.astimezone().strftime("%d %b %H:%M")
                auto = " (automatic)" if message.automatic else ""
                buyer.addChild(
                    QTreeWidgetItem([message.body, KIND_LABELS[message.kind] + auto, when])
                )
            self.sent.addTopLevelItem(buyer)
        self.shown.emit()

    def _show_template(self) -> None:
        row = self.templates.get(self.kind.currentData())
        if row is not None:
            self.body.setPlainText(row.body)
            self.auto.setChecked(row.auto_send)
            self.cap.setValue(row.daily_cap)

    # Acting
    def save_template(self) -> None:
        kind, body = self.kind.currentData(), self.body.toPlainText()
        auto, cap, database = self.auto.isChecked(), self.cap.value(), self.services.database

        def work(_context: TaskContext) -> None:
            with database.transaction() as session:
                messages.save_template(session, kind, body, auto, cap)

        def done(_none: None) -> None:
            self.banner.show_info(f"{KIND_LABELS[kind]} template saved.")
            self.refresh()

        self.services.runner.run(
            "Saving the template",
            work,
            on_done=done,
            on_error=lambda error: self.banner.show_error(str(error)),
            writes=True,
        )

    def suggest(self) -> None:
        sku, database = self.sku.text().strip(), self.services.database
        photos = photos_dir(self.services.data_dir)

        def work(_context: TaskContext) -> tuple[list[bundles.Suggestion], str, bool]:
            with database.transaction() as session:  # caches cover colours
                item = _item(session, sku)
                found = bundles.suggest(session, [item.id or 0], photos)
                try:
                    order = bundle_messages.latest_order_with(session, item.id or 0)
                    to = bundle_messages.recipient_of(order)
                except bundle_messages.CannotSend as refusal:
                    return found, str(refusal), False
                return found, f"Bought by {to.buyer_name} (order {order.number}).", True

        self.send_button.setEnabled(False)
        self.services.runner.run(
            "Finding what goes with it",
            work,
            on_done=self._show_suggestions,
            on_error=lambda error: self.banner.show_error(str(error)),
            writes=True,
        )

    def _show_suggestions(self, result: tuple[list[bundles.Suggestion], str, bool]) -> None:
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
        sku, database = self.sku.text().strip(), self.services.database
        photos = photos_dir(self.services.data_dir)

        def work(_context: TaskContext) -> str:
            with database.transaction() as session:
                order = bundle_messages.latest_order_with(session, _item(session, sku).id or 0)
                sent = bundle_messages.send_for_order(session, order, photos)
                return sent.buyer_name

        def done(buyer_name: str) -> None:
            self.buyer.setText(f"Queued for {buyer_name}; it goes out with the next sync.")
            self.send_button.setEnabled(False)
            self.refresh()

        def failed(error: BaseException) -> None:
            self.buyer.setText(str(error))  # inline, next to the button that was pressed

        self.services.runner.run(
            "Sending the bundle suggestion", work, on_done=done, on_error=failed, writes=True
        )


def _item(session: Session, sku: str) -> Item:
    item = session.exec(select(Item).where(Item.sku == sku)).first()
    if item is None or item.id is None:
        raise LookupError(f"No item has the SKU {sku!r}.")
    return item
