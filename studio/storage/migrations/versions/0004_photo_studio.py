"""Photo studio: user presets and the photo batch queue.

Revision ID: 0004_photo_studio
Revises: 0003_orders
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_photo_studio"
down_revision = "0003_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_preset",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("recipe", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "photo_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String, nullable=False, server_default=""),
        sa.Column("recipe", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="running"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
    )
    op.create_index("ix_photo_batch_status", "photo_batch", ["status"])
    op.create_table(
        "photo_batch_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("photo_batch.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("file_hash", sa.String(64)),
        sa.Column("output", sa.String),
        sa.Column("status", sa.String, nullable=False, server_default="pending"),
        sa.Column("error", sa.String),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_photo_batch_entry_batch_id", "photo_batch_entry", ["batch_id"])
    op.create_index("ix_photo_batch_entry_status", "photo_batch_entry", ["status"])


def downgrade() -> None:
    op.drop_table("photo_batch_entry")
    op.drop_table("photo_batch")
    op.drop_table("user_preset")
