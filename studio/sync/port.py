"""The Marketplace port: what the sync engine needs from any marketplace, in typed values.

Each adapter (one package per marketplace under studio/marketplaces/) turns its marketplace's
API into these values; the engine reads nothing else, so it never sees a marketplace's JSON.
Errors are typed by what the engine must do about them, not by HTTP status.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from studio.seller_tools.fees import FeeSchedule


class ListingState(enum.StrEnum):
    ACTIVE = "active"
    DELISTED = "delisted"
    SOLD = "sold"  # final: a sale beats every local edit


class ListingAction(enum.StrEnum):
    """What the seller can do to a listing's state."""

    DELIST = "delist"
    RELIST = "relist"  # only from delisted
    MARK_SOLD = "mark_sold"  # sold elsewhere


class OfferState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COUNTERED = "countered"  # answered with a counter offer, which is an offer of its own
    EXPIRED = "expired"


class OfferKind(enum.StrEnum):
    BUYER = "buyer"  # a buyer's offer below the price
    COUNTER = "counter"  # the seller's answer to a buyer's offer
    TO_LIKERS = "to_likers"  # the seller's offer to everyone who liked the listing


class OfferAnswer(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class OrderState(enum.StrEnum):
    PAID = "paid"  # to ship
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class MessageKind(enum.StrEnum):
    GREETING = "greeting"
    THANK_YOU = "thank_you"
    BUNDLE_SUGGESTION = "bundle_suggestion"
    REPLY = "reply"  # the seller's answer to what a buyer wrote
    BUYER = "buyer"  # what a buyer wrote to the seller: only ever received, never sent


@dataclass(frozen=True)
class Buyer:
    id: str
    name: str = ""


# The listing fields every marketplace syncs both ways, as the port names them (prices in
# cents, photos as content hashes); an adapter maps them to its own marketplace's names.
SYNCED_FIELDS = (
    "title",
    "description",
    "brand",
    "size",
    "condition",
    "price_cents",
    "floor_price_cents",
    "sku",
    "photos",
)


@dataclass(frozen=True)
class RemoteListing:
    id: str
    version: int
    status: ListingState
    fields: dict[str, Any]  # the synced fields as the marketplace holds them
    likes_count: int = 0


@dataclass(frozen=True)
class RemoteOffer:
    id: str
    listing_id: str
    buyer: Buyer
    kind: OfferKind
    amount_cents: int
    status: OfferState
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    parent_id: str | None = None  # a counter offer's: the buyer's offer it answers
    shipping_discount_cents: int = 0
    reason: str = ""  # why the marketplace closed it, e.g. "below_floor", "listing_sold"


@dataclass(frozen=True)
class ShipTo:
    """Where an order goes; parts the buyer left out are empty."""

    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class RemoteOrderLine:
    listing_id: str
    title: str
    sku: str
    price_cents: int


@dataclass(frozen=True)
class RemoteOrder:
    id: str
    status: OrderState
    buyer: Buyer
    ship_to: ShipTo
    lines: tuple[RemoteOrderLine, ...]
    subtotal_cents: int
    shipping_cents: int
    fee_cents: int  # the marketplace's
    tracking_number: str
    created_at: datetime
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class RemoteLike:
    listing_id: str
    buyer: Buyer
    likes_count: int  # the listing's likes once this one is counted (or taken back)


@dataclass(frozen=True)
class CurrentLike:
    """A buyer's like as it stands now, read with every other (a closet import)."""

    listing_id: str
    buyer: Buyer
    liked_at: datetime


# Pages of a whole closet, for an import (studio/sync/closet_import.py). `next_after` is the
# marketplace's own cursor, opaque here: pass it back until it is None.
@dataclass(frozen=True)
class ListingPage:
    listings: list[RemoteListing]
    next_after: str | None


@dataclass(frozen=True)
class LikePage:
    likes: list[CurrentLike]
    next_after: str | None


@dataclass(frozen=True)
class OfferPage:
    offers: list[RemoteOffer]
    next_after: str | None


@dataclass(frozen=True)
class RemoteFollower:
    buyer: Buyer


@dataclass(frozen=True)
class RemoteMessage:
    id: str
    buyer: Buyer  # the one it was sent to, or who wrote it (kind BUYER)
    kind: MessageKind
    body: str
    created_at: datetime
    listing_id: str | None = None  # the listing a buyer's message is about, if any


@dataclass(frozen=True)
class ListingVideo:
    """A listing's video as a marketplace gets it: an H.264 + AAC MP4 named by its content
    hash, and its cover frame (a JPEG, uploaded like a photo) as the poster."""

    sha256: str
    path: Path
    size_bytes: int
    duration_s: float
    width: int
    height: int
    poster_sha256: str
    poster: bytes


# What a feed event says happened. Snapshots: the listing, offer or order as it stands now.
@dataclass(frozen=True)
class ListingChanged:
    listing: RemoteListing


@dataclass(frozen=True)
class LikeAdded:
    like: RemoteLike


@dataclass(frozen=True)
class LikeRemoved:
    like: RemoteLike


@dataclass(frozen=True)
class OfferChanged:
    offer: RemoteOffer
    counter: RemoteOffer | None = None  # the seller's counter, when that is the change


@dataclass(frozen=True)
class OrderChanged:
    order: RemoteOrder


@dataclass(frozen=True)
class FollowerAdded:
    follower: RemoteFollower


@dataclass(frozen=True)
class MessageReceived:
    message: RemoteMessage  # kind BUYER


@dataclass(frozen=True)
class ShowSold:
    """A buyer bought a listing on air in one of the seller's live shows. The order itself
    arrives as an OrderChanged like any other sale; this says it was the show's."""

    show_id: str
    listing_id: str
    order_id: str
    buyer: Buyer
    price_cents: int


@dataclass(frozen=True)
class UnknownChange:
    """A kind of event this version does not know: skipped, never an error."""

    kind: str


Change = (
    ListingChanged
    | LikeAdded
    | LikeRemoved
    | OfferChanged
    | OrderChanged
    | FollowerAdded
    | MessageReceived
    | ShowSold
    | UnknownChange
)


@dataclass(frozen=True)
class FeedEvent:
    cursor: int
    created_at: datetime  # the marketplace's clock, never this laptop's
    change: Change


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedEvent]
    next_cursor: int
    has_more: bool


