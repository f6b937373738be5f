"""Videos through the outbox: an item's listing video, queued when it is ready or the item
is listed somewhere new and sent after the listing exists; an account's "meet the seller"
video, queued for that marketplace when it is ready. Skipped with the reason where a
marketplace takes no video.

A flush hook (registered by the schema, like the outbox's) does the queueing, so neither the
video library nor publishing needs to know about sync. The op carries the encoded video's
content hash; the push reads the file from the video store by that hash
(studio/sync/video_source.py), and a video removed meanwhile is skipped.
"""

from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, col, select

from studio.inventory.tables import Item, utc_now
from studio.sync import outbox
from studio.sync.tables import MarketplaceAccount, OpKind, OpState, OutboxOp
from studio.video.tables import Owner, Video, VideoState

REPLACED = "replaced by a newer video"
VIDEO_KINDS = (OpKind.PUT_VIDEO.value, OpKind.PUT_SELLER_VIDEO.value)


def entity_of(owner: Owner) -> str:
    if owner.item_id is not None:
        return outbox.entity_of(owner.item_id)
    return f"account:{owner.account}"


def queue_video(session: Session, owner: Owner, marketplace: str, sha256: str) -> OutboxOp:
    """The owner's video goes to `marketplace`, replacing one still waiting to go."""
    entity = entity_of(owner)
    for op in outbox.open_ops(session, entity, marketplace):
        if op.kind in VIDEO_KINDS and op.state == OpState.PENDING.value:
            op.state, op.last_error = OpState.CANCELLED.value, REPLACED
            op.updated_at = utc_now()
            session.add(op)
    kind = OpKind.PUT_VIDEO if owner.item_id is not None else OpKind.PUT_SELLER_VIDEO
    payload: dict[str, Any] = {"sha256": sha256}
    return outbox.add_op(session, marketplace, kind, entity, payload, owner.item_id)


def video_notes(session: Session, owner: Owner) -> dict[str, str]:
    """Per marketplace, where the owner's video stands there: sent, waiting, or why not."""
    ops = session.exec(
        select(OutboxOp)
        .where(OutboxOp.entity == entity_of(owner), col(OutboxOp.kind).in_(VIDEO_KINDS))
        .order_by(col(OutboxOp.id))
    ).all()
    there = "on the listing" if owner.item_id is not None else "on your closet page"
    notes = {}
    for op in ops:  # the newest op per marketplace wins
        if op.state == OpState.ACKED.value:
            notes[op.marketplace] = there
        elif op.state in (OpState.CANCELLED.value, OpState.PARKED.value):
            if op.last_error != REPLACED:
                notes[op.marketplace] = f"not sent: {op.last_error}"
        else:
            notes[op.marketplace] = "waiting to be sent"
    return notes


def video_owners(session: Session, item_id: int | None) -> list[tuple[str, Owner]]:
    """Whose videos the strip can show: the item's, then each account's "meet the seller"."""
    owners = []
    if item_id is not None:
        item = session.get(Item, item_id)
        if item is not None:
            owners.append((f"Listing video of {item.sku} {item.title}", Owner(item_id=item_id)))
    for name in session.exec(
        select(MarketplaceAccount.name).order_by(col(MarketplaceAccount.name))
    ):
        owners.append((f"Meet the seller on {name}", Owner(account=name)))
    return owners


def _is_create(obj: object) -> bool:
    return isinstance(obj, OutboxOp) and obj.kind == OpKind.CREATE_LISTING.value


def _ready_hash(video: Video) -> str | None:
    return video.encoded_hash if video.state == VideoState.READY.value else None


def _destinations(session: Session, video: Video) -> list[tuple[Owner, str]]:
    """Where a newly made video goes: each marketplace the item is listed on, or the
    account's own marketplace."""
    if video.account is not None:
        return [(Owner(account=video.account), video.account)]
    assert video.item_id is not None
    owner = Owner(item_id=video.item_id)
    return [(owner, link.marketplace) for link in outbox.links_of(session, video.item_id)]


def _capture(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(outbox.APPLYING_REMOTE):
        return
    wanted: dict[tuple[Owner, str], str] = {}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Video) and (sha := _ready_hash(obj)) is not None:
            if obj in session.dirty and not inspect(obj).attrs.encoded_hash.history.has_changes():
                continue
            with session.no_autoflush:
                for owner, marketplace in _destinations(session, obj):
                    wanted[owner, marketplace] = sha
        elif _is_create(obj) and obj in session.new and obj.item_id is not None:
            # After the create op, never before it: a video needs its listing to exist.
            with session.no_autoflush:
                video = session.exec(select(Video).where(Video.item_id == obj.item_id)).first()
            if video is not None and (sha := _ready_hash(video)) is not None:
                wanted[Owner(item_id=obj.item_id), obj.marketplace] = sha
    with session.no_autoflush:
        for (owner, marketplace), sha in wanted.items():
            queue_video(session, owner, marketplace, sha)


event.listen(Session, "before_flush", _capture)
