"""Request and response bodies. Requests reject unknown fields and loose types."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from marketplace.ids import IdField
from marketplace.problems import Problem

Cents = Annotated[int, Field(ge=0, le=100_000_000, description="Money in integer cents.")]
PositiveCents = Annotated[int, Field(ge=1, le=100_000_000, description="Integer cents, > 0.")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
OptionalText = Annotated[str, StringConstraints(max_length=200)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Address(StrictModel):
    name: ShortText
    line1: ShortText
    line2: OptionalText | None = None
    city: ShortText
    region: OptionalText | None = None
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class ListingCreate(StrictModel):
    title: ShortText
    price_cents: PositiveCents
    sku: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    brand: OptionalText | None = None
    size: OptionalText | None = None
    condition: OptionalText | None = None
    floor_price_cents: Cents | None = None
    shipping_cents: Cents = 0
    photos: Annotated[list[Sha256], Field(max_length=20)] = []


# Listings one batch create may hold; more is refused as a whole (422 batch_too_large).
BATCH_LIMIT = 25
IdempotencyKeyText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ListingBatchEntry(StrictModel):
    idempotency_key: IdempotencyKeyText
    listing: ListingCreate


class ListingBatch(StrictModel):
    listings: Annotated[
        list[ListingBatchEntry],
        Field(
            min_length=1,
            description=f"At most {BATCH_LIMIT}, each under its own idempotency key.",
            json_schema_extra={"maxItems": BATCH_LIMIT},
        ),
    ]


class ListingUpdate(StrictModel):
    """Only the fields sent change; each is an absolute value."""

    title: ShortText | None = None
    price_cents: PositiveCents | None = None
    sku: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    brand: OptionalText | None = None
    size: OptionalText | None = None
    condition: OptionalText | None = None
    floor_price_cents: Cents | None = None
    shipping_cents: Cents | None = None
    photos: Annotated[list[Sha256], Field(max_length=20)] | None = None


class PhotoOut(BaseModel):
    sha256: str
    url: str


class PhotoStored(BaseModel):
    sha256: str
    size_bytes: int
    content_type: str
    width: int
    height: int
    url: str


class ListingOut(BaseModel):
    id: int
    sku: str | None
    title: str
    description: str
    brand: str | None
    size: str | None
    condition: str | None
    price_cents: int
    floor_price_cents: int | None
    shipping_cents: int
    currency: str
    status: Literal["active", "delisted", "sold"]
    sold_via: Literal["marketplace", "elsewhere"] | None
    version: int
    likes_count: int
    photos: list[PhotoOut]
    created_at: datetime
    updated_at: datetime


class ListingBatchResult(BaseModel):
    """One entry's outcome, in the order sent: the listing (201, also when replayed) or the
    problem that kept it from being created (nothing of it was stored)."""

    idempotency_key: str
    status: int
    replayed: bool = False
    listing: ListingOut | None = None
    problem: Problem | None = None


class ListingBatchOut(BaseModel):
    results: list[ListingBatchResult]


class PhotoList(BaseModel):
    photos: list[PhotoStored]


class PhotoBatchResult(BaseModel):
    """One part's outcome, in the order sent: the photo (201 new, 200 already the seller's)
    or the problem that kept it out (nothing of it was stored)."""

    sha256: str
    status: int
    photo: PhotoStored | None = None
    problem: Problem | None = None


class PhotoBatchOut(BaseModel):
    results: list[PhotoBatchResult]


class ListingPage(BaseModel):
    listings: list[ListingOut]
    next_after_id: int | None


class BuyerRef(BaseModel):
    id: int
    name: str


class Likes(BaseModel):
    listing_id: int
    likes_count: int
    likers: list[BuyerRef]


class LikeOut(BaseModel):
    listing_id: int
    buyer: BuyerRef
    created_at: datetime


class LikePage(BaseModel):
    """Every current like on the seller's listings, by listing then buyer."""

    likes: list[LikeOut]
    next_after: str | None  # pass as `after` for the next page; null on the last


class OfferOut(BaseModel):
    id: int
    listing_id: int
    buyer: BuyerRef
    kind: Literal["buyer", "counter", "to_likers"]
    amount_cents: int
    shipping_discount_cents: int
    currency: str
    status: Literal["pending", "accepted", "declined", "countered", "expired"]
    reason: str | None
    parent_id: int | None
    expires_at: datetime
    created_at: datetime
    updated_at: datetime


class OfferList(BaseModel):
    offers: list[OfferOut]
    next_before_id: int | None = None  # the seller's list: pass as `before_id` for more


class CounterOffer(StrictModel):
    amount_cents: PositiveCents


class OfferToLikers(StrictModel):
    amount_cents: PositiveCents
    shipping_discount_cents: Cents = 0
    expires_in_hours: Annotated[int, Field(ge=1, le=168)] = 24


class OfferToLikersResult(BaseModel):
    listing_id: int
    likers_reached: int
    offers: list[OfferOut]


class OrderLineOut(BaseModel):
    listing_id: int
    title: str
    sku: str | None
    price_cents: int


class OrderOut(BaseModel):
    id: int
    status: Literal["paid", "shipped", "cancelled"]
    buyer: BuyerRef
    buyer_name: str
    ship_to: dict[str, str | None]
    lines: list[OrderLineOut]
    currency: str
    subtotal_cents: int
    shipping_cents: int
    shipping_discount_cents: int
    marketplace_fee_cents: int
    total_cents: int
    seller_earnings_cents: int
    tracking_number: str
    offer_id: int | None
    label_url: str
    created_at: datetime
    shipped_at: datetime | None
    cancelled_at: datetime | None


class OrderList(BaseModel):
    orders: list[OrderOut]


# A reply answers a buyer's message; it has no standard text, so it must come with a body.
MessageKind = Literal["greeting", "thank_you", "bundle_suggestion", "reply"]
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class MessageCreate(StrictModel):
    buyer_id: IdField
    kind: MessageKind
    body: MessageText | None = None
    listing_ids: Annotated[list[IdField], Field(max_length=20)] = []


class MessageOut(BaseModel):
    id: int
    buyer: BuyerRef
    kind: MessageKind
    body: str
    listing_ids: list[int]
    created_at: datetime


class MessageList(BaseModel):
    messages: list[MessageOut]


class BuyerMessageOut(BaseModel):
    """A buyer's message to the seller, as the feed's `message.received` carries it."""

    id: int
    buyer: BuyerRef
    listing_id: int | None
    body: str
    created_at: datetime


class EventOut(BaseModel):
    cursor: int
    type: str
    created_at: datetime
    data: dict[str, object]


class EventPage(BaseModel):
    events: list[EventOut]
    next_cursor: int
    has_more: bool


class FeesOut(BaseModel):
    """What the marketplace keeps of a sale: `rate_basis_points` of the subtotal (2000 is 20%),
    rounded half up to the cent; `flat_cents` instead below `flat_below_cents`."""

    rate_basis_points: int
    flat_cents: int
    flat_below_cents: int


class SellerOut(BaseModel):
    name: str
    display_name: str
    currency: str
    ship_from: dict[str, str | None]
    followers_count: int
    closet_url: str
    fees: FeesOut


class SellerUpdate(StrictModel):
    display_name: ShortText | None = None
    ship_from: Address | None = None


class FollowerList(BaseModel):
    followers: list[BuyerRef]


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str
    refresh_token_expires_in: int  # seconds; refresh tokens rotate, each lasting this long
    scope: str
