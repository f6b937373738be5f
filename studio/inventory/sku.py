"""Human-friendly SKUs like BAG-0042: a per-category prefix and a running number."""

import re

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, SkuPrefix

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{1,12}$")
DEFAULT_PREFIX = "ITEM"


def default_prefix(category: str) -> str:
    """'Bags' -> 'BAG', 'T-shirts' -> 'TSH', '' -> 'ITEM'."""
    letters = re.sub(r"[^A-Za-z0-9]", "", category).upper()
    return letters[:3] or DEFAULT_PREFIX


def prefix_for(session: Session, category: str) -> SkuPrefix:
    row = session.get(SkuPrefix, category)
    if row is None:
        row = SkuPrefix(category=category, prefix=default_prefix(category))
        session.add(row)
    return row


def set_prefix(session: Session, category: str, prefix: str) -> None:
    prefix = prefix.strip().upper()
    if not PREFIX_PATTERN.match(prefix):
        raise ValueError("A SKU prefix is 1 to 12 letters or digits, e.g. BAG")
    prefix_for(session, category).prefix = prefix


def prefixes(session: Session) -> dict[str, str]:
    """Category -> prefix, for every category in use or given a prefix."""
    known = {row.category: row.prefix for row in session.exec(select(SkuPrefix))}
    used = session.exec(select(Item.category).distinct()).all()
    return {category: known.get(category, default_prefix(category)) for category in {*known, *used}}


def next_sku(session: Session, category: str) -> str:
    """Hands out the next free SKU for the category (skipping numbers already taken by hand)."""
    row = prefix_for(session, category)
    while True:
        sku = f"{row.prefix}-{row.next_number:04d}"
        row.next_number += 1
        if not sku_taken(session, sku):
            return sku


def sku_taken(session: Session, sku: str, except_id: int | None = None) -> bool:
    query = select(Item.id).where(Item.sku == sku)
    if except_id is not None:
        query = query.where(col(Item.id) != except_id)
    return session.exec(query).first() is not None
