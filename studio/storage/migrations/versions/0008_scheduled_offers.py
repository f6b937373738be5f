"""Scheduled offers to likers

Revision ID: 0008_scheduled_offers
Revises: 0007_seller_tools
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString

revision = "0008_scheduled_offers"
down_revision = "0007_seller_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("percent_off", sa.Integer(), nullable=False),
        sa.Column("shipping_discount_cents", sa.Integer(), nullable=False),
        sa.Column("expires_in_hours", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("note", TEXT(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scheduled_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_offer_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scheduled_offer_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scheduled_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_offer_status"))
        batch_op.drop_index(batch_op.f("ix_scheduled_offer_item_id"))

    op.drop_table("scheduled_offer")
