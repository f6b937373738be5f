"""The full-text index in the table's default order, so a search reads only the page it shows.

Since migration 0014 the index's rowid is `item.search_key`: the item's last change in
milliseconds, then its id in the low 20 bits. Newest change first is therefore the index's
own descending rowid order, and with each item's status indexed beside its words, a search
under the status filter is one index query: its first page is the first rows the index hands
out (nothing else is read), its count is the index's count.

Items numbered 2**20 and above get keys out of that order; an inventory with such ids is
searched the general way (queries.py), which is slower but exact.
"""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from studio.inventory.tables import ItemStatus

ID_BITS = 20
ID_LIMIT = 1 << ID_BITS
TEXT_COLUMNS = "{sku title brand description tags}"
# An id back from a key: its low bits, or (for an id beyond ID_LIMIT) the negated key.
KEY_TO_ID = f"CASE WHEN rowid > 0 THEN rowid & {ID_LIMIT - 1} ELSE -rowid END"
MATCHING_IDS = f"SELECT {KEY_TO_ID} FROM item_fts WHERE item_fts MATCH ?"
ALL_STATUSES = tuple(status.value for status in ItemStatus)


def words_match(words: str) -> str:
    """A match on what the seller typed, in the text columns only (not the status)."""
    return f"{TEXT_COLUMNS}: ({words})"


def status_match(words: str | None, statuses: Sequence[str]) -> str | None:
    """The index query for typed words under a status filter, or None when a status is not
    one the index knows (the general search then answers)."""
    wanted = tuple(statuses) or ALL_STATUSES
    if not set(wanted) <= set(ALL_STATUSES):
        return None
    left_out = [status for status in ALL_STATUSES if status not in wanted]
    if words is None:
        return f"status: ({' OR '.join(wanted)})"
    if not left_out:
        return words_match(words)
    if len(left_out) < len(wanted):  # NOT of a short list costs less than OR of a long one
        return f"{words_match(words)} NOT status: ({' OR '.join(left_out)})"
    return f"{words_match(words)} AND status: ({' OR '.join(wanted)})"


def keys_in_order(session: Session) -> bool:
    """Whether every item's key sorts as its last change does (ids below ID_LIMIT)."""
    highest = column(session, "SELECT max(id) FROM item", [])[0]
    return highest is None or highest < ID_LIMIT


def page(
    session: Session, match: str, descending: bool, offset: int, limit: int | None
) -> list[int]:
    """Ids of the matches from `offset`, newest change first (or last), `limit` of them."""
    direction = "DESC" if descending else "ASC"
    sql = f"{MATCHING_IDS} ORDER BY rowid {direction} LIMIT ? OFFSET ?"
    return column(session, sql, [match, -1 if limit is None else limit, offset])


def count(session: Session, match: str) -> int:
    return int(column(session, "SELECT count(*) FROM item_fts WHERE item_fts MATCH ?", [match])[0])


def column(session: Session, sql: str, params: Sequence[Any]) -> list[Any]:
    # Thousands of ids: SQLAlchemy's row objects would cost more than SQLite's own work,
    # so these run on the driver's connection directly.
    connection = session.connection().connection.dbapi_connection
    cursor = connection.cursor()  # type: ignore[union-attr]
    try:
        return [row[0] for row in cursor.execute(sql, params)]
    finally:
        cursor.close()
