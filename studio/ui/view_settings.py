"""The window's own settings (window.ini beside the data), each declared once: its key, the
type it is read back as, and the value a missing or unreadable entry gives.

An INI file hands most values back as strings (a bool as "true", a number as "0.25", a list
of ids as strings, a one-element list in a form of its own), and a hand-edited file may hold
anything, so the conversion lives here rather than at every place that reads a setting.
The keys are the ones earlier releases wrote: renaming one would reset that part of every
user's layout.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from studio.inventory.queries import ItemQuery
from studio.jobs.scheduler import DEFAULT_SYNC_MINUTES

T = TypeVar("T")


@dataclass(frozen=True)
class Kind(Generic[T]):
    """How one type of value is stored. `decode` raises ValueError or TypeError when the
    stored value is not one of these."""

    decode: Callable[[object], T]
    encode: Callable[[T], object]


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    kind: Kind[T]
    default: T

    def read(self, settings: QSettings) -> T:
        stored = settings.value(self.key)
        if stored is None:
            return self.default
        try:
            return self.kind.decode(stored)
        except (TypeError, ValueError):
            # Garbled by hand or by a crash mid-write: the layout starts afresh, the app opens.
            return self.default

    def write(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, self.kind.encode(value))


def _decode_bool(stored: object) -> bool:
    if isinstance(stored, str) and stored.lower() in ("true", "false"):
        return stored.lower() == "true"
    raise ValueError(f"not true or false: {stored!r}")


def _decode_float(stored: object) -> float:
    if not isinstance(stored, str | int | float) or isinstance(stored, bool):
        raise TypeError(f"not a number: {stored!r}")
    number = float(stored)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {stored!r}")
    return number


def _decode_text(stored: object) -> str:
    if not isinstance(stored, str):
        raise TypeError(f"not text: {stored!r}")
    return stored


def _decode_bytes(stored: object) -> bytes:
    # Saved Qt states (geometry, header layout) come back as @ByteArray(...) entries.
    if not isinstance(stored, QByteArray):
        raise TypeError(f"not a byte array: {stored!r}")
    return bytes(stored.data())


def _decode_ids(stored: object) -> tuple[int, ...]:
    ids = []
    for value in stored if isinstance(stored, list) else [stored]:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"not a list of ids: {stored!r}")
        ids.append(int(value))
    return tuple(ids)


BOOL = Kind(_decode_bool, lambda value: "true" if value else "false")
FLOAT = Kind(_decode_float, float)
TEXT = Kind(_decode_text, str)
BYTES = Kind(_decode_bytes, QByteArray)
IDS = Kind(_decode_ids, list)

WINDOW_GEOMETRY = Setting("window/geometry", BYTES, b"")
SYNC_MINUTES = Setting("sync/minutes", FLOAT, float(DEFAULT_SYNC_MINUTES))
WELCOME_SEEN = Setting("welcome/seen", BOOL, False)
INVENTORY_HEADER = Setting("inventory/header", BYTES, b"")
INVENTORY_SORT = Setting("inventory/sort", TEXT, ItemQuery.sort)
INVENTORY_DESCENDING = Setting("inventory/descending", BOOL, ItemQuery.descending)
PHOTOS_ITEMS = Setting("photos/items", IDS, ())  # the items the Photo Studio last showed
