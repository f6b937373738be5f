"""Rows of fixed heights poured onto as many pages as they need."""

from collections.abc import Callable, Sequence
from typing import TypeVar

Row = TypeVar("Row")


def paginate(
    rows: Sequence[Row], height_of: Callable[[Row], float], space: float
) -> list[list[Row]]:
    """Splits rows into pages of at most `space` points each; never returns no pages."""
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        height = height_of(row)
        if pages[-1] and used + height > space:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += height
    return pages
