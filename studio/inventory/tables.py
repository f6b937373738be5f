"""The database tables. Later capabilities add theirs through migrations."""

import enum
from datetime import UTC, date, datetime

from sqlalchemy import event
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
    material: str = ""
    style: str = ""
    department: str = ""
    flaws: str = ""
    # Measurements in hundredths of an inch, weight in tenths of an ounce (inventory/measures.py)
    pit_to_pit: int | None = None
    length: int | None = None
    waist: int | None = None
    inseam: int | None = None
    rise: int | None = None
    sleeve: int | None = None
    insole: int | None = None
    weight: int | None = None
    package_size: str = ""  # "L x W x H" in inches
    # Item specifics a marketplace asks for that have no field here, by its own names, as
    # JSON: {"Size Type": "Regular"} for eBay (studio/sync/marketplace_details.py).
    aspects: str = "{}"
    created_at: datetime = Field(default_factory=utc_now, index=True)
    updated_at: datetime = Field(default_factory=utc_now, index=True)
    sold_at: datetime | None = None  # when it became sold, by an order or by hand


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


class DescriptionTemplate(SQLModel, table=True):
    """A listing description with {fields}, filled per item (inventory/descriptions.py)."""

    __tablename__ = "description_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    body: str


SOLD_STATUSES = (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value)


@event.listens_for(Item.status, "set")
def _note_the_sale(item: Item, status: str, previous: object, _initiator: object) -> None:
    """Every way an item becomes sold (an order, a hand edit, a bulk edit, a show) dates the
    sale, so insights count sales made off the marketplace too."""
    if status in SOLD_STATUSES and previous not in SOLD_STATUSES and item.sold_at is None:
        item.sold_at = utc_now()
    elif status not in SOLD_STATUSES and previous in SOLD_STATUSES:
        item.sold_at = None


@event.listens_for(Item, "before_insert")
def _date_a_new_sold_item(_mapper: object, _connection: object, item: Item) -> None:
    # SQLModel's constructor sets fields without attribute events: an item added as sold
    # is dated here.
    if item.status in SOLD_STATUSES and item.sold_at is None:
        item.sold_at = utc_now()