class NotConnected(RuntimeError):
    """No usable connection to a marketplace: the person must connect (again)."""


class MarketplaceError(Exception):
    """Base of what a marketplace call can end in, other than success."""


class Unreachable(MarketplaceError):
    """No answer (connection refused, reset, timeout) or a 5xx: the outcome is unknown."""


class BadAnswer(Unreachable):
    """An answer that is not what the API promises (a login page, a proxy's error, broken
    JSON): treated like no answer, since what the call did is just as unknown."""


@dataclass
class RateLimited(MarketplaceError):
    until: datetime  # no request to this marketplace before then


@dataclass
class Refused(MarketplaceError):
    """The marketplace said no for a reason retrying cannot fix (400, 409, 422)."""

    status: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


@dataclass
class VersionConflict(MarketplaceError):
    """The listing changed remotely since the version the update was based on."""

    current: RemoteListing


class NotFound(MarketplaceError):
    pass


class Unsupported(MarketplaceError):
    """The marketplace does not take this at all (a listing video, say): the engine skips
    it and shows why, in this message."""


class AuthFailed(MarketplaceError):
    """The token is missing, expired beyond refresh, or revoked: the user must reconnect."""


@dataclass
class Counters:
    """Requests made, for the benchmark's requests-per-edit and no-op cycle counts."""

    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)


