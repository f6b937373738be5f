"""Undoable inventory actions.

Each action is carried out first (so a bad value is reported before anything is recorded),
then pushed onto the undo stack as a command whose first redo is therefore skipped.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand
from sqlmodel import Session

from studio.inventory import service as inventory
from studio.storage.database import Database
from studio.ui.hub import ChangeHub


@dataclass
class CommandContext:
    database: Database
    hub: ChangeHub
    report_error: Callable[[str, BaseException], None]


class _StoredCommand(QUndoCommand):
    def __init__(self, text: str, context: CommandContext, ids: Iterable[int]) -> None:
        super().__init__(text)
        self.context = context
        self.ids = frozenset(ids)
        self._already_done = True

    def apply(self, session: Session) -> None:
        raise NotImplementedError

    def revert(self, session: Session) -> None:
        raise NotImplementedError

    rows_change = False

    def _run(self, step: Callable[[Session], None], verb: str) -> None:
        try:
            with self.context.database.transaction() as session:
                step(session)
        except Exception as error:  # shown to the user; Qt would swallow it otherwise
            self.context.report_error(f"{verb} “{self.text()}”", error)
            return
        self.context.hub.announce_items(self.ids, rows_changed=self.rows_change)

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._run(self.apply, "Redo")

    def undo(self) -> None:
        self._run(self.revert, "Undo")


class ValuesCommand(_StoredCommand):
    """Field values of some items, before and after (edit, bulk edit, archive)."""

    def __init__(
        self,
        text: str,
        context: CommandContext,
        before: Mapping[int, Mapping[str, Any]],
        after: Mapping[int, Mapping[str, Any]],
    ) -> None:
        super().__init__(text, context, before)
        self.before, self.after = before, after

    def apply(self, session: Session) -> None:
        inventory.restore_values(session, self.after)

    def revert(self, session: Session) -> None:
        inventory.restore_values(session, self.before)


class PresenceCommand(_StoredCommand):
    """Items that appear (create, duplicate) or disappear (delete) when redone."""

    rows_change = True

    def __init__(
        self,
        text: str,
        context: CommandContext,
        ids: Iterable[int],
        appear: bool,
        deleted: list[inventory.DeletedItem] | None = None,
    ) -> None:
        super().__init__(text, context, ids)
        self.appear = appear
        self.saved = deleted or []

    def _remove(self, session: Session) -> None:
        self.saved = inventory.delete_items(session, sorted(self.ids))

    def _restore(self, session: Session) -> None:
        inventory.restore_deleted(session, self.saved)

    def apply(self, session: Session) -> None:
        (self._restore if self.appear else self._remove)(session)

    def revert(self, session: Session) -> None:
        (self._remove if self.appear else self._restore)(session)


# The actions. Each raises ValidationError or BulkEditError, changing nothing, on bad input.


def create_item(context: CommandContext, raw: Mapping[str, Any]) -> tuple[int, QUndoCommand]:
    values = inventory.parse_values(raw)
    with context.database.transaction() as session:
        item = inventory.create_item(session, values)
    assert item.id is not None
    return item.id, _announced(PresenceCommand(f"Add {item.sku}", context, [item.id], True))


def edit_item(context: CommandContext, item_id: int, raw: Mapping[str, Any]) -> QUndoCommand:
    changes = inventory.parse_values(raw)
    with context.database.transaction() as session:
        item = inventory.get_item(session, item_id)
        before = {name: getattr(item, name) for name in changes}
        inventory.update_item(session, item_id, changes)
    command = ValuesCommand(f"Edit {item.sku}", context, {item_id: before}, {item_id: changes})
    return _announced(command)


def bulk_edit(
    context: CommandContext, ids: list[int], edit: inventory.BulkEdit, text: str
) -> QUndoCommand:
    with context.database.transaction() as session:
        before = inventory.bulk_edit(session, ids, edit)
        after = {
            item_id: {name: getattr(inventory.get_item(session, item_id), name) for name in values}
            for item_id, values in before.items()
        }
    return _announced(ValuesCommand(text, context, before, after))


def duplicate_items(context: CommandContext, ids: list[int]) -> tuple[list[int], QUndoCommand]:
    with context.database.transaction() as session:
        copies = [inventory.duplicate_item(session, item_id).id for item_id in ids]
    new_ids = [i for i in copies if i is not None]
    text = f"Duplicate {len(ids)} item(s)"
    return new_ids, _announced(PresenceCommand(text, context, new_ids, appear=True))


def delete_items(context: CommandContext, ids: list[int]) -> QUndoCommand:
    with context.database.transaction() as session:
        deleted = inventory.delete_items(session, ids)
    text = f"Delete {len(ids)} item(s)"
    return _announced(PresenceCommand(text, context, ids, appear=False, deleted=deleted))


def _announced(command: _StoredCommand) -> QUndoCommand:
    command.context.hub.announce_items(command.ids, rows_changed=command.rows_change)
    return command
