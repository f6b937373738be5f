"""Insights: sales, revenue and profit, sell-through, days to sell, likes-to-sale conversion,
best and worst brands and categories, and aged inventory, for a date range.

Profit is price minus cost, the marketplace's fee and the shipping the seller paid. On the
marketplace the buyer pays the prepaid label, so only hand-made (local) orders carry the
seller's postage. An order's fee and shipping are shared among its lines by price, to the
cent, the remainder on the last line. Days to sell count from the day the item was added.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from studio.inventory.tables import SOLD_STATUSES, Item, ItemStatus
from studio.orders.service import as_utc
from studio.orders.tables import LOCAL_MARKETPLACE, Order, OrderLine, OrderStatus
from studio.sync.tables import Like, MarketplaceAccount

AGED_DAYS = 90
RANKED = 3  # best and worst shown
SOLD_BY_HAND = "sold by hand"  # the "marketplace" of a sale made without an order


@dataclass(frozen=True)
class Sale:
    item_id: int | None
    sku: str
    title: str
    brand: str
    category: str
    marketplace: str
    sold_at: datetime
    price_cents: int
    cost_cents: int
    fee_cents: int
    shipping_cents: int
    days_to_sell: int | None

    @property
    def profit_cents(self) -> int:
        return self.price_cents - self.cost_cents - self.fee_cents - self.shipping_cents


@dataclass
class Totals:
    sales: int = 0
    revenue_cents: int = 0
    cost_cents: int = 0
    fees_cents: int = 0
    shipping_cents: int = 0

    @property
    def profit_cents(self) -> int:
        return self.revenue_cents - self.cost_cents - self.fees_cents - self.shipping_cents

    def add(self, sale: Sale) -> None:
        self.sales += 1
        self.revenue_cents += sale.price_cents
        self.cost_cents += sale.cost_cents
        self.fees_cents += sale.fee_cents
        self.shipping_cents += sale.shipping_cents


@dataclass(frozen=True)
class AgedItem:
    item_id: int
    sku: str
    title: str
    days_listed: int


@dataclass
class Insights:
    start: date
    end: date
    totals: Totals
    sell_through: Decimal | None  # percent
    average_days_to_sell: Decimal | None
    likes_to_sale: Decimal | None  # percent of liked items that sold
    by_month: dict[str, Totals] = field(default_factory=dict)
    by_marketplace: dict[str, Totals] = field(default_factory=dict)
    by_category: dict[str, Totals] = field(default_factory=dict)
    by_brand: dict[str, Totals] = field(default_factory=dict)
    aged: list[AgedItem] = field(default_factory=list)

    def best(self, groups: dict[str, Totals]) -> list[str]:
        return [name for name, _t in _by_profit(groups)[:RANKED]]

    def worst(self, groups: dict[str, Totals]) -> list[str]:
        """The least profitable, apart from those already among the best."""
        best = set(self.best(groups))
        return [name for name, _t in reversed(_by_profit(groups)) if name not in best][:RANKED]


def _by_profit(groups: dict[str, Totals]) -> list[tuple[str, Totals]]:
    return sorted(groups.items(), key=lambda pair: (-pair[1].profit_cents, pair[0]))


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The range from the start day's local midnight to the end of the end day."""
    zone = datetime.now().astimezone().tzinfo
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )


def share(total: int, weights: list[int]) -> list[int]:
    """`total` cents split by weight, to the cent; the remainder lands on the last share."""
    whole = sum(weights)
    if not weights:
        return []
    if whole == 0:
        return [0] * (len(weights) - 1) + [total]
    parts = [
        int((Decimal(total) * w / whole).to_integral_value(rounding=ROUND_HALF_UP))
        for w in weights[:-1]
    ]
    return [*parts, total - sum(parts)]


def sales(session: Session, start: date, end: date) -> list[Sale]:
    low, high = local_bounds(start, end)
    orders = session.exec(
        select(Order)
        .where(
            Order.status != OrderStatus.CANCELLED.value,
            Order.ordered_at >= low,
            Order.ordered_at < high,
        )
        .order_by(col(Order.ordered_at))
    ).all()
    ids = [order.id for order in orders]
    lines: dict[int, list[OrderLine]] = {}
    for line in session.exec(
        select(OrderLine).where(col(OrderLine.order_id).in_(ids)).order_by(col(OrderLine.id))
    ):
        lines.setdefault(line.order_id, []).append(line)
    item_ids = [line.item_id for group in lines.values() for line in group if line.item_id]
    items = {i.id: i for i in session.exec(select(Item).where(col(Item.id).in_(item_ids)))}
    result = []
    for order in orders:
        group = lines.get(order.id or 0, [])
        prices = [line.price_cents for line in group]
        fees = share(order.fee_cents, prices)
        postage = order.shipping_cents if order.marketplace == LOCAL_MARKETPLACE else 0
        shipping = share(postage, prices)
        sold_at = as_utc(order.ordered_at)
        for line, fee, ship in zip(group, fees, shipping, strict=True):
            item = items.get(line.item_id) if line.item_id else None
            days = (sold_at - as_utc(item.created_at)).days if item else None
            result.append(
                Sale(
                    item_id=line.item_id,
                    sku=line.sku,
                    title=line.title,
                    brand=(item.brand if item else "") or "(no brand)",
                    category=(item.category if item else "") or "(no category)",
                    marketplace=order.marketplace,
                    sold_at=sold_at,
                    price_cents=line.price_cents,
                    cost_cents=(item.cost_cents or 0) if item else 0,
                    fee_cents=fee,
                    shipping_cents=ship,
                    days_to_sell=max(days, 0) if days is not None else None,
                )
            )
    return sorted(result + _sold_by_hand(session, low, high), key=lambda sale: sale.sold_at)


