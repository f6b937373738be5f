"""Printing: card and slip templates, printer profiles, the shop's details

Revision ID: 0006_printing
Revises: 0005_sync
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_printing"
down_revision = "0005_sync"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "print_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("body", TEXT(), nullable=False),
        sa.Column("font", TEXT(), nullable=False),
        sa.Column("font_size_pt", sa.Integer(), nullable=False),
        sa.Column("logo_path", TEXT(), nullable=False),
        sa.Column("show_qr", sa.Boolean(), nullable=False),
        sa.Column("show_related", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_template_kind"), ["kind"], unique=False)
    op.create_table(
        "printer_profile",
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("printer_name", TEXT(), nullable=False),
        sa.Column("paper", TEXT(), nullable=False),
        sa.Column("landscape", sa.Boolean(), nullable=False),
        sa.Column("offset_x_mm", sa.Float(), nullable=False),
        sa.Column("offset_y_mm", sa.Float(), nullable=False),
        sa.Column("scale_percent", sa.Float(), nullable=False),
        sa.Column("dpi", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind"),
    )
    op.create_table(
        "shop_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_name", TEXT(), nullable=False),
        sa.Column("closet_url", TEXT(), nullable=False),
        sa.Column("return_address", TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("shop_profile")
    op.drop_table("printer_profile")
    with op.batch_alter_table("print_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_template_kind"))
    op.drop_table("print_template")
