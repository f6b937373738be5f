"""Answering the studio's confirmation questions in tests, as a person would: Enter for the
button the question offers by default, Escape to back out."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


@dataclass
class Asked:
    text: str = ""
    button: str = ""  # the default button's text, what Enter presses


@contextmanager
def answering(qtbot, key: Qt.Key = Qt.Key.Key_Return) -> Iterator[Asked]:
    """Presses `key` in the next question box that opens inside the block."""
    asked = Asked()

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)  # not open yet
            return
        asked.text = box.text()
        asked.button = box.defaultButton().text() if box.defaultButton() else ""
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, press)
    yield asked
    assert asked.text, "no question was asked"
