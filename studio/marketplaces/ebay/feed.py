"""A change feed for a marketplace that has none: eBay's orders, watch counts and best offers
are polled, and what changed since the last poll becomes the port's feed events.

The events are numbered and kept in the ledger until the engine has committed them: the
engine passes back the cursor of the last page it committed, so a page it lost (a crash
before its commit) is served again, and one it committed is dropped. A page seen twice
therefore changes nothing, and nothing is skipped.

Orders are read by last-modified time from a watermark, with an overlap (eBay's search
index lags its writes by a little), and de-duplicated by (order id, last-modified time).
Watch counts are eBay's likes: eBay says how many watch a listing, never who, so a count
that grows adds anonymous watchers and one that shrinks takes the last ones away. Best
offers are events when their state or amount changed. The Trading API allows about 5,000
calls a day, so watch counts and best offers are polled far less often than orders.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from studio.marketplaces.ebay import orders, trading
from studio.sync.port import (
    Buyer,
    Change,
    FeedEvent,
    FeedPage,
    LikeAdded,
    LikeRemoved,
    OfferChanged,
    OrderChanged,
    RateLimited,
    Refused,
    RemoteLike,
    UnknownChange,
)

OVERLAP = timedelta(minutes=2)
# A ledger lost while the engine's cursor is past 0: read back this far, the engine's
# upserts make a second sight of an order harmless.
RECOVERY_WINDOW = timedelta(days=2)
# What is remembered of orders already turned into events, beyond the overlap.
SEEN_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class PollEvery:
    orders: timedelta = timedelta(seconds=20)
    trading: timedelta = timedelta(minutes=10)  # ~300 Trading calls a day of ~5,000


class Source(Protocol):
    """What the feed polls; the client provides it."""

    def orders_since(self, since: datetime) -> list[dict[str, Any]]:
        """Orders modified since then."""
        ...

    def fulfillments(self, order_id: str) -> list[dict[str, Any]]:
        """An order's shipping fulfillments: where its tracking number is."""
        ...

    def active_items(self) -> tuple[list[trading.ActiveItem], datetime]: ...

    def best_offers(self) -> tuple[list[trading.BestOffer], datetime]: ...


def iso(moment: datetime) -> str:
    return moment.isoformat()


def watcher(sku: str, number: int) -> Buyer:
    return Buyer(id=f"ebay-watcher-{number}", name=f"eBay watcher {number} of {sku}")


