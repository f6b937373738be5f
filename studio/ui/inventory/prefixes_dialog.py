"""SKU prefixes per category: what new items' SKUs start with."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.inventory.sku import PREFIX_PATTERN
from studio.ui.dialog_buttons import action_buttons


class PrefixesDialog(QDialog):
    def __init__(
        self,
        prefixes: dict[str, str],
        save: Callable[[dict[str, str]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("SKU prefixes")
        self._save = save
        self._before = prefixes
        intro = QLabel(
            "New items get the next number after their category's prefix, e.g. BAG-0042. "
            "Existing SKUs stay as they are."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(prefixes), 2)
        self.table.setHorizontalHeaderLabels(["Category", "Prefix"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, category in enumerate(sorted(prefixes, key=str.lower)):
            name = QTableWidgetItem(category or "(no category)")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, category)  # the real key, "" included
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(prefixes[category]))
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()
        buttons, _save = action_buttons(self, "Save", self.submit)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table, self.message, buttons):
            layout.addWidget(widget)
        self.resize(420, 420)

    def changed(self) -> dict[str, str]:
        result = {}
        for row in range(self.table.rowCount()):
            category = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            prefix = self.table.item(row, 1).text().strip().upper()
            if prefix != self._before[category]:
                result[category] = prefix
        return result

    def submit(self) -> None:
        changes = self.changed()
        bad = [p for p in changes.values() if not PREFIX_PATTERN.match(p)]
        if bad:
            self.message.setText(f"'{bad[0]}' is not a prefix: use 1 to 12 letters or digits.")
            self.message.show()
            return
        self._save(changes)
        self.accept()
