"""Choosing where each CSV column goes before an import."""

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.inventory.csv_import import CsvTable
from studio.inventory.fields import BY_NAME, FIELDS
from studio.ui.dialog_buttons import action_buttons

IGNORE = "(ignore)"


class ColumnMappingDialog(QDialog):
    def __init__(
        self, table: CsvTable, guess: dict[str, str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import items from CSV")
        self.columns = table.header
        intro = QLabel(
            f"{len(table.rows):,} rows found. Check where each column goes; the import adds "
            "every row or, if any row has a problem, none of them."
        )
        intro.setWordWrap(True)
        grid = QTableWidget(len(self.columns), 3)
        grid.setHorizontalHeaderLabels(["Column in the file", "First value", "Goes to"])
        grid.verticalHeader().hide()
        self.targets: list[QComboBox] = []
        labels = [IGNORE, *(spec.label for spec in FIELDS)]
        for row, column in enumerate(self.columns):
            sample = table.rows[0][row] if table.rows and row < len(table.rows[0]) else ""
            grid.setItem(row, 0, QTableWidgetItem(column))
            grid.setItem(row, 1, QTableWidgetItem(sample[:60]))
            combo = QComboBox()
            combo.addItems(labels)
            target = guess.get(column)
            combo.setCurrentText(BY_NAME[target].label if target else IGNORE)
            grid.setCellWidget(row, 2, combo)
            self.targets.append(combo)
        grid.resizeColumnsToContents()
        self.update_existing = QCheckBox("Update items whose SKU is already in the inventory")
        buttons, _import = action_buttons(self, "Import", self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, grid, self.update_existing, buttons):
            layout.addWidget(widget)
        self.resize(640, 520)

    def mapping(self) -> dict[str, str | None]:
        by_label = {spec.label: spec.name for spec in FIELDS}
        return {
            column: by_label.get(combo.currentText())
            for column, combo in zip(self.columns, self.targets, strict=True)
        }
