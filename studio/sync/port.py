"""The Marketplace port: what the sync engine needs from any marketplace, in plain values.

The Seller API client is the first implementation; another marketplace plugs in behind the
same Protocol. Errors are typed by what the engine must do about them, not by HTTP status.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class RemoteListing:
    id: str
    version: int
    status: str  # active, delisted, sold
    fields: dict[str, Any]  # the synced fields as the marketplace holds them
    likes_count: int = 0
    sold_via: str | None = None


@dataclass(frozen=True)
class RemoteOffer:
    id: str
    listing_id: str
    buyer_id: str
    kind: str  # buyer, counter, to_likers
    amount_cents: int
    status: str  # pending, accepted, declined, countered, expired
    created_at: datetime


@dataclass(frozen=True)
class RemoteMessage:
    id: str
    buyer_id: str
    kind: str  # greeting, thank_you, bundle_suggestion
    body: str
    created_at: datetime


@dataclass(frozen=True)
class FeedEvent:
    cursor: int
    type: str
    created_at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedEvent]
    next_cursor: int
    has_more: bool


class MarketplaceError(Exception):
    """Base of what a marketplace call can end in, other than success."""


class Unreachable(MarketplaceError):
    """No answer (connection refused, reset, timeout) or a 5xx: the outcome is unknown."""


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

    def create_listing(self, fields: dict[str, Any], idempotency_key: str) -> RemoteListing: ...

    def find_listing_by_sku(self, sku: str) -> RemoteListing | None: ...

    def get_listing(self, remote_id: str) -> RemoteListing: ...

    def update_listing(
        self, remote_id: str, changes: dict[str, Any], base_version: int
    ) -> RemoteListing: ...

    def change_listing_status(self, remote_id: str, action: str) -> RemoteListing: ...

    def upload_photo(self, sha256: str, data: bytes, content_type: str) -> None: ...

    def events(self, after: int, limit: int) -> FeedPage: ...

    def ship_order(self, remote_id: str) -> None: ...

    def order_label(self, remote_id: str) -> bytes: ...

    def get_offer(self, remote_id: str) -> RemoteOffer: ...

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]: ...

    def answer_offer(self, remote_id: str, action: str) -> RemoteOffer:
        """`action` is "accept" or "decline"."""
        ...

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
        self, buyer_id: str, kind: str, body: str, listing_ids: list[str]
    ) -> RemoteMessage: ...

    def messages(self) -> list[RemoteMessage]: ...
