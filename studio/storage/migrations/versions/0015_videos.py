"""Videos: a listing video per item and a "meet the seller" video per marketplace account

Revision ID: 0015_videos
Revises: 0013_listing_details
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime

revision = "0015_videos"
down_revision = "0014_search_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("account", TEXT(), nullable=True),
        sa.Column("file_hash", TEXT(length=64), nullable=False),
        sa.Column("filename", TEXT(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("recipe", TEXT(), nullable=False),
        sa.Column("state", TEXT(), nullable=False),
        sa.Column("error", TEXT(), nullable=False),
        sa.Column("encoded_hash", TEXT(length=64), nullable=True),
        sa.Column("encoded_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("updated_at", WHEN(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account"], ["marketplace_account.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
        sa.UniqueConstraint("account"),
    )
    op.create_index("ix_video_state", "video", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_video_state", table_name="video")
    op.drop_table("video")
