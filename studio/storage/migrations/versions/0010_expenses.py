"""Expenses and mileage for the yearly profit and loss

Revision ID: 0010_expenses
Revises: 0009_item_details
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString

revision = "0010_expenses"
down_revision = "0009_item_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("category", TEXT(length=60), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("miles_tenths", sa.Integer(), nullable=True),
        sa.Column("note", TEXT(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expense", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expense_spent_on"), ["spent_on"], unique=False)
    op.create_table(
        "mileage_rate",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("tenth_cents_per_mile", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )


def downgrade() -> None:
    op.drop_table("mileage_rate")
    op.drop_table("expense")
