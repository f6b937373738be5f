"""The marketplace's fee and what the seller keeps (docs/seller-api.md, "Orders").

20% of the subtotal; a flat 2.95 below 15.00 (never more than the subtotal). The buyer pays
the prepaid label, so a shipping discount changes what the buyer pays, not the seller's net.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEE_RATE = Decimal("0.20")
FLAT_FEE_CENTS = 295
FLAT_FEE_BELOW_CENTS = 1500


def fee_cents(subtotal_cents: int) -> int:
    if subtotal_cents < FLAT_FEE_BELOW_CENTS:
        return min(FLAT_FEE_CENTS, subtotal_cents)
    return int((subtotal_cents * FEE_RATE).to_integral_value(rounding=ROUND_HALF_UP))


def net_cents(subtotal_cents: int) -> int:
    """What the seller keeps of a sale at this price."""
    return subtotal_cents - fee_cents(subtotal_cents)


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


def item_numbers(price_cents: int, cost_cents: int | None, shipping_cents: int = 0) -> ItemNumbers:
    return ItemNumbers(price_cents, fee_cents(price_cents), shipping_cents, cost_cents)
