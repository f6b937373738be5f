"""The button row every dialog ends with: the action the dialog is for, named for what it
does and pressed by Enter, and Cancel (Escape), which changes nothing."""

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def action_buttons(
    dialog: QDialog, action: str, on_action: Callable[[], None], cancel: str = "Cancel"
) -> tuple[QDialogButtonBox, QPushButton]:
    """A Cancel button and the action button, which is the dialog's default; returns both
    the row and the action button (to enable, disable or rename)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    button = box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    # Only the action is a default: neither Cancel nor a button inside the dialog (which
    # would become the default while it has the focus) may be what Enter presses.
    for other in (*box.buttons(), *dialog.findChildren(QPushButton)):
        if isinstance(other, QPushButton):
            other.setAutoDefault(other is button)
    button.setDefault(True)
    box.accepted.connect(on_action)
    box.rejected.connect(dialog.reject)
    return box, button
