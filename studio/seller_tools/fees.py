"""The marketplace's fee and what the seller keeps (docs/seller-api.md, "Orders").

20% of the subtotal; a flat 2.95 below 15.00 (never more than the subtotal). The buyer pays
the prepaid label, so a shipping discount changes what the buyer pays, not the seller's net.
"""

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
