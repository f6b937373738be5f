"""A small read-only table for short lists (tens of rows): a QTableWidget filled in one go.
Long lists use a lazy model instead (studio/ui/inventory/table_model.py)."""

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

ROW_ID_ROLE = Qt.ItemDataRole.UserRole


class ReadOnlyTable(QTableWidget):
    def __init__(self, headings: Sequence[str], stretch_column: int = 0) -> None:
        super().__init__(0, len(headings))
        self.setHorizontalHeaderLabels(list(headings))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)

    def fill(self, rows: Sequence[tuple[object, Sequence[str]]]) -> None:
        """Rows of (id, cells); the id is kept on the first cell for selected_id().

        The selection follows the ids, not the row numbers: a refresh that adds rows above
        the chosen one keeps it chosen. `itemSelectionChanged` is emitted only when the
        chosen ids did change (one went away), so a refresh does not count as a new choice.
        """
        chosen = self.selected_ids()
        self.blockSignals(True)
        self.clearSelection()
        self.setRowCount(len(rows))
        for r, (row_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == 0:
                    cell.setData(ROW_ID_ROLE, row_id)
                self.setItem(r, c, cell)
        self.select_ids(chosen)
        self.blockSignals(False)
        if set(self.selected_ids()) != set(chosen):
            self.itemSelectionChanged.emit()

    def select_ids(self, ids: Sequence[object]) -> None:
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r in range(self.rowCount()):
            cell = self.item(r, 0)
            if cell is not None and cell.data(ROW_ID_ROLE) in ids:
                self.selectionModel().select(self.model().index(r, 0), flags)

    def selected_ids(self) -> list[object]:
        rows = sorted({index.row() for index in self.selectedIndexes()})
        return [self.item(r, 0).data(ROW_ID_ROLE) for r in rows if self.item(r, 0)]

    def selected_id(self) -> object | None:
        ids = self.selected_ids()
        return ids[0] if ids else None
