"""One signal hub: operations announce what changed, screens decide whether to refresh."""

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class ItemsChanged:
    """Which items an operation touched; `rows_changed` when items appeared or went away.

    `from_marketplace` marks changes that sync brought in, which must not trigger a sync.
    """

    ids: frozenset[int] = field(default_factory=frozenset)
    rows_changed: bool = False
    from_marketplace: bool = False


class ChangeHub(QObject):
    items_changed = Signal(object)  # ItemsChanged

    def announce_items(
        self,
        ids: set[int] | frozenset[int],
        rows_changed: bool = False,
        from_marketplace: bool = False,
    ) -> None:
        self.items_changed.emit(ItemsChanged(frozenset(ids), rows_changed, from_marketplace))
