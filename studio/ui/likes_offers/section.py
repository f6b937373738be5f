"""The Likes & Offers section: what buyers want and acting on it in a few clicks.

Listings ranked by likes (or recent like activity) with who liked them and when; buyers'
offers with accept, decline and counter; smart offer suggestions; scheduled offers to
likers with Cancel; the offer rule and the log of automatic actions. Offers to likers open a
dialog that shows the net before sending.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.inventory.tables import utc_now
from studio.money import format_money, to_cents
from studio.seller_tools.likes import LikedListing, ranked_listings
from studio.seller_tools.offers import OfferView, answer_offer, incoming_offers
from studio.seller_tools.scheduled_offers import ScheduleView, cancel_schedule, schedules
from studio.seller_tools.smart_offers import SmartOffer, suggest
from studio.seller_tools.tables import LikersOffer, ScheduledOffer
from studio.storage.changes import Changes
from studio.sync.tables import Like, Offer
from studio.ui.banner import Banner
from studio.ui.confirm import confirm
from studio.ui.likes_offers.likers_dialog import LikersOfferDialog
from studio.ui.likes_offers.rules_panel import RulesPanel
from studio.ui.live_read import LiveRead
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

Snapshot = tuple[list[LikedListing], list[OfferView], list[SmartOffer], list[ScheduleView]]
# What buyers did and what the studio offered them; the items shown count too (their titles,
# prices and floors, and the answers queued for their offers).
SHOWN_TABLES = tuple(table.__tablename__ for table in (Like, Offer, LikersOffer, ScheduledOffer))


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%d %b %H:%M") if moment else ""


class LikesOffersSection(QWidget):
    shown = Signal()  # a refresh has reached the tables

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = Banner()
        self.listings: list[LikedListing] = []
        self.offers: list[OfferView] = []
        self.smart: list[SmartOffer] = []
        self.scheduled: list[ScheduleView] = []
        self.dialog: LikersOfferDialog | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._likes_tab(), "Most liked")
        self.tabs.addTab(self._offers_tab(), "Offers")
        self.tabs.addTab(self._smart_tab(), "Smart offers")
        self.tabs.addTab(self._scheduled_tab(), "Scheduled offers")
        self.rules = RulesPanel(services)
        self.rules.saved.connect(self.banner.show_info)
        self.rules.failed.connect(self.banner.show_error)
        self.tabs.addTab(self.rules, "Rules && log")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.reads = LiveRead(
            services,
            "Reading likes and offers",
            self._reader,
            self._show,
            self._affected,
            lambda error: self.banner.show_error(f"Reading likes and offers failed: {error}"),
            self,
        )
        self.refresh()

    # Tabs
    def _likes_tab(self) -> QWidget:
        self.rank_by = QComboBox()
        self.rank_by.addItem("Most likes", "likes")
        self.rank_by.addItem("Most recent like activity", "recent")
        self.rank_by.currentIndexChanged.connect(self.refresh)
        self.likes_table = ReadOnlyTable(["Listing", "Price", "Likes", "This week", "Last like"])
        self.likers = QListWidget()
        self.likes_table.itemSelectionChanged.connect(self._liked_chosen)
        offer = QPushButton("Offer to likers…")
        offer.clicked.connect(lambda: self.offer_to_likers(self._selected_liked()))
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Rank by"))
        tools.addWidget(self.rank_by)
        tools.addStretch(1)
        tools.addWidget(offer)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("<b>Who liked it, and when</b>"))
        right_layout.addWidget(self.likers)
        splitter = QSplitter()
        splitter.addWidget(self.likes_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        return _page(tools, splitter)

    def _offers_tab(self) -> QWidget:
        self.offers_table = ReadOnlyTable(
            ["Listing", "Buyer", "Offer", "You keep", "Price", "Floor", "Received", "Answer"]
        )
        self.counter_amount = QDoubleSpinBox(minimum=0.01, maximum=100_000, decimals=2)
        self.counter_amount.setPrefix("$")
        tools = QHBoxLayout()
        for text, action in (("Accept", "accept"), ("Decline", "decline")):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, a=action: self.answer(a))
            tools.addWidget(button)
        tools.addSpacing(16)
        counter = QPushButton("Counter at")
        counter.clicked.connect(lambda: self.answer("counter"))
        tools.addWidget(counter)
        tools.addWidget(self.counter_amount)
        tools.addStretch(1)
        self.offers_table.itemSelectionChanged.connect(self._offer_chosen)
        return _page(tools, self.offers_table)

    def _smart_tab(self) -> QWidget:
        self.smart_table = ReadOnlyTable(
            ["Listing", "Likes", "Price", "Offer", "You keep", "Why"], 5
        )
        send = QPushButton("Offer to likers…")
        send.clicked.connect(self._offer_smart)
        tools = _hint_bar(
            "Listings worth an offer today: many likes, no sale, no recent offer", send
        )
        return _page(tools, self.smart_table)

    def _scheduled_tab(self) -> QWidget:
        self.scheduled_table = ReadOnlyTable(["Listing", "Offer", "Sent", "Next"], 1)
        cancel = QPushButton("Cancel schedule")
        cancel.clicked.connect(self.cancel_scheduled)
        tools = _hint_bar(
            "Offers that repeat on their own; never below the floor, stopped by a sale", cancel
        )
        return _page(tools, self.scheduled_table)

    # Reading
    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], Snapshot]:
        by = self.rank_by.currentData()

        def read(session: Session) -> Snapshot:
            now = utc_now()
            return (
                ranked_listings(session, now, by),
                incoming_offers(session),
                suggest(session, now),
                schedules(session),
            )

        return read

    def _affected(self, changes: Changes) -> bool:
        shown = {x.item_id for x in (*self.listings, *self.smart, *self.scheduled)}
        shown.update(o.item_id for o in self.offers if o.item_id is not None)
        return changes.touches(*SHOWN_TABLES) or not changes.items.isdisjoint(shown)

    def _show(self, snapshot: Snapshot) -> None:
        self.listings, self.offers, self.smart, self.scheduled = snapshot
        self.likes_table.fill(
            [
                (
                    x.item_id,
                    (
                        x.title,
                        format_money(x.price_cents),
                        str(x.likes),
                        str(x.recent),
                        _when(x.last_like_at),
                    ),
                )
                for x in self.listings
            ]
        )
        self.offers_table.fill(
            [
                (
                    o.id,
                    (
                        o.title,
                        o.buyer_name,
                        format_money(o.amount_cents),
                        format_money(o.net_cents),
                        format_money(o.list_price_cents),
                        format_money(o.floor_cents),
                        _when(o.created_at),
                        o.answer or "waiting for you",
                    ),
                )
                for o in self.offers
            ]
        )
        self.smart_table.fill(
            [
                (
                    s.item_id,
                    (
                        s.title,
                        str(s.likes),
                        format_money(s.price_cents),
                        f"{format_money(s.amount_cents)} (−{s.percent_off}%)",
                        format_money(s.net_cents),
                        s.reason,
                    ),
                )
                for s in self.smart
            ]
        )
        self.scheduled_table.fill(
            [
                (
                    s.id,
                    (
                        s.title,
                        s.terms,
                        f"{s.runs} of {s.times}",
                        _when(s.next_due_at),
                    ),
                )
                for s in self.scheduled
            ]
        )
        self.tabs.setTabText(1, f"Offers ({sum(1 for o in self.offers if not o.answer)})")
        self._show_likers()  # the chosen listing's likers may have changed
        self.shown.emit()

    def _selected_liked(self) -> list[int]:
        return [int(i) for i in self.likes_table.selected_ids() if isinstance(i, int)]

    def _liked_chosen(self) -> None:
        chosen = set(self._selected_liked())
        listing = next((x for x in self.listings if x.item_id in chosen), None)
        if listing is not None:
            self.rules.scope_to(listing.item_id, listing.title)
        self._show_likers()

    def _show_likers(self) -> None:
        self.likers.clear()
        chosen = set(self._selected_liked())
        for listing in self.listings:
            if listing.item_id in chosen:
                for liker in listing.likers:
                    self.likers.addItem(f"{liker.name} — {_when(liker.at)}")

    def _offer_chosen(self) -> None:
        offer = self._selected_offer()
        if offer is not None and offer.item_id is not None:
            self.rules.scope_to(offer.item_id, offer.title)
        if offer is not None and offer.list_price_cents:
            middle = (offer.amount_cents + offer.list_price_cents) // 2
            self.counter_amount.setValue(max(middle, offer.floor_cents or 0) / 100)

    def _selected_offer(self) -> OfferView | None:
        chosen = self.offers_table.selected_id()
        return next((o for o in self.offers if o.id == chosen), None)

    # Acting: what a write changed comes back through the hub, like a sync's changes.
    def answer(self, action: str) -> None:
        """Answers the offer highlighted now, after saying exactly what will be sent; the
        write refuses if the buyer changed their offer meanwhile."""
        offer = self._selected_offer()
        if offer is None:
            self.banner.show_error("Select an offer first.")
            return
        amount = (
            to_cents(Decimal(str(self.counter_amount.value()))) if action == "counter" else None
        )
        if not confirm(
            self, "Answer the offer", _answer_question(offer, action, amount), _verb(action, amount)
        ):
            return
        self._write(
            f"Answering the offer ({action})",
            lambda session: answer_offer(session, offer.id, action, amount, offer.amount_cents),
            f"{action.title()} queued for {offer.buyer_name}'s offer.",
        )

    def offer_to_likers(self, item_ids: list[int], percent_off: int = 10) -> None:
        if not item_ids:
            self.banner.show_error("Select one or more listings first.")
            return
        self.dialog = LikersOfferDialog(
            self.services, item_ids, self.banner.show_info, percent_off, self
        )
        self.dialog.open()

    def _offer_smart(self) -> None:
        chosen = [int(i) for i in self.smart_table.selected_ids() if isinstance(i, int)]
        picked = [s for s in self.smart if s.item_id in chosen]
        percent = min(
            (s.percent_off for s in picked), default=10
        )  # keeps every one above its floor
        self.offer_to_likers(chosen, percent)

    def cancel_scheduled(self) -> None:
        chosen = self.scheduled_table.selected_id()
        if not isinstance(chosen, int):
            self.banner.show_error("Select a scheduled offer first.")
            return
        self._write(
            "Cancelling the scheduled offer",
            lambda session: cancel_schedule(session, chosen),
            "Scheduled offer cancelled.",
        )

    def _write(self, label: str, change: Callable[[Session], object], done: str) -> None:
        self.services.runner.write(
            label,
            change,
            on_done=lambda _result: self.banner.show_info(done),
            on_error=lambda error: self.banner.show_error(str(error)),
        )


def _verb(action: str, amount: int | None) -> str:
    return {"accept": "Accept", "decline": "Decline"}.get(
        action
    ) or f"Counter at {format_money(amount)}"


def _answer_question(offer: OfferView, action: str, amount: int | None) -> str:
    offered = f"{offer.buyer_name}'s offer of {format_money(offer.amount_cents)} on {offer.title}"
    # The fee of the marketplace the offer came from, named: each has its own.
    fee = f"after the {offer.marketplace} fee" if offer.marketplace else "after the fee"
    if action == "accept":
        return (
            f"Accept {offered}? The item sells at that price; you keep "
            f"{format_money(offer.net_cents)} {fee}."
        )
    if action == "decline":
        return f"Decline {offered}? The buyer is told."
    assert amount is not None
    return (
        f"Counter {offered} at {format_money(amount)}? If the buyer accepts, you keep "
        f"{format_money(offer.fees.net_cents(amount))} {fee}."
    )


def _hint_bar(hint: str, button: QPushButton) -> QHBoxLayout:
    """A tab's top row: what the list shows, then its action on the right."""
    tools = QHBoxLayout()
    tools.addWidget(QLabel(hint))
    tools.addStretch(1)
    tools.addWidget(button)
    return tools


def _page(tools: QHBoxLayout, body: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addLayout(tools)
    layout.addWidget(body, 1)
    return page
