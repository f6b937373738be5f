"""Show mode: the window the host keeps in view on air. The current item large (cover, title,
size, price, floor, talking points), the keyboard to move through the line-up and change the
price, "sold to BUYER at PRICE" in a few keystrokes, and after the show what sold and one
action for what did not.

Keys: → or Space next, ← previous; Up/Down change the price by 1.00; + or − then a digit by
that many (0 is 10), so "−5" takes 5.00 off; S records a sale (type the buyer, Tab, the price
is filled in, Enter); Esc twice ends the show."""

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.imaging.store import PhotoStore
from studio.money import MoneyError, format_money, parse_money, to_cents
from studio.shows import after_show, hosting
from studio.shows import service as shows
from studio.shows.service import LineupRow, Sale, ShowView
from studio.shows.tables import Show, ShowItem
from studio.storage.changes import Changes
from studio.storage.credentials import CredentialStore
from studio.storage.database import Database
from studio.storage.paths import photos_dir
from studio.ui.live_read import LiveRead
from studio.ui.services import Services
from studio.ui.thumbnails import ThumbnailCache

COVER = QSize(560, 560)
END_AGAIN_MS = 3000
NUDGE_KEYS = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Minus: -1}
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n or 10 for n in range(10)}
HINT = (
    "→ / Space next   ← previous   ↑ ↓ price ±1   + or − then a digit: price ± that much   "
    "S sold   Esc Esc end the show"
)


def _label(size: int, bold: bool = False, colour: str = "#111827", text: str = "") -> QLabel:
    label = QLabel(text)
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    label.setStyleSheet(f"color: {colour};")
    label.setWordWrap(True)
    return label


