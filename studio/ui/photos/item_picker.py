"""Find an item by SKU or title as you type, without leaving the Photo Studio."""

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget
from sqlmodel import Session

from studio.inventory.queries import ItemQuery, fetch_rows, search_ids
from studio.ui.services import Services

SEARCH_DELAY_MS = 150
MAX_SUGGESTIONS = 20


class ItemPicker(QLineEdit):
    picked = Signal(int)  # an item id

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setPlaceholderText("Find an item by SKU or title to show its photos…")
        self.setClearButtonEnabled(True)
        self.suggestions = QStringListModel(self)
        self._ids: dict[str, int] = {}
        self._generation = 0
        completer = QCompleter(self.suggestions, self)
        # The database already filtered by every word typed; the completer only shows.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._chosen)
        self.setCompleter(completer)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.search)
        self.textEdited.connect(self._debounce.start)
        self.returnPressed.connect(self._enter)

    def search(self) -> None:
        text = self.text().strip()
        if not text:
            return
        self._generation += 1
        generation = self._generation

        def read(session: Session) -> list[tuple[str, int]]:
            ids = search_ids(session, ItemQuery(text=text))[:MAX_SUGGESTIONS]
            rows = fetch_rows(session, ids)
            return [(f"{rows[i].sku} — {rows[i].title}", i) for i in ids if i in rows]

        def show(found: list[tuple[str, int]]) -> None:
            if generation != self._generation:
                return
            self._ids = dict(found)
            self.suggestions.setStringList([label for label, _id in found])
            if found and self.hasFocus():
                self.completer().complete()

        self.services.runner.query("Finding items", read, show)

    def _chosen(self, label: str) -> None:
        item_id = self._ids.get(label)
        if item_id is not None:
            self.picked.emit(item_id)

    def _enter(self) -> None:
        # Enter with one suggestion, or on a full "SKU — title", picks it.
        if self.text() in self._ids:
            self._chosen(self.text())
        elif len(self._ids) == 1:
            self._chosen(next(iter(self._ids)))
