"""What the seller tools remember: offer rules and what they did, price-drop plans, message
templates and sent messages, offers sent to likers and scheduled ones, cover colours."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from studio.inventory.tables import utc_now


class OfferRule(SQLModel, table=True):
    """How to answer buyers' offers on one item, or on every item (item_id None)."""

    __tablename__ = "offer_rule"
    __table_args__ = (UniqueConstraint("item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="CASCADE")
    enabled: bool = True
    decline_below_floor: bool = True
    counter_percent: int | None = None  # counter at this % of the list price
    accept_at_cents: int | None = None  # accept any offer at or above this
    updated_at: datetime = Field(default_factory=utc_now)


class AutomaticAction(SQLModel, table=True):
    """Something the studio did on its own, kept so the seller can see and trust it."""

    __tablename__ = "automatic_action"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    # accept, decline, counter, price_drop, message, offer_to_likers, scheduled_offer_skipped
    kind: str
    item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="SET NULL")
    offer_remote_id: str | None = Field(default=None, index=True)
    buyer_name: str = ""
    amount_cents: int | None = None
    detail: str  # the reason, in words


class PriceDropPlan(SQLModel, table=True):
    __tablename__ = "price_drop_plan"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    start_cents: int  # the price when the plan was made
    percent: int  # of the price before the step, at each step
    every_days: int
    stop_cents: int  # never below: the floor when the plan was made
    status: str = Field(default="active", index=True)  # active, finished, cancelled
    note: str = ""  # why it finished or was cancelled
    created_at: datetime = Field(default_factory=utc_now)


class PriceDropStep(SQLModel, table=True):
    __tablename__ = "price_drop_step"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="price_drop_plan.id", ondelete="CASCADE", index=True)
    number: int
    due_at: datetime
    price_cents: int
    state: str = "planned"  # planned, done, skipped, cancelled
    done_at: datetime | None = None


class MessageTemplate(SQLModel, table=True):
    """One template per kind of message, with its automatic sending and daily cap."""

    __tablename__ = "message_template"

    kind: str = Field(primary_key=True)  # greeting, thank_you, bundle_suggestion
    body: str
    auto_send: bool = False
    daily_cap: int = 20
    updated_at: datetime = Field(default_factory=utc_now)


class SentMessage(SQLModel, table=True):
    __tablename__ = "sent_message"

    id: int | None = Field(default=None, primary_key=True)
    marketplace: str
    buyer_id: str = Field(index=True)
    buyer_name: str = ""
    kind: str
    body: str
    item_ids: str = "[]"  # JSON: the items a bundle suggestion names
    order_id: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    automatic: bool = False
    op_id: str = ""  # the outbox op that carries it
    sent_at: datetime = Field(default_factory=utc_now, index=True)


class LikersOffer(SQLModel, table=True):
    """An offer sent to every liker of one item."""

    __tablename__ = "likers_offer"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    amount_cents: int
    shipping_discount_cents: int = 0
    expires_in_hours: int = 24
    net_cents: int  # what the seller keeps after the marketplace's fee
    likers: int  # how many liked it when it was sent
    op_id: str = ""
    created_at: datetime = Field(default_factory=utc_now, index=True)


class CoverColour(SQLModel, table=True):
    """The dominant colour of a cover photo's subject, by the photo's hash."""

    __tablename__ = "cover_colour"

    file_hash: str = Field(primary_key=True, max_length=64)
    rgb: str  # "#rrggbb"


class ScheduledOffer(SQLModel, table=True):
    """An offer to one item's likers that repeats: percent off every so many days, a set
    number of times; the stored job sends each one through the ordinary likers offer."""

    __tablename__ = "scheduled_offer"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
    percent_off: int  # of the price on the day each offer goes out
    shipping_discount_cents: int = 0
    expires_in_hours: int = 24
    every_days: int
    times: int  # how many runs in all, sent or skipped
    runs: int = 0
    next_due_at: datetime
    status: str = Field(default="active", index=True)  # active, finished, cancelled
    note: str = ""  # why it finished or was cancelled
    created_at: datetime = Field(default_factory=utc_now)


class Expense(SQLModel, table=True):
    """Money spent running the business (supplies, fees, sourcing trips), for the yearly
    profit and loss; mileage is kept as miles and priced by the year's rate."""

    __tablename__ = "expense"

    id: int | None = Field(default=None, primary_key=True)
    spent_on: date = Field(index=True)
    category: str = Field(max_length=60)  # "Supplies", "Mileage", ...
    amount_cents: int = 0
    miles_tenths: int | None = None  # set for mileage: the amount then comes from the rate
    note: str = ""
    created_at: datetime = Field(default_factory=utc_now)


class MileageRate(SQLModel, table=True):
    """Cents per mile the seller deducts for a year (their tax authority's standard rate)."""

    __tablename__ = "mileage_rate"

    year: int = Field(primary_key=True)
    tenth_cents_per_mile: int  # 700 = 70.0 cents
