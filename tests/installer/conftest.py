"""An inventory saved by an older version, and the check that a newer app upgraded it."""

from collections.abc import Callable
from pathlib import Path

import pytest

from studio.logs import log_file
from studio.storage import backup
from studio.storage.database import current_revision, head_revision, make_engine, upgrade_to
from studio.storage.paths import database_file

OLD_REVISION = "0003_orders"


@pytest.fixture
def older_inventory(tmp_path: Path) -> Path:
    """A data dir whose database an older release wrote, holding one item."""
    data_dir = tmp_path / "old-data"
    data_dir.mkdir()
    engine = make_engine(database_file(data_dir))
    upgrade_to(engine, OLD_REVISION)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO item (sku, title, status, category, created_at, updated_at) "
            "VALUES ('TOP-0001', 'Kept across the upgrade', 'draft', 'Tops', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    engine.dispose()
    return data_dir


def _check_upgraded(data_dir: Path) -> None:
    backups = list(backup.list_backups(data_dir))
    assert [b.name for b in backups if f"before-upgrade-{OLD_REVISION}" in b.name], backups
    engine = make_engine(database_file(data_dir))
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            titles = connection.exec_driver_sql("SELECT title FROM item").scalars().all()
        assert titles == ["Kept across the upgrade"]
        # The backup holds the old schema, untouched.
        old = make_engine(backups[0])
        assert current_revision(old) == OLD_REVISION
        old.dispose()
    finally:
        engine.dispose()
    assert "Seller Studio" in log_file(data_dir).read_text(encoding="utf-8")


@pytest.fixture
def check_upgraded() -> Callable[[Path], None]:
    return _check_upgraded
