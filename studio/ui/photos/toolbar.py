"""The Photo Studio's top row: find an item, add photos, import a folder, export photos."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from studio.ui.photos.item_picker import ItemPicker
from studio.ui.services import Services


class StudioToolbar(QWidget):
    item_picked = Signal(int)
    add_photos = Signal()
    import_folder = Signal()
    export_photos = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = ItemPicker(services)
        self.picker.picked.connect(self.item_picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picker, 1)
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, shortcut, signal in (
            ("add", "Add photos…", "Ctrl+Shift+O", self.add_photos),
            ("folder", "Import folder…", "Ctrl+Shift+I", self.import_folder),
            ("export", "Export…", "Ctrl+Shift+S", self.export_photos),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text.rstrip('…')} ({shortcut})")
            action.triggered.connect(signal)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            layout.addWidget(button)
            self.actions_by_name[name] = action
