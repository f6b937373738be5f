"""Listing videos through the outbox: queued when an item's video is ready or the item is
listed somewhere new, sent after the listing exists, skipped with the reason where a
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


def queue_video(session: Session, item_id: int, marketplace: str, sha256: str) -> OutboxOp:
    """The item's video goes to `marketplace`, replacing one still waiting to go."""
    for op in outbox.open_ops(session, outbox.entity_of(item_id), marketplace):
        if op.kind == OpKind.PUT_VIDEO.value and op.state == OpState.PENDING.value:
            op.state, op.last_error = OpState.CANCELLED.value, "replaced by a newer video"
            op.updated_at = utc_now()
            session.add(op)
    payload: dict[str, Any] = {"sha256": sha256}
    return outbox.add_op(
        session, marketplace, OpKind.PUT_VIDEO, outbox.entity_of(item_id), payload, item_id
    )


def video_notes(session: Session, item_id: int) -> dict[str, str]:
    """Per marketplace, where the item's video stands there: sent, waiting, or why not."""
    ops = session.exec(
        select(OutboxOp)
        .where(OutboxOp.item_id == item_id, OutboxOp.kind == OpKind.PUT_VIDEO.value)
        .order_by(col(OutboxOp.id))
    ).all()
    notes = {}
    for op in ops:  # the newest op per marketplace wins
        if op.state == OpState.ACKED.value:
            notes[op.marketplace] = "on the listing"
        elif op.state in (OpState.CANCELLED.value, OpState.PARKED.value):
            if op.last_error != "replaced by a newer video":
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
    if video.item_id is None or video.state != VideoState.READY.value:
        return None
    return video.encoded_hash


def _capture(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(outbox.APPLYING_REMOTE):
        return
    wanted: dict[tuple[int, str], str] = {}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Video) and (sha := _ready_hash(obj)) is not None:
            if obj in session.dirty and not inspect(obj).attrs.encoded_hash.history.has_changes():
                continue
            assert obj.item_id is not None
            with session.no_autoflush:
                for link in outbox.links_of(session, obj.item_id):
                    wanted[obj.item_id, link.marketplace] = sha
        elif _is_create(obj) and obj in session.new and obj.item_id is not None:
            # After the create op, never before it: a video needs its listing to exist.
            with session.no_autoflush:
                video = session.exec(select(Video).where(Video.item_id == obj.item_id)).first()
            if video is not None and (sha := _ready_hash(video)) is not None:
                wanted[obj.item_id, obj.marketplace] = sha
    with session.no_autoflush:
        for (item_id, marketplace), sha in wanted.items():
            queue_video(session, item_id, marketplace, sha)


event.listen(Session, "before_flush", _capture)
