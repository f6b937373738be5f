import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from studio.inventory.search_order import MATCHING_IDS
from studio.storage import backup
from studio.storage.database import (
    DatabaseCorrupt,
    DatabaseTooNew,
    check_whole_file,
    current_revision,
    head_revision,
    integrity_problems,
    make_engine,
    open_database,
    upgrade_to,
)
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import data_dir as data_dir_of
from studio.storage.paths import database_file


def test_new_database_is_wal_with_foreign_keys_and_a_busy_timeout(database) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert current_revision(database.engine) == head_revision()


def test_photos_need_an_existing_item(database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO photo (item_id, position, file_hash, filename, width, height,"
                " created_at) VALUES (999, 0, 'abc', 'a.jpg', 1, 1, '2026-01-01')"
            )
        )


def test_upgrading_a_first_revision_database_keeps_every_row(data_dir: Path) -> None:
    engine = make_engine(database_file(data_dir))
    upgrade_to(engine, "0001_inventory")
    with engine.begin() as connection:
        for number, (category, title) in enumerate(
            [("Bags", "Coach tote"), ("Bags", "Kate Spade crossbody"), ("Tops", "Silk blouse")],
            start=1,
        ):
            prefix = category[:3].upper()
            connection.execute(
                text(
                    "INSERT INTO item (sku, title, category, status, created_at, updated_at,"
                    " list_price_cents) VALUES (:sku, :title, :category, 'listed',"
                    " '2026-01-01', '2026-01-02', :price)"
                ),
                {
                    "sku": f"{prefix}-{number + 40:04d}",
                    "title": title,
                    "category": category,
                    "price": 1000 * number,
                },
            )
        connection.execute(
            text(
                "INSERT INTO photo (item_id, position, file_hash, created_at)"
                " VALUES (1, 0, 'f00d', '2026-01-01')"
            )
        )
    engine.dispose()

    database = open_database(data_dir)
    with database.engine.connect() as connection:
        items = connection.execute(
            text("SELECT sku, title, list_price_cents FROM item ORDER BY id")
        ).all()
        photos = connection.execute(text("SELECT item_id, file_hash FROM photo")).all()
        prefixes = dict(
            connection.execute(text("SELECT category, next_number FROM skuprefix")).all()
        )
        # The index was rebuilt in display order (0014): its keys lead back to the item.
        found = connection.execute(
            text(MATCHING_IDS.replace("?", "'coach'")),
        ).all()
    assert items == [
        ("BAG-0041", "Coach tote", 1000),
        ("BAG-0042", "Kate Spade crossbody", 2000),
        ("TOP-0043", "Silk blouse", 3000),
    ]
    assert photos == [(1, "f00d")]
    # Numbering continues after the SKUs already handed out.
    assert prefixes == {"Bags": 43, "Tops": 44}
    assert found == [(1,)]
    assert next(p.name for p in backup.list_backups(data_dir)).endswith(
        "before-upgrade-0001_inventory.sqlite3"
    )
    database.close()


