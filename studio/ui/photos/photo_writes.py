"""The Photo Studio's reads and writes of photo rows and presets, run through the TaskRunner.

Writes go to the single writer thread and announce the items they touched, so the grid here
and the Inventory's cover pictures refresh from the one signal hub.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.imaging.preset_library import all_presets, save_preset
from studio.imaging.recipe import Recipe
from studio.photos import library as photo_library
from studio.ui.photos.undo_commands import Move, Recipes
from studio.ui.services import Services
from studio.ui.tasks import TaskContext


class PhotoWrites(QObject):
    problem = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services

    def recipes(self, recipes: Recipes) -> None:
        self._write("Saving the photo's styling", photo_library.set_recipes, recipes)

    def place(self, moves: list[Move]) -> None:
        def place_all(session: Any) -> set[int]:
            touched: set[int] = set()
            for photo_ids, item_id, position in moves:
                touched |= photo_library.place_photos(session, photo_ids, item_id, position)
            return touched

        self._write("Moving photos", place_all)

    def load_presets(self, done: Callable[[dict[str, Recipe]], None]) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> dict[str, Recipe]:
            with database.session() as session:
                return all_presets(session)

        self.services.runner.run("Reading presets", work, done, self._failed("Reading presets"))

    def save_preset(self, name: str, recipe: Recipe, done: Callable[[], None]) -> None:
        database, label = self.services.database, "Saving the preset"

        def work(_context: TaskContext) -> None:
            with database.transaction() as session:
                save_preset(session, name, recipe)

        self.services.runner.run(
            label, work, lambda _none: done(), self._failed(label), writes=True
        )

    def _write(self, label: str, change: Callable[..., set[int]], *args: Any) -> None:
        database, hub = self.services.database, self.services.hub

        def work(_context: TaskContext) -> set[int]:
            with database.transaction() as session:
                return change(session, *args)

        self.services.runner.run(label, work, hub.announce_items, self._failed(label), writes=True)

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        return lambda error: self.problem.emit(f"{what} failed: {error}")
