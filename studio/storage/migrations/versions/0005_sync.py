"""Sync: marketplace accounts, listing links, outbox, cursor, likes, offers, followers, conflicts

Revision ID: 0005_sync
Revises: 0004_photo_studio
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = "0005_sync"
down_revision = "0004_photo_studio"
branch_labels = None
depends_on = None

OPEN_CREATE = "kind = 'create_listing' AND state IN ('pending', 'in_flight', 'unknown')"


def upgrade() -> None:
    op.create_table(
        "follower",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("buyer_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("buyer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("followed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("marketplace", "buyer_id"),
    )
    op.create_table(
        "marketplace_account",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("base_url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seller_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("connected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("local_value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_item_id"), ["item_id"], unique=False)

    op.create_table(
        "like",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_listing_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("buyer_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("buyer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("marketplace", "remote_listing_id", "buyer_id"),
    )
    op.create_table(
        "listing_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("remote_version", sa.Integer(), nullable=False),
        sa.Column("remote_status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("base", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("likes_count", sa.Integer(), nullable=False),
        sa.Column("synced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["marketplace"], ["marketplace_account.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "marketplace"),
        sa.UniqueConstraint("marketplace", "remote_id"),
    )
    with op.batch_alter_table("listing_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_link_item_id"), ["item_id"], unique=False)

    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_listing_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("parent_remote_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("buyer_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("buyer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("shipping_discount_cents", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("marketplace", "remote_id"),
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_status"), ["status"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["marketplace"], ["marketplace_account.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("op_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)
        # At most one open create per item and marketplace: a second would mean a second listing.
        batch_op.create_index(
            "ux_outbox_one_open_create",
            ["marketplace", "item_id"],
            unique=True,
            sqlite_where=sa.text(OPEN_CREATE),
        )

    op.create_table(
        "sync_cursor",
        sa.Column("marketplace", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["marketplace"], ["marketplace_account.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("marketplace"),
    )


def downgrade() -> None:
    op.drop_index("ux_outbox_one_open_create", table_name="outbox")
    op.drop_table("sync_cursor")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_entity"))

    op.drop_table("outbox")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_status"))

    op.drop_table("offer")
    with op.batch_alter_table("listing_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_link_item_id"))

    op.drop_table("listing_link")
    op.drop_table("like")
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_item_id"))

    op.drop_table("conflict")
    op.drop_table("marketplace_account")
    op.drop_table("follower")
