"""One signal hub: every committed write's `Changes` reaches every screen, which decides
whether what it shows is affected."""

from PySide6.QtCore import QObject, Signal

from studio.storage.changes import Changes
from studio.storage.database import Database


class ChangeHub(QObject):
    """Relays what the database says it committed, from whichever thread committed it, to
    the screens on the UI thread (a queued signal when the writer was another thread)."""

    changed = Signal(object)  # Changes

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        database.on_commit(self._relay)
        self.destroyed.connect(lambda: database.remove_listener(self._relay))

    def _relay(self, changes: Changes) -> None:
        self.changed.emit(changes)
