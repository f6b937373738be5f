"""The whole schema: every table module, and the flush hook that fills the sync outbox.

Imported by studio.storage.database, so every process that opens a database has both.
Migrations compare against this metadata; a new table module is added here.
"""

from typing import Any

from sqlmodel import SQLModel

import studio.imaging.tables
import studio.inventory.tables
import studio.orders.tables
import studio.printing.settings
import studio.seller_tools.tables
import studio.shows.tables
import studio.sync.outbox  # registers the outbox's flush hook
import studio.sync.tables
import studio.sync.video_ops  # registers the listing videos' outbox hook
import studio.video.tables

TABLE_MODULES = (
    studio.inventory.tables,
    studio.orders.tables,
    studio.imaging.tables,
    studio.sync.tables,
    studio.printing.settings,
    studio.seller_tools.tables,
    studio.shows.tables,
    studio.video.tables,
)
metadata = SQLModel.metadata
# Tables no model declares: the FTS5 index with its shadow tables, and the scheduler's job
# store (APScheduler creates and owns it). Migrations leave them alone.
UNMANAGED_TABLES = ("item_fts", "apscheduler_jobs")
# A column SQLite computes for the index (migration 0014); no model writes or reads it.
UNMANAGED_COLUMNS = (("item", "search_key"),)


def managed(name: str | None, type_: str, parent_names: Any = None) -> bool:
    """Whether Alembic compares this table or column with the models (its `include_name`)."""
    if type_ == "table":
        return not (name is not None and name.startswith(UNMANAGED_TABLES))
    if type_ == "column" and parent_names:
        return (parent_names.get("table_name"), name) not in UNMANAGED_COLUMNS
    return True
