"""What a transaction changed, read off the session itself, for whoever shows the data.

The core never builds change notices by hand: every flush records which rows of which tables
it wrote, and when the transaction commits the record goes to the database's listeners (the
window's screens, through the task bridge). So a write made by a screen, a scheduled job at
3 a.m. or a sync cycle is announced the same way, and a code path cannot forget to say what it
changed. Statements that bypass the ORM (bulk inserts) add what they touched with `note`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

CHANGES_KEY = "studio.changes"

# The rows each kind of id comes from: an item is also changed when something hanging off it
# (a photo, a listing link, a like, an offer, an order line) was written.
ID_KINDS = ("items", "photos", "orders", "offers", "listings", "messages")
_ID_SOURCES = {
    "photo": ("photos", "id"),
    "orders": ("orders", "id"),
    "order_line": ("orders", "order_id"),
    "offer": ("offers", "id"),
    "listing_link": ("listings", "item_id"),
    "sent_message": ("messages", "id"),
}


@dataclass(frozen=True)
class Changes:
    """Ids of what changed, the tables written, and the tables whose row count moved."""

    items: frozenset[int] = field(default_factory=frozenset)
    photos: frozenset[int] = field(default_factory=frozenset)
    orders: frozenset[int] = field(default_factory=frozenset)
    offers: frozenset[int] = field(default_factory=frozenset)
    listings: frozenset[int] = field(default_factory=frozenset)  # item ids
    messages: frozenset[int] = field(default_factory=frozenset)
    tables: frozenset[str] = field(default_factory=frozenset)
    rows_moved: frozenset[str] = field(default_factory=frozenset)
    queued: bool = False  # work for a marketplace was queued: sync soon

    def __or__(self, other: "Changes") -> "Changes":
        merged: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = (mine or theirs) if isinstance(mine, bool) else mine | theirs
        return Changes(**merged)

    def __bool__(self) -> bool:
        return bool(self.tables) or self.queued

    def touches(self, *tables: str) -> bool:
        return not self.tables.isdisjoint(tables)

    @property
    def item_rows_moved(self) -> bool:
        """Items appeared or went away: lists and counts of items must be read again."""
        return "item" in self.rows_moved


def of_tables(
    *tables: str,
    rows_moved: bool = False,
    items: Iterable[int] = (),
    photos: Iterable[int] = (),
    orders: Iterable[int] = (),
    offers: Iterable[int] = (),
    listings: Iterable[int] = (),
    messages: Iterable[int] = (),
) -> Changes:
    """A record for writes the ORM did not see, e.g. `of_tables("item", rows_moved=True)`."""
    return Changes(
        items=frozenset(items),
        photos=frozenset(photos),
        orders=frozenset(orders),
        offers=frozenset(offers),
        listings=frozenset(listings),
        messages=frozenset(messages),
        tables=frozenset(tables),
        rows_moved=frozenset(tables) if rows_moved else frozenset(),
    )


Describer = Callable[[Any], Changes]
_describers: dict[str, Describer] = {}


def describe(table: str, describer: Describer) -> None:
    """Adds what a written row of `table` means beyond its ids (the outbox: `queued`)."""
    _describers[table] = describer


def note(session: Session, changes: Changes) -> None:
    """Adds to what the session's open transaction will announce when it commits."""
    _collected(session).extra |= changes


def take(session: Session) -> Changes:
    """Removes and returns what the session recorded since its last commit or rollback."""
    collected = session.info.pop(CHANGES_KEY, None)
    return collected.changes() if collected is not None else Changes()


def _collected(session: Session) -> "_Collected":
    collected = session.info.get(CHANGES_KEY)
    if collected is None:
        collected = session.info[CHANGES_KEY] = _Collected()
    return collected


class _Collected:
    """What a transaction wrote so far, in mutable sets: merging a frozen record per row (or
    per flush: a pull flushes before each of its queries) would copy the growing sets again
    each time, which a page of thousands of rows pays for quadratically."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {name: set() for name in ID_KINDS}
        self.tables: set[str] = set()
        self.moved: set[str] = set()
        self.extra = Changes()

    def add(self, obj: Any, moved: bool) -> None:
        table = getattr(obj, "__tablename__", None)
        if not isinstance(table, str):
            return
        self.tables.add(table)
        if moved:
            self.moved.add(table)
        for owner in (obj.id if table == "item" else None, getattr(obj, "item_id", None)):
            if isinstance(owner, int):
                self.ids["items"].add(owner)
        source = _ID_SOURCES.get(table)
        if source is not None and isinstance(getattr(obj, source[1], None), int):
            self.ids[source[0]].add(getattr(obj, source[1]))
        describer = _describers.get(table)
        if describer is not None:
            described = describer(obj)
            if described:
                self.extra |= described

    def changes(self) -> Changes:
        ids = {name: frozenset(values) for name, values in self.ids.items()}
        record = Changes(
            items=ids["items"],
            photos=ids["photos"],
            orders=ids["orders"],
            offers=ids["offers"],
            listings=ids["listings"],
            messages=ids["messages"],
            tables=frozenset(self.tables),
            rows_moved=frozenset(self.moved),
        )
        return record | self.extra if self.extra else record


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, _context: Any) -> None:
    collected = _collected(session)
    for obj in session.new:
        collected.add(obj, moved=True)
    for obj in session.deleted:
        collected.add(obj, moved=True)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            collected.add(obj, moved=False)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    record = take(session)
    publish = session.info.get("publish")
    if record and publish is not None:
        publish(record)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    take(session)
