"""The Shows section: plan a show, drag items from the inventory into its line-up, reorder
them, plan each one's opening price, floor and talking points, print the run sheet, and
start the show (show mode)."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, select

from studio.inventory.queries import ItemQuery, ItemRow, fetch_rows, search_ids
from studio.inventory.tables import ItemStatus
from studio.money import MoneyError, format_money, parse_money, to_cents
from studio.printing.documents import Documents
from studio.printing.page import Page
from studio.shows import service as shows
from studio.shows.service import LineupRow, ShowSummary, ShowView
from studio.shows.tables import Show, ShowItem
from studio.storage.changes import Changes
from studio.sync.tables import MarketplaceAccount
from studio.ui.banner import Banner
from studio.ui.live_read import LiveRead
from studio.ui.orders.print_jobs import PrintJobs
from studio.ui.services import Services
from studio.ui.shows.lineup_list import ID_ROLE, ItemPicker, LineupList
from studio.ui.shows.show_mode import ShowMode

PICKER_LIMIT = 200
FOR_SALE = (ItemStatus.LISTED.value, ItemStatus.READY.value)
SHOW_TABLES = (Show.__tablename__, ShowItem.__tablename__)
HASH_ROLE = ID_ROLE + 1  # the cover's file hash, to put its picture in once it has loaded


def _find_items(text: str, exclude: frozenset[int]) -> Callable[[Session], list[ItemRow]]:
    def read(session: Session) -> list[ItemRow]:
        query = ItemQuery(
            text=text, statuses=FOR_SALE, exclude_ids=exclude, sort="sku", descending=False
        )
        ids = search_ids(session, query)[:PICKER_LIMIT]
        rows = fetch_rows(session, ids)
        return [rows[item_id] for item_id in ids if item_id in rows]

    return read


def _shows_and_accounts(session: Session) -> tuple[list[ShowSummary], list[str]]:
    accounts = session.exec(select(MarketplaceAccount.name).order_by(MarketplaceAccount.name))
    return shows.list_shows(session), list(accounts)


def _price_text(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


class ShowsSection(QWidget):
    shown = Signal()  # the line-up on screen is current

    def __init__(
        self,
        services: Services,
        inventory_selection: Callable[[], list[int]] = list,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.inventory_selection = inventory_selection
        self.show_id: int | None = None
        self.view: ShowView | None = None
        self.show_mode: ShowMode | None = None
        self._editing: tuple[object, ...] | None = None  # the plan the editor was filled from
        self.banner = Banner()
        self.jobs = PrintJobs(services, self.banner, self)

        self.show_choice = QComboBox()
        self.show_choice.setMinimumWidth(340)
        self.show_choice.currentIndexChanged.connect(self._choose_show)
        self.new_title = QLineEdit(placeholderText="New show's title, e.g. Sunday denim")
        self.new_when = QDateTimeEdit(calendarPopup=True, displayFormat="ddd d MMM yyyy HH:mm")
        tomorrow = QDateTime.currentDateTime().addDays(1)
        self.new_when.setDateTime(QDateTime(tomorrow.date(), QTime(19, 0)))
        self.host_on = QComboBox()
        self.host_on.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.host_on.setToolTip(
            "Where buyers watch and buy on air; sales made elsewhere are recorded in show mode"
        )
        plan = QPushButton("Plan show")
        plan.clicked.connect(self.plan_show)
        self.new_title.returnPressed.connect(self.plan_show)
        self.print_button = QPushButton("Print run sheet…")
        self.print_button.clicked.connect(self.print_run_sheet)
        self.start_button = QPushButton("Start show ▶")
        self.start_button.setStyleSheet("font-weight: bold;")
        self.start_button.clicked.connect(lambda: self.start_show())
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.show_choice, 1)
        top.addSpacing(16)
        top.addWidget(self.print_button)
        top.addWidget(self.start_button)
        planning = QHBoxLayout()
        planning.addWidget(QLabel("New show"))
        planning.addWidget(self.new_title, 1)
        planning.addWidget(self.new_when)
        planning.addWidget(self.host_on)
        planning.addWidget(plan)

        self.search = QLineEdit(placeholderText="Find items for sale: brand, title, SKU…")
        self.search.textChanged.connect(lambda _text: self.picks.refresh())
        self.picker = ItemPicker()
        self.picker.chosen.connect(lambda ids: self.add_to_show(ids))
        add = QPushButton("Add to the line-up →")
        add.clicked.connect(lambda: self.add_to_show(self.picker.selected_item_ids()))
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>From the inventory</b> — drag into the line-up"))
        left.addWidget(self.search)
        left.addWidget(self.picker, 1)
        self.from_inventory = QPushButton("Add the items selected in Inventory")
        self.from_inventory.clicked.connect(lambda: self.add_to_show(self.inventory_selection()))
        adding = QHBoxLayout()
        adding.addWidget(add)
        adding.addWidget(self.from_inventory)
        left.addLayout(adding)

        self.lineup = LineupList()
        self.lineup.dropped.connect(self.add_to_show)
        self.lineup.moved.connect(self.move)
        self.lineup.delete_pressed.connect(self.remove_selected)
        self.lineup.itemSelectionChanged.connect(self._edit_selected)
        self.lineup_heading = QLabel("<b>Line-up</b>")
        remove = QPushButton("Remove from the show")
        remove.clicked.connect(self.remove_selected)
        middle = QVBoxLayout()
        middle.addWidget(self.lineup_heading)
        middle.addWidget(self.lineup, 1)
        hint = QLabel("Drag to reorder (or Alt+Up / Alt+Down); Delete takes one out.")
        hint.setStyleSheet("color: #6b7280;")
        middle.addWidget(hint)
        middle.addWidget(remove)

        self.editing = QLabel("Choose an item in the line-up.")
        self.editing.setWordWrap(True)
        self.opening = QLineEdit(placeholderText="e.g. 25.00")
        self.floor = QLineEdit(placeholderText="the least you take on air")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What to say about it on air")
        save = QPushButton("Save")
        save.clicked.connect(self.save_plan)
        form = QFormLayout()
        form.addRow("Opening price", self.opening)
        form.addRow("Floor", self.floor)
        right = QVBoxLayout()
        right.addWidget(self.editing)
        right.addLayout(form)
        right.addWidget(QLabel("Talking points"))
        right.addWidget(self.notes, 1)
        right.addWidget(save)

        splitter = QSplitter()
        for part in (left, middle, right):
            holder = QWidget()
            holder.setLayout(part)
            splitter.addWidget(holder)
        splitter.setSizes([380, 460, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(planning)
        layout.addWidget(splitter, 1)

        failed = self._failed
        self.shows_read = LiveRead(
            services,
            "Reading the shows",
            lambda: _shows_and_accounts,
            self._show_list,
            lambda changes: changes.touches(*SHOW_TABLES, MarketplaceAccount.__tablename__),
            lambda error: failed(error),
            self,
        )
        self.lineup_read = LiveRead(
            services,
            "Reading the line-up",
            self._lineup_reader,
            self._show_lineup,
            self._lineup_affected,
            lambda error: failed(error),
            self,
        )
        self.picks = LiveRead(
            services,
            "Finding items",
            lambda: _find_items(self.search.text(), self._in_show()),
            self._show_picks,
            lambda changes: changes.touches("item", *SHOW_TABLES),
            lambda error: failed(error),
            self,
        )
        services.thumbnails.ready.connect(self._thumbnail_ready)
        self.shows_read.refresh()
        self.picks.refresh()

    # Reading
    def _in_show(self) -> frozenset[int]:
        return frozenset(row.item_id for row in self.view.rows) if self.view else frozenset()

    def _lineup_reader(self) -> Callable[[Session], ShowView | None]:
        show_id = self.show_id
        return lambda session: None if show_id is None else shows.lineup(session, show_id)

    def _lineup_affected(self, changes: Changes) -> bool:
        shown = self._in_show()
        return changes.touches(*SHOW_TABLES) or not changes.items.isdisjoint(shown)

    def _show_list(self, read: tuple[list[ShowSummary], list[str]]) -> None:
        summaries, accounts = read
        chosen_host = self.host_on.currentData()
        self.host_on.clear()
        self.host_on.addItem("not on a marketplace", "")
        for name in accounts:
            self.host_on.addItem(f"live on {name}", name)
        self.host_on.setCurrentIndex(max(0, self.host_on.findData(chosen_host)))
        self.show_choice.blockSignals(True)
        self.show_choice.clear()
        for s in summaries:
            when = s.starts_at.astimezone()
            where = f" on {s.marketplace}" if s.marketplace else ""
            self.show_choice.addItem(f"{when:%a %d %b %H:%M} — {s.title} ({s.status}{where})", s.id)
        chosen = self.show_id if self.show_id in [s.id for s in summaries] else None
        if chosen is None and summaries:
            upcoming = [s for s in summaries if s.status != "ended"]
            chosen = (upcoming[-1] if upcoming else summaries[0]).id
        if chosen is not None:
            self.show_choice.setCurrentIndex(self.show_choice.findData(chosen))
        self.show_choice.blockSignals(False)
        self._choose_show()

    def _choose_show(self) -> None:
        chosen = self.show_choice.currentData()
        if chosen != self.show_id or self.view is None:
            self.show_id = chosen
            self.lineup_read.refresh()

    def _show_lineup(self, view: ShowView | None) -> None:
        if view is not None and view.id != self.show_id:
            return  # a read for the show chosen before
        self.view = view
        chosen = self.lineup.selected_item_id()
        self.lineup.blockSignals(True)
        self.lineup.clear()
        for row in view.rows if view else ():
            self.lineup.addItem(self._lineup_item(row))
            if row.item_id == chosen:
                self.lineup.item(self.lineup.count() - 1).setSelected(True)
        if chosen is None and self.lineup.count():
            self.lineup.item(0).setSelected(True)  # a plan to look at rather than an empty form
        self.lineup.blockSignals(False)
        if view is None:
            self.lineup_heading.setText("<b>Line-up</b> — plan a show first")
        else:
            total = sum(row.opening_cents or 0 for row in view.rows)
            self.lineup_heading.setText(
                f"<b>Line-up</b> — {len(view.rows)} items, {format_money(total) or '$0.00'} "
                "at the opening prices"
            )
        self.start_button.setEnabled(bool(view and view.rows and view.status != "ended"))
        self.print_button.setEnabled(bool(view and view.rows))
        self._edit_selected()
        self.picks.refresh()
        self.shown.emit()

    def _lineup_item(self, row: LineupRow) -> QListWidgetItem:
        details = " · ".join(
            part
            for part in (
                f"size {row.size}" if row.size else "",
                f"bin {row.bin_location}" if row.bin_location else "",
                f"opens {format_money(row.opening_cents)}" if row.opening_cents else "",
                f"floor {format_money(row.floor_cents)}" if row.floor_cents else "",
                f"SOLD to {row.sold_to}" if row.sold_to else ("sold" if row.sold else ""),
            )
            if part
        )
        item = QListWidgetItem(
            self.services.thumbnails.pixmap(row.cover_hash),
            f"{row.position}. {row.sku}  {row.title}\n{details}",
        )
        item.setData(ID_ROLE, row.item_id)
        item.setData(HASH_ROLE, row.cover_hash)
        return item

    def _show_picks(self, rows: list[ItemRow]) -> None:
        self.picker.clear()
        for row in rows:
            text = (
                f"{row.sku}  {row.title}\n{row.size or '—'} · {format_money(row.list_price_cents)}"
            )
            item = QListWidgetItem(self.services.thumbnails.pixmap(row.cover_hash), text)
            item.setData(ID_ROLE, row.id)
            item.setData(HASH_ROLE, row.cover_hash)
            self.picker.addItem(item)

    def _thumbnail_ready(self, file_hash: str) -> None:
        for rows in (self.picker, self.lineup):
            for row in range(rows.count()):
                item = rows.item(row)
                if item.data(HASH_ROLE) == file_hash:
                    item.setIcon(self.services.thumbnails.pixmap(file_hash))

    def _selected_row(self) -> LineupRow | None:
        chosen = self.lineup.selected_item_id()
        rows = self.view.rows if self.view else ()
        return next((row for row in rows if row.item_id == chosen), None)

    def _edit_selected(self) -> None:
        """Fills the plan editor from the chosen row, unless it already shows that row's plan
        as saved: a sync touching the item must not wipe what the seller is typing."""
        row = self._selected_row()
        plan = (
            None
            if row is None
            else (row.id, row.opening_cents, row.floor_cents, row.talking_points)
        )
        if plan == self._editing and row is not None:
            return
        self._editing = plan
        self.editing.setText(
            f"<b>{row.position}. {row.sku}</b> {row.title}"
            if row
            else "Choose an item in the line-up."
        )
        self.opening.setText(_price_text(row.opening_cents) if row else "")
        self.floor.setText(_price_text(row.floor_cents) if row else "")
        self.notes.setPlainText(row.talking_points if row else "")

    # Writing
    def _write(self, label: str, change: Callable[[Session], object], done: str = "") -> None:
        on_done = (lambda _result: self.banner.show_info(done)) if done else None
        self.services.runner.write(label, change, on_done=on_done, on_error=self._failed)

    def plan_show(self) -> None:
        title = self.new_title.text()
        starts = self.new_when.dateTime().toPython().astimezone()
        host = self.host_on.currentData() or ""

        def change(session: Session) -> int:
            return shows.create_show(session, title, starts, host).id or 0

        def done(show_id: int) -> None:
            self.show_id = show_id
            self.view = None
            self.new_title.clear()
            self.banner.show_info(
                f"Planned {' '.join(title.split())}. Drag items from the left into its line-up."
            )

        self.services.runner.write("Planning a show", change, on_done=done, on_error=self._failed)

    def add_to_show(self, item_ids: list[int], index: int | None = None) -> None:
        show_id = self.show_id
        if show_id is None:
            self.banner.show_error("Plan a show first (its title and time, above), then add items.")
            return
        if not item_ids:
            self.banner.show_error("Choose items on the left first.")
            return
        self._write(
            "Adding to the show",
            lambda session: shows.add_items(session, show_id, item_ids, index),
        )

    def move(self, item_id: int, index: int) -> None:
        show_id = self.show_id
        if show_id is not None:
            self._write(
                "Reordering the show",
                lambda session: shows.move_item(session, show_id, item_id, index),
            )

    def remove_selected(self) -> None:
        row, show_id = self._selected_row(), self.show_id
        if row is None or show_id is None:
            self.banner.show_error("Choose an item in the line-up first.")
            return
        self._write(
            "Removing from the show",
            lambda session: shows.remove_item(session, show_id, row.item_id),
            f"Took {row.sku} out of the show; it stays listed.",
        )

    def save_plan(self) -> None:
        row = self._selected_row()
        if row is None:
            self.banner.show_error("Choose an item in the line-up first.")
            return
        try:
            opening = (
                to_cents(parse_money(self.opening.text())) if self.opening.text().strip() else None
            )
            floor = to_cents(parse_money(self.floor.text())) if self.floor.text().strip() else None
        except MoneyError as error:
            self.banner.show_error(str(error))
            return
        notes = self.notes.toPlainText().strip()
        self._write(
            "Saving the plan",
            lambda session: shows.plan_item(session, row.id, opening, floor, notes),
            f"Saved {row.sku}'s plan.",
        )

    # Printing and going live
    def _run_sheet_pages(self) -> Callable[[Session, Documents], list[Page]] | None:
        show_id = self.show_id
        if show_id is None or not (self.view and self.view.rows):
            self.banner.show_error("Add items to the show first; the run sheet lists them.")
            return None
        return lambda session, documents: documents.run_sheet(shows.lineup(session, show_id))

    def print_run_sheet(self) -> None:
        pages_of = self._run_sheet_pages()
        if pages_of is not None:
            self.jobs.preview_pages(pages_of)

    def save_run_sheet(self, pdf: Path | None = None) -> None:
        if pdf is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, "Save the run sheet", "", "PDF (*.pdf)"
            )
            if not path:
                return
            pdf = Path(path)
        pages_of = self._run_sheet_pages()
        if pages_of is not None:
            self.jobs.save_pages("Run sheet", pages_of, pdf)

    def start_show(self, full_screen: bool = True) -> ShowMode | None:
        if self.show_id is None or not (self.view and self.view.rows):
            self.banner.show_error("Add items to the show first.")
            return None
        self.show_mode = ShowMode(self.services, self.show_id)
        if full_screen:
            self.show_mode.showFullScreen()
        else:
            self.show_mode.show()
        return self.show_mode

    def _failed(self, error: BaseException) -> None:
        self.banner.show_error(str(error))
