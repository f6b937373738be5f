"""Undoable photo edits: recipe changes and moving photos, on the window's shared undo stack.

The commands hold plain values (photo ids, recipe JSON, orders) and call back into the
section to write them (a `runner.write`), so undo works after the grid was reloaded. Like
the Inventory's, a command is pushed once its first write succeeded: that redo is skipped.
"""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

Recipes = dict[int, str | None]  # photo id -> recipe JSON
Orders = dict[int, list[int]]  # item id -> its photo ids, cover first
Move = tuple[list[int], int, int]  # photo ids, to item, at position

_RECIPE_EDIT_ID = 0x5045
UNMERGED = {"Brush stroke", "Preset", "Apply to selection"}


class RecipeEdit(QUndoCommand):
    def __init__(
        self,
        what: str,
        before: Recipes,
        after: Recipes,
        write: Callable[[Recipes], None],
        already_written: bool = False,
    ) -> None:
        count = len(after)
        super().__init__(f"{what} ({count} photos)" if count > 1 else what)
        self.what, self.before, self.after = what, before, after
        self._write = write
        self._skip_first_redo = already_written

    def id(self) -> int:
        return _RECIPE_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Dragging a slider is one edit, not a hundred: same control, same photos."""
        if not isinstance(other, RecipeEdit) or self.what in UNMERGED:
            return False
        if other.what != self.what or other.after.keys() != self.after.keys():
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)


class PhotoMove(QUndoCommand):
    def __init__(
        self,
        text: str,
        before: Orders,
        move: Move,
        place: Callable[[list[Move]], None],
        already_done: bool = False,
    ) -> None:
        super().__init__(text)
        self.before, self.move = before, move
        self._place = place
        self._skip_first_redo = already_done

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._place([self.move])

    def undo(self) -> None:
        # Putting every touched item's old photos back in their old order undoes any move.
        self._place([(ids, item_id, 0) for item_id, ids in self.before.items()])
