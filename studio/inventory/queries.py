"""Finding items: full-text search as you type, filters, sorting, and rows for the table."""

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlmodel import Session, col

from studio.inventory import search_order
from studio.inventory.tables import Item, Photo
from studio.money import to_cents

SORTABLE = (
    "sku",
    "title",
    "brand",
    "category",
    "size",
    "list_price_cents",
    "status",
    "bin_location",
    "created_at",
    "updated_at",
)
TEXT_SORT = {"sku", "title", "brand", "category", "size", "status", "bin_location"}
_WORD = re.compile(r"\w+", re.UNICODE)
PAGE_ROWS = 200  # a search reads this many ids at a time


@dataclass(frozen=True)
class ItemQuery:
    text: str = ""
    statuses: tuple[str, ...] = ()
    category: str = ""
    size: str = ""
    brand: str = ""
    bin_location: str = ""  # a bin or the start of one: "A3" matches A3-01, A3-02
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    created_from: date | None = None
    created_to: date | None = None
    sort: str = "updated_at"
    descending: bool = True
    exclude_ids: frozenset[int] = field(default_factory=frozenset)


def fts_expression(typed: str) -> str | None:
    """'lulu leg' -> '"lulu"* AND "leg"*': every word typed must start a word of the item.

    Words are quoted so that characters FTS5 treats as syntax (", -, :, *) are plain text.
    """
    words = _WORD.findall(typed)
    if not words:
        return None
    return " AND ".join(f'"{word}"*' for word in words)


def _filtered(query: ItemQuery, columns: Sequence[Any]) -> Select[Any]:
    statement = select(*columns)
    expression = fts_expression(query.text)
    if expression:
        match = search_order.words_match(expression)
        matches = text(search_order.MATCHING_IDS.replace("?", ":q")).bindparams(q=match)
        statement = statement.where(col(Item.id).in_(matches))
    if query.statuses:
        statement = statement.where(col(Item.status).in_(query.statuses))
    for name in ("category", "size", "brand"):
        value = getattr(query, name)
        if value:
            statement = statement.where(getattr(Item, name) == value)
    if query.bin_location:
        statement = statement.where(col(Item.bin_location).istartswith(query.bin_location))
    if query.min_price is not None:
        statement = statement.where(col(Item.list_price_cents) >= to_cents(query.min_price))
    if query.max_price is not None:
        statement = statement.where(col(Item.list_price_cents) <= to_cents(query.max_price))
    if query.created_from:
        # Dates are the seller's local days; stored times are UTC.
        start = datetime.combine(query.created_from, time.min).astimezone(UTC)
        statement = statement.where(col(Item.created_at) >= start)
    if query.created_to:
        end = datetime.combine(query.created_to + timedelta(days=1), time.min).astimezone(UTC)
        statement = statement.where(col(Item.created_at) < end)
    if query.exclude_ids:
        statement = statement.where(col(Item.id).not_in(query.exclude_ids))
    return statement


def _ordered_ids(session: Session, query: ItemQuery) -> list[int]:
    if query.sort not in SORTABLE:
        raise ValueError(f"cannot sort by {query.sort!r}")
    column: Any = getattr(Item, query.sort)
    if query.sort in TEXT_SORT:
        column = column.collate("NOCASE")
    order = column.desc() if query.descending else column.asc()
    tie = col(Item.id).desc() if query.descending else col(Item.id).asc()
    statement = _filtered(query, [Item.id]).order_by(order, tie)
    compiled = statement.compile(session.connection(), compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    return search_order.column(session, str(compiled), params)


@dataclass
class OrderCache:
    """The ordered ids of the filters and sort last used, and the last whole result, for the
    searches the index cannot answer in display order (another sort, other filters).

    Ordering a broad match (every item says "smoke-free home") is most of such a search's
    time; with this cache each keystroke intersects the FTS matches with the remembered
    order, and the pages after the first are slices of the remembered result.
    """

    key: tuple[Any, ...] | None = None
    ids: list[int] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)
    result_key: tuple[Any, ...] | None = None
    result: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)  # searches run on a pool

    def remember(self, key: tuple[Any, ...], ids: list[int]) -> None:
        self.key, self.ids = key, ids
        self.positions = {item_id: index for index, item_id in enumerate(ids)}

    def keep(self, matches: set[int]) -> list[int]:
        if len(matches) * 8 < len(self.ids):
            found = [item_id for item_id in matches if item_id in self.positions]
            return sorted(found, key=self.positions.__getitem__)
        return [item_id for item_id in self.ids if item_id in matches]


