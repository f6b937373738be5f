"""Seller tools: offer rules and their log, price-drop plans, message templates and sent
messages, offers to likers, cover colours

Revision ID: 0007_seller_tools
Revises: 0006_printing
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


TEXT = sqlmodel.sql.sqltypes.AutoString

revision = "0007_seller_tools"
down_revision = "0006_printing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cover_colour",
        sa.Column("file_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rgb", TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("file_hash"),
    )
    op.create_table(
        "message_template",
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("body", TEXT(), nullable=False),
        sa.Column("auto_send", sa.Boolean(), nullable=False),
        sa.Column("daily_cap", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind"),
    )
    op.create_table(
        "automatic_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("offer_remote_id", TEXT(), nullable=True),
        sa.Column("buyer_name", TEXT(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("detail", TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("automatic_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_automatic_action_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_automatic_action_offer_remote_id"), ["offer_remote_id"], unique=False
        )

    op.create_table(
        "likers_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("shipping_discount_cents", sa.Integer(), nullable=False),
        sa.Column("expires_in_hours", sa.Integer(), nullable=False),
        sa.Column("net_cents", sa.Integer(), nullable=False),
        sa.Column("likers", sa.Integer(), nullable=False),
        sa.Column("op_id", TEXT(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("likers_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_likers_offer_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_likers_offer_item_id"), ["item_id"], unique=False)

    op.create_table(
        "offer_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("decline_below_floor", sa.Boolean(), nullable=False),
        sa.Column("counter_percent", sa.Integer(), nullable=True),
        sa.Column("accept_at_cents", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    op.create_table(
        "price_drop_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("start_cents", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("stop_cents", sa.Integer(), nullable=False),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("note", TEXT(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("price_drop_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_drop_plan_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_price_drop_plan_status"), ["status"], unique=False)

    op.create_table(
        "sent_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marketplace", TEXT(), nullable=False),
        sa.Column("buyer_id", TEXT(), nullable=False),
        sa.Column("buyer_name", TEXT(), nullable=False),
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("body", TEXT(), nullable=False),
        sa.Column("item_ids", TEXT(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("op_id", TEXT(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sent_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_message_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sent_message_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "price_drop_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("state", TEXT(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["price_drop_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("price_drop_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_price_drop_step_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("price_drop_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_drop_step_plan_id"))

    op.drop_table("price_drop_step")
    with op.batch_alter_table("sent_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_message_sent_at"))
        batch_op.drop_index(batch_op.f("ix_sent_message_buyer_id"))

    op.drop_table("sent_message")
    with op.batch_alter_table("price_drop_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_drop_plan_status"))
        batch_op.drop_index(batch_op.f("ix_price_drop_plan_item_id"))

    op.drop_table("price_drop_plan")
    op.drop_table("offer_rule")
    with op.batch_alter_table("likers_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_likers_offer_item_id"))
        batch_op.drop_index(batch_op.f("ix_likers_offer_created_at"))

    op.drop_table("likers_offer")
    with op.batch_alter_table("automatic_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_automatic_action_offer_remote_id"))
        batch_op.drop_index(batch_op.f("ix_automatic_action_at"))

    op.drop_table("automatic_action")
    op.drop_table("message_template")
    op.drop_table("cover_colour")
