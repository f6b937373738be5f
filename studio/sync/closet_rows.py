"""The statements a closet import writes its rows with, compiled once per process: likes and
offers by the marketplace's keys (a newer word the pull stored wins), and the rows the pull
stored before a listing was ours handed to its new item."""

from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from studio.sync.tables import BuyerMessage, Like, Offer


def _upsert_like() -> Any:
    statement = sqlite_insert(Like.__table__)  # type: ignore[attr-defined]
    return statement.on_conflict_do_update(
        index_elements=["marketplace", "remote_listing_id", "buyer_id"],
        set_={name: statement.excluded[name] for name in ("buyer_name", "active", "changed_at")},
        # A like or unlike the pull stored later than this like is the newer word.
        where=statement.excluded.changed_at >= Like.__table__.c.changed_at,  # type: ignore[attr-defined]
    )


_OFFER_FIELDS = (
    "remote_listing_id",
    "parent_remote_id",
    "kind",
    "buyer_id",
    "buyer_name",
    "amount_cents",
    "shipping_discount_cents",
    "status",
    "reason",
    "expires_at",
    "created_at",
    "updated_at",
)


def _upsert_offer() -> Any:
    statement = sqlite_insert(Offer.__table__)  # type: ignore[attr-defined]
    return statement.on_conflict_do_update(
        index_elements=["marketplace", "remote_id"],
        set_={name: statement.excluded[name] for name in _OFFER_FIELDS},
        where=statement.excluded.updated_at >= Offer.__table__.c.updated_at,  # type: ignore[attr-defined]
    )


UPSERT_LIKE = _upsert_like()
UPSERT_OFFER = _upsert_offer()


def _own_rows(model: Any) -> Any:
    """Rows the pull stored before the listing was ours get their item (likes, offers,
    messages about it)."""
    table = model.__table__
    return (
        update(table)
        .where(
            table.c.marketplace == bindparam("market"),
            table.c.remote_listing_id == bindparam("remote"),
            table.c.item_id.is_(None),
        )
        .values(item_id=bindparam("item"))
    )


OWN_ROWS = [_own_rows(model) for model in (Like, Offer, BuyerMessage)]
