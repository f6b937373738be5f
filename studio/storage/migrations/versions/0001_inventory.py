"""Inventory: items, photos and the full-text index.

Revision ID: 0001_inventory
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_inventory"
down_revision = None
branch_labels = None
depends_on = None

FTS_COLUMNS = "sku, title, brand, description, tags"


def upgrade() -> None:
    op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.String, nullable=False, server_default=""),
        sa.Column("brand", sa.String, nullable=False, server_default=""),
        sa.Column("category", sa.String, nullable=False, server_default=""),
        sa.Column("size", sa.String, nullable=False, server_default=""),
        sa.Column("color", sa.String, nullable=False, server_default=""),
        sa.Column("condition", sa.String, nullable=False, server_default=""),
        sa.Column("tags", sa.String, nullable=False, server_default=""),
        sa.Column("cost_cents", sa.Integer),
        sa.Column("purchase_date", sa.Date),
        sa.Column("purchase_source", sa.String, nullable=False, server_default=""),
        sa.Column("list_price_cents", sa.Integer),
        sa.Column("floor_price_cents", sa.Integer),
        sa.Column("status", sa.String, nullable=False, server_default="draft"),
        sa.Column("bin_location", sa.String, nullable=False, server_default=""),
        sa.Column("notes", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    for column in (
        "brand",
        "category",
        "size",
        "list_price_cents",
        "status",
        "bin_location",
        "created_at",
        "updated_at",
    ):
        op.create_index(f"ix_item_{column}", "item", [column])

    op.create_table(
        "photo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("filename", sa.String, nullable=False, server_default=""),
        sa.Column("width", sa.Integer, nullable=False, server_default="0"),
        sa.Column("height", sa.Integer, nullable=False, server_default="0"),
        sa.Column("recipe", sa.String),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_photo_item_id", "photo", ["item_id"])
    op.create_index("ix_photo_file_hash", "photo", ["file_hash"])

    # External-content FTS5 index kept in step by triggers; prefix indexes make
    # as-you-type prefix queries cheap.
    op.execute(
        f"CREATE VIRTUAL TABLE item_fts USING fts5({FTS_COLUMNS}, content='item', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    new_values = "new.sku, new.title, new.brand, new.description, new.tags"
    old_values = "old.sku, old.title, old.brand, old.description, old.tags"
    op.execute(
        "CREATE TRIGGER item_fts_insert AFTER INSERT ON item BEGIN "
        f"INSERT INTO item_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new_values}); END"
    )
    op.execute(
        "CREATE TRIGGER item_fts_delete AFTER DELETE ON item BEGIN "
        f"INSERT INTO item_fts(item_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old_values}); END"
    )
    op.execute(
        "CREATE TRIGGER item_fts_update AFTER UPDATE OF sku, title, brand, description, tags "
        "ON item BEGIN "
        f"INSERT INTO item_fts(item_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old_values}); "
        f"INSERT INTO item_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new_values}); END"
    )


def downgrade() -> None:
    for trigger in ("item_fts_insert", "item_fts_delete", "item_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS item_fts")
    op.drop_table("photo")
    op.drop_table("item")
