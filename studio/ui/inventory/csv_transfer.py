"""CSV import and export from the Inventory section, in the background with progress.

Both are long, with a progress bar and a Cancel, so they are `runner.run` work rather than a
plain `query` or `write`: the import is one transaction on the writer thread (all rows or
none) and its commit is announced like any other write; the export reads on a reader.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlmodel import Session

from studio.inventory.csv_export import export_csv
from studio.inventory.csv_import import (
    CsvTable,
    ImportCancelled,
    ImportFailed,
    guess_mapping,
    import_csv,
    read_table,
)
from studio.inventory.queries import search_ids
from studio.ui.inventory.csv_dialog import ColumnMappingDialog
from studio.ui.tasks import TaskCancelled, TaskContext

if TYPE_CHECKING:
    from studio.ui.inventory.section import InventorySection


class CsvTransfer:
    def __init__(self, section: "InventorySection") -> None:
        self.section = section
        self.mapping_dialog: ColumnMappingDialog | None = None

    def start_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.section, "Import items", str(Path.home()), "CSV files (*.csv *.txt)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Reads the file in the background, then asks where its columns go."""
        self.section.services.runner.run(
            "Reading the file",
            lambda _context: read_table(path),
            on_done=lambda table: self._ask_mapping(path, table),
            on_error=self._import_failed,
        )

    def _ask_mapping(self, path: Path, table: CsvTable) -> None:
        dialog = ColumnMappingDialog(table, guess_mapping(table.header), self.section)
        self.mapping_dialog = dialog
        dialog.finished.connect(lambda result: self._mapped(path, dialog, result))
        dialog.open()

    def _mapped(self, path: Path, dialog: ColumnMappingDialog, result: int) -> None:
        self.mapping_dialog = None
        if result != QDialog.DialogCode.Accepted:
            return
        mapping, update = dialog.mapping(), dialog.update_existing.isChecked()

        def change(session: Session, context: TaskContext) -> str:
            report = import_csv(session, path, mapping, update, context.progress)
            return f"Imported {report.created:,} new and updated {report.updated:,} item(s)."

        self.section.services.runner.long_write(
            f"Importing {path.name}", change, on_done=self._imported, on_error=self._import_failed
        )

    def _imported(self, message: str) -> None:
        # The new rows reach the table through the hub, from the import's commit.
        self.section.banner.show_info(message)

    def _import_failed(self, error: BaseException) -> None:
        if isinstance(error, ImportCancelled):
            self.section.banner.show_info(str(error))
        elif isinstance(error, ImportFailed):
            box = QMessageBox(self.section)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Nothing was imported")
            box.setText(str(error).split("\n", 1)[0] + " Fix these rows and import again.")
            box.setDetailedText("\n".join(str(problem) for problem in error.problems))
            box.open()
            self.problems_box = box
        else:
            self.section.banner.show_error(f"The import failed: {error}")

    def start_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.section, "Export items", str(Path.home() / "inventory.csv"), "CSV files (*.csv)"
        )
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        """Exports what the search and filters show now (everything when they are empty)."""
        query = self.section.current_query()

        def read(session: Session, context: TaskContext) -> int:
            ids = search_ids(session, query)

            def progress(done: int) -> None:
                if not context.progress(done, len(ids)):
                    raise TaskCancelled()

            return export_csv(session, path, ids, progress)

        self.section.services.runner.long_query(
            f"Exporting {path.name}",
            read,
            on_done=lambda count: self.section.banner.show_info(
                f"Exported {count:,} item(s) to {path}"
            ),
            on_error=lambda error: self.section.banner.show_error(f"The export failed: {error}"),
        )
