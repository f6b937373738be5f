"""Putting items up for sale on the connected marketplace."""

from collections.abc import Sequence

from sqlmodel import Session

from studio.inventory.service import get_item
from studio.sync import outbox
from studio.sync.port import NotConnected
from studio.sync.tables import MarketplaceAccount


def publish_items(session: Session, ids: Sequence[int], marketplace: str) -> int:
    """Queues each item's listing; returns how many were queued (others were already)."""
    if session.get(MarketplaceAccount, marketplace) is None:
        raise NotConnected(
            "Connect a marketplace first (the Marketplace section), then list items."
        )
    return sum(
        outbox.publish(session, get_item(session, item_id), marketplace) is not None
        for item_id in ids
    )