class ShowMode(QWidget):
    shown = Signal()  # what is on screen is current
    message = Signal(str)  # what the host was just told, for the status line and tests

    def __init__(self, services: Services, show_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.show_id = show_id
        self.view: ShowView | None = None
        self.index = 0
        self._sign = 0  # +1 or -1 after + or −, waiting for its digit
        self._end_armed = False
        self.setWindowTitle("Show mode")
        self.setStyleSheet("background: white;")
        self.covers = ThumbnailCache(
            services.runner, PhotoStore(photos_dir(services.data_dir)).original, self, COVER
        )
        self.covers.ready.connect(lambda _hash: self._paint_current())

        self.heading = _label(14, colour="#4b5563")
        self.cover = QLabel()
        self.cover.setFixedSize(COVER)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.item_title = _label(30, bold=True)
        self.details = _label(18, colour="#374151")
        self.price = _label(64, bold=True, colour="#047857")
        self.floor = _label(16, colour="#6b7280")
        self.sold = _label(28, bold=True, colour="#b45309")
        self.notes = _label(17)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        info = QVBoxLayout()
        for widget in (self.item_title, self.details, self.price, self.floor, self.sold):
            info.addWidget(widget)
        info.addSpacing(12)
        info.addWidget(self.notes, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        middle.addSpacing(28)
        middle.addLayout(info, 1)

        self.buyer = QLineEdit(placeholderText="buyer")
        self.sale_price = QLineEdit()
        self.sale_price.setMaximumWidth(140)
        record = QPushButton("Record sale")
        record.clicked.connect(self.record_sale)
        for field in (self.buyer, self.sale_price):
            field.returnPressed.connect(self.record_sale)
            field.setFont(QFont(field.font().family(), 16))
        self.sale_bar = QWidget()
        self.sale_bar.setStyleSheet("background: #fef3c7;")
        bar = QHBoxLayout(self.sale_bar)
        bar.addWidget(_label(16, bold=True, text="Sold to"))
        bar.addWidget(self.buyer, 1)
        bar.addWidget(_label(16, bold=True, text="at"))
        bar.addWidget(self.sale_price)
        bar.addWidget(record)
        self.sale_bar.hide()

        self.status = _label(13, colour="#1f2937")
        hint = _label(11, colour="#6b7280", text=HINT)
        end = QPushButton("End the show")
        end.clicked.connect(self.end_show)
        end.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(end)

        live = QWidget()
        live_layout = QVBoxLayout(live)
        live_layout.setContentsMargins(36, 24, 36, 18)
        live_layout.addWidget(self.heading)
        live_layout.addLayout(middle, 1)
        live_layout.addWidget(self.sale_bar)
        live_layout.addWidget(self.status)
        live_layout.addLayout(bottom)

        self.summary = AfterShow(self)
        self.pages = QStackedWidget()
        self.pages.addWidget(live)
        self.pages.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message.connect(self.status.setText)

        self.reads = LiveRead(
            services,
            "Reading the show",
            lambda: lambda session: shows.lineup(session, show_id),
            self._show,
            self._affected,
            lambda error: self.message.emit(f"Reading the show failed: {error}"),
            self,
        )
        services.runner.write(
            "Starting the show",
            lambda session: shows.start_show(session, show_id) and None,
            on_done=lambda _r: self._on_marketplace("Going live", hosting.go_live),
            on_error=self._failed,
        )

    def _on_marketplace(
        self, label: str, step: Callable[[Database, CredentialStore, int], str]
    ) -> None:
        """Starts or ends the show where it is hosted (HTTP, off the UI thread)."""
        database, credentials, show_id = (
            self.services.database,
            self.services.credentials,
            self.show_id,
        )
        self.services.runner.run(
            label,
            lambda _context: step(database, credentials, show_id),
            on_done=lambda said: said and self.message.emit(said),
            on_error=lambda error: self.message.emit(f"{label} on the marketplace failed: {error}"),
        )

    # Reading
    def _affected(self, changes: Changes) -> bool:
        if changes.touches(Show.__tablename__, ShowItem.__tablename__):
            return True
        shown = {row.item_id for row in self.view.rows} if self.view else set()
        return not changes.items.isdisjoint(shown)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()
        self.reads.refresh()

    def _show(self, view: ShowView) -> None:
        self.view = view
        self.index = min(self.index, max(0, len(view.rows) - 1))
        self._paint_current()
        if self.pages.currentWidget() is self.summary:
            self.summary.fill(view)
        self.shown.emit()

    @property
    def current(self) -> LineupRow | None:
        if not self.view or not self.view.rows:
            return None
        return self.view.rows[self.index]

    def _paint_current(self) -> None:
        row, view = self.current, self.view
        if row is None or view is None:
            self.heading.setText("This show has no items.")
            return
        following = view.rows[self.index + 1].title if self.index + 1 < len(view.rows) else ""
        self.heading.setText(
            f"{view.title} · item {row.position} of {len(view.rows)} · "
            f"{len(view.sold)} sold, {format_money(view.revenue_cents) or '$0.00'}"
            + (f" · up next: {following}" if following else " · the last item")
        )
        pixmap = self.covers.pixmap(row.cover_hash)
        self.cover.setPixmap(
            pixmap.scaled(
                COVER,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.item_title.setText(f"{row.title}")
        self.details.setText(
            " · ".join(
                p
                for p in (
                    row.sku,
                    f"size {row.size}" if row.size else "",
                    row.brand,
                    f"bin {row.bin_location}" if row.bin_location else "",
                )
                if p
            )
        )
        self.price.setText(format_money(row.opening_cents) or "no price")
        self.floor.setText(
            f"floor {format_money(row.floor_cents)}" if row.floor_cents else "no floor"
        )
        low = row.floor_cents is not None and (row.opening_cents or 0) < row.floor_cents
        self.price.setStyleSheet(f"color: {'#b91c1c' if low else '#047857'};")
        if row.sold_cents is not None:
            self.sold.setText(f"SOLD to {row.sold_to} at {format_money(row.sold_cents)}")
        elif row.sold:
            self.sold.setText(f"SOLD ({row.item_status})")
        else:
            self.sold.setText("")
        self.notes.setText(row.talking_points)

    # Keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if self.pages.currentWidget() is self.summary:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Escape:
            self._escape()
            return
        self._end_armed = False
        if self.sale_bar.isVisible():
            super().keyPressEvent(event)
            return
        if self._sign and key in DIGITS:
            self.change_price(self._sign * DIGITS[key] * 100)
            self._sign = 0
            return
        self._sign = NUDGE_KEYS.get(key, 0)
        if self._sign:
            self.message.emit(f"Price {'up' if self._sign > 0 else 'down'} by… (a digit, 0 for 10)")
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
            self.go(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp):
            self.go(-1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.change_price(100 if key == Qt.Key.Key_Up else -100)
        elif key == Qt.Key.Key_S:
            self.open_sale()
        else:
            super().keyPressEvent(event)

    def _escape(self) -> None:
        if self.sale_bar.isVisible():
            self.sale_bar.hide()
            self.setFocus()
            self.message.emit("Sale not recorded.")
        elif self._end_armed:
            self.end_show()
        else:
            self._end_armed = True
            self.message.emit("Press Esc again to end the show.")
            QTimer.singleShot(END_AGAIN_MS, lambda: setattr(self, "_end_armed", False))

    def go(self, step: int) -> None:
        if self.view and self.view.rows:
            self.index = max(0, min(self.index + step, len(self.view.rows) - 1))
            self._paint_current()

    # Writing
    def change_price(self, cents: int) -> None:
        row = self.current
        if row is None or row.sold:
            self.message.emit("It has sold; its price stays.")
            return
        price = (row.opening_cents or row.list_price_cents or 0) + cents
        if price <= 0:
            self.message.emit("The price cannot go below zero.")
            return
        warning = (
            f" — below its floor {format_money(row.floor_cents)}"
            if row.floor_cents is not None and price < row.floor_cents
            else ""
        )
        said = f"{row.sku} now {format_money(price)}{warning}"
        where = self.view.marketplace if self.view else ""

        def done(_result: object) -> None:
            self.message.emit(said)
            if where:
                database, credentials = self.services.database, self.services.credentials
                self.services.runner.run(
                    "Changing the price on air",
                    lambda _context: hosting.price_there(database, credentials, row.id),
                    on_done=lambda there: there and self.message.emit(f"{said}. {there}"),
                    on_error=lambda error: self.message.emit(
                        f"{said}, but the new price did not reach {where}: {error}"
                    ),
                )

        self.services.runner.write(
            "Changing the price",
            lambda session: shows.set_price(session, row.id, price) and None,
            on_done=done,
            on_error=self._failed,
        )

    def open_sale(self) -> None:
        row = self.current
        if row is None or row.sold:
            self.message.emit("It has sold already; → for the next item.")
            return
        self.buyer.clear()
        self.sale_price.setText(f"{(row.opening_cents or 0) / 100:.2f}")
        self.sale_bar.show()
        self.buyer.setFocus()

    def record_sale(self) -> None:
        row = self.current
        if row is None:
            return
        buyer = self.buyer.text()
        try:
            price = to_cents(parse_money(self.sale_price.text())) or 0
        except MoneyError as error:
            self.message.emit(str(error))
            return
        if not buyer.strip():
            self.message.emit("Type the buyer's name or username first.")
            self.buyer.setFocus()
            return

        def done(sale: Sale) -> None:
            self.sale_bar.hide()
            self.setFocus()
            where = ", ".join(sale.delisting_on) or "no marketplace (it was not listed)"
            self.message.emit(
                f"Sold {sale.sku} to {sale.buyer} at {format_money(sale.price_cents)}: order "
                f"{sale.order_number} to ship; delisting on {where}."
            )

        self.services.runner.write(
            "Recording the sale",
            lambda session: shows.record_sale(session, row.id, buyer, price),
            on_done=done,
            on_error=self._failed,
        )

    def end_show(self) -> None:
        show_id = self.show_id

        def done(_result: object) -> None:
            self._on_marketplace("Ending the show", hosting.end_there)
            if self.view is not None:
                self.summary.fill(self.view)
            self.pages.setCurrentWidget(self.summary)
            self.reads.refresh()

        self.services.runner.write(
            "Ending the show",
            lambda session: shows.end_show(session, show_id) and None,
            on_done=done,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.message.emit(str(error))


class AfterShow(QWidget):
    """What sold, the revenue, what did not, and one action for what did not."""

    def __init__(self, show_mode: ShowMode) -> None:
        super().__init__()
        self.show_mode = show_mode
        self.headline = _label(28, bold=True)
        self.figures = _label(18, colour="#374151")
        self.sold = QListWidget()
        self.sold.setMaximumHeight(160)
        self.unsold = QListWidget()
        self.percent = QSpinBox(minimum=5, maximum=50, value=15, suffix=" % off")
        self.offer = QPushButton("Offer the unsold to their likers")
        self.offer.clicked.connect(self.offer_to_likers)
        self.drop_percent = QSpinBox(minimum=1, maximum=50, value=10, suffix=" %")
        self.drop_days = QSpinBox(minimum=1, maximum=90, value=7, suffix=" days")
        self.drops = QPushButton("Schedule price drops")
        self.drops.clicked.connect(self.schedule_drops)
        self.outcome = _label(14, colour="#1f2937")
        close = QPushButton("Close")
        close.clicked.connect(show_mode.close)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.offer)
        offer_row.addWidget(self.percent)
        offer_row.addStretch(1)
        drop_row = QHBoxLayout()
        drop_row.addWidget(self.drops)
        for text, widget in (("of", self.drop_percent), ("every", self.drop_days)):
            drop_row.addWidget(QLabel(text))
            drop_row.addWidget(widget)
        drop_row.addWidget(QLabel("down to each floor"))
        drop_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 24)
        layout.addWidget(self.headline)
        layout.addWidget(self.figures)
        layout.addWidget(QLabel("Sold (orders to ship, in Orders):"))
        layout.addWidget(self.sold)
        layout.addWidget(QLabel("Unsold (still listed):"))
        layout.addWidget(self.unsold, 1)
        layout.addLayout(offer_row)
        layout.addLayout(drop_row)
        layout.addWidget(self.outcome)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def fill(self, view: ShowView) -> None:
        self.headline.setText(f"{view.title} is over")
        elsewhere = len(view.rows) - len(view.sold) - len(view.unsold)
        self.figures.setText(
            f"{len(view.sold)} sold · {format_money(view.revenue_cents) or '$0.00'} revenue · "
            f"{len(view.unsold)} unsold"
            + (f" · {elsewhere} sold elsewhere meanwhile" if elsewhere else "")
        )
        self.sold.clear()
        for row in view.sold:
            self.sold.addItem(
                f"{row.sku}  {row.title}  to {row.sold_to} at {format_money(row.sold_cents)}"
            )
        self.unsold.clear()
        for row in view.unsold:
            self.unsold.addItem(f"{row.sku}  {row.title}  {format_money(row.opening_cents)}")
        for button in (self.offer, self.drops):
            button.setEnabled(bool(view.unsold))

    def _act(self, label: str, change: Callable[[Session], after_show.Outcome], what: str) -> None:
        self.show_mode.services.runner.write(
            label,
            change,
            on_done=lambda outcome: self.outcome.setText(f"{what}: {outcome.words}."),
            on_error=lambda error: self.outcome.setText(str(error)),
        )

    def offer_to_likers(self) -> None:
        show_id, percent = self.show_mode.show_id, Decimal(self.percent.value())

        def change(session: Session) -> after_show.Outcome:
            return after_show.offer_unsold_to_likers(session, show_id, percent)

        self._act("Offering to likers", change, "Offers to likers")

    def schedule_drops(self) -> None:
        show_id = self.show_mode.show_id
        percent, days = self.drop_percent.value(), self.drop_days.value()

        def change(session: Session) -> after_show.Outcome:
            return after_show.schedule_price_drops(session, show_id, percent, days)

        self._act("Scheduling price drops", change, "Price drops")
