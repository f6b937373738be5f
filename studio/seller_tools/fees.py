"""A marketplace's fee and what the seller keeps (docs/seller-api.md, "Orders").

Each marketplace has its own fee schedule (kept on its account, studio/sync/pricing.py):
a share of the subtotal, or a flat fee below a subtotal (never more than the subtotal).
DEFAULT_FEES is the reference marketplace's: 20%, a flat 2.95 below 15.00. The buyer pays
the prepaid label, so a shipping discount changes what the buyer pays, not the seller's net.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from studio.money import format_money

BASIS_POINTS = 10_000  # in 100%


@dataclass(frozen=True)
class FeeSchedule:
    rate_bp: int = 2000  # of the subtotal, in basis points (2000 = 20%)
    flat_cents: int = 295  # instead, for a subtotal below flat_below_cents
    flat_below_cents: int = 1500

    def fee_cents(self, subtotal_cents: int) -> int:
        if subtotal_cents < self.flat_below_cents:
            return min(self.flat_cents, subtotal_cents)
        # Half up to the cent, in integers: the reference server rounds the same way.
        return (subtotal_cents * self.rate_bp + BASIS_POINTS // 2) // BASIS_POINTS

    def net_cents(self, subtotal_cents: int) -> int:
        """What the seller keeps of a sale at this price."""
        return subtotal_cents - self.fee_cents(subtotal_cents)

    @property
    def rate_percent(self) -> Decimal:
        return Decimal(self.rate_bp) / 100

    @property
    def words(self) -> str:
        """'20% of the sale, $2.95 below $15.00', for labels and the command line."""
        text = f"{self.rate_percent.normalize():f}% of the sale"
        if self.flat_below_cents:
            text += f", {format_money(self.flat_cents)} below {format_money(self.flat_below_cents)}"
        return text


DEFAULT_FEES = FeeSchedule()


def fee_cents(subtotal_cents: int, schedule: FeeSchedule = DEFAULT_FEES) -> int:
    return schedule.fee_cents(subtotal_cents)


def net_cents(subtotal_cents: int, schedule: FeeSchedule = DEFAULT_FEES) -> int:
    """What the seller keeps of a sale at this price."""
    return schedule.net_cents(subtotal_cents)


def percent_of(price_cents: int, percent: Decimal | int) -> int:
    """`percent`% of a price, to the nearest cent (half up)."""
    value = Decimal(price_cents) * Decimal(percent) / 100
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ItemNumbers:
    """One item's money at a price: the fee, the postage the seller pays, what they keep,
    and the profit over what the item cost (None while the cost is not recorded)."""

    price_cents: int
    fee_cents: int
    shipping_cents: int
    cost_cents: int | None

    @property
    def keep_cents(self) -> int:
        return self.price_cents - self.fee_cents - self.shipping_cents

    @property
    def profit_cents(self) -> int | None:
        return None if self.cost_cents is None else self.keep_cents - self.cost_cents


def item_numbers(
    price_cents: int,
    cost_cents: int | None,
    shipping_cents: int = 0,
    schedule: FeeSchedule = DEFAULT_FEES,
) -> ItemNumbers:
    return ItemNumbers(price_cents, schedule.fee_cents(price_cents), shipping_cents, cost_cents)
