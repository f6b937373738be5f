"""Database tables. Money is integer cents; times are timezone-aware UTC."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class MarketTable(SQLModel, registry=registry()):
    """Base of every table here. Its own registry and metadata keep these tables apart from
    any other SQLModel tables in the same process (the studio embeds this server in tests)."""


class Seller(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    display_name: str
    password_salt: str | None = None
    password_hash: str | None = None
    ship_from: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    currency: str = "USD"
    # The last feed position handed out; bumped under a row lock by every write (see feed.py).
    event_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Buyer(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    address: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Token(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True)
    kind: str  # personal | access | refresh | buyer
    seller_id: int | None = Field(default=None, foreign_key="seller.id", index=True)
    buyer_id: int | None = Field(default=None, foreign_key="buyer.id")
    client_id: str | None = None
    # Tokens issued from one authorization share a grant so they can be revoked together.
    grant_id: str | None = Field(default=None, index=True)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class AuthCode(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(index=True, unique=True)
    client_id: str
    redirect_uri: str
    seller_id: int = Field(foreign_key="seller.id")
    code_challenge: str
    grant_id: str
    expires_at: datetime
    used_at: datetime | None = None


class Listing(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    sku: str | None = Field(default=None, index=True)
    title: str
    description: str = ""
    brand: str | None = None
    size: str | None = None
    condition: str | None = None
    price_cents: int
    floor_price_cents: int | None = None
    shipping_cents: int = 0
    currency: str = "USD"
    status: str = "active"  # active | delisted | sold
    sold_via: str | None = None  # marketplace | elsewhere
    version: int = 1
    likes_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Photo(MarketTable, table=True):
    sha256: str = Field(primary_key=True)
    size_bytes: int
    content_type: str
    width: int
    height: int
    created_at: datetime = Field(default_factory=utcnow)


class SellerPhoto(MarketTable, table=True):
    seller_id: int = Field(foreign_key="seller.id", primary_key=True)
    sha256: str = Field(foreign_key="photo.sha256", primary_key=True)


class ListingPhoto(MarketTable, table=True):
    listing_id: int = Field(foreign_key="listing.id", primary_key=True)
    position: int = Field(primary_key=True)
    sha256: str = Field(foreign_key="photo.sha256")


class Like(MarketTable, table=True):
    buyer_id: int = Field(foreign_key="buyer.id", primary_key=True)
    listing_id: int = Field(foreign_key="listing.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Follow(MarketTable, table=True):
    buyer_id: int = Field(foreign_key="buyer.id", primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class Offer(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    listing_id: int = Field(foreign_key="listing.id", index=True)
    buyer_id: int = Field(foreign_key="buyer.id", index=True)
    kind: str  # buyer | counter | to_likers
    amount_cents: int
    shipping_discount_cents: int = 0
    status: str = "pending"  # pending | accepted | declined | countered | expired
    reason: str | None = None
    parent_id: int | None = None
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Order(MarketTable, table=True):
    __tablename__ = "orders"
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    buyer_id: int = Field(foreign_key="buyer.id")
    offer_id: int | None = None
    status: str = "paid"  # paid | shipped | cancelled
    buyer_name: str
    ship_to: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    ship_from: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    currency: str = "USD"
    subtotal_cents: int
    shipping_cents: int
    shipping_discount_cents: int = 0
    marketplace_fee_cents: int
    total_cents: int
    seller_earnings_cents: int
    tracking_number: str
    created_at: datetime = Field(default_factory=utcnow)
    shipped_at: datetime | None = None
    cancelled_at: datetime | None = None


class OrderLine(MarketTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    listing_id: int = Field(foreign_key="listing.id")
    title: str
    sku: str | None = None
    price_cents: int


class Message(MarketTable, table=True):
    """What a seller sent a buyer."""

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    buyer_id: int = Field(foreign_key="buyer.id", index=True)
    kind: str  # greeting | thank_you | bundle_suggestion | reply
    body: str
    listing_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class BuyerMessage(MarketTable, table=True):
    """What a buyer wrote to a seller, about one of their listings or not. A table of its own,
    not a direction on Message: a data directory made before it gains it from create_all."""

    __tablename__ = "buyer_message"
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    buyer_id: int = Field(foreign_key="buyer.id", index=True)
    listing_id: int | None = Field(default=None, foreign_key="listing.id")
    body: str
    created_at: datetime = Field(default_factory=utcnow)


class Notification(MarketTable, table=True):
    """What a buyer was told, e.g. that a liked listing's price was cut."""

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyer.id", index=True)
    listing_id: int = Field(foreign_key="listing.id")
    kind: str
    old_price_cents: int
    new_price_cents: int
    created_at: datetime = Field(default_factory=utcnow)


class Event(MarketTable, table=True):
    __table_args__ = (UniqueConstraint("seller_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id")
    seq: int
    type: str
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class IdempotencyRecord(MarketTable, table=True):
    seller_id: int = Field(foreign_key="seller.id", primary_key=True)
    key: str = Field(primary_key=True)
    request_hash: str
    status_code: int
    response: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class LiveShow(MarketTable, table=True):
    """A live selling show: scheduled, then live (buyers buy its line-up), then ended."""

    __tablename__ = "live_show"
    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="seller.id", index=True)
    title: str
    starts_at: datetime
    status: str = "scheduled"  # scheduled | live | ended
    started_at: datetime | None = None
    ended_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ShowSlot(MarketTable, table=True):
    """One listing's place in a show's line-up, at its show price."""

    __tablename__ = "show_slot"
    show_id: int = Field(foreign_key="live_show.id", primary_key=True)
    listing_id: int = Field(foreign_key="listing.id", primary_key=True)
    position: int
    price_cents: int | None = None  # the price on air; the listing's own when null


class Video(MarketTable, table=True):
    """A listing video, stored once by content hash (marketplace/video_routes.py)."""

    sha256: str = Field(primary_key=True)
    size_bytes: int
    duration_ms: int
    width: int
    height: int
    created_at: datetime = Field(default_factory=utcnow)


class SellerVideo(MarketTable, table=True):
    seller_id: int = Field(foreign_key="seller.id", primary_key=True)
    sha256: str = Field(foreign_key="video.sha256", primary_key=True)


class ListingVideo(MarketTable, table=True):
    listing_id: int = Field(foreign_key="listing.id", primary_key=True)
    sha256: str = Field(foreign_key="video.sha256")
    poster_sha256: str = Field(foreign_key="photo.sha256")  # its cover frame, a photo


class SellerIntroVideo(MarketTable, table=True):
    """The seller's "meet the seller" video, shown at the top of their closet."""

    seller_id: int = Field(foreign_key="seller.id", primary_key=True)
    sha256: str = Field(foreign_key="video.sha256")
    poster_sha256: str = Field(foreign_key="photo.sha256")
