"""CSV export of the inventory, safe to open in a spreadsheet."""

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from sqlmodel import Session, col, select

from studio.inventory.fields import FIELDS, display_value
from studio.inventory.tables import Item

# A cell starting with one of these is run as a formula by spreadsheet apps.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = [spec.name.removesuffix("_cents") for spec in FIELDS] + ["created_at", "updated_at"]
CHUNK = 500


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _items(session: Session, ids: Sequence[int] | None) -> Iterator[Item]:
    statement = select(Item).order_by(col(Item.id))
    if ids is None:
        yield from session.exec(statement.execution_options(yield_per=1000))
        return
    for start in range(0, len(ids), CHUNK):
        yield from session.exec(statement.where(col(Item.id).in_(ids[start : start + CHUNK])))


def export_csv(
    session: Session,
    target: Path,
    ids: Sequence[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Writes the given items (all when `ids` is None) and returns how many were written.

    Written to a temporary file first, so an interrupted export never leaves half a file.
    `progress` gets the count so far and may raise to cancel.
    """
    partial = target.with_name(target.name + ".partial")
    written = 0
    try:
        with partial.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for item in _items(session, ids):
                cells = [display_value(spec, getattr(item, spec.name)) for spec in FIELDS]
                cells += [item.created_at.isoformat(), item.updated_at.isoformat()]
                writer.writerow([neutralise(cell) for cell in cells])
                written += 1
                if progress and written % CHUNK == 0:
                    progress(written)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return written
