"""Asking before anything that moves money or reaches a buyer: the question names who, what
and how much, as the person sees it now, and the button says what it will do."""

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """True when the person pressed the action button (the default, so Enter confirms a
    question that already spelled the amounts out; Escape cancels)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    do = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(do)
    box.exec()
    return box.clickedButton() is do
