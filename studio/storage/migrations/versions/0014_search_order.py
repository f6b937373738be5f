"""Search in display order: the full-text index keyed by when an item last changed, with its
status, and a one-letter prefix index

The index's rowid was the item id, so a search had to read every match out of SQLite to put
them in the table's order (newest change first). Keyed by `item.search_key` (the time of the
last change in milliseconds, then the id; computed by SQLite from `updated_at`), the index
hands out its matches in that order: the first page of a search is its first rows, and with
the status beside the words the Active filter's count is the index's own.

Revision ID: 0014_search_order
Revises: 0013_listing_details
"""

from alembic import op

revision = "0014_search_order"
down_revision = "0013_listing_details"
branch_labels = None
depends_on = None

# Kept in step with studio/inventory/search_order.py, which reads the keys back.
MILLIS_SINCE_2020 = "CAST(round((julianday(updated_at) - 2458849.5) * 86400000) AS INTEGER)"
SEARCH_KEY = (
    "CASE WHEN id < 1048576 THEN "
    f"(max(-2199023255552, min(2199023255551, {MILLIS_SINCE_2020})) + 2199023255552) "
    "* 1048576 + id ELSE -id END"
)
TEXT_COLUMNS = "sku, title, brand, description, tags"
TRIGGERS = ("item_fts_insert", "item_fts_delete", "item_fts_update")


def _index(columns: str, rowid: str, prefix: str, watched: str) -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE item_fts USING fts5({columns}, content='item', "
        f"content_rowid='{rowid}', tokenize='unicode61 remove_diacritics 2', prefix='{prefix}')"
    )
    new = ", ".join(f"new.{name.strip()}" for name in columns.split(","))
    old = ", ".join(f"old.{name.strip()}" for name in columns.split(","))
    op.execute(
        "CREATE TRIGGER item_fts_insert AFTER INSERT ON item BEGIN "
        f"INSERT INTO item_fts(rowid, {columns}) VALUES (new.{rowid}, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER item_fts_delete AFTER DELETE ON item BEGIN "
        f"INSERT INTO item_fts(item_fts, rowid, {columns}) VALUES ('delete', old.{rowid}, {old}); "
        "END"
    )
    op.execute(
        f"CREATE TRIGGER item_fts_update AFTER UPDATE OF {watched} ON item BEGIN "
        f"INSERT INTO item_fts(item_fts, rowid, {columns}) VALUES ('delete', old.{rowid}, {old}); "
        f"INSERT INTO item_fts(rowid, {columns}) VALUES (new.{rowid}, {new}); END"
    )
    op.execute("INSERT INTO item_fts(item_fts) VALUES ('rebuild')")


def _drop_index() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS item_fts")


def upgrade() -> None:
    _drop_index()
    # A virtual generated column: SQLite computes it when read, no row is rewritten.
    op.execute(f"ALTER TABLE item ADD COLUMN search_key INTEGER GENERATED ALWAYS AS ({SEARCH_KEY})")
    columns = f"{TEXT_COLUMNS}, status"
    _index(columns, "search_key", "1 2 3", f"{columns}, updated_at")


def downgrade() -> None:
    _drop_index()
    op.execute("ALTER TABLE item DROP COLUMN search_key")
    _index(TEXT_COLUMNS, "id", "2 3", TEXT_COLUMNS)
