"""Pull: read the marketplace's change feed from the stored cursor, one page per transaction.

A page's rows and the cursor after it commit together, so a crash can neither skip an event
nor apply one twice; every write is also an upsert by the marketplace's id, so a page seen
twice changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus, utc_now
from studio.orders.service import other_live_order
from studio.orders.tables import Order, OrderLine, OrderStatus
from studio.shows import live_sales
from studio.storage import changes
from studio.storage.database import Database
from studio.sync import double_sales, local_apply, outbox
from studio.sync.listing_fields import dumps, listing_fields_for, loads
from studio.sync.merge import merge
from studio.sync.port import (
    FeedEvent,
    FollowerAdded,
    LikeAdded,
    LikeRemoved,
    ListingChanged,
    ListingState,
    Marketplace,
    MessageReceived,
    OfferChanged,
    OrderChanged,
    OrderState,
    RemoteFollower,
    RemoteLike,
    RemoteListing,
    RemoteMessage,
    RemoteOffer,
    RemoteOrder,
    ShowSold,
    UnknownChange,
)
from studio.sync.tables import (
    BuyerMessage,
    Follower,
    Like,
    ListingLink,
    Offer,
    OpKind,
    SyncCursor,
)

PAGE_SIZE = 200
# An item of these states takes the listing another studio made for its SKU.
ADOPTABLE = (ItemStatus.DRAFT.value, ItemStatus.READY.value, ItemStatus.LISTED.value)
SHIP_WITHIN = timedelta(days=2)  # the marketplace's handling time, for "ship by"
ORDER_STATUS = {
    OrderState.PAID: OrderStatus.TO_SHIP,
    OrderState.SHIPPED: OrderStatus.SHIPPED,
    OrderState.CANCELLED: OrderStatus.CANCELLED,
}


def _upsert_like() -> Any:
    statement = sqlite_insert(Like.__table__)  # type: ignore[attr-defined]
    return statement.on_conflict_do_update(
        index_elements=["marketplace", "remote_listing_id", "buyer_id"],
        set_={
            name: statement.excluded[name]
            for name in ("buyer_name", "active", "changed_at", "item_id")
        },
    )


# Run with the page's rows as one executemany: the statement compiles once per process.
_UPSERT_LIKE = _upsert_like()


@dataclass
class PullReport:
    events: int = 0
    pages: int = 0
    orders: int = 0
    conflicts: int = 0
    double_sales: int = 0


def read_cursor(session: Session, marketplace: str) -> int:
    row = session.get(SyncCursor, marketplace)
    return row.cursor if row else 0


def pull(database: Database, market: Marketplace, page_size: int = PAGE_SIZE) -> PullReport:
    report = PullReport()
    while True:
        with database.session() as session:
            cursor = read_cursor(session, market.name)
        page = market.events(cursor, page_size)
        report.pages += 1
        if not page.events and page.next_cursor == cursor:
            return report  # nothing new: a quiet cycle writes nothing
        with database.transaction() as session:
            # Re-read inside the transaction: another runner may have moved it meanwhile.
            if read_cursor(session, market.name) != cursor:
                continue
            EventApplier(session, market.name, report).apply_page(page.events)
            stored = session.get(SyncCursor, market.name) or SyncCursor(marketplace=market.name)
            stored.cursor = page.next_cursor
            stored.updated_at = utc_now()
            session.add(stored)
        report.events += len(page.events)
        if not page.has_more:
            return report


class EventApplier:
    def __init__(self, session: Session, marketplace: str, report: PullReport) -> None:
        self.session = session
        self.marketplace = marketplace
        self.report = report
        # A page names the same few listings again and again (likes mostly): the rows it
        # touches are read once, in a few set-based queries, and kept here by their keys.
        self._links: dict[str, ListingLink | None] = {}
        self._likes: dict[tuple[str, str], dict[str, Any]] = {}  # rows to write, by key
        self._offers: dict[str, Offer] = {}
        self._followers: set[str] = set()
        self._messages: set[str] = set()
        # By SKU: items with no listing there yet, with their link when they were published.
        self._unheard: dict[str, tuple[Item, ListingLink | None]] = {}
        self._last_state: dict[str, ListingState] = {}  # each listing's, as the page ends

    def apply_page(self, events: list[FeedEvent]) -> None:
        self._read_rows_of(events)
        # Every row the page touches was read up front, so no event needs a flush before it:
        # the page's writes go out together.
        with self.session.no_autoflush:
            for event in events:
                self._apply(event)
        self._write_likes()

    def _read_rows_of(self, events: list[FeedEvent]) -> None:
        listing_ids: set[str] = set()
        skus: set[str] = set()
        offer_ids: set[str] = set()
        follower_ids: set[str] = set()
        message_ids: set[str] = set()
        for event in events:
            match event.change:
                case ListingChanged(listing):
                    listing_ids.add(listing.id)
                    self._last_state[listing.id] = listing.status
                    if listing.fields.get("sku"):
                        skus.add(str(listing.fields["sku"]))
                case LikeAdded(like) | LikeRemoved(like):
                    listing_ids.add(like.listing_id)
                case OfferChanged(offer, counter):
                    for one in (offer, counter):
                        if one is not None:
                            listing_ids.add(one.listing_id)
                            offer_ids.add(one.id)
                case OrderChanged(order):
                    listing_ids.update(line.listing_id for line in order.lines)
                case FollowerAdded(follower):
                    follower_ids.add(follower.buyer.id)
                case ShowSold(listing_id=listing_id):
                    listing_ids.add(listing_id)
                case MessageReceived(message):
                    message_ids.add(message.id)
                    if message.listing_id is not None:
                        listing_ids.add(message.listing_id)
        if events:
            self._read_rows(listing_ids, offer_ids, follower_ids, message_ids)
            self._read_unheard(skus)

    def _read_rows(
        self,
        listing_ids: set[str],
        offer_ids: set[str],
        follower_ids: set[str],
        message_ids: set[str],
    ) -> None:
        market = self.marketplace
        self._links = dict.fromkeys(listing_ids)
        for link in self.session.exec(
            select(ListingLink).where(
                ListingLink.marketplace == market, col(ListingLink.remote_id).in_(listing_ids)
            )
        ):
            self._links[link.remote_id or ""] = link
        for offer in self.session.exec(
            select(Offer).where(Offer.marketplace == market, col(Offer.remote_id).in_(offer_ids))
        ):
            self._offers[offer.remote_id] = offer
        self._followers = set(
            self.session.exec(
                select(Follower.buyer_id).where(
                    Follower.marketplace == market, col(Follower.buyer_id).in_(follower_ids)
                )
            )
        )
        self._messages = set(
            self.session.exec(
                select(BuyerMessage.remote_id).where(
                    BuyerMessage.marketplace == market,
                    col(BuyerMessage.remote_id).in_(message_ids),
                )
            )
        )

    def _apply(self, event: FeedEvent) -> None:
        match event.change:
            case ListingChanged(listing):
                self._listing(listing)
            case LikeAdded(like):
                self._like(like, True, event.created_at)
            case LikeRemoved(like):
                self._like(like, False, event.created_at)
            case OfferChanged(offer, counter):
                self._offer(offer)
                if counter is not None:
                    self._offer(counter)
            case OrderChanged(order):
                self._order(order, event.created_at)
            case FollowerAdded(follower):
                self._follower(follower, event.created_at)
            case MessageReceived(message):
                self._buyer_message(message)
            case ShowSold() as sale:
                self._show_sale(sale)
            case UnknownChange():
                pass  # kinds this version does not know are skipped

    # Listings
    def _listing(self, remote: RemoteListing) -> None:
        link = self._link(remote.id) or self._adopt(remote)
        if link is None or remote.version <= link.remote_version:
            return  # not ours, or no newer than what we hold
        item_id = link.item_id
        pending = self._pending_changes(item_id)
        base = {**loads(link.base), **self._sent_and_echoed(item_id, remote.fields)}
        result = merge(base, pending, remote.fields)
        local_apply.take_remote_fields(self.session, item_id, result.take, self.marketplace)
        local_apply.record_conflicts(self.session, item_id, self.marketplace, result.conflicts)
        self.report.conflicts += len(result.conflicts)
        if pending:
            outbox.narrow_pending_updates(self.session, item_id, set(result.push), self.marketplace)
        local_apply.remember_remote(link, remote)
        self.session.add(link)
        if remote.status is ListingState.SOLD:
            local_apply.mark_sold(self.session, item_id, self.marketplace)
        elif remote.status is ListingState.ACTIVE:
            # On sale there but sold here (the marketplace put it back after an order of
            # a double sale was cancelled, say): it must come down again.
            local_apply.delist_if_sold(self.session, item_id, self.marketplace)

    def _read_unheard(self, skus: set[str]) -> None:
        """Items of the page's SKUs that have no listing there yet: those whose create got
        no answer (or has not gone out), and those not published from this studio at all,
        whose listing another studio of the same seller made."""
        if not skus:
            return
        rows = self.session.exec(
            select(Item, ListingLink)
            .join(
                ListingLink,
                (col(ListingLink.item_id) == Item.id)
                & (ListingLink.marketplace == self.marketplace),
                isouter=True,
            )
            .where(
                col(Item.sku).in_(skus),
                col(Item.status).in_(ADOPTABLE),
                col(ListingLink.remote_id).is_(None),
            )
        )
        self._unheard = {item.sku: (item, link) for item, link in rows}

    def _adopt(self, remote: RemoteListing) -> ListingLink | None:
        """The listing of an item we have, found by its SKU, becomes the item's listing, and
        its values the base. An item published from here (its create got no answer, or has
        not gone out) shows where the listing differs from what we asked for as conflicts;
        one never published from here was listed by another studio of the seller, with the
        values that person chose, and takes them."""
        sku = remote.fields.get("sku")
        found = self._unheard.get(str(sku)) if sku else None
        if found is None:
            return None  # not ours
        item, link = found
        assert item.id is not None
        # Its state by the end of the page: a feed read from the start shows an old sale of
        # the SKU as "created" first.
        sold = self._last_state.get(remote.id, remote.status) is ListingState.SOLD
        if link is None:
            if sold:
                return None  # an earlier sale of the SKU, not a listing made for this item
            link = ListingLink(item_id=item.id, marketplace=self.marketplace)
            local_apply.take_remote_fields(self.session, item.id, remote.fields, self.marketplace)
        else:
            clashes = local_apply.differences(self._asked_for(item), remote)
            if sold and clashes:
                return None  # the same: ours would hold what we asked for
            local_apply.record_conflicts(self.session, item.id, self.marketplace, clashes)
            self.report.conflicts += len(clashes)
        del self._unheard[str(sku)]
        link.remote_id = remote.id
        link.base = dumps(remote.fields)
        self._links[remote.id] = link
        if item.status in (ItemStatus.DRAFT.value, ItemStatus.READY.value):
            with local_apply.applying_remote(self.session):
                item.status = ItemStatus.LISTED.value
                self.session.add(item)
        # The listing exists, so its create is done, whatever became of our request.
        outbox.finish_creates(self.session, item.id, "adopted from the feed")
        return link

    def _asked_for(self, item: Item) -> dict[str, Any]:
        """The fields our create asked for, or the item's own when it has none open."""
        assert item.id is not None
        waiting = outbox.open_ops(self.session, outbox.entity_of(item.id), self.marketplace)
        asked = [loads(op.payload) for op in waiting if op.kind == OpKind.CREATE_LISTING]
        return asked[-1] if asked else listing_fields_for(self.session, item, self.marketplace)

    def _link(self, remote_id: str) -> ListingLink | None:
        return self._links.get(remote_id)

    def _sent_and_echoed(self, item_id: int, remote_fields: dict[str, Any]) -> dict[str, Any]:
        """Values our own sent-but-unacknowledged updates wrote, as the marketplace shows them:
        they are agreed, not remote changes that a later local edit would clash with."""
        agreed: dict[str, Any] = {}
        for op in outbox.open_ops(self.session, outbox.entity_of(item_id), self.marketplace):
            if op.kind == OpKind.UPDATE_LISTING.value and op.attempts > 0:
                for name, value in loads(op.payload).items():
                    if remote_fields.get(name) == value:
                        agreed[name] = value
        return agreed

    def _pending_changes(self, item_id: int) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for op in outbox.open_ops(self.session, outbox.entity_of(item_id), self.marketplace):
            if op.kind == OpKind.UPDATE_LISTING.value:
                changes.update(loads(op.payload))
        return changes

    # Buyers' activity: the marketplace's word is final; rows are keyed by its ids.
    def _like(self, remote: RemoteLike, active: bool, changed_at: datetime) -> None:
        link = self._link(remote.listing_id)
        self._likes[(remote.listing_id, remote.buyer.id)] = {
            "marketplace": self.marketplace,
            "remote_listing_id": remote.listing_id,
            "buyer_id": remote.buyer.id,
            "buyer_name": remote.buyer.name,
            "active": active,
            "changed_at": changed_at,
            "item_id": link.item_id if link else None,
        }
        if link is not None:
            link.likes_count = remote.likes_count
            self.session.add(link)

    def _write_likes(self) -> None:
        """One upsert for the page's likes: a like is the latest word on a buyer and a listing."""
        if not self._likes:
            return
        rows = list(self._likes.values())
        self.session.connection().execute(_UPSERT_LIKE, rows)
        owners = {row["item_id"] for row in rows if row["item_id"] is not None}
        changes.note(self.session, changes.of_tables("like", rows_moved=True, items=owners))

    def _offer(self, remote: RemoteOffer) -> None:
        offer = self._offers.get(remote.id)
        if offer is not None and offer.updated_at >= remote.updated_at:
            return
        link = self._link(remote.listing_id)
        values: dict[str, Any] = {
            "remote_listing_id": remote.listing_id,
            "item_id": link.item_id if link else None,
            "parent_remote_id": remote.parent_id,
            "kind": remote.kind,
            "buyer_id": remote.buyer.id,
            "buyer_name": remote.buyer.name,
            "amount_cents": remote.amount_cents,
            "shipping_discount_cents": remote.shipping_discount_cents,
            "status": remote.status,
            "reason": remote.reason,
            "expires_at": remote.expires_at,
            "created_at": remote.created_at,
            "updated_at": remote.updated_at,
        }
        if offer is None:
            offer = Offer(marketplace=self.marketplace, remote_id=remote.id, **values)
            self._offers[remote.id] = offer
        else:
            for name, value in values.items():
                setattr(offer, name, value)
        self.session.add(offer)

    def _follower(self, remote: RemoteFollower, followed_at: datetime) -> None:
        if remote.buyer.id not in self._followers:
            self._followers.add(remote.buyer.id)
            self.session.add(
                Follower(
                    marketplace=self.marketplace,
                    buyer_id=remote.buyer.id,
                    buyer_name=remote.buyer.name,
                    followed_at=followed_at,
                )
            )

    def _buyer_message(self, remote: RemoteMessage) -> None:
        """Kept once: what a buyer wrote does not change, and a page seen again adds nothing."""
        if remote.id in self._messages:
            return
        self._messages.add(remote.id)
        link = self._link(remote.listing_id) if remote.listing_id is not None else None
        self.session.add(
            BuyerMessage(
                marketplace=self.marketplace,
                remote_id=remote.id,
                buyer_id=remote.buyer.id,
                buyer_name=remote.buyer.name,
                remote_listing_id=remote.listing_id,
                item_id=link.item_id if link else None,
                body=remote.body,
                received_at=remote.created_at,
            )
        )

    # Orders
    def _order(self, remote: RemoteOrder, changed_at: datetime) -> None:
        order = self.session.exec(
            select(Order).where(Order.marketplace == self.marketplace, Order.remote_id == remote.id)
        ).first()
        if order is None:
            order = self._new_order(remote)
            self.report.orders += 1
        # The marketplace's own news: a shipment it reports is not sent back to it.
        with local_apply.applying_remote(self.session):
            order.status = ORDER_STATUS[remote.status].value
            order.tracking_number = remote.tracking_number
            order.shipped_at = remote.shipped_at
            order.updated_at = changed_at
            self.session.add(order)
        if order.status == OrderStatus.CANCELLED.value:
            self._back_on_sale(order)

    def _show_sale(self, sale: ShowSold) -> None:
        """The order came as an OrderChanged; this marks the show's line-up."""
        link = self._link(sale.listing_id)
        if link is not None:
            self.session.flush()  # the page's order, written just before, is looked up
            live_sales.record(
                self.session,
                self.marketplace,
                sale.show_id,
                link.item_id,
                sale.order_id,
                sale.buyer.name,
                sale.price_cents,
            )

    def _new_order(self, remote: RemoteOrder) -> Order:
        address = remote.ship_to
        order = Order(
            marketplace=self.marketplace,
            remote_id=remote.id,
            number=f"{self.marketplace.upper()[:2]}-{remote.id}",
            buyer_name=remote.buyer.name,
            buyer_username=remote.buyer.id,
            address_line1=address.line1,
            address_line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
            total_cents=remote.subtotal_cents,
            fee_cents=remote.fee_cents,
            shipping_cents=remote.shipping_cents,
            ordered_at=remote.created_at,
            ship_by=remote.created_at + SHIP_WITHIN,
        )
        self.session.add(order)
        self.session.flush()
        assert order.id is not None
        for line in remote.lines:
            link = self._link(line.listing_id)
            self.session.add(
                OrderLine(
                    order_id=order.id,
                    item_id=link.item_id if link else None,
                    sku=line.sku,
                    title=line.title,
                    price_cents=line.price_cents,
                )
            )
            if link is not None:
                local_apply.mark_sold(self.session, link.item_id, self.marketplace)
                if double_sales.record_if_sold_twice(self.session, link.item_id, order):
                    self.report.double_sales += 1
        return order

    def _back_on_sale(self, order: Order) -> None:
        lines = self.session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        for line in lines:
            item = self.session.get(Item, line.item_id) if line.item_id else None
            if item is None or other_live_order(self.session, line.item_id or 0, order.id):
                continue  # sold twice: the order that stays still holds it
            if item.status == ItemStatus.SOLD.value:
                with local_apply.applying_remote(self.session):
                    item.status = ItemStatus.LISTED.value
                    self.session.add(item)
