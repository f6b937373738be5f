from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from studio.inventory import service as inventory
from studio.inventory.queries import (
    ItemQuery,
    OrderCache,
    count_matches,
    distinct_values,
    fetch_rows,
    fts_expression,
    search_ids,
    search_page,
)
from studio.inventory.search_order import ID_LIMIT
from studio.inventory.tables import Item


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


# A filter that changes nothing but takes the search off the index's order, to the general
# way (every match read, ordered by SQL), which the index's answers must equal.
GENERAL = {"created_from": date(2000, 1, 1)}


def test_the_index_answers_in_display_order_a_page_at_a_time(database, catalogue, add_item):
    for number in range(6):
        add_item(title=f"Coach wallet {number}", status="archived" if number % 3 else "listed")
    cache = OrderCache()
    queries = [
        ItemQuery(),
        ItemQuery(text="co"),
        ItemQuery(text="coach", statuses=("draft", "ready", "listed", "sold", "shipped")),
        ItemQuery(text="coach", statuses=("listed",)),
        ItemQuery(statuses=("archived",), descending=False),
        ItemQuery(text="nothing like it"),
    ]
    with database.session() as session:
        for query in queries:
            every = search_ids(session, replace(query, **GENERAL))
            assert search_ids(session, query) == every
            pages = [search_page(session, query, cache, start, 2) for start in range(0, 12, 2)]
            assert [item for page in pages for item in page.ids] == every
            assert count_matches(session, query, cache) == len(every)
            # A short page is counted at once; a full one waits for count_matches.
            first = pages[0]
            assert first.total == (len(every) if len(every) < 2 else None)


def test_an_edit_moves_the_item_to_the_top_of_the_index(database, catalogue):
    with database.transaction() as session:
        inventory.update_item(session, catalogue["leggings"], {"list_price_cents": 50})
    assert found(database)[0] == catalogue["leggings"]
    assert found(database, text="silk")[0] == catalogue["blouse"]
    assert found(database, descending=False)[-1] == catalogue["leggings"]


def test_ids_past_the_index_order_are_searched_the_general_way(database, catalogue):
    with database.transaction() as session:
        session.add(Item(id=ID_LIMIT + 5, sku="BAG-9999", title="Coach saddle bag"))
    with database.session() as session:
        by_sql = search_ids(session, ItemQuery(text="coach", **GENERAL))
        page = search_page(session, ItemQuery(text="coach"), OrderCache())
    assert ID_LIMIT + 5 in by_sql and page.ids == by_sql and page.total == 2
