"""Bodies of the buyers' endpoints (the simulator and any storefront use these)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from marketplace.ids import IdField
from marketplace.schemas import (
    Address,
    MessageKind,
    MessageText,
    PhotoOut,
    PositiveCents,
    ShortText,
    StrictModel,
)


class BuyerCreate(StrictModel):
    name: ShortText
    address: Address


class BuyerCreated(BaseModel):
    id: int
    name: str
    token: str


class PublicListing(BaseModel):
    id: int
    title: str
    description: str
    brand: str | None
    size: str | None
    price_cents: int
    shipping_cents: int
    currency: str
    status: Literal["active", "delisted", "sold"]
    likes_count: int
    photos: list[PhotoOut]


class PublicListingPage(BaseModel):
    seller: str
    listings: list[PublicListing]
    next_after_id: int | None


class LikeState(BaseModel):
    listing_id: int
    liked: bool
    likes_count: int


class FollowState(BaseModel):
    seller: str
    following: bool


class BuyerOfferCreate(StrictModel):
    amount_cents: PositiveCents


class PurchaseCreate(StrictModel):
    listing_ids: Annotated[list[IdField], Field(min_length=1, max_length=10)]


class NotificationOut(BaseModel):
    id: int
    listing_id: int
    kind: str
    old_price_cents: int
    new_price_cents: int
    created_at: datetime


class NotificationList(BaseModel):
    notifications: list[NotificationOut]


class BuyerMessageCreate(StrictModel):
    body: MessageText
    listing_id: IdField | None = None  # the listing asked about, if any


class MessageFromSeller(BaseModel):
    id: int
    seller: str
    kind: MessageKind
    body: str
    listing_ids: list[int]
    created_at: datetime


class MessageFromSellerList(BaseModel):
    messages: list[MessageFromSeller]
