"""What sync remembers locally: listing links, the outbox, the feed cursor, buyer activity."""

import enum
from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, UniqueConstraint

from studio.inventory.tables import utc_now


class OpState(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"  # marked and committed before the request goes out
    UNKNOWN = "unknown"  # sent, no answer: resend with the same key, never blindly anew
    ACKED = "acked"
    CANCELLED = "cancelled"
    PARKED = "parked"  # refused for a reason retrying cannot fix; waits for the user


OPEN_STATES = (OpState.PENDING.value, OpState.IN_FLIGHT.value, OpState.UNKNOWN.value)
OPEN_CREATE = "kind = 'create_listing' AND state IN ('pending', 'in_flight', 'unknown')"


class OpKind(enum.StrEnum):
    CREATE_LISTING = "create_listing"
    UPDATE_LISTING = "update_listing"
    DELIST = "delist"
    RELIST = "relist"
    MARK_SOLD = "mark_sold"
    SHIP_ORDER = "ship_order"
    CANCEL_ORDER = "cancel_order"
    ACCEPT_OFFER = "accept_offer"
    DECLINE_OFFER = "decline_offer"
    COUNTER_OFFER = "counter_offer"
    OFFER_TO_LIKERS = "offer_to_likers"
    SEND_MESSAGE = "send_message"
    PUT_VIDEO = "put_video"  # the item's listing video (studio/sync/video_ops.py)
    PUT_SELLER_VIDEO = "put_seller_video"  # the account's "meet the seller" video


class SigninState(enum.StrEnum):
    OK = "ok"
    EXPIRED = "expired"  # refused or revoked: nothing syncs until the seller signs in again


class MarketplaceAccount(SQLModel, table=True):
    """A connected marketplace. Its tokens live in the credential store, never here."""

    __tablename__ = "marketplace_account"

    name: str = Field(primary_key=True)  # the seller's name for it, e.g. "seller-api", "ebay"
    kind: str = "seller-api"  # which adapter speaks to it (studio/sync/connection.py)
    base_url: str
    seller_name: str = ""
    # The seller's price rule here: list price + price_percent %, the cents set to
    # price_ending ("" keeps them, "00", "99"), never below price_minimum_cents.
    price_percent: int = 0
    price_ending: str = ""
    price_minimum_cents: int = 0
    # The marketplace's fee: fee_rate_bp of the subtotal (basis points), or a flat fee
    # below a subtotal (studio/seller_tools/fees.py).
    fee_rate_bp: int = 2000
    flat_fee_cents: int = 295
    flat_fee_below_cents: int = 1500
    signin_expires_at: datetime | None = None  # when the sign-in lapses, if known
    signin_state: str = SigninState.OK.value
    connected_at: datetime = Field(default_factory=utc_now)
    blocked_until: datetime | None = None  # from Retry-After: no request before then
    failures: int = 0  # consecutive connection failures, for the back-off
    last_sync_at: datetime | None = None
    last_error: str = ""


class ListingLink(SQLModel, table=True):
    """One item's listing on one marketplace, and the state both sides last agreed on."""

    __tablename__ = "listing_link"
    __table_args__ = (
        UniqueConstraint("item_id", "marketplace"),
        UniqueConstraint("marketplace", "remote_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    marketplace: str = Field(foreign_key="marketplace_account.name", ondelete="CASCADE")
    remote_id: str | None = None  # None until the create is acknowledged
    remote_version: int = 0
    remote_status: str = ""  # a ListingState (studio/sync/port.py); "" until listed
    base: str = "{}"  # JSON: each synced field's last agreed value
    likes_count: int = 0
    synced_at: datetime | None = None


class OutboxOp(SQLModel, table=True):
    """A change that must reach a marketplace, written in the same transaction as the edit."""

    __tablename__ = "outbox"
    __table_args__ = (
        # At most one open create per item and marketplace: a second would be a second listing.
        Index(
            "ux_outbox_one_open_create",
            "marketplace",
            "item_id",
            unique=True,
            sqlite_where=text(OPEN_CREATE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)  # the order ops were made in
    op_id: str = Field(unique=True)  # a UUID, sent as the Idempotency-Key
    marketplace: str = Field(foreign_key="marketplace_account.name", ondelete="CASCADE")
    entity: str = Field(index=True)  # "item:42", "order:7": ops of one entity run in order
    item_id: int | None = None
    kind: str
    payload: str = "{}"  # JSON: absolute values of the changed fields
    base_version: int | None = None
    state: str = Field(default=OpState.PENDING.value, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utc_now)
    last_error: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class DoubleSale(SQLModel, table=True):
    """One item sold twice, on two marketplaces, before the delist landed: an alert that
    stays until the seller settles it (keeps one order and cancels the other)."""

    __tablename__ = "double_sale"
    __table_args__ = (UniqueConstraint("first_order_id", "second_order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    first_order_id: int = Field(foreign_key="orders.id", ondelete="CASCADE")
    second_order_id: int = Field(foreign_key="orders.id", ondelete="CASCADE")
    detected_at: datetime = Field(default_factory=utc_now)
    settled_at: datetime | None = Field(default=None, index=True)
    settlement: str = ""  # what the seller chose, in words


class SyncCursor(SQLModel, table=True):
    __tablename__ = "sync_cursor"

    marketplace: str = Field(
        primary_key=True, foreign_key="marketplace_account.name", ondelete="CASCADE"
    )
    cursor: int = 0  # the server's cursor: never derived from this laptop's clock
    updated_at: datetime = Field(default_factory=utc_now)


class Like(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("marketplace", "remote_listing_id", "buyer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str
    remote_listing_id: str
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    buyer_id: str
    buyer_name: str = ""
    active: bool = True  # False once unliked: the history feeds "recent like activity"
    changed_at: datetime  # the server's time of the like or unlike


class Offer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("marketplace", "remote_id"),)

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str
    remote_id: str
    remote_listing_id: str
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    parent_remote_id: str | None = None
    kind: str  # an OfferKind (studio/sync/port.py)
    buyer_id: str = ""
    buyer_name: str = ""
    amount_cents: int
    shipping_discount_cents: int = 0
    status: str = Field(index=True)  # an OfferState
    reason: str = ""
    expires_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class Follower(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("marketplace", "buyer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str
    buyer_id: str
    buyer_name: str = ""
    followed_at: datetime


class BuyerMessage(SQLModel, table=True):
    """What a buyer wrote to the seller, as the marketplace's feed brought it."""

    __tablename__ = "buyer_message"
    __table_args__ = (UniqueConstraint("marketplace", "remote_id"),)

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str
    remote_id: str
    buyer_id: str = Field(index=True)
    buyer_name: str = ""
    remote_listing_id: str | None = None  # the listing it is about, if any
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    body: str
    received_at: datetime  # the server's time of writing
    read: bool = False  # the seller opened the conversation since


class Conflict(SQLModel, table=True):
    """A field both sides changed to different values; the user picks one."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    marketplace: str
    field: str
    local_value: str  # JSON
    remote_value: str  # JSON
    created_at: datetime = Field(default_factory=utc_now)


class MarketplaceCategory(SQLModel, table=True):
    """The marketplace's category the seller confirmed for one of the studio's categories
    (eBay's "Coats, Jackets & Vests" for "Coats"): every item of it is listed there in it."""

    __tablename__ = "marketplace_category"

    marketplace: str = Field(
        primary_key=True, foreign_key="marketplace_account.name", ondelete="CASCADE"
    )
    studio_category: str = Field(primary_key=True)  # "" for items without a category
    category_id: str
    label: str = ""  # the category's path in words, as the marketplace names it
    chosen_at: datetime = Field(default_factory=utc_now)


class MarketplaceLookup(SQLModel, table=True):
    """What a marketplace last answered to a look-up the item editor needs (the categories
    it suggests for some words, a category's item specifics and conditions): the editor
    opens without asking again, and offline it shows what the marketplace said last."""

    __tablename__ = "marketplace_lookup"

    marketplace: str = Field(
        primary_key=True, foreign_key="marketplace_account.name", ondelete="CASCADE"
    )
    key: str = Field(primary_key=True)  # "suggest:<words>" or "category:<id>"
    answer: str = "{}"  # JSON, as studio/sync/marketplace_details.py writes it
    fetched_at: datetime = Field(default_factory=utc_now)
