"""Orders and their lines.

Revision ID: 0003_orders
Revises: 0002_sku_prefixes
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_orders"
down_revision = "0002_sku_prefixes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("marketplace", sa.String, nullable=False, server_default="local"),
        sa.Column("remote_id", sa.String, nullable=False),
        sa.Column("number", sa.String, nullable=False),
        sa.Column("buyer_name", sa.String, nullable=False),
        sa.Column("buyer_username", sa.String, nullable=False, server_default=""),
        sa.Column("address_line1", sa.String, nullable=False, server_default=""),
        sa.Column("address_line2", sa.String, nullable=False, server_default=""),
        sa.Column("city", sa.String, nullable=False, server_default=""),
        sa.Column("region", sa.String, nullable=False, server_default=""),
        sa.Column("postal_code", sa.String, nullable=False, server_default=""),
        sa.Column("country", sa.String, nullable=False, server_default=""),
        sa.Column("status", sa.String, nullable=False, server_default="to_ship"),
        sa.Column("total_cents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("fee_cents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("shipping_cents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("buyer_note", sa.String, nullable=False, server_default=""),
        sa.Column("tracking_number", sa.String, nullable=False, server_default=""),
        sa.Column("label_hash", sa.String, nullable=False, server_default=""),
        sa.Column("ordered_at", sa.DateTime, nullable=False),
        sa.Column("ship_by", sa.DateTime),
        sa.Column("shipped_at", sa.DateTime),
        sa.Column("remote_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("marketplace", "remote_id"),
    )
    op.create_index("ix_orders_status", "orders", ["status"])
    op.create_index("ix_orders_ordered_at", "orders", ["ordered_at"])
    op.create_table(
        "order_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "order_id", sa.Integer, sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="SET NULL")),
        sa.Column("sku", sa.String, nullable=False, server_default=""),
        sa.Column("title", sa.String, nullable=False, server_default=""),
        sa.Column("price_cents", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_order_line_order_id", "order_line", ["order_id"])


def downgrade() -> None:
    op.drop_table("order_line")
    op.drop_table("orders")
