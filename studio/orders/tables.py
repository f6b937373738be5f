"""Orders from a marketplace: who bought what, where it ships, and its shipping state."""

import enum
from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from studio.inventory.tables import utc_now

LOCAL_MARKETPLACE = "local"  # orders made by hand, which no marketplace needs to hear about


class OrderStatus(enum.StrEnum):
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("marketplace", "remote_id"),)

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str = LOCAL_MARKETPLACE  # which marketplace it came from
    remote_id: str  # the marketplace's id; with marketplace, what makes pulls idempotent
    number: str  # the order number the buyer sees, printed on slips
    buyer_name: str
    buyer_username: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    status: str = Field(default=OrderStatus.TO_SHIP.value, index=True)
    total_cents: int = 0  # what the buyer paid for the items
    fee_cents: int = 0  # the marketplace's fee
    shipping_cents: int = 0
    buyer_note: str = ""
    tracking_number: str = ""
    label_hash: str = ""  # the shipping label PDF in the data dir's labels/, by sha256
    ordered_at: datetime = Field(default_factory=utc_now, index=True)
    ship_by: datetime | None = None
    shipped_at: datetime | None = None
    remote_version: int = 0
    updated_at: datetime = Field(default_factory=utc_now)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", ondelete="CASCADE", index=True)
    # The item may be deleted later; the line keeps what was sold.
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    sku: str = ""
    title: str = ""
    price_cents: int = 0