class Marketplace(Protocol):
    name: str
    counters: Counters
    provides_labels: bool  # whether order_label gives the shipping label to print
    # Requests the engine may have in flight to this marketplace at once (photo uploads,
    # batch creates); 1 where the adapter's own state is not safe across threads.
    max_in_flight: int

    def close(self) -> None: ...

    def signin_expires_at(self) -> datetime | None:
        """When the seller must sign in again, if the marketplace says."""
        ...

    def seller_name(self) -> str:
        """Whose account the credentials open: checks a connection before it is kept."""
        ...

    def fee_schedule(self) -> FeeSchedule | None:
        """What the marketplace keeps of a sale, if it says (None: it does not)."""
        ...

    def create_listing(self, fields: dict[str, Any], idempotency_key: str) -> RemoteListing: ...

    def find_listing_by_sku(self, sku: str) -> RemoteListing | None: ...

    def get_listing(self, remote_id: str) -> RemoteListing: ...

    def update_listing(
        self, remote_id: str, changes: dict[str, Any], base_version: int
    ) -> RemoteListing: ...

    def change_listing_status(self, remote_id: str, action: ListingAction) -> RemoteListing: ...

    def upload_photo(self, sha256: str, data: bytes, content_type: str) -> None: ...

    def put_listing_video(self, remote_id: str, video: ListingVideo) -> None:
        """Uploads the video (restartable: by its hash, carried on where it stopped) and
        makes it the listing's one video; Unsupported where the marketplace takes none."""
        ...

    def put_seller_video(self, video: ListingVideo) -> None:
        """The seller's "meet the seller" video, uploaded the same way; Unsupported where
        the marketplace has no such thing."""
        ...

    def events(self, after: int, limit: int) -> FeedPage: ...

    def ship_order(self, remote_id: str, tracking_number: str = "") -> None: ...

    def cancel_order(self, remote_id: str) -> None:
        """Cancels an unshipped order (repeating it is a no-op); its listings go back on sale."""
        ...

    def order_label(self, remote_id: str) -> bytes: ...

    def get_offer(self, remote_id: str) -> RemoteOffer: ...

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]: ...

    def answer_offer(self, remote_id: str, answer: OfferAnswer) -> RemoteOffer: ...

    def counter_offer(self, remote_id: str, amount_cents: int) -> RemoteOffer: ...

    def offer_to_likers(
        self,
        listing_id: str,
        amount_cents: int,
        shipping_discount_cents: int,
        expires_in_hours: int,
    ) -> int:
        """Sends the offer to every current liker; returns how many it reached."""
        ...

    def send_message(
        self, buyer_id: str, kind: MessageKind, body: str, listing_ids: list[str]
    ) -> RemoteMessage: ...

    def messages(self) -> list[RemoteMessage]: ...

    # Reading a whole closet in a few requests, for an import (studio/sync/closet_import.py)
    def listings(self, status: ListingState | None, after: str | None, limit: int) -> ListingPage:
        """The seller's listings (of one status, or all), oldest first."""
        ...

    def likes(self, after: str | None, limit: int) -> LikePage:
        """Every current like on the seller's listings (an empty page where there are no
        likes to read)."""
        ...

    def offers(self, after: str | None, limit: int) -> OfferPage:
        """Every offer on the seller's listings, whatever its state (an empty page where
        there are none to read)."""
        ...

    def download_photo(self, sha256: str) -> bytes:
        """A listing photo's bytes, by the hash that names them (the caller checks it)."""
        ...


@runtime_checkable
class ShowHost(Protocol):
    """A marketplace that hosts live shows. An adapter whose marketplace has none leaves this
    out, and a show is then recorded in the studio only (studio/shows/hosting.py)."""

    name: str

    def close(self) -> None: ...

    def schedule_show(
        self, title: str, starts_at: datetime, lineup: list[tuple[str, int | None]]
    ) -> str:
        """Schedules a line-up of (listing id, show price or None); returns the show's id."""
        ...

    def price_on_air(self, remote_id: str, listing_id: str, price_cents: int) -> None: ...

    def start_show(self, remote_id: str) -> None: ...

    def end_show(self, remote_id: str) -> None: ...


@dataclass(frozen=True)
class NewListing:
    """A listing to create, under the idempotency key its outbox op fixed before it was sent."""

    fields: dict[str, Any]
    idempotency_key: str


@dataclass(frozen=True)
class PhotoUpload:
    sha256: str
    content: bytes
    content_type: str


@runtime_checkable
class BulkPublishing(Protocol):
    """What a marketplace may offer for publishing many listings at once (a first sync):
    creates in batches, and which photos it holds already. The engine sends creates to a
    marketplace without it one at a time."""

    listing_batch_limit: int  # listings one create_listings call may hold

    def create_listings(
        self, listings: Sequence[NewListing]
    ) -> list[RemoteListing | MarketplaceError]:
        """Creates (or, for a key seen before, replays) each listing: one result per listing,
        in order, a refusal of one leaving the others alone. Raises when the request as a
        whole failed, as create_listing would."""
        ...

    def photos_held(self, hashes: Sequence[str]) -> set[str]:
        """Those of the photos (by content hash) the marketplace has from this seller."""
        ...

    photo_batch_limit: int  # photos one upload_photos call may hold
    photo_batch_bytes: int  # and their bytes together

    def upload_photos(self, photos: Sequence[PhotoUpload]) -> dict[str, MarketplaceError]:
        """Uploads the photos in one request; those refused, with why (a refusal of one
        leaves the others stored). Raises when the request as a whole failed."""
        ...
