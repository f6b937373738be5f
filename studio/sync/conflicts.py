"""Resolving a field both sides changed: keep mine (send it) or take theirs (apply it)."""

import json

from sqlmodel import Session, select

from studio.inventory.tables import Item, utc_now
from studio.sync import local_apply, outbox
from studio.sync.listing_fields import LISTING_TO_ITEM, dumps, listing_fields_for
from studio.sync.tables import Conflict, OpKind, OpState, OutboxOp


def open_conflicts(session: Session, item_id: int | None = None) -> list[Conflict]:
    query = select(Conflict).order_by(Conflict.id)  # type: ignore[arg-type]
    if item_id is not None:
        query = query.where(Conflict.item_id == item_id)
    return list(session.exec(query).all())


def value_of(text: str) -> object:
    return json.loads(text)["value"]


def resolve(session: Session, conflict_id: int, keep_mine: bool) -> OutboxOp | None:
    """Returns the op that sends the kept local value, when one is needed."""
    conflict = session.get(Conflict, conflict_id)
    if conflict is None:
        raise LookupError("that conflict was already resolved")
    session.delete(conflict)
    if not keep_mine:
        local_apply.take_remote_fields(
            session,
            conflict.item_id,
            {conflict.field: value_of(conflict.remote_value)},
            conflict.marketplace,
        )
        return None
    mine = value_of(conflict.local_value)
    if conflict.field not in LISTING_TO_ITEM and conflict.field != "photos":
        raise ValueError(f"{conflict.field} is not a listing field")
    return outbox.queue_changes(
        session, conflict.item_id, conflict.marketplace, {conflict.field: mine}
    )


def retry_parked(session: Session, op_id: int) -> None:
    """The user fixed what the marketplace refused: send the change again."""
    op = session.get(OutboxOp, op_id)
    if op is None or op.state != OpState.PARKED.value:
        raise LookupError("that change is no longer waiting for a retry")
    if op.kind == OpKind.CREATE_LISTING.value and op.item_id is not None:
        item = session.get(Item, op.item_id)
        if item is None:
            raise LookupError("the item was deleted; there is nothing to list")
        # A refused create made nothing, so it is sent with the item as it is now (priced
        # by the rule there), which already includes the edits queued behind it.
        op.payload = dumps(listing_fields_for(session, item, op.marketplace))
        outbox.cancel_open_ops(
            session, op.item_id, (OpKind.UPDATE_LISTING,), "sent with the create", op.marketplace
        )
    op.state = OpState.PENDING.value
    op.attempts = 0
    op.last_error = ""
    op.next_attempt_at = utc_now()
    session.add(op)
