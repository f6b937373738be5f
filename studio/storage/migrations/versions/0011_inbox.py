"""What buyers write to the seller, for the inbox

Revision ID: 0011_inbox
Revises: 0010_expenses
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString

revision = "0011_inbox"
down_revision = "0010_expenses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "buyer_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marketplace", TEXT(), nullable=False),
        sa.Column("remote_id", TEXT(), nullable=False),
        sa.Column("buyer_id", TEXT(), nullable=False),
        sa.Column("buyer_name", TEXT(), nullable=False),
        sa.Column("remote_listing_id", TEXT(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("body", TEXT(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("marketplace", "remote_id"),
    )
    with op.batch_alter_table("buyer_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buyer_message_buyer_id"), ["buyer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("buyer_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buyer_message_buyer_id"))

    op.drop_table("buyer_message")
