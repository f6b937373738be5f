import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt for every test, whoever runs pytest.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.storage.database import Database, open_database


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    return directory


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    db = open_database(data_dir)
    yield db
    db.close()


@pytest.fixture
def add_item(database: Database):
    """Adds an item from text values, as a person would type them."""

    def add(**raw: str) -> Item:
        raw.setdefault("title", "Plain white tee")
        with database.transaction() as session:
            return inventory.create_item(session, inventory.parse_values(raw))

    return add
