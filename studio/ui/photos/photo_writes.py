"""The Photo Studio's reads and writes of photo rows and presets, through the task bridge.

Writes go to the single writer thread; what they changed is announced by their commit, so
the grid here and the Inventory's cover pictures refresh from the one signal hub.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from sqlmodel import Session

from studio.imaging.preset_library import all_presets, save_preset
from studio.imaging.recipe import Recipe
from studio.photos import library as photo_library
from studio.ui.photos.undo_commands import Move, Recipes
from studio.ui.services import Services


class PhotoWrites(QObject):
    problem = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services

    def recipes(self, recipes: Recipes, on_done: Callable[[], None] | None = None) -> None:
        recipes = dict(recipes)
        self._write(
            "Saving the photo's styling",
            lambda session: photo_library.set_recipes(session, recipes),
            on_done,
        )

    def place(self, moves: list[Move], on_done: Callable[[], None] | None = None) -> None:
        moves = list(moves)

        def place_all(session: Session) -> set[int]:
            touched: set[int] = set()
            for photo_ids, item_id, position in moves:
                touched |= photo_library.place_photos(session, photo_ids, item_id, position)
            return touched

        self._write("Moving photos", place_all, on_done)

    def load_presets(self, done: Callable[[dict[str, Recipe]], None]) -> None:
        label = "Reading presets"
        self.services.runner.query(label, all_presets, done, self._failed(label))

    def save_preset(self, name: str, recipe: Recipe, done: Callable[[], None]) -> None:
        label = "Saving the preset"
        self.services.runner.write(
            label,
            lambda session: save_preset(session, name, recipe),
            lambda _none: done(),
            self._failed(label),
        )

    def _write(
        self, label: str, change: Callable[[Session], object], on_done: Callable[[], None] | None
    ) -> None:
        done = None if on_done is None else (lambda _result: on_done())
        self.services.runner.write(label, change, done, self._failed(label))

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        return lambda error: self.problem.emit(f"{what} failed: {error}")
