"""How sync stands, for the status bar, the Marketplace screen and each item's badge."""

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.sync.port import ListingState
from studio.sync.tables import (
    OPEN_STATES,
    Conflict,
    ListingLink,
    MarketplaceAccount,
    OpState,
    OutboxOp,
)


class ItemSync(enum.StrEnum):
    LOCAL = "local only"
    PENDING = "pending"
    LIVE = "live"
    DELISTED = "delisted"
    SOLD = "sold"
    CONFLICT = "conflict"  # changed on both sides: the seller picks (Marketplace section)
    ERROR = "error"  # the marketplace refused a change


def item_states(session: Session, item_ids: Sequence[int]) -> dict[int, ItemSync]:
    """Each item's badge; items never published are absent (local only)."""
    ids = list(item_ids)
    links = session.exec(select(ListingLink).where(col(ListingLink.item_id).in_(ids))).all()
    ops = session.exec(
        select(OutboxOp.item_id, OutboxOp.state).where(
            col(OutboxOp.item_id).in_(ids),
            col(OutboxOp.state).in_((*OPEN_STATES, OpState.PARKED.value)),
        )
    ).all()
    parked = {item_id for item_id, state in ops if state == OpState.PARKED.value}
    waiting = {item_id for item_id, state in ops if state != OpState.PARKED.value}
    conflicted = set(
        session.exec(select(Conflict.item_id).where(col(Conflict.item_id).in_(ids))).all()
    )
    states: dict[int, ItemSync] = {}
    for link in links:
        if link.item_id in conflicted:
            state = ItemSync.CONFLICT
        elif link.item_id in parked:
            state = ItemSync.ERROR
        elif link.item_id in waiting or link.remote_id is None:
            state = ItemSync.PENDING
        elif link.remote_status == ListingState.SOLD:
            state = ItemSync.SOLD
        elif link.remote_status == ListingState.DELISTED:
            state = ItemSync.DELISTED
        else:
            state = ItemSync.LIVE
        # Listed on several marketplaces: the badge says what matters most of them all.
        known = states.get(link.item_id)
        if known is None or BADGE_RANK.index(state) < BADGE_RANK.index(known):
            states[link.item_id] = state
    return states


BADGE_RANK = (
    ItemSync.CONFLICT,
    ItemSync.ERROR,
    ItemSync.PENDING,
    ItemSync.SOLD,
    ItemSync.LIVE,
    ItemSync.DELISTED,
)


class Overall(enum.StrEnum):
    NOT_CONNECTED = "not connected"
    OFFLINE = "offline"
    UP_TO_DATE = "up to date"
    PENDING = "pending"
    ERROR = "needs attention"


@dataclass(frozen=True)
class SyncSummary:
    state: Overall
    pending: int = 0
    parked: int = 0
    conflicts: int = 0
    last_sync_at: datetime | None = None
    last_error: str = ""
    account: str = ""  # "seller at https://…"

    def text(self) -> str:
        if self.state is Overall.PENDING:
            return f"{self.pending} change(s) to send"
        if self.state is Overall.ERROR:
            issues = self.parked + self.conflicts
            return f"{issues} item(s) need attention"
        return self.state.value.capitalize()


def summary(session: Session, marketplace: str) -> SyncSummary:
    account = session.get(MarketplaceAccount, marketplace)
    if account is None:
        return SyncSummary(Overall.NOT_CONNECTED)
    counts = dict(
        session.exec(
            select(OutboxOp.state, func.count())
            .where(OutboxOp.marketplace == marketplace)
            .group_by(col(OutboxOp.state))
        ).all()
    )
    pending = sum(counts.get(state, 0) for state in OPEN_STATES)
    parked = counts.get(OpState.PARKED.value, 0)
    conflicts = session.exec(
        select(func.count()).select_from(Conflict).where(Conflict.marketplace == marketplace)
    ).one()
    if parked or conflicts:
        state = Overall.ERROR
    elif account.failures:
        state = Overall.OFFLINE
    elif pending:
        state = Overall.PENDING
    else:
        state = Overall.UP_TO_DATE
    who = f"{account.seller_name or 'your account'} at {account.base_url}"
    return SyncSummary(
        state, pending, parked, conflicts, account.last_sync_at, account.last_error, who
    )


@dataclass(frozen=True)
class OpLine:
    op_id: int
    item_id: int | None
    sku: str
    title: str
    kind: str
    state: str
    error: str


def op_lines(session: Session, marketplace: str, states: Sequence[str]) -> list[OpLine]:
    rows = session.exec(
        select(OutboxOp, Item.sku, Item.title)
        .join(Item, col(Item.id) == col(OutboxOp.item_id), isouter=True)
        .where(OutboxOp.marketplace == marketplace, col(OutboxOp.state).in_(states))
        .order_by(col(OutboxOp.id))
    ).all()
    return [
        OpLine(op.id or 0, op.item_id, sku or "", title or "", op.kind, op.state, op.last_error)
        for op, sku, title in rows
    ]


@dataclass(frozen=True)
class ConflictLine:
    conflict_id: int
    item_id: int
    sku: str
    title: str
    field: str
    mine: str
    theirs: str


def conflict_lines(session: Session, marketplace: str) -> list[ConflictLine]:
    rows = session.exec(
        select(Conflict, Item.sku, Item.title)
        .join(Item, col(Item.id) == col(Conflict.item_id))
        .where(Conflict.marketplace == marketplace)
        .order_by(col(Conflict.id))
    ).all()
    return [
        ConflictLine(
            conflict.id or 0,
            conflict.item_id,
            sku,
            title,
            conflict.field,
            _shown(json.loads(conflict.local_value)["value"]),
            _shown(json.loads(conflict.remote_value)["value"]),
        )
        for conflict, sku, title in rows
    ]


def _shown(value: object) -> str:
    if value is None:
        return "(empty)"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