def test_a_database_from_a_newer_studio_is_refused_untouched(data_dir: Path) -> None:
    open_database(data_dir).close()
    with sqlite3.connect(database_file(data_dir)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    with pytest.raises(DatabaseTooNew, match="newer Seller Studio"):
        open_database(data_dir)
    with sqlite3.connect(database_file(data_dir)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "9999_future",
        )
    connection.close()


def test_backup_restore_and_rotation(database, add_item, data_dir: Path) -> None:
    add_item(title="Kept in the backup")
    first = backup.create_backup(database.engine, data_dir)
    add_item(title="Made after the backup")
    for _ in range(backup.KEEP_BACKUPS + 2):
        backup.create_backup(database.engine, data_dir, reason="rotation")
    assert len(backup.list_backups(data_dir)) == backup.KEEP_BACKUPS
    assert not first.exists()  # the oldest copies are rotated out
    database.close()

    newest = backup.list_backups(data_dir)[0]
    kept = backup.restore_backup(newest, data_dir)
    assert kept is not None and kept.exists()
    restored = open_database(data_dir)
    with restored.engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM item ORDER BY id")).scalars().all()
    assert titles == ["Kept in the backup", "Made after the backup"]
    assert integrity_problems(restored.engine) == []
    restored.close()


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(database, data_dir) -> None:
    fake = data_dir / "not-a-backup.sqlite3"
    fake.write_bytes(b"this is not sqlite" * 100)
    before = database_file(data_dir).read_bytes()
    with pytest.raises(ValueError, match="not a sound"):
        backup.restore_backup(fake, data_dir)
    assert database_file(data_dir).read_bytes() == before


def test_a_corrupt_database_is_reported_with_the_latest_backup(data_dir, add_item, database):
    add_item(title="Precious")
    saved = backup.create_backup(database.engine, data_dir)
    database.close()
    path = database_file(data_dir)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page
    path.write_bytes(bytes(data))

    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(data_dir)
    assert caught.value.latest_backup == saved
    assert "studio db restore" in str(caught.value)


def test_one_running_app_per_data_dir(data_dir: Path) -> None:
    with InstanceLock(data_dir):
        with pytest.raises(LockedByAnotherCopy, match="already open"):
            InstanceLock(data_dir).acquire()
    with InstanceLock(data_dir):  # released when the first copy closed
        pass


def test_the_migrations_build_exactly_the_tables_the_models_declare(database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from studio.storage.schema import managed, metadata

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": managed})
        assert compare_metadata(context, metadata) == []


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_database_and_its_backups_are_private_to_their_owner(tmp_path: Path) -> None:
    # A permissive umask, as on many shared machines: the studio must not rely on it.
    previous = os.umask(0o022)
    try:
        directory = data_dir_of(tmp_path / "fresh" / "data")
        database = open_database(directory)
        saved = backup.create_backup(database.engine, directory)
        database.close()
        kept = backup.restore_backup(saved, directory)
    finally:
        os.umask(previous)
    path = database_file(directory)
    assert _mode(directory) == 0o700  # its parents may be shared folders: left as they are
    assert _mode(path) == 0o600
    assert _mode(saved.parent) == 0o700 and _mode(saved) == 0o600
    assert kept is not None and _mode(kept) == 0o600
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert not side.exists() or _mode(side) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_database_readable_by_others_is_made_private(database, data_dir) -> None:
    database.close()
    path = database_file(data_dir)
    path.chmod(0o644)
    open_database(data_dir).close()
    assert _mode(path) == 0o600


def test_a_corrupt_database_without_backup_gets_real_options(data_dir: Path) -> None:
    database_file(data_dir).write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(data_dir)
    message = str(caught.value)
    assert caught.value.latest_backup is None
    assert "studio db check" not in message  # checking again is no way out
    assert "`studio db restore FILE`" in message
    assert "rename the damaged file (studio.sqlite3)" in message and ".recover" in message


def test_the_head_read_from_file_names_is_alembics_head() -> None:
    """Start-up reads the newest revision from the file names; that holds while every
    migration's revision is its file's name and the newest number is the head."""
    from alembic.script import ScriptDirectory

    from studio.storage.database import MIGRATIONS_DIR

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    for revision in script.walk_revisions():
        assert Path(revision.path).stem == revision.revision
    assert head_revision() == script.get_current_head()


def test_the_window_opens_first_and_checks_every_page_after(data_dir, add_item, database) -> None:
    for number in range(400):
        add_item(title=f"Linen shirt {number}", description="Soft washed linen. " * 20)
    database.close()
    path = database_file(data_dir)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 40 * page
    data[30 * page : 31 * page] = b"\x07" * page  # a page of rows, far from the schema
    path.write_bytes(bytes(data))

    with pytest.raises(DatabaseCorrupt):
        open_database(data_dir)  # the command line reads every page before anything else
    opened = open_database(data_dir, whole_file=False)  # header and schema are sound
    problem = check_whole_file(opened.engine, data_dir)
    opened.close()
    assert problem is not None and "studio db restore" in str(problem)
