"""The editable fields of an item, declared once: labels, kinds, and how text becomes a value.

The editor, the table, bulk edit and CSV import/export all read this table, so a field is
described in one place only.
"""

import enum
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from studio.inventory.tables import ItemStatus
from studio.money import MoneyError, from_cents, parse_money, to_cents


class Kind(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    MONEY = "money"
    DATE = "date"
    STATUS = "status"
    TAGS = "tags"


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the Item column
    label: str
    kind: Kind = Kind.TEXT
    max_length: int = 200
    csv_aliases: tuple[str, ...] = ()


class FieldError(ValueError):
    """A value that cannot be stored; the message says what to write instead."""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("sku", "SKU", max_length=40, csv_aliases=("item sku", "item number", "code")),
    FieldSpec("title", "Title", csv_aliases=("name", "item", "item name", "listing title")),
    FieldSpec("brand", "Brand", max_length=80, csv_aliases=("maker", "designer")),
    FieldSpec("category", "Category", max_length=80, csv_aliases=("type", "department")),
    FieldSpec("size", "Size", max_length=40),
    FieldSpec("color", "Color", max_length=60, csv_aliases=("colour",)),
    FieldSpec("condition", "Condition", max_length=60),
    FieldSpec("tags", "Tags", Kind.TAGS, max_length=500, csv_aliases=("keywords", "labels")),
    FieldSpec(
        "list_price_cents", "List price", Kind.MONEY, csv_aliases=("price", "list price", "ask")
    ),
    FieldSpec(
        "floor_price_cents",
        "Floor price",
        Kind.MONEY,
        csv_aliases=("floor", "lowest price", "min price", "minimum price"),
    ),
    FieldSpec("cost_cents", "Cost", Kind.MONEY, csv_aliases=("cost price", "paid", "cogs")),
    FieldSpec("purchase_date", "Purchase date", Kind.DATE, csv_aliases=("purchased", "bought on")),
    FieldSpec(
        "purchase_source", "Purchase source", max_length=120, csv_aliases=("source", "bought at")
    ),
    FieldSpec("status", "Status", Kind.STATUS),
    FieldSpec(
        "bin_location", "Bin", max_length=40, csv_aliases=("bin location", "location", "bin")
    ),
    FieldSpec("description", "Description", Kind.LONG_TEXT, max_length=10_000),
    FieldSpec("notes", "Notes", Kind.LONG_TEXT, max_length=10_000),
)

BY_NAME = {spec.name: spec for spec in FIELDS}
MONEY_FIELDS = tuple(spec.name for spec in FIELDS if spec.kind is Kind.MONEY)
STATUSES = tuple(status.value for status in ItemStatus)
DATE_FORMATS_HINT = "write it as YYYY-MM-DD, e.g. 2026-03-31"
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_value(spec: FieldSpec, raw: Any) -> Any:
    """Turns what a person typed (or a CSV cell) into the value stored in the column."""
    if spec.kind is Kind.MONEY:
        return _parse_money(spec, raw)
    if spec.kind is Kind.DATE:
        return _parse_date(raw)
    text = "" if raw is None else str(raw)
    text = text if spec.kind is Kind.LONG_TEXT else " ".join(text.split())
    if len(text) > spec.max_length:
        raise FieldError(f"is {len(text)} characters long; keep it under {spec.max_length}")
    if spec.kind is Kind.STATUS:
        status = text.lower() or ItemStatus.DRAFT.value
        if status not in STATUSES:
            raise FieldError(f"'{text}' is not a status; use one of {', '.join(STATUSES)}")
        return status
    if spec.kind is Kind.TAGS:
        return normalise_tags(text)
    if spec.name == "sku":
        return text.upper()
    return text


def _parse_money(spec: FieldSpec, raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        amount = parse_money(raw)
    except MoneyError as error:
        raise FieldError(str(error)) from None
    if amount < 0:
        raise FieldError(f"cannot be negative ({amount}); enter 0 or more")
    if amount >= Decimal("1000000"):
        raise FieldError(f"{amount} is too large; enter less than 1,000,000")
    return to_cents(amount)


def _parse_date(raw: Any) -> date | None:
    if raw is None or isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    us = _US_DATE.match(text)
    try:
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise FieldError(f"'{text}' is not a date; {DATE_FORMATS_HINT}") from None


def normalise_tags(text: str) -> str:
    """'Y2K, vintage,,y2k ' -> 'y2k, vintage': lower case, unique, in the order given."""
    seen: dict[str, None] = {}
    for tag in text.split(","):
        cleaned = " ".join(tag.split()).lower()
        if cleaned:
            seen.setdefault(cleaned)
    return ", ".join(seen)


def display_value(spec: FieldSpec, value: Any) -> str:
    """How a stored value is shown in the table, the editor and exports."""
    if value is None:
        return ""
    if spec.kind is Kind.MONEY:
        amount = from_cents(value)
        return "" if amount is None else f"{amount:.2f}"
    if spec.kind is Kind.DATE:
        return value.isoformat()
    return str(value)
