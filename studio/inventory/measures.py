"""Measurements, weight and package size, as resellers write them.

Lengths are kept in hundredths of an inch and weights in tenths of an ounce (integers, like
money in cents), so "21.25" stays 21.25 and what a seller typed in centimetres or grams is
converted once. A bare number is inches or ounces, the units the marketplaces show buyers;
"55 cm", "21.5 in", '21.5"', "1 lb 4 oz", "340 g" and "0.5 kg" are understood too.
"""

import re
from decimal import Decimal, InvalidOperation

MAX_INCHES = Decimal(200)
MAX_OUNCES = Decimal(70 * 16)  # 70 lb: the heaviest parcel the usual carriers take

_CM_PER_INCH = Decimal("2.54")
_GRAMS_PER_OUNCE = Decimal("28.349523125")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_LENGTH = re.compile(rf"^{_NUMBER}\s*(in|inch|inches|\"|''|cm|mm)?$", re.IGNORECASE)
_POUNDS_OUNCES = re.compile(rf"^{_NUMBER}\s*(?:lb|lbs)\s*(?:{_NUMBER}\s*oz)?$", re.IGNORECASE)
_WEIGHT = re.compile(rf"^{_NUMBER}\s*(oz|g|kg)?$", re.IGNORECASE)
_PACKAGE = re.compile(
    rf"^{_NUMBER}\s*[x×*]\s*{_NUMBER}\s*[x×*]\s*{_NUMBER}\s*(in|inch|inches|\"|cm)?$",
    re.IGNORECASE,
)


class MeasureError(ValueError):
    """Text that is not a measurement; the message shows how to write one."""


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise MeasureError(f"'{text}' is not a number") from None


def _inches(value: Decimal, unit: str | None) -> Decimal:
    unit = (unit or "in").lower()
    if unit == "cm":
        return value / _CM_PER_INCH
    if unit == "mm":
        return value / _CM_PER_INCH / 10
    return value


def parse_length(text: str) -> int | None:
    """'21.5', '21.5 in', '55 cm' -> hundredths of an inch; '' -> None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _LENGTH.match(cleaned)
    if match is None:
        raise MeasureError(f"'{cleaned}' is not a length; write inches like 21.5, or 55 cm")
    inches = _inches(_number(match.group(1)), match.group(2))
    if inches > MAX_INCHES:
        raise MeasureError(f"{cleaned} is longer than {MAX_INCHES} inches; check the number")
    return int((inches * 100).to_integral_value())


def parse_weight(text: str) -> int | None:
    """'12', '12 oz', '1 lb 4 oz', '340 g', '0.5 kg' -> tenths of an ounce; '' -> None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    pounds = _POUNDS_OUNCES.match(cleaned)
    simple = _WEIGHT.match(cleaned)
    if pounds is not None:
        ounces = _number(pounds.group(1)) * 16 + _number(pounds.group(2) or "0")
    elif simple is not None:
        value, unit = _number(simple.group(1)), (simple.group(2) or "oz").lower()
        grams = {"g": value, "kg": value * 1000}.get(unit)
        ounces = value if grams is None else grams / _GRAMS_PER_OUNCE
    else:
        raise MeasureError(
            f"'{cleaned}' is not a weight; write ounces like 12, or 1 lb 4 oz, 340 g"
        )
    if ounces > MAX_OUNCES:
        raise MeasureError(f"{cleaned} is over 70 lb, more than a parcel can weigh")
    return int((ounces * 10).to_integral_value())


def parse_package(text: str) -> str:
    """'12x10x2', '30 x 25 x 5 cm' -> '12 x 10 x 2' (inches, to two decimals); '' -> ''."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    match = _PACKAGE.match(cleaned)
    if match is None:
        raise MeasureError(f"'{cleaned}' is not a package size; write length x width x height")
    sides = [_inches(_number(match.group(i)), match.group(4)) for i in (1, 2, 3)]
    if any(side > MAX_INCHES for side in sides):
        raise MeasureError(f"{cleaned}: a side is over {MAX_INCHES} inches; check the numbers")
    return " x ".join(_plain(side.quantize(Decimal("0.01"))) for side in sides)


def package_sides(size: str) -> tuple[Decimal, Decimal, Decimal] | None:
    """The inches of a stored package size, for a marketplace that wants numbers."""
    parts = size.split(" x ")
    if len(parts) != 3:
        return None
    return Decimal(parts[0]), Decimal(parts[1]), Decimal(parts[2])


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def show_length(hundredths: int | None) -> str:
    return "" if hundredths is None else _plain(Decimal(hundredths) / 100)


def show_weight(tenths: int | None) -> str:
    """Tenths of an ounce as a person reads them: '12.5 oz', '1 lb 4 oz'."""
    if tenths is None:
        return ""
    ounces = Decimal(tenths) / 10
    if ounces < 16:
        return f"{_plain(ounces)} oz"
    pounds, rest = divmod(ounces, 16)
    return f"{pounds} lb" + (f" {_plain(rest)} oz" if rest else "")
