"""Inventory service: create, edit, duplicate, archive, delete and bulk-edit items.

Every function takes a session and plain values and leaves committing to the caller, so a
screen, the command line or an import can group work into one transaction.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from studio.inventory import sku as skus
from studio.inventory.fields import BY_NAME, FieldError, parse_value
from studio.inventory.tables import Item, ItemStatus, Photo, utc_now
from studio.money import to_cents

EDITABLE = tuple(BY_NAME)


class ValidationError(ValueError):
    """Field name -> what is wrong with it and what to write instead."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{BY_NAME[f].label}: {m}" for f, m in errors.items()))
        self.errors = errors


class BulkEditError(ValueError):
    """Items a bulk edit cannot apply to; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__("Nothing was changed. " + "; ".join(problems[:3]) + more)
        self.problems = problems


class ItemNotFound(LookupError):
    pass


def parse_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Parses user text for each field given; collects every field's error at once."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name not in BY_NAME:
            raise KeyError(f"unknown item field {name!r}")
        try:
            values[name] = parse_value(BY_NAME[name], value)
        except FieldError as error:
            errors[name] = str(error)
    if errors:
        raise ValidationError(errors)
    return values


def value_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Rules between parsed values that need no database."""
    errors: dict[str, str] = {}
    if "title" in values and not values["title"]:
        errors["title"] = "is required; describe the item in a few words"
    floor, price = values.get("floor_price_cents"), values.get("list_price_cents")
    if floor is not None and price is not None and floor > price:
        errors["floor_price_cents"] = "is above the list price; lower it or raise the price"
    sku = values.get("sku")
    if sku and not skus.SKU_PATTERN.match(sku):
        errors["sku"] = f"'{sku}' may hold only letters, digits, '.', '_' and '-'"
    return errors


def _check(session: Session, values: Mapping[str, Any], item_id: int | None) -> None:
    errors = value_errors(values)
    sku = values.get("sku")
    if sku and "sku" not in errors and skus.sku_taken(session, sku, except_id=item_id):
        errors["sku"] = f"{sku} is already used by another item; pick another SKU"
    if errors:
        raise ValidationError(errors)


def get_item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise ItemNotFound(f"item {item_id} no longer exists")
    return item


def create_item(session: Session, values: Mapping[str, Any]) -> Item:
    """`values` are already parsed (see parse_values); a missing SKU is generated."""
    fields = {"status": ItemStatus.DRAFT.value, **values}
    fields.setdefault("title", "")
    _check(session, fields, None)
    if not fields.get("sku"):
        fields["sku"] = skus.next_sku(session, fields.get("category", ""))
    item = Item(**fields)
    session.add(item)
    session.flush()
    return item


def snapshot(item: Item) -> dict[str, Any]:
    """The editable values of an item, for undo and for comparing edits."""
    return {name: getattr(item, name) for name in EDITABLE}


def update_item(session: Session, item_id: int, changes: Mapping[str, Any]) -> Item:
    item = get_item(session, item_id)
    merged = {**snapshot(item), **changes}
    _check(session, merged, item_id)
    for name, value in changes.items():
        setattr(item, name, value)
    item.updated_at = utc_now()
    session.add(item)
    session.flush()
    return item


def duplicate_item(session: Session, item_id: int) -> Item:
    """A copy with a new SKU, as a draft, with the same photos (originals are shared)."""
    source = get_item(session, item_id)
    # The specifics a marketplace asked for go with it: a second coat is still "Regular".
    values = {
        **snapshot(source),
        "aspects": source.aspects,
        "sku": "",
        "status": ItemStatus.DRAFT.value,
    }
    copy = create_item(session, values)
    assert copy.id is not None
    for photo in photos_of(session, item_id):
        data = photo.model_dump(exclude={"id", "item_id", "created_at"})
        session.add(Photo(item_id=copy.id, **data))
    session.flush()
    return copy


def photos_of(session: Session, item_id: int) -> Sequence[Photo]:
    query = select(Photo).where(Photo.item_id == item_id).order_by(col(Photo.position))
    return session.exec(query).all()


def archive_items(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    return bulk_edit(session, ids, BulkEdit(status=ItemStatus.ARCHIVED.value))


@dataclass
class DeletedItem:
    """Enough to put a deleted item back exactly as it was (same id and SKU)."""

    row: dict[str, Any]
    photos: list[dict[str, Any]]


def delete_items(session: Session, ids: Iterable[int]) -> list[DeletedItem]:
    deleted = []
    for item_id in ids:
        item = get_item(session, item_id)
        photos = [p.model_dump() for p in photos_of(session, item_id)]
        deleted.append(DeletedItem(item.model_dump(), photos))
        session.delete(item)
    session.flush()
    return deleted


def restore_deleted(session: Session, deleted: Iterable[DeletedItem]) -> None:
    for entry in deleted:
        session.add(Item(**entry.row))
        session.flush()
        session.add_all(Photo(**photo) for photo in entry.photos)
    session.flush()


@dataclass(frozen=True)
class BulkEdit:
    """One change applied to every selected item; None leaves that field alone."""

    price_change: Decimal | None = None  # amount added to the list price (may be negative)
    price_percent: Decimal | None = None  # e.g. -10 for 10% off
    status: str | None = None
    bin_location: str | None = None
    category: str | None = None
    add_tags: str | None = None
    remove_tags: str | None = None


def bulk_edit(session: Session, ids: Iterable[int], edit: BulkEdit) -> dict[int, dict[str, Any]]:
    """Applies `edit` to each item; returns each item's previous values for undo.

    All items are checked before any is written, so a bad value changes nothing.
    """
    items = [get_item(session, item_id) for item_id in ids]
    planned: dict[int | None, dict[str, Any]] = {}
    problems = []
    for item in items:
        try:
            planned[item.id] = _bulk_changes(item, edit)
            _check(session, {**snapshot(item), **planned[item.id]}, item.id)
        except (ValidationError, FieldError) as error:
            problems.append(f"{item.sku}: {error}")
    if problems:
        raise BulkEditError(problems)
    previous = {}
    for item in items:
        assert item.id is not None
        previous[item.id] = {name: getattr(item, name) for name in planned[item.id]}
        update_item(session, item.id, planned[item.id])
    return previous


def _bulk_changes(item: Item, edit: BulkEdit) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if item.list_price_cents is not None and (edit.price_change or edit.price_percent):
        price = Decimal(item.list_price_cents) / 100
        if edit.price_percent is not None:
            price += price * edit.price_percent / 100
        if edit.price_change is not None:
            price += edit.price_change
        if price < 0:
            raise FieldError("the new price would be below 0; use a smaller cut")
        changes["list_price_cents"] = to_cents(price)
    for name in ("status", "bin_location", "category"):
        value = getattr(edit, name)
        if value is not None:
            changes[name] = parse_value(BY_NAME[name], value)
    if edit.add_tags or edit.remove_tags:
        tags = [t for t in item.tags.split(", ") if t]
        removed = set(parse_value(BY_NAME["tags"], edit.remove_tags or "").split(", "))
        added = parse_value(BY_NAME["tags"], edit.add_tags or "").split(", ")
        kept = [t for t in tags if t not in removed]
        changes["tags"] = parse_value(BY_NAME["tags"], ", ".join(kept + added))
    return changes


def restore_values(session: Session, previous: Mapping[int, Mapping[str, Any]]) -> None:
    """Puts back values saved by bulk_edit or an edit (undo)."""
    for item_id, values in previous.items():
        update_item(session, item_id, values)