def _change_stamp(session: Session) -> tuple[Any, ...]:
    """Changes whenever an item is added, removed or edited (edits move updated_at)."""
    row = session.connection().exec_driver_sql(
        "SELECT count(*), max(updated_at), max(id) FROM item"
    )
    return tuple(row.one())


def _index_match(session: Session, query: ItemQuery) -> str | None:
    """The full-text index query that answers `query` in display order, if there is one:
    newest (or oldest) change first, filtered by status at most."""
    others = replace(query, text="", statuses=(), descending=True)
    if others != ItemQuery() or not search_order.keys_in_order(session):
        return None
    return search_order.status_match(fts_expression(query.text), query.statuses)


def search_ids(session: Session, query: ItemQuery, cache: OrderCache | None = None) -> list[int]:
    """The ids of every matching item, in display order (ids are cheap; rows come later)."""
    match = _index_match(session, query)
    if match is not None:
        return search_order.page(session, match, query.descending, 0, None)
    expression = fts_expression(query.text)
    if cache is None:
        return _ordered_ids(session, query)
    base = replace(query, text="")
    with cache.lock:
        stamp = _change_stamp(session)
        if cache.result_key == (query, stamp):
            return list(cache.result)
        key = (base, stamp)
        if cache.key != key:
            cache.remember(key, _ordered_ids(session, base))
        if expression is None:
            found = list(cache.ids)
        else:
            match = search_order.words_match(expression)
            matches = search_order.column(session, search_order.MATCHING_IDS, [match])
            found = cache.keep(set(matches))
        cache.result_key, cache.result = (query, stamp), found
        return list(found)


@dataclass(frozen=True)
class SearchPage:
    """Some rows of a search, from `offset`; `total` is None while uncounted (more than the
    page matched and the index has not been asked how many: `count_matches` does)."""

    offset: int
    ids: list[int]
    total: int | None


def search_page(
    session: Session,
    query: ItemQuery,
    cache: OrderCache,
    offset: int = 0,
    limit: int = PAGE_ROWS,
) -> SearchPage:
    """The ids of rows `offset` to `offset + limit` of a search, reading only those where the
    index keeps display order."""
    match = _index_match(session, query)
    if match is None:
        every = search_ids(session, query, cache)
        return SearchPage(offset, every[offset : offset + limit], len(every))
    ids = search_order.page(session, match, query.descending, offset, limit)
    return SearchPage(offset, ids, offset + len(ids) if len(ids) < limit else None)


def count_matches(session: Session, query: ItemQuery, cache: OrderCache) -> int:
    match = _index_match(session, query)
    if match is None:
        return len(search_ids(session, query, cache))
    return search_order.count(session, match)


@dataclass(frozen=True)
class ItemRow:
    """What one table row shows."""

    id: int
    sku: str
    title: str
    brand: str
    category: str
    size: str
    list_price_cents: int | None
    status: str
    bin_location: str
    updated_at: datetime
    cover_hash: str | None


ROW_COLUMNS: list[Any] = [
    Item.id,
    Item.sku,
    Item.title,
    Item.brand,
    Item.category,
    Item.size,
    Item.list_price_cents,
    Item.status,
    Item.bin_location,
    Item.updated_at,
]


def fetch_rows(session: Session, ids: Sequence[int]) -> dict[int, ItemRow]:
    cover = (
        select(col(Photo.file_hash))
        .where(col(Photo.item_id) == col(Item.id))
        .order_by(col(Photo.position))
        .limit(1)
        .scalar_subquery()
    )
    statement = select(*ROW_COLUMNS, cover).where(col(Item.id).in_(list(ids)))
    return {row[0]: ItemRow(*row) for row in session.execute(statement)}


def distinct_values(session: Session, name: str) -> list[str]:
    """The values a filter can offer (categories, sizes, brands, bins), most common first."""
    column: Any = getattr(Item, name)
    statement = (
        select(column)
        .where(column != "")
        .group_by(column)
        .order_by(func.count().desc(), column)
        .limit(500)
    )
    return list(session.execute(statement).scalars())


def count_items(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Item)).scalar_one())
