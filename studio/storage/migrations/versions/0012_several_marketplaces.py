"""Several marketplaces at once: price rules, fees and sign-in state per account; double sales

Revision ID: 0012_several_marketplaces
Revises: 0011_inbox
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime

revision = "0012_several_marketplaces"
down_revision = "0011_inbox"
branch_labels = None
depends_on = None

ACCOUNT_COLUMNS = (
    ("kind", TEXT(), "'seller-api'"),
    ("price_percent", sa.Integer(), "0"),
    ("price_ending", TEXT(), "''"),
    ("price_minimum_cents", sa.Integer(), "0"),
    ("fee_rate_bp", sa.Integer(), "2000"),
    ("flat_fee_cents", sa.Integer(), "295"),
    ("flat_fee_below_cents", sa.Integer(), "1500"),
    ("signin_state", TEXT(), "'ok'"),
)


def upgrade() -> None:
    with op.batch_alter_table("marketplace_account", schema=None) as batch_op:
        for name, kind, default in ACCOUNT_COLUMNS:
            batch_op.add_column(
                sa.Column(name, kind, nullable=False, server_default=sa.text(default))
            )
        batch_op.add_column(sa.Column("signin_expires_at", WHEN(), nullable=True))
    # The defaults served the rows that existed; new rows get theirs from the model.
    with op.batch_alter_table("marketplace_account", schema=None) as batch_op:
        for name, kind, _default in ACCOUNT_COLUMNS:
            batch_op.alter_column(name, existing_type=kind, server_default=None)
    op.create_table(
        "double_sale",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("first_order_id", sa.Integer(), nullable=False),
        sa.Column("second_order_id", sa.Integer(), nullable=False),
        sa.Column("detected_at", WHEN(), nullable=False),
        sa.Column("settled_at", WHEN(), nullable=True),
        sa.Column("settlement", TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["first_order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["second_order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("first_order_id", "second_order_id"),
    )
    with op.batch_alter_table("double_sale", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_double_sale_settled_at"), ["settled_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("double_sale")
    with op.batch_alter_table("marketplace_account", schema=None) as batch_op:
        batch_op.drop_column("signin_expires_at")
        for name, _kind, _default in reversed(ACCOUNT_COLUMNS):
            batch_op.drop_column(name)
