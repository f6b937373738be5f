"""How an item reads as a listing: the synced fields, with the values both sides use."""

import json
from typing import Any

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, Photo
from studio.sync import marketplace_details as details
from studio.sync.pricing import IDENTITY, PriceRule, price_on, terms_for

# Item column -> listing field. Photos are the ordered hashes of the item's photos.
ITEM_TO_LISTING = {
    "title": "title",
    "description": "description",
    "brand": "brand",
    "size": "size",
    "condition": "condition",
    "list_price_cents": "price_cents",
    "floor_price_cents": "floor_price_cents",
    "sku": "sku",
}
LISTING_TO_ITEM = {listing: item for item, listing in ITEM_TO_LISTING.items()}
OPTIONAL_TEXT = ("brand", "size", "condition")
# Item columns only some marketplaces take, under the same names (details.EXTRA_FIELDS).
EXTRA_ITEM_FIELDS = tuple(
    dict.fromkeys(n for names in details.EXTRA_FIELDS.values() for n in names)
)


def photo_hashes(session: Session, item_id: int) -> list[str]:
    query = select(Photo.file_hash).where(Photo.item_id == item_id).order_by(col(Photo.position))
    return list(session.exec(query).all())


def listing_value(item_field: str, value: Any) -> Any:
    """Blank optional text is 'no value' on a marketplace."""
    listing_field = ITEM_TO_LISTING[item_field]
    return (value or None) if listing_field in OPTIONAL_TEXT else value


def item_value(listing_field: str, value: Any) -> Any:
    if listing_field in OPTIONAL_TEXT or listing_field == "description":
        return value or ""
    return value


def listing_fields(session: Session, item: Item, rule: PriceRule = IDENTITY) -> dict[str, Any]:
    """The whole listing as a marketplace with this price rule gets it."""
    assert item.id is not None
    fields = {
        listing: listing_value(name, getattr(item, name))
        for name, listing in ITEM_TO_LISTING.items()
    }
    fields["photos"] = photo_hashes(session, item.id)
    return priced(fields, rule)


def extra_value(name: str, value: Any) -> Any:
    """An extra field as a marketplace gets it: the specifics as a dict, blank text as none."""
    return details.aspects_of(value) if name == "aspects" else (value or None)


def listing_fields_for(session: Session, item: Item, marketplace: str) -> dict[str, Any]:
    """The whole listing as `marketplace` gets it: priced by the seller's rule there, with
    the fields only its kind of marketplace takes (eBay's: item specifics, its category)."""
    fields = listing_fields(session, item, terms_for(session, marketplace).rule)
    kind = details.kind_of(session, marketplace)
    for name in details.EXTRA_FIELDS.get(kind, ()):
        fields[name] = extra_value(name, getattr(item, name))
    if kind in details.CATEGORY_FIELD:
        category = details.listing_category(session, marketplace, item)
        if category is not None:  # else the adapter asks for one as it lists
            fields[details.CATEGORY_FIELD[kind]] = category
    return fields


def taken_by(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Changed fields without the extras a marketplace of this kind does not take."""
    takes = details.EXTRA_FIELDS.get(kind, ())
    return {k: v for k, v in fields.items() if k not in EXTRA_ITEM_FIELDS or k in takes}


def priced(fields: dict[str, Any], rule: PriceRule) -> dict[str, Any]:
    """Listing fields holding the list price, as a marketplace with this rule gets them."""
    price = fields.get("price_cents")
    if price is None or rule.is_identity:
        return fields
    return {**fields, "price_cents": price_on(rule, price)}


def loads(text: str) -> dict[str, Any]:
    data = json.loads(text or "{}")
    assert isinstance(data, dict)
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