def _sold_by_hand(session: Session, low: datetime, high: datetime) -> list[Sale]:
    """Items marked sold without an order (sold at a market, to a friend, elsewhere): they
    count at their list price, with no fee or postage known. Read as plain rows, not as
    objects: a big inventory has thousands of them."""
    in_orders = select(OrderLine.item_id).where(col(OrderLine.item_id).is_not(None))
    # Items imported as sold by a bulk insert have no sale date: their last change stands in.
    sold_at = func.coalesce(col(Item.sold_at), col(Item.updated_at))
    rows = session.execute(
        select_columns(
            col(Item.id),
            col(Item.sku),
            col(Item.title),
            col(Item.brand),
            col(Item.category),
            col(Item.list_price_cents),
            col(Item.cost_cents),
            col(Item.created_at),
            sold_at,
        ).where(
            col(Item.status).in_(SOLD_STATUSES),
            sold_at >= low,
            sold_at < high,
            col(Item.id).not_in(in_orders),
        )
    ).all()
    sales = []
    for item_id, sku, title, brand, category, price, cost, created_at, when in rows:
        sold = as_utc(when)
        sales.append(
            Sale(
                item_id=item_id,
                sku=sku,
                title=title,
                brand=brand or "(no brand)",
                category=category or "(no category)",
                marketplace=SOLD_BY_HAND,
                sold_at=sold,
                price_cents=price or 0,
                cost_cents=cost or 0,
                fee_cents=0,
                shipping_cents=0,
                days_to_sell=max((sold - as_utc(created_at)).days, 0),
            )
        )
    return sales


def group(sold: Iterable[Sale], key: Callable[[Sale], str]) -> dict[str, Totals]:
    groups: dict[str, Totals] = {}
    for sale in sold:
        groups.setdefault(key(sale), Totals()).add(sale)
    return groups


def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def marketplace_labels(session: Session) -> dict[str, str]:
    """How a person calls each place a sale came from (the stored ids are for the code)."""
    labels = {LOCAL_MARKETPLACE: "Orders made by hand", SOLD_BY_HAND: "Marked sold by hand"}
    for account in session.exec(select(MarketplaceAccount)):
        host = urlsplit(account.base_url).hostname or account.base_url
        labels[account.name] = f"{account.seller_name} on {host}" if account.seller_name else host
    return labels


def insights(session: Session, start: date, end: date, now: datetime) -> Insights:
    sold = sales(session, start, end)
    labels = marketplace_labels(session)
    totals = Totals()
    for sale in sold:
        totals.add(sale)
    _low, high = local_bounds(start, end)
    unsold = session.exec(
        select(func.count()).where(Item.status == ItemStatus.LISTED.value, Item.created_at < high)
    ).one()
    days = [s.days_to_sell for s in sold if s.days_to_sell is not None]
    average = (
        (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if days
        else None
    )
    return Insights(
        start=start,
        end=end,
        totals=totals,
        sell_through=percent(len(sold), len(sold) + int(unsold)),
        average_days_to_sell=average,
        likes_to_sale=_likes_to_sale(session),
        by_month=group(sold, lambda s: s.sold_at.astimezone().strftime("%Y-%m")),
        by_marketplace=group(sold, lambda s: labels.get(s.marketplace, s.marketplace)),
        by_category=group(sold, lambda s: s.category),
        by_brand=group(sold, lambda s: s.brand),
        aged=aged_inventory(session, now),
    )


def _likes_to_sale(session: Session) -> Decimal | None:
    liked = set(session.exec(select(Like.item_id).where(col(Like.item_id).is_not(None))).all())
    if not liked:
        return None
    sold = session.exec(
        select(func.count()).where(
            col(Item.id).in_(liked),
            col(Item.status).in_(SOLD_STATUSES),
        )
    ).one()
    return percent(int(sold), len(liked))


def aged_inventory(session: Session, now: datetime) -> list[AgedItem]:
    """Listed over AGED_DAYS days with no likes at all: candidates for a new photo or price."""
    liked = select(Like.item_id).where(col(Like.active).is_(True), col(Like.item_id).is_not(None))
    rows = session.exec(
        select(Item)
        .where(
            Item.status == ItemStatus.LISTED.value,
            Item.created_at < now - timedelta(days=AGED_DAYS),
            col(Item.id).not_in(liked),
        )
        .order_by(col(Item.created_at))
    ).all()
    return [
        AgedItem(item.id or 0, item.sku, item.title, (now - as_utc(item.created_at)).days)
        for item in rows
    ]
