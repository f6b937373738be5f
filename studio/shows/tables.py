"""A live show and its line-up. Money in integer cents, times in UTC."""

import enum
from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from studio.inventory.tables import utc_now


class ShowStatus(enum.StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    ENDED = "ended"


class Show(SQLModel, table=True):
    __tablename__ = "show"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    starts_at: datetime = Field(index=True)
    status: str = ShowStatus.PLANNED.value
    # The marketplace that hosts it on air ("" for a show the studio only records): its
    # buyers' purchases arrive as that marketplace's orders (studio/shows/live_sales.py).
    marketplace: str = ""
    remote_id: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)


class ShowItem(SQLModel, table=True):
    """One item's place in a show's line-up, its planned prices and what the host says."""

    __tablename__ = "show_item"
    __table_args__ = (UniqueConstraint("show_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    show_id: int = Field(foreign_key="show.id", ondelete="CASCADE", index=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    position: int = 0
    opening_cents: int | None = None  # the price asked on air; changed live in show mode
    floor_cents: int | None = None  # the least the host takes on air
    talking_points: str = ""
    sold_to: str = ""
    sold_cents: int | None = None
    sold_at: datetime | None = None
    order_id: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
