"""The Seller API's JSON turned into the port's typed values: the one place that knows it.

Ids become strings (another marketplace's need not be numbers), times become aware datetimes,
and parts the API may leave out get the port's empty values.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.seller_tools.fees import FeeSchedule
from studio.sync.port import (
    SYNCED_FIELDS,
    Buyer,
    Change,
    CurrentLike,
    FeedEvent,
    FeedPage,
    FollowerAdded,
    LikeAdded,
    LikePage,
    LikeRemoved,
    ListingChanged,
    ListingPage,
    ListingState,
    ListingVideo,
    MessageKind,
    MessageReceived,
    OfferChanged,
    OfferKind,
    OfferPage,
    OfferState,
    OrderChanged,
    OrderState,
    RemoteFollower,
    RemoteLike,
    RemoteListing,
    RemoteMessage,
    RemoteOffer,
    RemoteOrder,
    RemoteOrderLine,
    ShipTo,
    ShowSold,
    UnknownChange,
)

Json = dict[str, Any]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


def buyer(data: Json) -> Buyer:
    return Buyer(id=str(data["id"]), name=str(data.get("name") or ""))


def seller_name(me: Json) -> str:
    return str(me.get("name", ""))


def fee_schedule(me: Json) -> FeeSchedule | None:
    """The `fees` of `GET /v1/me`; None from a server that does not state them."""
    fees = me.get("fees")
    if not isinstance(fees, dict):
        return None
    return FeeSchedule(
        int(fees["rate_basis_points"]), int(fees["flat_cents"]), int(fees["flat_below_cents"])
    )


def listing(data: Json) -> RemoteListing:
    fields = {name: data.get(name) for name in SYNCED_FIELDS}
    fields["photos"] = [photo["sha256"] for photo in data.get("photos", [])]
    return RemoteListing(
        id=str(data["id"]),
        version=int(data["version"]),
        status=ListingState(data["status"]),
        fields=fields,
        likes_count=int(data.get("likes_count", 0)),
    )


def listings(page: Json) -> list[RemoteListing]:
    return [listing(data) for data in page["listings"]]


def listing_page(page: Json) -> ListingPage:
    after = page.get("next_after_id")
    return ListingPage(listings(page), str(after) if after is not None else None)


def like_page(page: Json) -> LikePage:
    likes = [
        CurrentLike(
            listing_id=str(data["listing_id"]),
            buyer=buyer(data["buyer"]),
            liked_at=_time(data["created_at"]),
        )
        for data in page["likes"]
    ]
    after = page.get("next_after")
    return LikePage(likes, str(after) if after else None)


def offer_page(page: Json) -> OfferPage:
    # Newest first: the next page is of offers older than the last one here.
    before = page.get("next_before_id")
    return OfferPage(offers(page), str(before) if before is not None else None)


def offer(data: Json) -> RemoteOffer:
    return RemoteOffer(
        id=str(data["id"]),
        listing_id=str(data["listing_id"]),
        buyer=buyer(data["buyer"]),
        kind=OfferKind(data["kind"]),
        amount_cents=int(data["amount_cents"]),
        status=OfferState(data["status"]),
        created_at=_time(data["created_at"]),
        updated_at=_time(data["updated_at"]),
        expires_at=_time(data["expires_at"]),
        parent_id=_id(data.get("parent_id")),
        shipping_discount_cents=int(data.get("shipping_discount_cents", 0)),
        reason=data.get("reason") or "",
    )


def offers(page: Json) -> list[RemoteOffer]:
    return [offer(data) for data in page["offers"]]


def likers_reached(result: Json) -> int:
    return int(result["likers_reached"])


def _ship_to(data: Json) -> ShipTo:
    def part(name: str) -> str:
        return str(data.get(name) or "")

    return ShipTo(
        name=part("name"),
        line1=part("line1"),
        line2=part("line2"),
        city=part("city"),
        region=part("region"),
        postal_code=part("postal_code"),
        country=part("country"),
    )


def _order_line(data: Json) -> RemoteOrderLine:
    return RemoteOrderLine(
        listing_id=str(data["listing_id"]),
        title=str(data.get("title", "")),
        sku=data.get("sku") or "",
        price_cents=int(data.get("price_cents", 0)),
    )


def order(data: Json) -> RemoteOrder:
    shipped = data.get("shipped_at")
    ordered_by = buyer(data["buyer"])
    return RemoteOrder(
        id=str(data["id"]),
        status=OrderState(data["status"]),
        # The name the order was placed under, which the buyer's profile may since have changed.
        buyer=Buyer(ordered_by.id, data.get("buyer_name") or ordered_by.name),
        ship_to=_ship_to(data.get("ship_to") or {}),
        lines=tuple(_order_line(line) for line in data.get("lines", [])),
        subtotal_cents=int(data.get("subtotal_cents", 0)),
        shipping_cents=int(data.get("shipping_cents", 0)),
        fee_cents=int(data.get("marketplace_fee_cents", 0)),
        tracking_number=data.get("tracking_number") or "",
        created_at=_time(data["created_at"]),
        shipped_at=_time(shipped) if shipped else None,
    )


def message(data: Json) -> RemoteMessage:
    return RemoteMessage(
        id=str(data["id"]),
        buyer=buyer(data["buyer"]),
        kind=MessageKind(data["kind"]),
        body=data["body"],
        created_at=_time(data["created_at"]),
    )


def messages(page: Json) -> list[RemoteMessage]:
    return [message(data) for data in page["messages"]]


def buyer_message(data: Json) -> RemoteMessage:
    return RemoteMessage(
        id=str(data["id"]),
        buyer=buyer(data["buyer"]),
        kind=MessageKind.BUYER,
        body=str(data["body"]),
        created_at=_time(data["created_at"]),
        listing_id=_id(data.get("listing_id")),
    )


def _like(data: Json) -> RemoteLike:
    return RemoteLike(
        listing_id=str(data["listing_id"]),
        buyer=buyer(data["buyer"]),
        likes_count=int(data["likes_count"]),
    )


def change(kind: str, data: Json) -> Change:
    """What an event of this type says. Listing, offer and order events are snapshots of the
    whole thing whatever happened to it, so a new type in those families still reads."""
    family = kind.split(".")[0]
    if family == "listing":
        return ListingChanged(listing(data["listing"]))
    if family == "offer":
        counter = data.get("counter")
        return OfferChanged(offer(data["offer"]), offer(counter) if counter else None)
    if family == "order":
        return OrderChanged(order(data["order"]))
    if kind == "like.added":
        return LikeAdded(_like(data))
    if kind == "like.removed":
        return LikeRemoved(_like(data))
    if kind == "follower.added":
        return FollowerAdded(RemoteFollower(buyer(data["buyer"])))
    if kind == "message.received":
        return MessageReceived(buyer_message(data["message"]))
    if kind == "show.sale":
        return ShowSold(
            show_id=str(data["show_id"]),
            listing_id=str(data["listing_id"]),
            order_id=str(data["order_id"]),
            buyer=buyer(data["buyer"]),
            price_cents=int(data["price_cents"]),
        )
    return UnknownChange(kind)


def feed_event(data: Json) -> FeedEvent:
    return FeedEvent(
        cursor=int(data["cursor"]),
        created_at=_time(data["created_at"]),
        change=change(str(data["type"]), data.get("data") or {}),
    )


def feed_page(data: Json) -> FeedPage:
    return FeedPage(
        events=[feed_event(event) for event in data["events"]],
        next_cursor=int(data["next_cursor"]),
        has_more=bool(data["has_more"]),
    )


@dataclass(frozen=True)
class Problem:
    """An error answer (RFC 9457 problem details, or whatever a proxy sent instead)."""

    code: str
    message: str
    current: RemoteListing | None  # a 412's listing as it stands now


def problem(body: Any, status: int, reason: str) -> Problem:
    data = body if isinstance(body, dict) else {}
    current = data.get("current")
    return Problem(
        code=str(data.get("code", "")) or f"http_{status}",
        message=str(data.get("detail") or data.get("title") or reason),
        current=listing(current) if isinstance(current, dict) else None,
    )


@dataclass(frozen=True)
class VideoLimits:
    """What the marketplace says a listing video may be (`GET /v1/video-limits`)."""

    min_seconds: float
    max_seconds: float
    max_bytes: int
    max_long_side: int
    chunk_bytes: int

    def problem_with(self, video: ListingVideo) -> str:
        """Why the marketplace would refuse the video, or ""."""
        if not self.min_seconds <= video.duration_s <= self.max_seconds:
            return (
                f"this marketplace takes videos of {self.min_seconds:g} to "
                f"{self.max_seconds:g} s; trim the video to fit"
            )
        if video.size_bytes > self.max_bytes:
            return f"this marketplace takes videos up to {self.max_bytes // 1_048_576} MB"
        if max(video.width, video.height) > self.max_long_side:
            return f"this marketplace takes videos up to {self.max_long_side} px on the long side"
        return ""


def video_limits(data: Json) -> VideoLimits:
    return VideoLimits(
        min_seconds=float(data["min_seconds"]),
        max_seconds=float(data["max_seconds"]),
        max_bytes=int(data["max_bytes"]),
        max_long_side=int(data["max_long_side"]),
        chunk_bytes=max(1, int(data["chunk_bytes"])),
    )


def upload_state(data: Json) -> tuple[int, bool]:
    """(bytes the marketplace holds, whether the video is complete there)."""
    return int(data["received_bytes"]), bool(data["complete"])


@dataclass(frozen=True)
class BatchResult:
    """One entry of a batch create's answer: its listing, or the problem that refused it."""

    idempotency_key: str
    status: int
    outcome: RemoteListing | Problem


def batch_results(data: Json) -> list[BatchResult]:
    results = []
    for row in data["results"]:
        status = int(row["status"])
        found = row.get("listing")
        outcome = listing(found) if found else problem(row.get("problem"), status, "refused")
        results.append(BatchResult(str(row["idempotency_key"]), status, outcome))
    return results


def photo_batch_results(data: Json) -> list[tuple[str, int, Problem | None]]:
    """Each part of a batch upload: its hash, status, and the problem when refused."""
    results = []
    for row in data["results"]:
        status = int(row["status"])
        refused = problem(row.get("problem"), status, "refused") if status >= 400 else None
        results.append((str(row["sha256"]), status, refused))
    return results


def photo_hashes(data: Json) -> set[str]:
    return {str(photo["sha256"]) for photo in data["photos"]}
