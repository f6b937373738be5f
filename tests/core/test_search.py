from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from studio.inventory import service as inventory
from studio.inventory.queries import (
    ItemQuery,
    OrderCache,
    distinct_values,
    fetch_rows,
    fts_expression,
    search_ids,
)


@pytest.fixture
def catalogue(add_item, database):
    made = {
        "leggings": add_item(
            title="Lululemon Align leggings",
            brand="Lululemon",
            category="Leggings",
            size="6",
            list_price_cents="48",
            status="listed",
            bin_location="A3-01",
        ),
        "tote": add_item(
            title="Coach leather tote",
            brand="Coach",
            category="Bags",
            size="OS",
            list_price_cents="120",
            status="listed",
            bin_location="B1-02",
            tags="y2k, leather",
        ),
        "blouse": add_item(
            title="Silk blouse",
            brand="Équipement",
            category="Tops",
            size="S",
            list_price_cents="35",
            status="draft",
            bin_location="A3-02",
            description="Washed silk, a tiny mark near the hem",
        ),
        "kimono": add_item(
            title="着物 kimono jacket",
            category="Outerwear",
            list_price_cents="90",
            status="sold",
        ),
    }
    return {name: item.id for name, item in made.items()}


def found(database, **criteria) -> list[int]:
    with database.session() as session:
        return search_ids(session, ItemQuery(**criteria))


def test_prefix_words_in_any_order_find_the_item(database, catalogue):
    assert found(database, text="lulu leg") == [catalogue["leggings"]]
    assert found(database, text="leg lulu") == [catalogue["leggings"]]
    assert found(database, text="lulu bag") == []


def test_search_covers_sku_brand_description_tags_and_accents(database, catalogue):
    assert found(database, text="BAG-000") == [catalogue["tote"]]
    assert found(database, text="equipement") == [catalogue["blouse"]]
    assert found(database, text="hem") == [catalogue["blouse"]]
    assert found(database, text="y2k") == [catalogue["tote"]]
    assert found(database, text="着物") == [catalogue["kimono"]]


def test_fts_syntax_typed_by_a_person_is_plain_text(database, catalogue):
    for typed in ['"', "AND", "lulu*", "-", "NEAR(", "col:x", "'"]:
        found(database, text=typed)  # must not raise a syntax error
    assert fts_expression('say "hi"') == '"say"* AND "hi"*'
    assert fts_expression("  ") is None


def test_filters(database, catalogue):
    assert set(found(database, statuses=("listed",))) == {catalogue["leggings"], catalogue["tote"]}
    assert found(database, category="Bags") == [catalogue["tote"]]
    assert found(database, size="S") == [catalogue["blouse"]]
    assert found(database, brand="Coach") == [catalogue["tote"]]
    assert set(found(database, bin_location="a3")) == {catalogue["leggings"], catalogue["blouse"]}
    assert set(found(database, min_price=Decimal(40), max_price=Decimal(100))) == {
        catalogue["leggings"],
        catalogue["kimono"],
    }
    today = datetime.now(UTC).astimezone().date()
    assert len(found(database, created_from=today, created_to=today)) == 4
    assert found(database, created_to=today - timedelta(days=1)) == []
    assert found(database, created_from=date(2100, 1, 1)) == []


def test_sorting_both_ways(database, catalogue):
    by_price = found(database, sort="list_price_cents", descending=False)
    assert by_price == [catalogue[n] for n in ("blouse", "leggings", "kimono", "tote")]
    assert found(database, sort="title", descending=True)[0] == catalogue["kimono"]
    with pytest.raises(ValueError, match="cannot sort"):
        found(database, sort="cost_cents; DROP TABLE item")


def test_search_sees_edits_and_deletes(database, catalogue):
    with database.transaction() as session:
        inventory.update_item(session, catalogue["tote"], {"title": "Coach bucket bag"})
        inventory.delete_items(session, [catalogue["leggings"]])
    assert found(database, text="bucket") == [catalogue["tote"]]
    assert found(database, text="tote") == []
    assert found(database, text="lulu") == []


def test_rows_and_filter_choices(database, catalogue):
    with database.session() as session:
        rows = fetch_rows(session, [catalogue["tote"]])
        assert rows[catalogue["tote"]].sku == "BAG-0001"
        assert rows[catalogue["tote"]].cover_hash is None
        assert set(distinct_values(session, "category")) == {
            "Leggings",
            "Bags",
            "Tops",
            "Outerwear",
        }


def test_the_order_cache_gives_what_the_database_gives(database, catalogue, add_item):
    cache = OrderCache()
    queries = [
        ItemQuery(),
        ItemQuery(text="l"),
        ItemQuery(text="lulu"),
        ItemQuery(text="co", sort="title", descending=False),
        ItemQuery(text="a", statuses=("listed",)),
    ]
    for query in queries:
        with database.session() as session:
            assert search_ids(session, query, cache) == search_ids(session, query)
    # An edit or a new item must not be hidden by the cache.
    newcomer = add_item(title="Lululemon jacket").id
    with database.session() as session:
        assert newcomer in search_ids(session, ItemQuery(text="lulu"), cache)
    with database.transaction() as session:
        inventory.update_item(session, newcomer, {"list_price_cents": 1})
    with database.session() as session:
        by_price = ItemQuery(sort="list_price_cents", descending=False)
        assert search_ids(session, by_price, cache)[0] == newcomer