class Feed:
    def __init__(self, state: dict[str, Any], now: Callable[[], datetime], every: PollEvery):
        self.state = state
        self.now = now
        self.every = every
        feed = state.setdefault("feed", {})
        self.feed = feed
        feed.setdefault("next_seq", 1)
        feed.setdefault("log", [])
        feed.setdefault("seen_orders", {})
        feed.setdefault("watch", {})
        feed.setdefault("offers", {})
        feed.setdefault("polled", {})
        state.setdefault("items", {})  # eBay item number -> SKU

    # What the engine has committed
    def acknowledge(self, after: int) -> None:
        feed = self.feed
        if after >= feed["next_seq"]:
            # The ledger is behind the engine (lost or restored): number on from its cursor.
            feed["next_seq"] = after + 1
            if "watermark" not in feed and after > 0:
                feed["watermark"] = iso(self.now() - RECOVERY_WINDOW)
        feed["log"] = [entry for entry in feed["log"] if entry["seq"] > after]

    def backlog(self, after: int) -> list[dict[str, Any]]:
        return [entry for entry in self.feed["log"] if entry["seq"] > after]

    # Polling
    def due(self, what: str) -> bool:
        last = self.feed["polled"].get(what)
        interval = getattr(self.every, what)
        return last is None or self.now() - datetime.fromisoformat(last) >= interval

    def poll(self, source: Source) -> None:
        if self.due("orders"):
            self._poll_orders(source)
            self.feed["polled"]["orders"] = iso(self.now())
        if self.due("trading"):
            try:
                self._poll_watchers(source)
                self._poll_best_offers(source)
                self.feed.pop("trading_problem", None)
            except (Refused, RateLimited) as problem:
                # Watchers and best offers must never hold up the orders: a refused or
                # rationed Trading API is tried again at its next turn.
                self.feed["trading_problem"] = str(problem)
            self.feed["polled"]["trading"] = iso(self.now())

    def _append(self, at: datetime, kind: str, data: dict[str, Any]) -> None:
        feed = self.feed
        feed["log"].append({"seq": feed["next_seq"], "at": iso(at), "kind": kind, "data": data})
        feed["next_seq"] += 1

    def _poll_orders(self, source: Source) -> None:
        feed = self.feed
        watermark = datetime.fromisoformat(feed.get("watermark") or iso(self.now()))
        seen: dict[str, str] = feed["seen_orders"]
        found = source.orders_since(watermark - OVERLAP)
        found.sort(key=lambda order: orders.when(order["lastModifiedDate"]))
        for order in found:
            modified = str(order["lastModifiedDate"])
            if seen.get(order["orderId"]) == modified:
                continue  # read again through the overlap
            seen[order["orderId"]] = modified
            at = orders.when(modified)
            watermark = max(watermark, at)
            shipped = order.get("orderFulfillmentStatus") in ("FULFILLED", "IN_PROGRESS")
            fulfillments = source.fulfillments(str(order["orderId"])) if shipped else []
            self._append(at, "order", {"order": order, "fulfillments": fulfillments})
        feed["watermark"] = iso(watermark)
        forget_before = watermark - OVERLAP - SEEN_MARGIN
        feed["seen_orders"] = {
            order_id: modified
            for order_id, modified in seen.items()
            if orders.when(modified) >= forget_before
        }

    def _poll_watchers(self, source: Source) -> None:
        items, at = source.active_items()
        counts: dict[str, int] = self.feed["watch"]
        for item in items:
            if not item.sku:
                continue  # not listed through the Inventory API: not one of the studio's
            self.state["items"][item.item_id] = item.sku
            before = counts.get(item.sku, 0)
            for number in range(before + 1, item.watch_count + 1):
                self._append(at, "like", {"listing_id": item.sku, "number": number})
            for number in range(before, item.watch_count, -1):
                self._append(at, "unlike", {"listing_id": item.sku, "number": number})
            counts[item.sku] = item.watch_count

    def _poll_best_offers(self, source: Source) -> None:
        found, at = source.best_offers()
        known: dict[str, str] = self.feed["offers"]
        for offer in found:
            signature = f"{offer.status}|{offer.amount_cents}|{offer.code_type}"
            if known.get(offer.key) == signature:
                continue
            known[offer.key] = signature
            data = asdict(offer)
            data["expires_at"] = iso(offer.expires_at)
            self._append(at, "offer", {"offer": data})

    # Serving
    def page(self, after: int, limit: int) -> FeedPage:
        waiting = self.backlog(after)
        served = waiting[:limit]
        events = [
            FeedEvent(
                cursor=entry["seq"],
                created_at=datetime.fromisoformat(entry["at"]),
                change=self._change(entry),
            )
            for entry in served
        ]
        next_cursor = served[-1]["seq"] if served else after
        return FeedPage(events=events, next_cursor=next_cursor, has_more=len(waiting) > limit)

    def listing_of(self, item_id: str) -> str:
        """The SKU of eBay's item number; the item number itself for a listing not ours."""
        return str(self.state["items"].get(item_id, item_id))

    def _change(self, entry: dict[str, Any]) -> Change:
        data, kind = entry["data"], entry["kind"]
        if kind == "order":
            return OrderChanged(orders.remote_order(data["order"], data["fulfillments"]))
        if kind in ("like", "unlike"):
            number = int(data["number"])
            sku = str(data["listing_id"])
            added = kind == "like"
            like = RemoteLike(sku, watcher(sku, number), number if added else number - 1)
            return LikeAdded(like) if added else LikeRemoved(like)
        if kind == "offer":
            raw = dict(data["offer"])
            raw["expires_at"] = datetime.fromisoformat(raw["expires_at"])
            offer = trading.BestOffer(**raw)
            seen_at = datetime.fromisoformat(entry["at"])
            return OfferChanged(
                trading.remote_offer(offer, self.listing_of(offer.item_id), seen_at)
            )
        return UnknownChange(kind)
