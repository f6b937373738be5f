"""What eBay needs before publishing: an item's specifics by eBay's names, the marketplace
category the seller confirmed for each studio category, and what the marketplace last
answered to the editor's look-ups (category suggestions, a category's specifics)

Revision ID: 0013_listing_details
Revises: 0012_several_marketplaces
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime

revision = "0013_listing_details"
down_revision = "0012_several_marketplaces"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        # Kept as the column's default, like 0009's text columns: a row written without it
        # (an older copy of the studio still running during an upgrade) has no specifics.
        batch_op.add_column(sa.Column("aspects", TEXT(), nullable=False, server_default="{}"))
    account = ["marketplace_account.name"]
    op.create_table(
        "marketplace_category",
        sa.Column("marketplace", TEXT(), nullable=False),
        sa.Column("studio_category", TEXT(), nullable=False),
        sa.Column("category_id", TEXT(), nullable=False),
        sa.Column("label", TEXT(), nullable=False),
        sa.Column("chosen_at", WHEN(), nullable=False),
        sa.ForeignKeyConstraint(["marketplace"], account, ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("marketplace", "studio_category"),
    )
    op.create_table(
        "marketplace_lookup",
        sa.Column("marketplace", TEXT(), nullable=False),
        sa.Column("key", TEXT(), nullable=False),
        sa.Column("answer", TEXT(), nullable=False),
        sa.Column("fetched_at", WHEN(), nullable=False),
        sa.ForeignKeyConstraint(["marketplace"], account, ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("marketplace", "key"),
    )


def downgrade() -> None:
    op.drop_table("marketplace_lookup")
    op.drop_table("marketplace_category")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("aspects")
