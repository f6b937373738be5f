"""Writing what a marketplace says into the local database, without echoing it back."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session, col, delete, select

from studio.inventory.tables import Item, ItemStatus, Photo, utc_now
from studio.sync import outbox
from studio.sync.listing_fields import LISTING_TO_ITEM, dumps, item_value
from studio.sync.port import ListingState, RemoteListing
from studio.sync.pricing import terms_for
from studio.sync.tables import Conflict, ListingLink, OpKind


@contextmanager
def applying_remote(session: Session) -> Iterator[None]:
    """Remote values written inside this block are not captured as local edits."""
    session.info[outbox.APPLYING_REMOTE] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(outbox.APPLYING_REMOTE, None)


def remember_remote(link: ListingLink, remote: RemoteListing) -> None:
    """The remote state becomes the agreed base of every field."""
    link.remote_id = remote.id
    link.remote_version = remote.version
    link.remote_status = remote.status
    link.likes_count = remote.likes_count
    link.base = dumps(remote.fields)
    link.synced_at = utc_now()


def take_remote_fields(
    session: Session, item_id: int, fields: dict[str, Any], marketplace: str | None = None
) -> None:
    """Writes what `marketplace` holds into the item. Its price becomes the list price only
    where the seller's rule there is the identity: elsewhere it is the rule's output (32.99
    for a list price of 30.00), so taking it would move the list price on every cycle."""
    item = session.get(Item, item_id)
    if item is None:
        return
    if marketplace is not None and not terms_for(session, marketplace).rule.is_identity:
        fields = {name: value for name, value in fields.items() if name != "price_cents"}
    with applying_remote(session):
        for name, value in fields.items():
            if name == "photos":
                _reorder_photos(session, item_id, value)
            elif name in LISTING_TO_ITEM:
                setattr(item, LISTING_TO_ITEM[name], item_value(name, value))
        item.updated_at = utc_now()
        session.add(item)


def _reorder_photos(session: Session, item_id: int, hashes: list[str]) -> None:
    # Only the order can come from the marketplace; photos it has that we lack stay there.
    rank = {file_hash: index for index, file_hash in enumerate(hashes)}
    photos = session.exec(select(Photo).where(Photo.item_id == item_id)).all()
    for photo in photos:
        photo.position = rank.get(photo.file_hash, len(rank) + photo.position)
        session.add(photo)


def record_conflicts(
    session: Session, item_id: int, marketplace: str, clashes: dict[str, tuple[Any, Any]]
) -> None:
    for name, (mine, theirs) in clashes.items():
        session.exec(
            delete(Conflict).where(
                col(Conflict.item_id) == item_id,
                col(Conflict.marketplace) == marketplace,
                col(Conflict.field) == name,
            )
        )
        session.add(
            Conflict(
                item_id=item_id,
                marketplace=marketplace,
                field=name,
                local_value=dumps({"value": mine}),
                remote_value=dumps({"value": theirs}),
            )
        )


def differences(claimed: dict[str, Any], remote: RemoteListing) -> dict[str, tuple[Any, Any]]:
    """The fields where what we asked to list differs from the listing: field: (mine, theirs)."""
    return {
        name: (mine, remote.fields[name])
        for name, mine in claimed.items()
        if name in remote.fields and remote.fields[name] != mine
    }


def record_adoption_conflicts(
    session: Session, item_id: int, marketplace: str, claimed: dict[str, Any], remote: RemoteListing
) -> int:
    """A listing found by SKU, perhaps not made from our own request (another studio of the
    seller listed the item first): no base says which side changed what, so every field where
    our values differ from the listing's is shown as a conflict rather than taken or sent."""
    clashes = differences(claimed, remote)
    record_conflicts(session, item_id, marketplace, clashes)
    return len(clashes)


def mark_sold(session: Session, item_id: int, sold_on: str) -> None:
    """A sale beats every local edit: cancel what waits, and delist everywhere else."""
    item = session.get(Item, item_id)
    if item is None:
        return
    if item.status not in (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value):
        with applying_remote(session):
            item.status = ItemStatus.SOLD.value
            item.updated_at = utc_now()
            session.add(item)
    outbox.cancel_open_ops(
        session,
        item_id,
        (OpKind.UPDATE_LISTING, OpKind.RELIST, OpKind.CREATE_LISTING),
        f"sold on {sold_on}",
    )
    for link in outbox.links_of(session, item_id):
        if link.marketplace != sold_on and link.remote_status == ListingState.ACTIVE:
            _queue_delist(session, item_id, link.marketplace)


def delist_if_sold(session: Session, item_id: int, marketplace: str) -> None:
    item = session.get(Item, item_id)
    if item is None or item.status not in (ItemStatus.SOLD.value, ItemStatus.SHIPPED.value):
        return
    _queue_delist(session, item_id, marketplace)


def _queue_delist(session: Session, item_id: int, marketplace: str) -> None:
    """One delist per listing: the sale is seen as an order and as a listing event."""
    session.flush()  # a delist queued earlier in this page must be seen (the pull defers flushes)
    waiting = outbox.open_ops(session, outbox.entity_of(item_id))
    if not any(op.kind == OpKind.DELIST and op.marketplace == marketplace for op in waiting):
        outbox.queue_status(session, item_id, marketplace, OpKind.DELIST)
