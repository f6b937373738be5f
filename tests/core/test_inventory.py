from decimal import Decimal

import pytest
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory import sku
from studio.inventory.tables import Item, Photo


def test_skus_are_generated_per_category_and_follow_a_changed_prefix(add_item, database):
    assert add_item(title="Coach tote", category="Bags").sku == "BAG-0001"
    assert add_item(title="Kate Spade bag", category="Bags").sku == "BAG-0002"
    assert add_item(title="Silk blouse", category="Tops").sku == "TOP-0001"
    assert add_item(title="Mystery").sku == "ITEM-0001"
    with database.transaction() as session:
        sku.set_prefix(session, "Bags", "hb")
    assert add_item(title="Longchamp", category="Bags").sku == "HB-0003"


def test_generated_skus_skip_numbers_taken_by_hand(add_item):
    add_item(title="Hand numbered", sku="bag-0001")
    assert add_item(title="Generated", category="Bags").sku == "BAG-0002"


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"list_price_cents": "-5"}, "list_price_cents", "cannot be negative"),
        ({"list_price_cents": "twelve"}, "list_price_cents", "not an amount"),
        ({"purchase_date": "31/31/2026"}, "purchase_date", "YYYY-MM-DD"),
        ({"status": "gone"}, "status", "use one of"),
        ({"title": ""}, "title", "is required"),
        ({"list_price_cents": "10", "floor_price_cents": "12"}, "floor_price_cents", "above"),
        ({"sku": "BAG 01!"}, "sku", "only letters"),
    ],
)
def test_bad_values_name_the_field_and_store_nothing(add_item, database, raw, field, words):
    with pytest.raises(inventory.ValidationError) as caught:
        add_item(**{"title": "Tee", **raw})
    assert field in caught.value.errors
    assert words in caught.value.errors[field]
    with database.session() as session:
        assert session.exec(select(Item)).all() == []


def test_a_duplicate_sku_is_refused(add_item):
    add_item(title="First", sku="TOP-0007")
    with pytest.raises(inventory.ValidationError, match="already used"):
        add_item(title="Second", sku="top-0007")


def test_money_is_kept_exactly_in_cents(add_item):
    item = add_item(list_price_cents="$1,299.99", cost_cents="0.10", floor_price_cents="12,50")
    assert (item.list_price_cents, item.cost_cents, item.floor_price_cents) == (129999, 10, 1250)


def test_edit_duplicate_archive_delete_and_restore(add_item, database):
    original = add_item(title="Coach tote", category="Bags", tags="Leather, y2k, leather")
    assert original.tags == "leather, y2k"
    with database.transaction() as session:
        session.add(Photo(item_id=original.id, position=0, file_hash="a" * 64))
    with database.transaction() as session:
        edited = inventory.update_item(
            session, original.id, inventory.parse_values({"list_price_cents": "80"})
        )
        assert edited.updated_at >= original.updated_at
        copy = inventory.duplicate_item(session, original.id)
        assert copy.sku == "BAG-0002" and copy.title == "Coach tote" and copy.status == "draft"
        assert [p.file_hash for p in inventory.photos_of(session, copy.id)] == ["a" * 64]
        inventory.archive_items(session, [original.id])
    with database.transaction() as session:
        assert inventory.get_item(session, original.id).status == "archived"
        deleted = inventory.delete_items(session, [original.id])
    with database.transaction() as session:
        assert session.get(Item, original.id) is None
        assert session.exec(select(Photo).where(Photo.item_id == original.id)).all() == []
        inventory.restore_deleted(session, deleted)
    with database.session() as session:
        back = inventory.get_item(session, original.id)
        assert (back.sku, back.list_price_cents) == ("BAG-0001", 8000)
        assert len(inventory.photos_of(session, original.id)) == 1


def test_bulk_edit_applies_to_all_and_can_be_undone(add_item, database):
    ids = [add_item(title=f"Item {n}", list_price_cents=str(10 * n)).id for n in (1, 2, 3)]
    edit = inventory.BulkEdit(
        price_percent=Decimal("-10"), status="listed", bin_location="A3", add_tags="sale"
    )
    with database.transaction() as session:
        previous = inventory.bulk_edit(session, ids, edit)
    with database.session() as session:
        items = [inventory.get_item(session, i) for i in ids]
    assert [i.list_price_cents for i in items] == [900, 1800, 2700]
    assert {(i.status, i.bin_location, i.tags) for i in items} == {("listed", "A3", "sale")}
    with database.transaction() as session:
        inventory.restore_values(session, previous)
    with database.session() as session:
        items = [inventory.get_item(session, i) for i in ids]
    assert [(i.list_price_cents, i.status, i.bin_location) for i in items] == [
        (1000, "draft", ""),
        (2000, "draft", ""),
        (3000, "draft", ""),
    ]


def test_a_bulk_edit_that_breaks_one_item_changes_none(add_item, database):
    cheap = add_item(title="Cheap", list_price_cents="10", floor_price_cents="9")
    dear = add_item(title="Dear", list_price_cents="100")
    with pytest.raises(inventory.BulkEditError, match=cheap.sku) as caught:
        with database.transaction() as session:
            inventory.bulk_edit(session, [dear.id, cheap.id], inventory.BulkEdit(price_change=-5))
    assert "Nothing was changed" in str(caught.value)
    with database.session() as session:
        assert inventory.get_item(session, dear.id).list_price_cents == 10000
        assert inventory.get_item(session, cheap.id).list_price_cents == 1000


def test_removing_tags_in_bulk(add_item, database):
    item = add_item(tags="vintage, y2k, denim")
    with database.transaction() as session:
        inventory.bulk_edit(session, [item.id], inventory.BulkEdit(remove_tags="Y2K"))
    with database.session() as session:
        assert inventory.get_item(session, item.id).tags == "vintage, denim"
