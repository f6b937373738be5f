"""Undoable inventory actions, written through the task bridge like any other write.

Each action is carried out first, as one `runner.write` (so a bad value is reported before
anything is recorded); only when that write succeeded is its command pushed onto the undo
stack, and the command's first redo is therefore skipped. Undo and redo are writes too, in
the writer's order: an undo asked for right after an edit runs after the edit. A failed undo
or redo is reported (the section shows it in its banner); the stack has moved on regardless,
as it would have had the write been on the UI thread.

Commands hold plain values only: the writer thread never touches a Qt object.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtGui import QUndoCommand
from sqlmodel import Session

from studio.inventory import service as inventory
from studio.ui.tasks import Task, TaskRunner

T = TypeVar("T")
Failed = Callable[[BaseException], None]


@dataclass
class CommandContext:
    runner: TaskRunner
    push: Callable[[QUndoCommand], None]
    report_error: Callable[[str, BaseException], None]


class _StoredCommand(QUndoCommand):
    def __init__(self, text: str, context: CommandContext) -> None:
        super().__init__(text)
        self.context = context
        self._already_done = True

    def apply_step(self) -> Callable[[Session], Any]:
        raise NotImplementedError

    def revert_step(self) -> Callable[[Session], Any]:
        raise NotImplementedError

    def _write(self, step: Callable[[Session], Any], verb: str) -> None:
        text, report = self.text(), self.context.report_error
        self.context.runner.write(
            f"{verb} {text}", step, on_error=lambda error: report(f"{verb} “{text}”", error)
        )

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._write(self.apply_step(), "Redo")

    def undo(self) -> None:
        self._write(self.revert_step(), "Undo")


class ValuesCommand(_StoredCommand):
    """Field values of some items, before and after (edit, bulk edit, archive)."""

    def __init__(
        self,
        text: str,
        context: CommandContext,
        before: Mapping[int, Mapping[str, Any]],
        after: Mapping[int, Mapping[str, Any]],
    ) -> None:
        super().__init__(text, context)
        self.before, self.after = before, after

    def apply_step(self) -> Callable[[Session], Any]:
        after = self.after
        return lambda session: inventory.restore_values(session, after)

    def revert_step(self) -> Callable[[Session], Any]:
        before = self.before
        return lambda session: inventory.restore_values(session, before)


@dataclass
class _Presence:
    """Items that can be taken away and put back, with what putting them back needs.

    Only the writer thread reads or changes `saved`, one write after another."""

    ids: list[int]
    saved: list[inventory.DeletedItem] = field(default_factory=list)

    def remove(self, session: Session) -> None:
        self.saved = inventory.delete_items(session, self.ids)

    def restore(self, session: Session) -> None:
        inventory.restore_deleted(session, self.saved)


class PresenceCommand(_StoredCommand):
    """Items that appear (create, duplicate) or disappear (delete) when redone."""

    def __init__(
        self,
        text: str,
        context: CommandContext,
        ids: Iterable[int],
        appear: bool,
        deleted: list[inventory.DeletedItem] | None = None,
    ) -> None:
        super().__init__(text, context)
        self.appear = appear
        self.presence = _Presence(sorted(ids), deleted or [])

    def apply_step(self) -> Callable[[Session], Any]:
        return self.presence.restore if self.appear else self.presence.remove

    def revert_step(self) -> Callable[[Session], Any]:
        return self.presence.remove if self.appear else self.presence.restore


# The actions. Each writes first; on success its command is pushed and `on_done` gets the
# result. On failure (ValidationError or BulkEditError for bad input, changing nothing)
# `on_error` gets the error, or the context reports it.


def _act(
    context: CommandContext,
    label: str,
    change: Callable[[Session], T],
    command: Callable[[T], QUndoCommand],
    on_done: Callable[[T], None] | None,
    on_error: Failed | None,
) -> Task:
    def done(result: T) -> None:
        context.push(command(result))
        if on_done is not None:
            on_done(result)

    failed = on_error or (lambda error: context.report_error(label, error))
    return context.runner.write(label, change, done, failed)


def _no_result(on_done: Callable[[], None] | None) -> Callable[[Any], None] | None:
    return None if on_done is None else (lambda _result: on_done())


def create_item(
    context: CommandContext,
    values: Mapping[str, Any],
    on_done: Callable[[int], None] | None = None,
    on_error: Failed | None = None,
) -> Task:
    """`values` are parsed already (inventory.parse_values); `on_done` gets the new id."""

    def change(session: Session) -> tuple[int, str]:
        item = inventory.create_item(session, values)
        assert item.id is not None
        return item.id, item.sku

    def command(result: tuple[int, str]) -> QUndoCommand:
        item_id, sku = result
        return PresenceCommand(f"Add {sku}", context, [item_id], appear=True)

    then = None if on_done is None else (lambda result: on_done(result[0]))
    return _act(context, "Adding an item", change, command, then, on_error)


def edit_item(
    context: CommandContext,
    item_id: int,
    changes: Mapping[str, Any],
    on_done: Callable[[], None] | None = None,
    on_error: Failed | None = None,
) -> Task:
    """`changes` are parsed already; what they replace is read in the same transaction."""

    def change(session: Session) -> tuple[str, dict[str, Any]]:
        item = inventory.get_item(session, item_id)
        before = {name: getattr(item, name) for name in changes}
        inventory.update_item(session, item_id, changes)
        return item.sku, before

    def command(result: tuple[str, dict[str, Any]]) -> QUndoCommand:
        sku, before = result
        return ValuesCommand(f"Edit {sku}", context, {item_id: before}, {item_id: dict(changes)})

    return _act(context, "Saving the item", change, command, _no_result(on_done), on_error)


Values = dict[int, dict[str, Any]]


def bulk_edit(
    context: CommandContext,
    ids: Sequence[int],
    edit: inventory.BulkEdit,
    text: str,
    on_done: Callable[[], None] | None = None,
    on_error: Failed | None = None,
) -> Task:
    ids = list(ids)

    def change(session: Session) -> tuple[Values, Values]:
        before = inventory.bulk_edit(session, ids, edit)
        after = {
            item_id: {name: getattr(inventory.get_item(session, item_id), name) for name in values}
            for item_id, values in before.items()
        }
        return before, after

    def command(result: tuple[Values, Values]) -> QUndoCommand:
        return ValuesCommand(text, context, *result)

    return _act(context, text, change, command, _no_result(on_done), on_error)


def duplicate_items(
    context: CommandContext,
    ids: Sequence[int],
    on_done: Callable[[list[int]], None] | None = None,
    on_error: Failed | None = None,
) -> Task:
    """`on_done` gets the copies' ids."""
    ids = list(ids)
    text = f"Duplicate {len(ids)} item(s)"

    def change(session: Session) -> list[int]:
        copies = [inventory.duplicate_item(session, item_id).id for item_id in ids]
        return [i for i in copies if i is not None]

    def command(new_ids: list[int]) -> QUndoCommand:
        return PresenceCommand(text, context, new_ids, appear=True)

    return _act(context, text, change, command, on_done, on_error)


def delete_items(
    context: CommandContext,
    ids: Sequence[int],
    on_done: Callable[[], None] | None = None,
    on_error: Failed | None = None,
) -> Task:
    ids = sorted(ids)
    text = f"Delete {len(ids)} item(s)"

    def change(session: Session) -> list[inventory.DeletedItem]:
        return inventory.delete_items(session, ids)

    def command(deleted: list[inventory.DeletedItem]) -> QUndoCommand:
        return PresenceCommand(text, context, ids, appear=False, deleted=deleted)

    return _act(context, text, change, command, _no_result(on_done), on_error)
