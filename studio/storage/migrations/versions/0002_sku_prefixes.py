"""Per-category SKU prefixes, seeded from the SKUs already in the inventory.

Revision ID: 0002_sku_prefixes
Revises: 0001_inventory
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0002_sku_prefixes"
down_revision = "0001_inventory"
branch_labels = None
depends_on = None

SKU_SHAPE = re.compile(r"^([A-Z0-9]+)-(\d+)$")


def upgrade() -> None:
    table = op.create_table(
        "skuprefix",
        sa.Column("category", sa.String, primary_key=True),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("next_number", sa.Integer, nullable=False, server_default="1"),
    )
    # Numbering must continue after the SKUs already handed out, or new items would collide.
    seen: dict[str, tuple[str, int]] = {}
    for category, sku in op.get_bind().execute(sa.text("SELECT category, sku FROM item")):
        match = SKU_SHAPE.match(sku or "")
        if not match:
            continue
        prefix, number = match.group(1), int(match.group(2))
        known = seen.get(category)
        if known is None or number >= known[1]:
            seen[category] = (prefix, number + 1)
    rows = [{"category": c, "prefix": p, "next_number": n} for c, (p, n) in seen.items()]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("skuprefix")
