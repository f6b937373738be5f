"""Bringing photo files in: onto an item (dropped or picked), or a folder as draft items.

Copying files into the photo store takes a while and reports progress, so these are
`runner.run` work on the writer thread; the core writes the rows in one transaction when
the copies are done, and that commit tells every screen (this grid, the Inventory).
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.imaging.photo_files import PHOTO_SUFFIXES
from studio.imaging.store import PhotoStore
from studio.photos import library as photo_library
from studio.photos.drafts import Drafts, create_draft_items
from studio.ui.photos.folder_import import FolderImportDialog
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

FILE_FILTER = "Photos (" + " ".join(f"*{suffix}" for suffix in sorted(PHOTO_SUFFIXES)) + ")"


class PhotoImports(QObject):
    message = Signal(str)
    problem = Signal(str)
    drafts_created = Signal(list)  # the new items' ids

    def __init__(self, services: Services, store: PhotoStore, owner: QWidget) -> None:
        super().__init__(owner)
        self.services = services
        self.store = store
        self.owner = owner
        self.dialog: FolderImportDialog | None = None

    def choose_files(self, item_id: int) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.owner, "Add photos to the item", str(Path.home()), FILE_FILTER
        )
        if paths:
            self.add_files([Path(p) for p in paths], item_id)

    def add_files(self, paths: Sequence[Path], item_id: int) -> None:
        """Copy the files into the photo store and add them after the item's photos."""
        database, store = self.services.database, self.store
        paths = list(paths)

        def work(context: TaskContext) -> tuple[list[int], list[str]]:
            return photo_library.add_photo_files(database, store, item_id, paths, context.progress)

        def added(result: tuple[list[int], list[str]]) -> None:
            ids, errors = result
            if errors:
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                self.problem.emit(
                    f"Added {len(ids)} photo(s); {len(errors)} could not be used: "
                    f"{errors[0]}{more}. Save those as JPEG, PNG, WebP or HEIC and add them again."
                )
            else:
                self.message.emit(f"Added {len(ids)} photo(s).")

        self._run(f"Adding {len(paths)} photo(s)", work, added)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.owner, "Import a folder of photos", str(Path.home())
        )
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> FolderImportDialog:
        """Group the folder's photos into draft items, for the seller to check first."""
        dialog = FolderImportDialog(self.services, folder, self.owner)
        dialog.create_requested.connect(self.create_drafts)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def create_drafts(self, groups: list[list[Path]]) -> None:
        database, store = self.services.database, self.store

        def work(context: TaskContext) -> Drafts:
            return create_draft_items(database, store, groups, context.progress)

        def created(drafts: Drafts) -> None:
            if drafts.item_ids:
                self.drafts_created.emit(drafts.item_ids)
            text = f"Created {len(drafts.item_ids)} draft item(s)."
            if drafts.errors:
                self.problem.emit(f"{text} Skipped {len(drafts.errors)}: {drafts.errors[0]}")
            else:
                self.message.emit(text)

        self._run(f"Creating {len(groups)} draft item(s)", work, created)

    def _run(
        self, label: str, work: Callable[[TaskContext], Any], done: Callable[[Any], None]
    ) -> None:
        """Copying files in can take a while: writer thread, with the progress panel."""
        self.services.runner.run(
            label,
            work,
            done,
            lambda error: self.problem.emit(f"{label} failed: {error}"),
            writes=True,
            show_progress=True,
        )
