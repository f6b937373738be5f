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

from studio.inventory import measures
from studio.inventory.tables import ItemStatus
from studio.money import MoneyError, from_cents, parse_money, to_cents


class Kind(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    MONEY = "money"
    DATE = "date"
    STATUS = "status"
    TAGS = "tags"
    LENGTH = "length"  # hundredths of an inch (studio/inventory/measures.py)
    WEIGHT = "weight"  # tenths of an ounce
    PACKAGE = "package"  # "L x W x H" in inches


class Group(enum.Enum):
    """Where a field sits in the item editor."""

    LISTING = "Listing"
    DETAILS = "Details"
    MEASUREMENTS = "Measurements"
    SHIPPING = "Shipping"
    BUSINESS = "Cost and notes"


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the Item column
    label: str
    kind: Kind = Kind.TEXT
    max_length: int = 200
    csv_aliases: tuple[str, ...] = ()
    group: Group = Group.LISTING


class FieldError(ValueError):
    """A value that cannot be stored; the message says what to write instead."""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("sku", "SKU", max_length=40, csv_aliases=("item sku", "item number", "code")),
    FieldSpec("title", "Title", csv_aliases=("name", "item", "item name", "listing title")),
    FieldSpec("brand", "Brand", max_length=80, csv_aliases=("maker", "designer")),
    FieldSpec("category", "Category", max_length=80, csv_aliases=("type",)),
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
    FieldSpec(
        "cost_cents",
        "Cost",
        Kind.MONEY,
        csv_aliases=("cost price", "paid", "cogs"),
        group=Group.BUSINESS,
    ),
    FieldSpec(
        "purchase_date",
        "Purchase date",
        Kind.DATE,
        csv_aliases=("purchased", "bought on"),
        group=Group.BUSINESS,
    ),
    FieldSpec(
        "purchase_source",
        "Purchase source",
        max_length=120,
        csv_aliases=("source", "bought at"),
        group=Group.BUSINESS,
    ),
    FieldSpec("status", "Status", Kind.STATUS),
    FieldSpec(
        "bin_location", "Bin", max_length=40, csv_aliases=("bin location", "location", "bin")
    ),
    FieldSpec("description", "Description", Kind.LONG_TEXT, max_length=10_000),
    FieldSpec("notes", "Notes", Kind.LONG_TEXT, max_length=10_000, group=Group.BUSINESS),
    FieldSpec("material", "Material", max_length=120, csv_aliases=("fabric",), group=Group.DETAILS),
    FieldSpec("style", "Style", max_length=80, csv_aliases=("fit", "cut"), group=Group.DETAILS),
    FieldSpec(
        "department", "Department", max_length=40, csv_aliases=("gender",), group=Group.DETAILS
    ),
    FieldSpec("flaws", "Flaws", Kind.LONG_TEXT, max_length=2000, group=Group.DETAILS),
    *(
        FieldSpec(name, label, Kind.LENGTH, csv_aliases=aliases, group=Group.MEASUREMENTS)
        for name, label, aliases in (
            ("pit_to_pit", "Pit to pit", ("ptp", "chest", "pit to pit")),
            ("length", "Length", ("body length",)),
            ("waist", "Waist", ()),
            ("inseam", "Inseam", ()),
            ("rise", "Rise", ()),
            ("sleeve", "Sleeve", ("sleeve length",)),
            ("insole", "Shoe insole", ("insole", "insole length")),
        )
    ),
    FieldSpec(
        "weight", "Weight", Kind.WEIGHT, csv_aliases=("shipping weight",), group=Group.SHIPPING
    ),
    FieldSpec(
        "package_size",
        "Package size",
        Kind.PACKAGE,
        max_length=40,
        csv_aliases=("package", "dimensions", "box size"),
        group=Group.SHIPPING,
    ),
)
MEASUREMENT_FIELDS = tuple(spec for spec in FIELDS if spec.kind is Kind.LENGTH)

BY_NAME = {spec.name: spec for spec in FIELDS}
MONEY_FIELDS = tuple(spec.name for spec in FIELDS if spec.kind is Kind.MONEY)
STATUSES = tuple(status.value for status in ItemStatus)
DATE_FORMATS_HINT = "write it as YYYY-MM-DD, e.g. 2026-03-31"
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Characters no one types on purpose: control codes (NUL and friends, which some programs
# cut text at) and the bidirectional overrides and isolates, which make a title or SKU read
# differently on screen from what is stored. Tabs and line breaks stay allowed.
_SURROGATE = re.compile("[\ud800-\udfff]")
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def parse_value(spec: FieldSpec, raw: Any) -> Any:
    """Turns what a person typed (or a CSV cell) into the value stored in the column."""
    if spec.kind is Kind.MONEY:
        return _parse_money(spec, raw)
    if spec.kind is Kind.DATE:
        return _parse_date(raw)
    if spec.kind in MEASURE_PARSERS:
        return _parse_measure(spec, raw)
    text = "" if raw is None else str(raw)
    hidden = _HIDDEN.search(text)
    if _SURROGATE.search(text):
        # What a terminal passes for bytes that are not text: it cannot even be stored.
        raise FieldError("holds bytes that are not text; type it again in plain characters")
    if hidden:
        code = f"U+{ord(hidden.group()):04X}"
        raise FieldError(
            f"holds an invisible control character ({code}) that would hide or reverse part "
            "of the text; delete it and type the text again"
        )
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


MEASURE_PARSERS = {
    Kind.LENGTH: measures.parse_length,
    Kind.WEIGHT: measures.parse_weight,
    Kind.PACKAGE: measures.parse_package,
}


def _parse_measure(spec: FieldSpec, raw: Any) -> int | str | None:
    try:
        return MEASURE_PARSERS[spec.kind]("" if raw is None else str(raw))
    except measures.MeasureError as error:
        raise FieldError(str(error)) from None


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
    if spec.kind is Kind.LENGTH:
        return measures.show_length(value)
    if spec.kind is Kind.WEIGHT:
        return measures.show_weight(value)
    return str(value)
