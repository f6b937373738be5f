"""How an item reads as a listing: the synced fields, with the values both sides use."""

import json
from typing import Any

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, Photo

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


def listing_fields(session: Session, item: Item) -> dict[str, Any]:
    assert item.id is not None
    fields = {
        listing: listing_value(name, getattr(item, name))
        for name, listing in ITEM_TO_LISTING.items()
    }
    fields["photos"] = photo_hashes(session, item.id)
    return fields


def loads(text: str) -> dict[str, Any]:
    data = json.loads(text or "{}")
    assert isinstance(data, dict)
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
