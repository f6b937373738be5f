"""Every committed write says what it changed, read off the session, whoever wrote."""

import pytest

from studio.inventory import service as inventory
from studio.inventory.tables import Item, Photo
from studio.storage import changes
from studio.storage.changes import Changes
from studio.storage.database import Database
from studio.sync.tables import MarketplaceAccount, OpState, OutboxOp


@pytest.fixture
def heard(database: Database) -> list[Changes]:
    records: list[Changes] = []
    database.on_commit(records.append)
    return records


def test_a_new_item_moves_the_row_count_and_an_edit_does_not(database, heard, add_item) -> None:
    item = add_item(title="Coach tote", category="Bags")
    assert heard[-1].items == {item.id}
    assert heard[-1].item_rows_moved
    with database.transaction() as session:
        inventory.update_item(session, item.id, inventory.parse_values({"title": "Coach tote bag"}))
    assert heard[-1].items == {item.id}
    assert not heard[-1].item_rows_moved
    assert heard[-1].tables == {"item"}


def test_rows_hanging_off_an_item_name_the_item(database, heard, add_item) -> None:
    item = add_item(title="Levi's 501")
    with database.transaction() as session:
        session.add(Photo(item_id=item.id, file_hash="a" * 64))
    assert item.id in heard[-1].items
    assert len(heard[-1].photos) == 1
    assert heard[-1].rows_moved == {"photo"}


def test_a_rolled_back_transaction_announces_nothing(database, heard, add_item) -> None:
    item = add_item()
    before = len(heard)
    with pytest.raises(RuntimeError), database.transaction() as session:
        stored = session.get(Item, item.id)
        stored.title = "never saved"
        session.add(stored)
        session.flush()
        raise RuntimeError("the edit fails after its flush")
    assert len(heard) == before
    with database.transaction() as session:
        changes.note(session, changes.of_tables("item", rows_moved=True))
    assert heard[-1] == changes.of_tables("item", rows_moved=True)


def test_queued_marketplace_work_asks_for_a_sync(database, heard, add_item) -> None:
    item = add_item(title="Nike Air Max")
    op = OutboxOp(
        op_id="op-1", marketplace="m", entity=f"item:{item.id}", kind="delist", payload="{}"
    )
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="m", base_url="http://127.0.0.1:9"))
        session.flush()
        session.add(op)
    assert heard[-1].queued
    assert "outbox" in heard[-1].rows_moved
    with database.transaction() as session:
        sent = session.get(OutboxOp, op.id)
        sent.state = OpState.ACKED
        session.add(sent)
    assert not heard[-1].queued  # sync's own progress does not ask for another sync


def test_records_merge() -> None:
    merged = changes.of_tables("item", items=[1]) | Changes(queued=True)
    assert merged.items == {1} and merged.queued and merged.tables == {"item"}
    assert not Changes()
