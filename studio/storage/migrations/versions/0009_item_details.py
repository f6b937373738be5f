"""Item details resellers live by (measurements, weight, package size, material, style,
department, flaws), when an item sold, description templates, the card signature, and
default print and message templates without blanks

Revision ID: 0009_item_details
Revises: 0008_scheduled_offers
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

TEXT = sqlmodel.sql.sqltypes.AutoString

revision = "0009_item_details"
down_revision = "0008_scheduled_offers"
branch_labels = None
depends_on = None

TEXT_COLUMNS = ("material", "style", "department", "flaws", "package_size")
NUMBER_COLUMNS = ("pit_to_pit", "length", "waist", "inseam", "rise", "sleeve", "insole", "weight")
# The first defaults printed blanks until the shop was set up; a template still as shipped
# is moved to the wording that leaves out what is not set yet.
OLD_CARD = (
    "Hi {buyer_first_name},\n\nThank you so much for giving my {item_title} a new home! "
    "I hope you love it as much as I did.\n\nWith love, {shop_name}"
)
NEW_CARD = (
    "Hi[ {buyer_first_name}],\n\nThank you so much for giving my {item_title} a new home! "
    "I hope you love it as much as I did.\n\nWith love[, {signature}]"
)
OLD_SLIP = "Thanks for shopping with {shop_name}, {buyer_first_name}!"
NEW_SLIP = "Thanks for shopping[ with {shop_name}][, {buyer_first_name}]!"
MESSAGE_BODIES = (
    (
        "Hi {buyer_first_name}, thanks for following {shop_name}! New pieces every week.",
        "Hi[ {buyer_first_name}], thanks for following[ {shop_name}]! New pieces every week.",
    ),
    (
        "Thank you for your order {order_number}, {buyer_first_name}! I hope you love your "
        "{item_title}.",
        "Thank you for your order {order_number}[, {buyer_first_name}]! I hope you love your "
        "{item_title}.",
    ),
    (
        "Hi {buyer_first_name}, these go well with your {item_title}: {item_titles}. Add them "
        "and shipping is paid once.",
        "Hi[ {buyer_first_name}], these go well with your {item_title}: {item_titles}. Add them "
        "and shipping is paid once.",
    ),
)


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, TEXT(), nullable=False, server_default=""))
        for name in NUMBER_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sold_at", sa.DateTime(), nullable=True))
    # Items sold before this version: their last change is the best date there is.
    op.execute("UPDATE item SET sold_at = updated_at WHERE status IN ('sold', 'shipped')")
    with op.batch_alter_table("shop_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", TEXT(), nullable=False, server_default=""))
    _replace_bodies(forward=True)
    op.create_table(
        "description_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", TEXT(length=80), nullable=False),
        sa.Column("body", TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def _replace_bodies(forward: bool) -> None:
    for table, pairs in (
        ("print_template", ((OLD_CARD, NEW_CARD), (OLD_SLIP, NEW_SLIP))),
        ("message_template", MESSAGE_BODIES),
    ):
        rows = sa.table(table, sa.column("body", sa.String))
        for old, new in pairs:
            before, after = (old, new) if forward else (new, old)
            op.execute(rows.update().where(rows.c.body == before).values(body=after))


def downgrade() -> None:
    op.drop_table("description_template")
    _replace_bodies(forward=False)
    with op.batch_alter_table("shop_profile", schema=None) as batch_op:
        batch_op.drop_column("signature")
    with op.batch_alter_table("item", schema=None) as batch_op:
        for name in (*TEXT_COLUMNS, *NUMBER_COLUMNS, "sold_at"):
            batch_op.drop_column(name)
