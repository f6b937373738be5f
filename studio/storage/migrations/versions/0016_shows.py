"""Live shows: a dated line-up of items with planned prices and talking points, and the
sales recorded on air

Revision ID: 0016_shows
Revises: 0013_listing_details
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime

revision = "0016_shows"
down_revision = "0015_videos"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "show",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", TEXT(length=120), nullable=False),
        sa.Column("starts_at", WHEN(), nullable=False),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("marketplace", TEXT(), nullable=False),
        sa.Column("remote_id", TEXT(), nullable=True),
        sa.Column("started_at", WHEN(), nullable=True),
        sa.Column("ended_at", WHEN(), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("show", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_show_starts_at"), ["starts_at"], unique=False)
    op.create_table(
        "show_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("opening_cents", sa.Integer(), nullable=True),
        sa.Column("floor_cents", sa.Integer(), nullable=True),
        sa.Column("talking_points", TEXT(), nullable=False),
        sa.Column("sold_to", TEXT(), nullable=False),
        sa.Column("sold_cents", sa.Integer(), nullable=True),
        sa.Column("sold_at", WHEN(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("show_id", "item_id"),
    )
    with op.batch_alter_table("show_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_show_item_show_id"), ["show_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_show_item_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    op.drop_table("show_item")
    op.drop_table("show")
