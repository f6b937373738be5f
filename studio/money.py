"""Money is Decimal in the program and integer cents in the database, never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# No reseller price, fee or expense comes near this; anything above is a typo or a hostile
# file, and refusing it early keeps Decimal's 28-digit context from overflowing on quantize.
MAX_AMOUNT = Decimal("1000000.00")


class MoneyError(ValueError):
    pass


def parse_money(text: str | Decimal | int) -> Decimal:
    """Reads '12', '12.5', '$1,299.00' or '12,50' (comma as decimal mark) into a Decimal.

    Refuses what is not an amount, more than two decimals (rounding them silently would
    change the price the seller typed) and anything beyond MAX_AMOUNT either way.
    """
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace("$", "").replace("€", "").replace("£", "").strip()
        if "," in cleaned and "." not in cleaned and len(cleaned.rsplit(",", 1)[1]) <= 2:
            cleaned = cleaned.replace(",", ".")
        cleaned = cleaned.replace(",", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise MoneyError(f"'{text}' is not an amount; write it like 12.50") from None
    if not value.is_finite():
        raise MoneyError(f"'{text}' is not an amount; write it like 12.50")
    if value.copy_abs() > MAX_AMOUNT:  # copy_abs, unlike abs(), cannot overflow
        raise MoneyError(f"'{text}' is too large; enter an amount up to {MAX_AMOUNT:,}")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError(f"'{text}' has more than two decimals; write it like 12.50")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int | None) -> Decimal | None:
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(CENT)


def format_money(cents: int | None) -> str:
    """'$1,299.00' style; empty for an unknown amount."""
    amount = from_cents(cents)
    return "" if amount is None else f"${amount:,.2f}"
