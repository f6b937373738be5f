"""The database tables. Later capabilities add theirs through migrations."""

import enum
from datetime import UTC, date, datetime

from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class ItemStatus(enum.StrEnum):
    DRAFT = "draft"
    READY = "ready"
    LISTED = "listed"
    SOLD = "sold"
    SHIPPED = "shipped"
    ARCHIVED = "archived"


class Item(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(unique=True, max_length=40)
    title: str = Field(max_length=200)
    description: str = ""
    brand: str = Field(default="", index=True)
    category: str = Field(default="", index=True)
    size: str = Field(default="", index=True)
    color: str = ""
    condition: str = ""
    tags: str = ""  # comma-separated, so FTS5 indexes them as plain words
    cost_cents: int | None = None
    purchase_date: date | None = None
    purchase_source: str = ""
    list_price_cents: int | None = Field(default=None, index=True)
    floor_price_cents: int | None = None
    status: str = Field(default=ItemStatus.DRAFT.value, index=True)
    bin_location: str = Field(default="", index=True)
    notes: str = ""
    created_at: datetime = Field(default_factory=utc_now, index=True)
    updated_at: datetime = Field(default_factory=utc_now, index=True)


class Photo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    position: int = 0  # 0 is the cover
    file_hash: str = Field(max_length=64, index=True)  # sha256 of the original, its store key
    filename: str = ""
    width: int = 0
    height: int = 0
    recipe: str | None = None  # the edit recipe as JSON
    created_at: datetime = Field(default_factory=utc_now)


class SkuPrefix(SQLModel, table=True):
    """Per-category SKU prefix (user editable) and the next number to hand out."""

    category: str = Field(primary_key=True)
    prefix: str = Field(max_length=12)
    next_number: int = 1
