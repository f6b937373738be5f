"""List on…: the seller checks the marketplaces to list the chosen items on, sees the price
each item gets on each of them (by the seller's price rule there) and what is left after
that marketplace's fee, then queues the listings.

The prices are read once, for every connected marketplace, when the dialog opens (through
the task bridge); checking a box only shows or hides a column, so it never waits on the
database. So is what eBay still needs of each item (sync/marketplace_details.py, from what
eBay last said): an item eBay would refuse is shown with what it lacks and left off eBay,
rather than sent to fail there.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus
from studio.money import format_money
from studio.sync import marketplace_details
from studio.sync.marketplace_details import Needs
from studio.sync.pricing import MarketplaceTerms, PublishPreview, connected_terms, publish_preview
from studio.sync.publishing import publish_items
from studio.ui.dialog_buttons import action_buttons
from studio.ui.tasks import TaskContext

CHUNK = 500  # ids per query: a selection of the whole inventory stays within SQLite's limits
Index = QModelIndex | QPersistentModelIndex
NOT_CONNECTED = (
    "No marketplace is connected yet. Open the Marketplace section and choose Connect "
    "marketplace (a token from the marketplace, or a sign-in in the browser); then select "
    "these items again and choose List on…."
)
GREY, WARN = QColor("#8a8f98"), QColor("#b71c1c")
# Listing these would offer something the seller no longer has (the start of a double sale).
NOT_FOR_SALE = (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value, ItemStatus.ARCHIVED.value)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


@dataclass(frozen=True)
class ListingChoice:
    """What the dialog offers: the connected marketplaces' terms, and each chosen item on
    each of them as publishing would send it."""

    item_ids: list[int]
    terms: list[MarketplaceTerms]
    previews: list[PublishPreview]
    not_for_sale: dict[int, str]  # item id: its status (sold, shipped, archived)
    # (item id, marketplace): what eBay lacks there, for the items not ready (or not known)
    needs: dict[tuple[int, str], Needs] = field(default_factory=dict)

    def lacks(self, item_id: int, marketplace: str) -> Needs | None:
        """What the item is known to lack there, which would make the marketplace refuse it."""
        needs = self.needs.get((item_id, marketplace))
        return needs if needs is not None and needs.known else None

    def never_checked(self, marketplace: str) -> int:
        return sum(
            not needs.known
            for (item_id, name), needs in self.needs.items()
            if name == marketplace and item_id not in self.not_for_sale
        )

    @property
    def for_sale_ids(self) -> list[int]:
        """The chosen items still there (one deleted meanwhile has no preview) and for sale."""
        present = {preview.item_id for preview in self.previews}
        return [i for i in self.item_ids if i in present and i not in self.not_for_sale]


def read_choice(session: Session, item_ids: list[int], context: TaskContext) -> ListingChoice:
    """The dialog's contents; a selection of the whole inventory takes seconds, so it
    reports progress and stops on Cancel."""
    terms = connected_terms(session)
    names = [market.name for market in terms]
    detailed = set(marketplace_details.detail_accounts(session))
    previews: list[PublishPreview] = []
    not_for_sale: dict[int, str] = {}
    needs: dict[tuple[int, str], Needs] = {}
    done = 0
    for chunk in _chunks(item_ids) if names else []:
        context.check()
        previews.extend(publish_preview(session, chunk, names))
        statuses = select(Item.id, Item.status).where(
            col(Item.id).in_(chunk), col(Item.status).in_(NOT_FOR_SALE)
        )
        not_for_sale.update((item_id, status) for item_id, status in session.exec(statuses))
        items = session.exec(select(Item).where(col(Item.id).in_(chunk))).all()
        for name in (name for name in names if name in detailed):
            found = marketplace_details.needs_of_items(session, name, items)
            needs.update(((i, name), n) for i, n in found.items() if not n.ready)
        done += len(chunk)
        context.progress(done, len(item_ids))
    return ListingChoice(item_ids, terms, previews, not_for_sale, needs)


def queue_listings(
    session: Session, wanted: Mapping[str, Sequence[int]], context: TaskContext
) -> dict[str, int]:
    """Queues the items given for each marketplace, in one transaction; returns how many were
    queued on each (items already listed or queued there are left as they are)."""
    queued = dict.fromkeys(wanted, 0)
    total, done = sum(len(ids) for ids in wanted.values()), 0
    for name, item_ids in wanted.items():
        for chunk in _chunks(item_ids):
            context.check()
            queued[name] += publish_items(session, chunk, name)
            done += len(chunk)
            context.progress(done, total, f"Listing on {name}")
    return queued


def queued_words(
    queued: dict[str, int], asked: Mapping[str, int], left_off: Mapping[str, int] | None = None
) -> str:
    """'Queued 3 item(s) for poshmark and 2 for ebay (1 already listed there).'"""
    parts = []
    for number, (name, count) in enumerate(queued.items()):
        part = f"{count} item(s) for {name}" if number == 0 else f"{count} for {name}"
        notes = []
        if count < asked[name]:
            notes.append(f"{asked[name] - count} already listed there")
        if (left_off or {}).get(name):
            notes.append(f"{(left_off or {})[name]} left off: they lack what {name} needs")
        if notes:
            part += f" ({'; '.join(notes)})"
        parts.append(part)
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Queued {listed}. They go up at the next sync."


class PreviewModel(QAbstractTableModel):
    """One row per item: its list price, then per checked marketplace the price it gets
    there and what the seller keeps after the fee."""

    FIXED = ("SKU", "Title", "List price")

    def __init__(self, choice: ListingChoice, parent: Any = None) -> None:
        super().__init__(parent)
        self.choice = choice
        self.not_for_sale = choice.not_for_sale
        self.rows: list[PublishPreview] = []  # one per item, for its SKU, title and price
        self.cells: dict[tuple[int, str], PublishPreview] = {}
        for preview in choice.previews:
            if not self.rows or self.rows[-1].item_id != preview.item_id:
                self.rows.append(preview)  # publish_preview gives an item's cells together
            self.cells[preview.item_id, preview.marketplace] = preview
        self.marketplaces: list[str] = []

    def show_marketplaces(self, names: list[str]) -> None:
        self.beginResetModel()
        self.marketplaces = names
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self.marketplaces)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (*self.FIXED, *(f"On {name}" for name in self.marketplaces))
        return titles[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column < len(self.FIXED):
            if role == Qt.ItemDataRole.DisplayRole:
                return (row.sku, row.title, format_money(row.list_price_cents) or "no price")[
                    column
                ]
            return None
        cell = self.cells[row.item_id, self.marketplaces[column - len(self.FIXED)]]
        status = self.not_for_sale.get(row.item_id)
        lacks = None if cell.listed else self.choice.lacks(row.item_id, cell.marketplace)
        if role == Qt.ItemDataRole.DisplayRole:
            if status:
                return f"{status}: not listed"
            return lacks.words() if lacks is not None else self.cell_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            if status:
                return f"{cell.sku} is {status}: it is no longer yours to sell, so it is left out."
            if lacks is not None:
                return (
                    f"{cell.marketplace} would refuse {cell.sku} as it is, so it is left off "
                    f"there: open it in the editor and fill in what the eBay tab asks for."
                )
            return self.cell_tip(cell)
        if role == Qt.ItemDataRole.ForegroundRole:
            if status or cell.listed:
                return GREY
            return WARN if cell.price_cents is None or lacks is not None else None
        return None

    @staticmethod
    def cell_text(cell: PublishPreview) -> str:
        if cell.listed:
            return "already listed"
        if cell.price_cents is None:
            return "no price yet"
        return f"{format_money(cell.price_cents)} · you keep {format_money(cell.net_cents)}"

    @staticmethod
    def cell_tip(cell: PublishPreview) -> str:
        if cell.listed:
            return f"Listed on {cell.marketplace} already (or queued): nothing is sent again."
        if cell.price_cents is None:
            return f"Give {cell.sku} a price first: {cell.marketplace} refuses a listing without."
        return (
            f"{cell.marketplace} shows {format_money(cell.price_cents)} ({cell.rule}); its fee "
            f"is {format_money(cell.fee_cents)}, so a sale there leaves you "
            f"{format_money(cell.net_cents)}."
        )


class ListOnDialog(QDialog):
    """Asks where to list the chosen items; `on_list` gets, for each checked marketplace,
    the items to queue there."""

    def __init__(
        self,
        choice: ListingChoice,
        on_list: Callable[[dict[str, list[int]]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("List on marketplaces")
        self.choice = choice
        self._on_list = on_list
        # The items that can be listed: still there, and for sale.
        self.for_sale = set(choice.for_sale_ids)
        self.boxes: dict[str, QCheckBox] = {}
        self.model = PreviewModel(choice, self)
        self.table = QTableView()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        heading = QLabel()
        heading.setWordWrap(True)
        layout.addWidget(heading)
        cancel = "Cancel" if choice.terms else "Close"
        box, self.list_button = action_buttons(self, "List", self.list_checked, cancel)
        if not choice.terms:
            heading.setText(NOT_CONNECTED)
            self.list_button.hide()
            layout.addWidget(box)
            return
        heading.setText(
            f"List {len(self.for_sale)} item(s) on the marketplaces you check. Each marketplace "
            "shows the price your rule there gives; what you keep is after its fee."
            if self.for_sale
            else "None of these items is for sale (they are sold, shipped or archived), so "
            "there is nothing to list."
        )
        for market in choice.terms:
            layout.addWidget(self._box_for(market))
            layout.addWidget(self._note_for(market))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(box)
        self.resize(760, 420)
        self._checked_changed()

    def ids_for(self, name: str) -> list[int]:
        """The items to send there: for sale, and not known to lack what it needs."""
        return [i for i in self.choice.for_sale_ids if self.choice.lacks(i, name) is None]

    def _to_queue(self, name: str) -> int:
        sent = set(self.ids_for(name))
        return sum(
            not preview.listed
            for preview in self.choice.previews
            if preview.marketplace == name and preview.item_id in sent
        )

    def left_off(self, name: str) -> int:
        """Items left off there because they lack what it needs (and are not listed yet)."""
        return sum(
            not preview.listed and self.choice.lacks(preview.item_id, name) is not None
            for preview in self.choice.previews
            if preview.marketplace == name and preview.item_id in self.for_sale
        )

    def _box_for(self, market: MarketplaceTerms) -> QCheckBox:
        waiting = self._to_queue(market.name)
        listed = len(self.for_sale) - waiting
        box = QCheckBox(market.name)
        if waiting == 0:
            # Nothing to queue there. Listed already: shown checked, and fixed.
            box.setEnabled(False)
            if listed:
                box.setText(f"{market.name}: already listed there")
                box.setChecked(True)
        else:
            # With one marketplace there is nothing to pick; with several the seller picks.
            box.setChecked(len(self.choice.terms) == 1)
            if listed:
                box.setText(f"{market.name}: {listed} already listed there")
        box.toggled.connect(self._checked_changed)
        self.boxes[market.name] = box
        return box

    def _note_for(self, market: MarketplaceTerms) -> QLabel:
        note = QLabel(market.words[0].upper() + market.words[1:])
        note.setStyleSheet("color: #5f6670; margin-left: 22px;")
        return note

    def checked(self) -> list[str]:
        """The marketplaces to list on: checked, and with something to queue there."""
        return [name for name, box in self.boxes.items() if box.isChecked() and box.isEnabled()]

    def _checked_changed(self) -> None:
        shown = [name for name, box in self.boxes.items() if box.isChecked()]
        self.model.show_marketplaces(shown)
        queued = {name: self._to_queue(name) for name in self.checked()}
        total = sum(queued.values())
        self.list_button.setEnabled(total > 0)
        unpriced = sum(
            row.price_cents is None for row in self.model.rows if row.item_id in self.for_sale
        )
        if not self.checked():
            text = "Check a marketplace to list on."
        else:
            where = ", ".join(f"{count} on {name}" for name, count in queued.items())
            text = f"Queues {total} listing(s): {where}. They go up at the next sync."
        if unpriced:
            text += f" {unpriced} item(s) have no price yet: a marketplace refuses those."
        if self.choice.not_for_sale:
            text += (
                f" {len(self.choice.not_for_sale)} item(s) are sold, shipped or archived: "
                "they are left out."
            )
        for name in shown:
            if self.left_off(name):
                text += (
                    f" {self.left_off(name)} item(s) lack what {name} needs (in red): they are "
                    "left off it until you fill that in the item editor."
                )
            if self.choice.never_checked(name):
                text += (
                    f" {self.choice.never_checked(name)} item(s) were never checked with "
                    f"{name}: open one in the editor to see what it needs, or {name} may "
                    "refuse it."
                )
        self.summary.setText(text)
        self.list_button.setText(f"List {total}" if total else "List")

    def list_checked(self) -> None:
        names = self.checked()
        if names:
            self.accept()
            self._on_list({name: self.ids_for(name) for name in names})
