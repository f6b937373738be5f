"""The Photo Studio section: the items' photos, before/after, styling and batches.

Every read is a `runner.query` and every write a `runner.write` (longer work with progress, a
`runner.run`); the widgets only hold what is on screen. What any write changed comes back
through the hub, and the grid reloads when it touches the items or photos shown.
Recipe edits are saved and re-rendered after a short pause, so a moving slider shows a live
preview without queueing a render (or an undo step) for each pixel it moved.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from studio.imaging.model_catalog import InstalledModel, active_model
from studio.imaging.presets import SHIPPED_PRESETS
from studio.imaging.recipe import Background, Recipe, RemoveBackground, Stroke
from studio.imaging.remover import MaskProvider
from studio.imaging.render import Renderer
from studio.imaging.store import PhotoStore
from studio.photos import library as photo_library
from studio.photos.export import export_photos
from studio.photos.library import GridPhoto, recipe_of, strokes_removed
from studio.storage.changes import Changes
from studio.storage.paths import photos_dir
from studio.ui.banner import Banner
from studio.ui.photos.batches import PhotoBatches
from studio.ui.photos.before_after import ComparePane
from studio.ui.photos.grid_model import PhotoGridModel, locate_thumbnail
from studio.ui.photos.live_preview import LivePreview, PreviewImages, PreviewRequest
from studio.ui.photos.notices import ModelNotice, ResumeNotice
from studio.ui.photos.photo_grid import ICON, PhotoGrid
from studio.ui.photos.photo_io import PhotoImports
from studio.ui.photos.photo_writes import PhotoWrites
from studio.ui.photos.recipe_panel import RecipePanel
from studio.ui.photos.toolbar import StudioToolbar
from studio.ui.photos.undo_commands import Move, PhotoMove, RecipeEdit, Recipes
from studio.ui.photos.video_strip import VideoStrip, is_video
from studio.ui.services import Services
from studio.ui.tasks import TaskContext
from studio.ui.thumbnails import ThumbnailCache
from studio.ui.view_settings import PHOTOS_ITEMS

EDIT_PAUSE_MS = 150
MASK_TINT = "#f2b8c6"  # what the cut-out removes shows in this colour while brushing
NO_ITEMS = (
    "No items picked yet. Select items in the Inventory and come back here, or find one with "
    "the search box above. Then drop photo files here, or use “Add photos…”."
)
NO_PHOTOS = "These items have no photos yet: drop photo files here, or use “Add photos…”."


class PhotoStudioSection(QWidget):
    def __init__(
        self,
        services: Services,
        inventory_selection: Callable[[], list[int]] = list,
        model: Callable[[], InstalledModel | None] = active_model,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.store = PhotoStore(photos_dir(services.data_dir))
        self._inventory_selection = inventory_selection
        self._pulled_selection: list[int] = []
        self.item_ids: list[int] = []
        self.current: GridPhoto | None = None
        self.recipe = Recipe()
        self.presets: dict[str, Recipe] = dict(SHIPPED_PRESETS)
        self._edit_what = ""
        self._window_watched = False
        self._reloads = 0

        installed = model()
        store = self.store
        self.thumbnails = ThumbnailCache(
            services.runner, lambda key: locate_thumbnail(store, key), self, ICON
        )
        self.model = PhotoGridModel(self.thumbnails, self)
        self.grid = PhotoGrid(self.model)
        self.compare = ComparePane()
        self.view, self.split = self.compare.view, self.compare.split
        self.panel = RecipePanel()
        self.toolbar = StudioToolbar(services)
        self.working_on = QLabel(_working_on([], {}, 0))  # whose photos these are
        self.working_on.setStyleSheet("font-weight: 600; padding: 2px 4px;")
        self.banner = Banner()
        self.model_notice = ModelNotice()
        self.model_notice.setVisible(installed is None)
        self.panel.steps.set_model_available(installed is not None)
        self.resume_notice = ResumeNotice()
        renderer = Renderer(self.store, MaskProvider(self.store, installed))
        self.preview = LivePreview(services.runner, renderer, parent=self)
        self.batches = PhotoBatches(services, self.store, model, self)
        self.imports = PhotoImports(services, self.store, self)
        self.writes = PhotoWrites(services, self)
        self.video_strip = VideoStrip(services, self)
        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_PAUSE_MS)
        self._build_layout()
        self._connect()
        self.grid.empty_text = NO_ITEMS
        self.view.clear()
        self.writes.load_presets(self._presets_loaded)
        self.batches.look_for_unfinished()
        self.video_strip.resume_waiting()
        remembered = PHOTOS_ITEMS.read(services.settings)
        if remembered:
            self.show_items(remembered)

    def _build_layout(self) -> None:
        splitter = QSplitter()
        splitter.addWidget(self.grid)
        splitter.addWidget(self.compare)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([self.grid.minimumWidth(), 700, 340])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.working_on)
        for notice in (self.model_notice, self.resume_notice, self.banner):
            layout.addWidget(notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.video_strip)

    def _connect(self) -> None:
        self.grid.selectionModel().currentChanged.connect(lambda *_: self._current_changed())
        self.grid.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.grid.make_cover.triggered.connect(self.make_cover)
        self.model.photos_dropped.connect(self.move_photos)
        self.model.files_dropped.connect(self._files_dropped)
        self.view.stroke_painted.connect(self.add_stroke)
        self.panel.steps.edited.connect(self._step_edited)
        self.panel.presets.chosen.connect(self.use_preset)
        self.panel.presets.save_requested.connect(self.save_as_preset)
        self.panel.brush.changed.connect(self._brush_changed)
        self.panel.brush.clear_requested.connect(self.clear_strokes)
        self.panel.apply_button.clicked.connect(self.apply_to_selection)
        self.preview.rendered.connect(self._rendered)
        self.preview.failed.connect(lambda text: self.banner.show_error(f"Preview failed: {text}"))
        self._edit_timer.timeout.connect(self._commit_edit)
        self.toolbar.item_picked.connect(lambda item_id: self.show_items([item_id]))
        self.toolbar.add_photos.connect(self._add_photos_to_current_item)
        self.toolbar.import_folder.connect(self.imports.choose_folder)
        self.toolbar.export_photos.connect(self.choose_export_folder)
        self.imports.message.connect(self.banner.show_info)
        self.imports.problem.connect(self.banner.show_error)
        self.writes.problem.connect(self.banner.show_error)
        self.imports.drafts_created.connect(self.show_items)
        self.batches.message.connect(self.banner.show_info)
        self.batches.problem.connect(self.banner.show_error)
        self.video_strip.message.connect(self.banner.show_info)
        self.video_strip.problem.connect(self.banner.show_error)
        self.batches.finished.connect(self._batch_finished)
        self.batches.unfinished.connect(
            lambda b: self.resume_notice.offer(b.batch_id, b.label, b.left, b.total)
        )
        self.resume_notice.resume.connect(self.resume_batch)
        self.resume_notice.discard.connect(self.batches.discard)
        self.services.hub.changed.connect(self._on_changes)

    # Which photos are on screen
    def show_items(self, item_ids: Sequence[int]) -> None:
        """Show these items' photos (the Inventory's selection, or a picked item)."""
        self.item_ids = list(dict.fromkeys(item_ids))
        PHOTOS_ITEMS.write(self.services.settings, self.item_ids)
        self.reload()

    def reload(self) -> None:
        self._reloads += 1
        item_ids, reload = list(self.item_ids), self._reloads
        self.services.runner.query(
            "Loading photos",
            lambda session: (
                photo_library.photos_of_items(session, item_ids),
                photo_library.item_names(session, item_ids),
            ),
            lambda found: self._loaded(reload, item_ids, *found),
            lambda error: self.banner.show_error(f"Loading photos failed: {error}"),
        )

    def _loaded(
        self, reload: int, item_ids: list[int], rows: list[GridPhoto], names: dict[int, str]
    ) -> None:
        if reload != self._reloads:
            return  # read again (other items picked, or a write since): a newer answer comes
        self.working_on.setText(_working_on(item_ids, names, len(rows)))
        keep = self.current.photo_id if self.current else None
        selected = {p.photo_id for p in self.grid.selected_photos()}
        self.model.set_photos(item_ids, rows)
        self.grid.empty_text = NO_PHOTOS if item_ids else NO_ITEMS
        for row, photo in enumerate(rows):
            if photo.photo_id in selected:
                self.grid.selectionModel().select(
                    self.model.index(row), self.grid.selectionModel().SelectionFlag.Select
                )
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and rows:
            row = 0
        if row is not None:
            # With nothing selected, the photo shown is the selection, ready to style.
            flags = self.grid.selectionModel().SelectionFlag
            flag = flags.NoUpdate if selected else flags.ClearAndSelect
            self.grid.selectionModel().setCurrentIndex(self.model.index(row), flag)
        self._current_changed()
        self._selection_changed()
        self.video_strip.show_item(
            self.current.item_id if self.current else item_ids[0] if item_ids else None
        )

    def _files_dropped(self, paths: list[Path], item_id: int) -> None:
        """Clips go to the item's video, photos to its photos: one drop can bring both."""
        videos = [path for path in paths if is_video(path)]
        photos = [path for path in paths if not is_video(path)]
        if videos:
            self.video_strip.show_item(item_id)
            self.video_strip.add_files(videos)
        if photos:
            self.imports.add_files(photos, item_id)

    def _batch_finished(self, _batch_id: int) -> None:
        """The batch rendered finished files: the grid's styled thumbnails can show now."""
        self.thumbnails.forget_missing()
        if self.model.photos:
            self.model.dataChanged.emit(
                self.model.index(0), self.model.index(len(self.model.photos) - 1)
            )

    def _on_changes(self, changes: Changes) -> None:
        shown_photos = {photo.photo_id for photo in self.model.photos}
        if changes.items & set(self.item_ids) or changes.photos & shown_photos:
            self.reload()

    def showEvent(self, event: Any) -> None:
        # Items selected in the Inventory since the last visit are what the seller wants here.
        selection = self._inventory_selection()
        if selection and selection != self._pulled_selection:
            self._pulled_selection = selection
            self.show_items(selection)
        self._watch_window_close()  # a quit must stop a video encode cleanly too
        super().showEvent(event)

    # The photo being edited
    def _current_changed(self) -> None:
        photo = self.grid.current_photo()
        if photo is not None and self.current and photo.photo_id == self.current.photo_id:
            self._same_photo_reloaded(photo)
            return
        self._flush_edit()
        self.current = photo
        self.recipe = recipe_of(photo.recipe) if photo else Recipe()
        self.panel.show_photo(self.recipe if photo else None)
        self._show_preset_name()
        if photo is None:
            self.view.clear(NO_PHOTOS if self.item_ids else NO_ITEMS)
        else:
            self.request_preview()

    def _same_photo_reloaded(self, photo: GridPhoto) -> None:
        if self._edit_timer.isActive():  # mid-edit: what is on screen is newer than the row
            self.current = replace(photo, recipe=self.current.recipe if self.current else None)
            return
        self.current = photo
        stored = recipe_of(photo.recipe)
        if stored != self.recipe:  # changed elsewhere, e.g. by "Apply to selection"
            self.recipe = stored
            self.panel.show_photo(stored)
            self._show_preset_name()
            self.request_preview()

    def _selection_changed(self) -> None:
        self.panel.set_selection_count(len(self.grid.selected_photos()))

    def request_preview(self) -> None:
        photo = self.current
        if photo is None:
            return
        after = self.recipe
        if self.panel.brush.mode is not None:
            # Brushing happens in the photo's own frame: show just the cut-out on a tint.
            removal = self.recipe.find(RemoveBackground) or RemoveBackground()
            after = Recipe((removal, Background(fill="color", color=MASK_TINT)))
        self.preview.request(PreviewRequest(photo.photo_id, photo.file_hash, Recipe(), after))

    def _rendered(self, images: PreviewImages) -> None:
        if self.current is not None and images.request.photo_id == self.current.photo_id:
            self.view.set_images(images.before, images.after)

    # Editing the recipe
    def _step_edited(self, recipe: Recipe, what: str) -> None:
        self.recipe = recipe
        self._edit_what = what
        self.panel.update_brush(recipe)
        self._show_preset_name()
        self._edit_timer.start()

    def _flush_edit(self) -> None:
        if self._edit_timer.isActive():
            self._edit_timer.stop()
            self._commit_edit()

    def _commit_edit(self, what: str | None = None) -> None:
        photo = self.current
        if photo is None:
            return
        new = self.recipe.to_json() if self.recipe.steps else None
        if new != photo.recipe:
            text = what or self._edit_what
            before, after = {photo.photo_id: photo.recipe}, {photo.photo_id: new}

            def written() -> None:
                # On the stack once stored; a slider's steps merge there into one edit.
                command = RecipeEdit(text, before, after, self.write_recipes, already_written=True)
                self.services.undo_stack.push(command)

            self._show_recipes(after)
            self.writes.recipes(after, written)
        self.request_preview()

    def _set_recipe(self, recipe: Recipe, what: str) -> None:
        self.recipe = recipe
        self.panel.show_photo(recipe)
        self._show_preset_name()
        self._edit_timer.stop()
        self._commit_edit(what)

    def use_preset(self, name: str) -> None:
        self._set_recipe(photo_library.keep_touch_ups(self.presets[name], self.recipe), "Preset")

    def add_stroke(self, stroke: Stroke) -> None:
        removal = self.recipe.find(RemoveBackground)
        if removal is not None:
            strokes = (*removal.strokes, stroke)
            self._set_recipe(
                self.recipe.with_step(replace(removal, strokes=strokes)), "Brush stroke"
            )

    def clear_strokes(self) -> None:
        self._set_recipe(strokes_removed(self.recipe), "Clear touch-ups")

    def _brush_changed(self, mode: str | None, radius: float) -> None:
        self.view.set_brush(mode, radius)
        self.request_preview()

    def write_recipes(self, recipes: Recipes) -> None:
        """Show and store recipes (an undo or redo)."""
        self._show_recipes(recipes)
        self.writes.recipes(recipes)

    def _show_recipes(self, recipes: Recipes) -> None:
        """Show recipes at once; the grid reloads from the database when the write commits."""
        for photo in self.model.photos:
            if photo.photo_id in recipes:
                changed = replace(photo, recipe=recipes[photo.photo_id])
                self.model.replace_photo(changed)
                if self.current and changed.photo_id == self.current.photo_id:
                    self.current = changed
                    self.recipe = recipe_of(changed.recipe)
                    self.panel.show_photo(self.recipe)
                    self._show_preset_name()
                    self.request_preview()

    # Presets
    def _presets_loaded(self, presets: dict[str, Recipe]) -> None:
        self.presets = presets
        self.panel.presets.set_names(list(presets), len(SHIPPED_PRESETS))
        self._show_preset_name()

    def _show_preset_name(self) -> None:
        plain = strokes_removed(self.recipe)
        name = next((n for n, r in self.presets.items() if r == plain), None)
        self.panel.presets.show_current(name)

    def save_as_preset(self, name: str) -> None:
        def saved() -> None:
            self.banner.show_info(f"Saved the preset “{name}”.")
            self.writes.load_presets(self._presets_loaded)

        self.writes.save_preset(name, strokes_removed(self.recipe), saved)

    # Order and cover
    def move_photos(self, photo_ids: list[int], item_id: int, position: int) -> None:
        touched = {p.item_id for p in self.model.photos if p.photo_id in photo_ids} | {item_id}
        before = {
            touched_id: [p.photo_id for p in self.model.photos if p.item_id == touched_id]
            for touched_id in touched
        }
        text = "Make cover photo" if position == 0 and len(photo_ids) == 1 else "Reorder photos"
        move: Move = (list(photo_ids), item_id, position)

        def moved() -> None:
            command = PhotoMove(text, before, move, self.writes.place, already_done=True)
            self.services.undo_stack.push(command)

        self.writes.place([move], moved)

    def make_cover(self) -> None:
        photo = self.grid.current_photo()
        if photo is not None and photo.position != 0:
            self.move_photos([photo.photo_id], photo.item_id, 0)

    # Adding photos
    def _add_photos_to_current_item(self) -> None:
        item_id = self.current.item_id if self.current else (self.item_ids or [None])[0]
        if item_id is None:
            self.banner.show_info("Pick an item first (search above), then add its photos.")
            return
        self.imports.choose_files(item_id)

    # Batches
    def apply_to_selection(self) -> None:
        photos = self.grid.selected_photos()
        if not photos:
            return
        self._flush_edit()
        plain = strokes_removed(self.recipe)
        label = next((n for n, r in self.presets.items() if r == plain), "Custom styling")
        self._watch_window_close()

        def queued(styling: photo_library.Styling) -> None:
            command = RecipeEdit(
                "Apply to selection",
                styling.previous,
                styling.recipes,
                self.write_recipes,
                already_written=True,
            )
            self.services.undo_stack.push(command)

        self.batches.style([p.photo_id for p in photos], self.recipe, label, queued)

    def choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export the selected photos to")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Saves the selected photos (all shown, when none is selected) as styled."""
        photos = self.grid.selected_photos() or list(self.model.photos)
        if not photos:
            self.banner.show_error("There are no photos to export: pick an item first.")
            return
        renderer = Renderer(self.store, MaskProvider(self.store, active_model()))

        def work(context: TaskContext) -> list[Path]:
            return export_photos(renderer, photos, folder, context.progress)

        self.services.runner.run(
            f"Exporting {len(photos)} photo(s)",
            work,
            on_done=lambda files: self.banner.show_info(
                f"Exported {len(files)} photo(s) to {folder}, without location data."
            ),
            on_error=lambda error: self.banner.show_error(f"The export failed: {error}"),
            show_progress=True,
        )

    def resume_batch(self, batch_id: int) -> None:
        self._watch_window_close()
        self.batches.run(batch_id, self.resume_notice.label)

    def _watch_window_close(self) -> None:
        if not self._window_watched:
            self.window().installEventFilter(self)
            self._window_watched = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window() and event.type() == QEvent.Type.Close:
            self.batches.stop_for_quit()
            self.video_strip.stop_for_quit()
        return super().eventFilter(watched, event)


def _working_on(item_ids: Sequence[int], names: dict[int, str], photos: int) -> str:
    shown = [names[item_id] for item_id in item_ids if item_id in names]
    if not shown:
        return "No item chosen: select items in Inventory, or pick one above."
    if len(shown) == 1:
        return f"Working on {shown[0]} · {photos} photo(s)"
    listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
    return f"Working on {len(shown)} items: {listed} · {photos} photo(s)"
